-- Named queries of the job queue. Parameters are :name; every time comes in as :now so callers own the clock.
-- Transitions write their job_events rows through the jobs_event_* triggers (migrations/V1__jobs.sql).

-- name: insert_job
INSERT INTO jobs (id, account_id, state, mode, prompt, resolution, duration_s, fps, steps, seed, deadline,
                  regions, priority, callback_url, estimate_energy_j, estimate_duration_s, max_attempts,
                  run_after, latest_start, claim_rank, state_actor, state_reason, created_at, updated_at)
VALUES (:id, :account_id, :state::job_state, :mode::job_mode, :prompt, :resolution, :duration_s, :fps, :steps,
        :seed, :deadline, :regions, :priority, :callback_url, :energy_j, :duration_est_s, :max_attempts,
        :run_after, :latest_start, :claim_rank, :actor, :reason, :now, :now)

-- name: insert_idempotency_key
INSERT INTO idempotency_keys (account_id, key, request_hash, job_id, created_at)
VALUES (:account_id, :key, :request_hash, :job_id, :now)

-- name: find_idempotency_key
SELECT request_hash, job_id FROM idempotency_keys WHERE account_id = :account_id AND key = :key

-- name: claim
WITH picked AS (
  SELECT id FROM jobs
  WHERE state = 'queued' AND run_after <= :now
    AND (planned_region = :region OR (planned_region IS NULL AND (regions = '{}' OR :region = ANY (regions))))
  ORDER BY priority DESC, claim_rank, latest_start, run_after, id
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE jobs j
  SET state = 'running', attempt = j.attempt + 1, worker_id = :worker, heartbeat_at = :now, region = :region,
      started_at = coalesce(j.started_at, :now), updated_at = :now, progress = NULL,
      state_actor = :worker, state_reason = 'claimed by worker'
  FROM picked WHERE j.id = picked.id
  RETURNING j.*
), attempts AS (
  INSERT INTO job_attempts (job_id, attempt, worker_id, region, started_at)
  SELECT id, attempt, :worker, :region, :now FROM claimed
)
SELECT * FROM claimed

-- name: heartbeat
UPDATE jobs j
SET heartbeat_at = :now, progress = coalesce(u.progress::jsonb, j.progress)
FROM unnest(:ids::uuid[], :progress::text[]) AS u (id, progress)
WHERE j.id = ANY (:ids::uuid[]) AND j.id = u.id AND j.state = 'running' AND j.worker_id = :worker
RETURNING j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested

-- name: succeed
WITH done AS (
  UPDATE jobs j
  SET state = 'succeeded', finished_at = :now, updated_at = :now, result = c.result::jsonb,
      progress = NULL, last_error = NULL, state_actor = :worker, state_reason = 'completed'
  FROM unnest(:ids::uuid[], :attempts::int[], :results::text[]) AS c (id, attempt, result)
  WHERE j.id = ANY (:ids::uuid[]) -- lets the planner fetch by primary key whatever it believes about 'running'
    AND j.id = c.id AND j.attempt = c.attempt AND j.state = 'running' AND j.worker_id = :worker
  RETURNING j.id, j.account_id, j.attempt
), attempt_rows AS (
  UPDATE job_attempts a SET finished_at = :now, outcome = 'succeeded'
  FROM done WHERE a.job_id = done.id AND a.attempt = done.attempt
)
SELECT id, account_id FROM done

-- name: fail
WITH failed AS (
  UPDATE jobs j
  SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'failed' ELSE 'retrying' END::job_state,
      finished_at = CASE WHEN j.attempt >= j.max_attempts THEN :now::timestamptz END,
      run_after = CASE WHEN j.attempt >= j.max_attempts THEN j.run_after ELSE :retry_at END,
      updated_at = :now, last_error = :error, progress = NULL, state_actor = :worker,
      state_reason = CASE WHEN j.attempt >= j.max_attempts THEN 'attempt failed; no attempts left'
                          ELSE 'attempt failed; retry scheduled' END
  WHERE j.id = :id AND j.attempt = :attempt AND j.state = 'running' AND j.worker_id = :worker
  RETURNING j.id, j.account_id, j.attempt, j.state
), attempt_rows AS (
  UPDATE job_attempts a SET finished_at = :now, outcome = 'failed', error = :error
  FROM failed WHERE a.job_id = failed.id AND a.attempt = failed.attempt
)
SELECT id, account_id, state FROM failed

-- name: acknowledge_cancel
WITH stopped AS (
  UPDATE jobs j
  SET state = 'cancelled', finished_at = :now, updated_at = :now, progress = NULL,
      state_actor = :worker, state_reason = 'cancelled at a step boundary'
  WHERE j.id = :id AND j.attempt = :attempt AND j.state = 'running' AND j.worker_id = :worker
  RETURNING j.id, j.account_id, j.attempt
), attempt_rows AS (
  UPDATE job_attempts a SET finished_at = :now, outcome = 'cancelled'
  FROM stopped WHERE a.job_id = stopped.id AND a.attempt = stopped.attempt
)
SELECT id, account_id FROM stopped

