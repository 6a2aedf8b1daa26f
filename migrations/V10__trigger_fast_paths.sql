-- Fast paths for the statement-level triggers that most job updates do not concern: a claim (queued -> running), a
-- heartbeat or a completion then skips the joins of the transition tables. Same effects as V7 and V8 otherwise.

CREATE OR REPLACE FUNCTION jobs_enqueue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- only final states and releases from deferred are delivered
  IF NOT EXISTS (SELECT 1 FROM new_rows WHERE state IN ('succeeded', 'failed', 'cancelled', 'queued')) THEN
    RETURN NULL;
  END IF;

  INSERT INTO webhook_deliveries (id, job_id, account_id, endpoint_id, url, event_type, state, next_attempt_at, created_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), n.id, n.account_id, NULL, n.callback_url,
         'job.' || n.state::text, 'pending', n.updated_at, n.updated_at
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE n.state <> o.state AND n.state IN ('succeeded', 'failed', 'cancelled') AND n.callback_url IS NOT NULL;

  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.deleted_at IS NULL AND e.disabled_at IS NULL
                   AND e.account_id IN (SELECT account_id FROM new_rows)) THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_deliveries (id, job_id, account_id, endpoint_id, url, event_type, state, next_attempt_at, created_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), n.id, n.account_id, e.id, e.url, ev.type, 'pending',
         n.updated_at, n.updated_at
  FROM old_rows o
  JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (SELECT CASE WHEN n.state IN ('succeeded', 'failed', 'cancelled') THEN 'job.' || n.state::text
                                  WHEN o.state = 'deferred' AND n.state = 'queued' THEN 'job.released' END AS type) ev
  JOIN webhook_endpoints e ON e.account_id = n.account_id AND e.deleted_at IS NULL AND e.disabled_at IS NULL
                          AND ev.type = ANY (e.event_types)
  WHERE n.state <> o.state AND ev.type IS NOT NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jobs_release_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- only a failed or cancelled job gives its hold back
  IF NOT EXISTS (SELECT 1 FROM new_rows WHERE state IN ('failed', 'cancelled')) THEN
    RETURN NULL;
  END IF;
  WITH ended AS (
    UPDATE job_credits c SET released = c.held, settled_at = n.updated_at
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE c.job_id = n.id AND n.state <> o.state AND n.state IN ('failed', 'cancelled') AND c.settled_at IS NULL AND c.held > 0
    RETURNING c.job_id, c.account_id, c.held, n.updated_at AS at, n.state::text AS state
  )
  INSERT INTO credit_ledger (account_id, job_id, kind, amount, note, created_at)
  SELECT account_id, job_id, 'release', held, 'job ' || state, at FROM ended;
  RETURN NULL;
END $$;
