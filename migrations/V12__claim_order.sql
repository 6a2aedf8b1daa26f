-- Claim order in three ranks, so that a deadline is never missed for an online job's latency and deferred work waits
-- for online jobs only while its deadline allows:
--   0  an offline job whose latest deadline-safe start has come (or comes before the next planning tick)
--   1  an online job
--   2  an offline job released on plan (for a clean slot), with time to spare
-- Ranks 0 and 2 are served earliest latest start first (EDF), rank 1 in submission order. Before this, at-risk
-- releases shared rank 0 with online jobs in time order and planned releases (rank 1) went in release order.
ALTER TABLE jobs DROP CONSTRAINT jobs_claim_rank_check;
UPDATE jobs SET claim_rank = 2 WHERE claim_rank = 1;
UPDATE jobs SET claim_rank = 1 WHERE claim_rank = 0 AND mode = 'online';
ALTER TABLE jobs ADD CONSTRAINT jobs_claim_rank_check CHECK (claim_rank IN (0, 1, 2));
COMMENT ON COLUMN jobs.claim_rank IS '0: offline, latest safe start come; 1: online; 2: offline released on plan';

DROP INDEX jobs_claimable;
CREATE INDEX jobs_claimable ON jobs (priority DESC, claim_rank, latest_start, run_after, id) WHERE state = 'queued';
DROP INDEX jobs_planned_latest_start;
CREATE INDEX jobs_planned_latest_start ON jobs (latest_start) WHERE state = 'queued' AND claim_rank = 2;