-- name: request_cancel
UPDATE jobs j
SET state = CASE WHEN old.state = 'running' THEN j.state ELSE 'cancelled' END::job_state,
    finished_at = CASE WHEN old.state = 'running' THEN NULL ELSE :now::timestamptz END,
    cancel_requested_at = coalesce(j.cancel_requested_at, :now),
    updated_at = :now, state_actor = :actor, state_reason = 'cancelled by its owner'
FROM (SELECT id, state FROM jobs WHERE id = :id AND (:account_id::uuid IS NULL OR account_id = :account_id) FOR UPDATE) AS old
WHERE j.id = old.id AND old.state IN ('deferred', 'queued', 'retrying', 'running')
RETURNING j.id, j.account_id, old.state AS from_state, j.state AS to_state, j.worker_id

-- name: requeue_worker_jobs
WITH back AS (
  UPDATE jobs j
  SET state = 'queued', updated_at = :now, heartbeat_at = NULL, progress = NULL,
      state_actor = :worker, state_reason = 'worker shut down before the job finished'
  WHERE j.state = 'running' AND j.worker_id = :worker AND j.id = ANY (:ids::uuid[])
  RETURNING j.id, j.account_id, j.attempt
), attempt_rows AS (
  UPDATE job_attempts a SET finished_at = :now, outcome = 'rescued', error = 'worker shut down'
  FROM back WHERE a.job_id = back.id AND a.attempt = back.attempt
)
SELECT id, account_id FROM back

-- name: rescue
WITH stale AS (
  SELECT id FROM jobs
  WHERE state = 'running' AND heartbeat_at < :cutoff
  ORDER BY heartbeat_at
  LIMIT :limit
  FOR UPDATE SKIP LOCKED
), moved AS (
  UPDATE jobs j
  SET state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                   WHEN j.attempt >= j.max_attempts THEN 'failed'
                   ELSE 'queued' END::job_state,
      finished_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts THEN :now::timestamptz END,
      heartbeat_at = NULL, progress = NULL, updated_at = :now,
      last_error = 'heartbeat lost from worker ' || j.worker_id,
      state_actor = :actor,
      state_reason = 'rescued: no heartbeat from ' || j.worker_id || ' since ' || to_char(j.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM stale WHERE j.id = stale.id
  RETURNING j.id, j.account_id, j.attempt, j.state
), attempt_rows AS (
  UPDATE job_attempts a SET finished_at = :now, outcome = 'rescued', error = 'heartbeat lost'
  FROM moved WHERE a.job_id = moved.id AND a.attempt = moved.attempt
)
SELECT id, account_id, state FROM moved

-- name: promote_retries
UPDATE jobs j
SET state = 'queued', updated_at = :now, state_actor = :actor, state_reason = 'retry backoff elapsed'
FROM (SELECT id FROM jobs WHERE state = 'retrying' AND run_after <= :now ORDER BY run_after LIMIT :limit FOR UPDATE SKIP LOCKED) due
WHERE j.id = due.id
RETURNING j.id, j.account_id

-- name: release_due
-- The safety net under the planner: a deferred job whose latest deadline-safe start has come is released whatever
-- the plan says (the planner normally releases it well before).
UPDATE jobs j
SET state = 'queued', updated_at = :now, run_after = :now, planned_region = NULL, state_actor = :actor,
    state_reason = 'released: latest start that still meets the deadline'
FROM (SELECT id FROM jobs WHERE state = 'deferred' AND latest_start <= :now ORDER BY latest_start LIMIT :limit FOR UPDATE SKIP LOCKED) due
WHERE j.id = due.id
RETURNING j.id, j.account_id

-- name: promote_late
UPDATE jobs SET claim_rank = 0
WHERE state = 'queued' AND claim_rank = 2 AND latest_start < :until

-- name: prune
DELETE FROM jobs
WHERE id IN (SELECT id FROM jobs WHERE finished_at < :cutoff ORDER BY finished_at LIMIT :limit)
RETURNING id

-- name: get_job
SELECT * FROM jobs WHERE id = :id AND (:account_id::uuid IS NULL OR account_id = :account_id)

-- name: list_jobs
SELECT * FROM jobs
WHERE (:account_id::uuid IS NULL OR account_id = :account_id)
  AND (:state::job_state IS NULL OR state = :state::job_state)
  AND (:mode::job_mode IS NULL OR mode = :mode::job_mode)
  AND (:cursor::uuid IS NULL OR id < :cursor::uuid)
ORDER BY id DESC
LIMIT :limit

-- name: job_events
SELECT * FROM job_events WHERE job_id = :id ORDER BY id

-- name: job_attempts
SELECT * FROM job_attempts WHERE job_id = :id ORDER BY attempt

-- name: count_by_state_region
SELECT state::text AS state, coalesce(region, planned_region, 'unassigned') AS region, count(*) AS n
FROM jobs GROUP BY 1, 2 ORDER BY 1, 2
