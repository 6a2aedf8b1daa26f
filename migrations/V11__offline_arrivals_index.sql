-- The planning tick reads the offline jobs submitted over the last day (its forecast of the jobs still to come).
CREATE INDEX jobs_offline_created ON jobs (created_at) WHERE mode = 'offline';
