-- name: deferred_jobs
SELECT id, estimate_energy_j, estimate_duration_s, created_at, deadline, regions, planned_region,
       (plan ->> 'planned_start')::timestamptz AS planned_start
FROM jobs WHERE state = 'deferred'

-- name: committed_by_region
SELECT coalesce(region, planned_region, regions[1]) AS region, sum(estimate_duration_s) AS seconds
FROM jobs WHERE state IN ('queued', 'running') GROUP BY 1

-- name: gpus_by_region
SELECT region, sum(slots) AS slots FROM workers WHERE heartbeat_at >= :since GROUP BY region

-- name: update_plans
UPDATE jobs j
SET plan = u.plan::jsonb, planned_region = u.region, run_after = u.start
FROM unnest(:ids::uuid[], :plans::text[], :regions::text[], :starts::timestamptz[]) AS u (id, plan, region, start)
WHERE j.id = ANY (:ids::uuid[]) AND j.id = u.id AND j.state = 'deferred'

-- name: release
-- claim_rank (ClaimRank): 0 when the latest safe start comes before the next tick, else 2 until promote_late
UPDATE jobs j
SET state = 'queued', updated_at = :now, state_actor = :actor, state_reason = u.reason, plan = u.plan::jsonb,
    planned_region = u.region, run_after = u.claim_from,
    claim_rank = CASE WHEN j.latest_start IS NULL OR j.latest_start < :next_tick THEN 0 ELSE 2 END
FROM unnest(:ids::uuid[], :plans::text[], :regions::text[], :reasons::text[], :claim_from::timestamptz[])
  AS u (id, plan, region, reason, claim_from)
WHERE j.id = ANY (:ids::uuid[]) AND j.id = u.id AND j.state = 'deferred'
RETURNING j.id, j.account_id

-- name: insert_tick
INSERT INTO planner_ticks (node, scheduled_at, ran_at, deferred, released, at_risk, duration_ms)
VALUES (:node, :scheduled_at, :ran_at, :deferred, :released, :at_risk, :duration_ms)

-- name: last_tick
SELECT node, scheduled_at, ran_at, deferred, released, at_risk, duration_ms FROM planner_ticks ORDER BY id DESC LIMIT 1

-- name: prune_ticks
DELETE FROM planner_ticks WHERE ran_at < :cutoff

-- name: get_policy
SELECT policy, updated_at, updated_by FROM planner_policy WHERE id = 1

-- name: put_policy
INSERT INTO planner_policy (id, policy, updated_at, updated_by) VALUES (1, :policy::jsonb, :now, :by)
ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by

-- name: planned_releases
SELECT planned_region AS region, date_trunc('hour', run_after) AS hour, count(*) AS jobs, sum(estimate_energy_j) AS energy_j
FROM jobs WHERE state = 'deferred' AND (:region::text IS NULL OR planned_region = :region)
GROUP BY 1, 2 ORDER BY 2, 1

-- name: offline_submitted_since
SELECT id, estimate_energy_j, estimate_duration_s, created_at, deadline, regions
FROM jobs WHERE mode = 'offline' AND created_at > :since AND created_at <= :now

-- name: first_offline_submission
-- where the submission history starts (a service younger than a day forecasts from the hours it has seen)
SELECT min(created_at) AS first FROM jobs WHERE mode = 'offline'

-- name: online_submitted_since
-- the online work of the last day by minute and by where it ran (or may run, while not yet claimed), at most 1,440
-- rows a region however many jobs came: ExpectedOnlineLoad; each minute is dated by its last submission
SELECT max(created_at) AS created_at, sum(estimate_duration_s) AS seconds, coalesce(region, planned_region) AS ran_in, regions
FROM jobs WHERE mode = 'online' AND created_at > :since AND created_at <= :now
GROUP BY date_trunc('minute', created_at), coalesce(region, planned_region), regions

-- name: first_online_submission
SELECT min(created_at) AS first FROM jobs WHERE mode = 'online'
