-- The planning tick reads the online jobs submitted over the last day (the online reserve it keeps per slot).
CREATE INDEX jobs_online_created ON jobs (created_at) WHERE mode = 'online';
