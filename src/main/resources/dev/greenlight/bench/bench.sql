-- Queue benchmark set-up and the bare-SQL reference it is compared with.

-- name: insert_account
INSERT INTO accounts (id, name, created_at) VALUES (:id, 'bench', :now)

-- name: insert_jobs
INSERT INTO jobs (id, account_id, state, mode, prompt, resolution, duration_s, fps, steps, regions, priority,
                  estimate_energy_j, estimate_duration_s, max_attempts, run_after, state_actor, state_reason,
                  created_at, updated_at)
SELECT gen_random_uuid(), :account_id, 'queued', 'online', 'bench no-op', '144p', 1, 8, 1, ARRAY[:region::text], 0,
       0, 0, 1, :now, 'bench', 'bench job', :now, :now
FROM generate_series(1, :n)

-- name: analyze_jobs
ANALYZE jobs

-- name: delete_bench_jobs
WITH gone AS (DELETE FROM jobs WHERE account_id = :account_id)
DELETE FROM accounts WHERE id = :account_id

-- name: reference_create
CREATE TABLE bench_reference (id bigserial PRIMARY KEY, state text NOT NULL, worker text)

-- name: reference_index
CREATE INDEX bench_reference_queued ON bench_reference (id) WHERE state = 'queued'

-- name: reference_fill
INSERT INTO bench_reference (state) SELECT 'queued' FROM generate_series(1, :n)

-- name: reference_claim
UPDATE bench_reference SET state = 'running', worker = :worker
WHERE id IN (SELECT id FROM bench_reference WHERE state = 'queued' ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
RETURNING id

-- name: reference_complete
UPDATE bench_reference SET state = 'succeeded' WHERE id = ANY (:ids::bigint[]) AND state = 'running'

-- name: reference_drop
DROP TABLE IF EXISTS bench_reference
