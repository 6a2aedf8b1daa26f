-- Claim order: urgent jobs (online, released at risk, or an offline job whose latest deadline-safe start has come)
-- go before offline jobs released on plan, so an online job never waits behind a released batch of deferred work.
ALTER TABLE jobs ADD COLUMN claim_rank smallint NOT NULL DEFAULT 0 CHECK (claim_rank IN (0, 1));
COMMENT ON COLUMN jobs.claim_rank IS '0: urgent (online, at risk, latest start come); 1: offline released on plan';

DROP INDEX jobs_claimable;
CREATE INDEX jobs_claimable ON jobs (priority DESC, claim_rank, run_after, id) WHERE state = 'queued';
-- the planning tick promotes planned jobs whose latest start comes before the next tick
CREATE INDEX jobs_planned_latest_start ON jobs (latest_start) WHERE state = 'queued' AND claim_rank = 1;
