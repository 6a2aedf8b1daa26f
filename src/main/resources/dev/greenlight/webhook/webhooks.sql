-- name: get_account_secret
SELECT secret, previous_secret, previous_until FROM webhook_secrets WHERE account_id = :account_id

-- name: rotate_account_secret
INSERT INTO webhook_secrets (account_id, secret, previous_secret, previous_until, rotated_at)
VALUES (:account_id, :secret, NULL, NULL, :now)
ON CONFLICT (account_id) DO UPDATE SET previous_secret = webhook_secrets.secret, previous_until = :previous_until,
  secret = excluded.secret, rotated_at = :now

-- name: ensure_account_secret
INSERT INTO webhook_secrets (account_id, secret, rotated_at) VALUES (:account_id, :secret, :now) ON CONFLICT (account_id) DO NOTHING

-- name: insert_endpoint
INSERT INTO webhook_endpoints (id, account_id, url, event_types, secret, created_at)
VALUES (:id, :account_id, :url, :event_types, :secret, :now)

-- name: list_endpoints
SELECT id, url, event_types, created_at, failing_since, disabled_at, disabled_reason FROM webhook_endpoints
WHERE account_id = :account_id AND deleted_at IS NULL ORDER BY created_at

-- name: delete_endpoint
UPDATE webhook_endpoints SET deleted_at = :now WHERE id = :id AND account_id = :account_id AND deleted_at IS NULL

-- name: rotate_endpoint_secret
UPDATE webhook_endpoints SET previous_secret = secret, previous_until = :previous_until, secret = :secret
WHERE id = :id AND account_id = :account_id AND deleted_at IS NULL

-- name: claim_due
UPDATE webhook_deliveries d SET locked_by = :node, locked_until = :lease_until
FROM (SELECT id FROM webhook_deliveries
      WHERE state = 'pending' AND next_attempt_at <= :now AND (locked_until IS NULL OR locked_until < :now)
      ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due
WHERE d.id = due.id
RETURNING d.id, d.job_id, d.account_id, d.endpoint_id, d.url, d.event_type, d.payload, d.attempts, d.created_at

-- name: set_payload
UPDATE webhook_deliveries SET payload = :payload WHERE id = :id AND payload IS NULL

-- name: signing_secrets
-- the endpoint's secrets, or for a callback_url the account's; the previous one only while its overlap lasts
SELECT coalesce(e.secret, s.secret) AS secret,
       CASE WHEN coalesce(e.previous_until, s.previous_until) > :now THEN coalesce(e.previous_secret, s.previous_secret) END AS previous,
       e.disabled_at, e.deleted_at
FROM webhook_deliveries d
LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
LEFT JOIN webhook_secrets s ON s.account_id = d.account_id
WHERE d.id = :id

-- name: record_attempt
INSERT INTO webhook_attempts (delivery_id, attempt, at, status, latency_ms, response_excerpt, error)
VALUES (:id, :attempt, :at, :status, :latency_ms, :excerpt, :error)

-- name: succeed
UPDATE webhook_deliveries SET state = 'succeeded', attempts = :attempt, last_status = :status, last_error = NULL,
  finished_at = :now, locked_by = NULL, locked_until = NULL
WHERE id = :id

-- name: retry_later
UPDATE webhook_deliveries SET attempts = :attempt, last_status = :status, last_error = :error, next_attempt_at = :next,
  locked_by = NULL, locked_until = NULL
WHERE id = :id

-- name: give_up
UPDATE webhook_deliveries SET state = 'failed', attempts = :attempt, last_status = :status, last_error = :error,
  finished_at = :now, locked_by = NULL, locked_until = NULL
WHERE id = :id

-- name: endpoint_failed
UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, :now) WHERE id = :id

-- name: endpoint_ok
UPDATE webhook_endpoints SET failing_since = NULL WHERE id = :id

-- name: disable_endpoint
UPDATE webhook_endpoints SET disabled_at = :now, disabled_reason = :reason WHERE id = :id AND disabled_at IS NULL

-- name: disable_long_failing
UPDATE webhook_endpoints SET disabled_at = :now,
  disabled_reason = 'every delivery failed since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
WHERE failing_since < :cutoff AND disabled_at IS NULL AND deleted_at IS NULL

-- name: job_deliveries
SELECT d.id, d.endpoint_id, d.url, d.event_type, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
       d.created_at, d.finished_at
FROM webhook_deliveries d JOIN jobs j ON j.id = d.job_id
WHERE d.job_id = :job_id AND (:account_id::uuid IS NULL OR j.account_id = :account_id)
ORDER BY d.created_at, d.id

-- name: delivery_attempts
SELECT attempt, at, status, latency_ms, response_excerpt, error FROM webhook_attempts WHERE delivery_id = :id ORDER BY attempt

-- name: redeliver
UPDATE webhook_deliveries d SET state = 'pending', next_attempt_at = :now, finished_at = NULL, locked_by = NULL, locked_until = NULL
FROM jobs j
WHERE d.id = :id AND j.id = d.job_id AND (:account_id::uuid IS NULL OR j.account_id = :account_id)
RETURNING d.id
