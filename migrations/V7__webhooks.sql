-- Completion webhooks: endpoints users register, each account's secret for deliveries to a job's callback_url, and
-- the delivery outbox. Delivery rows are written by the jobs trigger in the same transaction as the state change.

CREATE TABLE webhook_secrets (
  account_id       uuid PRIMARY KEY REFERENCES accounts (id),
  secret           text NOT NULL,
  previous_secret  text,
  previous_until   timestamptz,
  rotated_at       timestamptz NOT NULL
);

CREATE TABLE webhook_endpoints (
  id               uuid PRIMARY KEY,
  account_id       uuid NOT NULL REFERENCES accounts (id),
  url              text NOT NULL,
  event_types      text[] NOT NULL,
  secret           text NOT NULL,
  previous_secret  text,
  previous_until   timestamptz,
  created_at       timestamptz NOT NULL,
  failing_since    timestamptz,
  disabled_at      timestamptz,
  disabled_reason  text,
  deleted_at       timestamptz,
  CHECK (event_types <@ ARRAY['job.succeeded', 'job.failed', 'job.cancelled', 'job.released']::text[])
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,                 -- the webhook-id header: the same for every attempt
  job_id           uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  account_id       uuid NOT NULL,
  endpoint_id      uuid REFERENCES webhook_endpoints (id),   -- NULL: the job's callback_url
  url              text NOT NULL,
  event_type       text NOT NULL,
  state            text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
  payload          text,                             -- built at the first attempt, then sent unchanged
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  locked_by        text,
  locked_until     timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id);

CREATE TABLE webhook_attempts (
  delivery_id       text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt           integer NOT NULL,
  at                timestamptz NOT NULL,
  status            integer,
  latency_ms        double precision,
  response_excerpt  text,
  error             text,
  PRIMARY KEY (delivery_id, attempt)
);

-- The outbox: a job reaching succeeded, failed or cancelled (or leaving deferred, for endpoints that opted in)
-- queues one delivery to its callback_url and one to every live endpoint of its account that wants the event.
CREATE FUNCTION jobs_enqueue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (id, job_id, account_id, endpoint_id, url, event_type, state, next_attempt_at, created_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), n.id, n.account_id, NULL, n.callback_url,
         'job.' || n.state::text, 'pending', n.updated_at, n.updated_at
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE n.state <> o.state AND n.state IN ('succeeded', 'failed', 'cancelled') AND n.callback_url IS NOT NULL;

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

CREATE TRIGGER jobs_webhooks_on_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_enqueue_webhooks();
