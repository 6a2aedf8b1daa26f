-- Greenlight schema, version 1: accounts and API keys, jobs with their states, events, attempts,
-- idempotency keys and the workers registry. Invariants live here, not only in Java.

CREATE TYPE job_state AS ENUM ('deferred', 'queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled');
CREATE TYPE job_mode AS ENUM ('online', 'offline');

CREATE TABLE accounts (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id),
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  role        text NOT NULL CHECK (role IN ('user', 'admin')),
  key_hash    bytea NOT NULL UNIQUE,       -- SHA-256 of the key; the key itself is never stored
  key_prefix  text NOT NULL,               -- first characters, to recognise a key in listings
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

-- The allowed transitions; the trigger below rejects any other state change.
CREATE TABLE job_transitions (
  from_state  job_state NOT NULL,
  to_state    job_state NOT NULL,
  PRIMARY KEY (from_state, to_state)
);
INSERT INTO job_transitions (from_state, to_state) VALUES
  ('deferred', 'queued'), ('deferred', 'cancelled'),
  ('queued', 'running'), ('queued', 'cancelled'),
  ('running', 'succeeded'), ('running', 'retrying'), ('running', 'failed'), ('running', 'queued'), ('running', 'cancelled'),
  ('retrying', 'queued'), ('retrying', 'cancelled');

CREATE TABLE jobs (
  id                  uuid PRIMARY KEY,                 -- UUIDv7: time-ordered, the cursor of listings
  account_id          uuid NOT NULL REFERENCES accounts (id),
  state               job_state NOT NULL,
  mode                job_mode NOT NULL,
  prompt              text NOT NULL CHECK (char_length(prompt) BETWEEN 1 AND 2000),
  resolution          text NOT NULL CHECK (resolution IN ('144p', '240p', '360p', '480p', '720p')),
  duration_s          integer NOT NULL CHECK (duration_s BETWEEN 1 AND 16),
  fps                 integer NOT NULL CHECK (fps BETWEEN 1 AND 60),
  steps               integer NOT NULL CHECK (steps BETWEEN 1 AND 200),
  seed                bigint,
  deadline            timestamptz,
  regions             text[] NOT NULL DEFAULT '{}',     -- allowed regions; empty = any
  priority            smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
  callback_url        text,
  estimate_energy_j   double precision NOT NULL CHECK (estimate_energy_j >= 0),
  estimate_duration_s double precision NOT NULL CHECK (estimate_duration_s >= 0),
  planned_region      text,                             -- set by the planner; only that region may claim
  region              text,                             -- where the current or last attempt ran
  attempt             integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  max_attempts        integer NOT NULL CHECK (max_attempts >= 1),
  run_after           timestamptz NOT NULL,             -- not claimable before this
  worker_id           text,
  heartbeat_at        timestamptz,
  cancel_requested_at timestamptz,
  progress            jsonb,
  result              jsonb,
  last_error          text,
  state_actor         text NOT NULL,                    -- who made the last transition (copied to job_events)
  state_reason        text NOT NULL,                    -- why
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  started_at          timestamptz,
  finished_at         timestamptz,
  CONSTRAINT finished_iff_final CHECK ((state IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CONSTRAINT offline_has_deadline CHECK (mode = 'online' OR deadline IS NOT NULL),
  CONSTRAINT running_has_worker CHECK (state <> 'running' OR (worker_id IS NOT NULL AND heartbeat_at IS NOT NULL)),
  CONSTRAINT running_has_attempt CHECK (state NOT IN ('running', 'retrying') OR attempt >= 1)
);

-- A queue table churns: vacuum and re-analyze it often, so dead claimed rows do not pile up in front of the
-- claim index and the planner knows how many jobs wait (a stale estimate turns the ordered index scan of the
-- claim into a sort of every queued row).
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02,
                      autovacuum_vacuum_cost_delay = 0);

CREATE INDEX jobs_claimable ON jobs (priority DESC, run_after, id) WHERE state = 'queued';
CREATE INDEX jobs_running_heartbeat ON jobs (heartbeat_at) WHERE state = 'running';
CREATE INDEX jobs_retrying_due ON jobs (run_after) WHERE state = 'retrying';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_account ON jobs (account_id, id DESC);

CREATE TABLE job_events (
  id          bigserial PRIMARY KEY,
  job_id      uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  from_state  job_state,                                 -- NULL for the creation event
  to_state    job_state NOT NULL,
  actor       text NOT NULL,
  reason      text NOT NULL,
  attempt     integer NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, id);

CREATE TABLE job_attempts (
  job_id       uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  attempt      integer NOT NULL,
  worker_id    text NOT NULL,
  region       text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      text CHECK (outcome IN ('succeeded', 'failed', 'rescued', 'cancelled')),
  error        text,
  PRIMARY KEY (job_id, attempt),
  CHECK ((outcome IS NULL) = (finished_at IS NULL))
);

CREATE TABLE idempotency_keys (
  account_id    uuid NOT NULL REFERENCES accounts (id),
  key           text NOT NULL,
  request_hash  bytea NOT NULL,
  job_id        uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (account_id, key)
);

CREATE TABLE workers (
  id            text PRIMARY KEY,
  node_id       text NOT NULL,
  region        text NOT NULL,
  slots         integer NOT NULL CHECK (slots >= 0),
  busy          integer NOT NULL CHECK (busy >= 0),
  started_at    timestamptz NOT NULL,
  heartbeat_at  timestamptz NOT NULL
);

-- Statement-level triggers (one call per statement, not per row, so batch claims and completions stay cheap):
-- every state change must be an allowed transition, and every transition (and creation) writes its job_events
-- row in the same transaction. A job becoming claimable wakes idle workers with NOTIFY.
CREATE FUNCTION jobs_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO job_events (job_id, at, from_state, to_state, actor, reason, attempt)
  SELECT n.id, n.updated_at, NULL, n.state, n.state_actor, n.state_reason, n.attempt FROM new_rows n;
  IF EXISTS (SELECT 1 FROM new_rows WHERE state = 'queued') THEN
    PERFORM pg_notify('greenlight_jobs_queued', '');
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION jobs_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT o.id, o.state AS from_state, n.state AS to_state INTO bad
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE n.state <> o.state
    AND NOT EXISTS (SELECT 1 FROM job_transitions t WHERE t.from_state = o.state AND t.to_state = n.state)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'illegal job transition % -> % for job %', bad.from_state, bad.to_state, bad.id
      USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO job_events (job_id, at, from_state, to_state, actor, reason, attempt)
  SELECT n.id, n.updated_at, o.state, n.state, n.state_actor, n.state_reason, n.attempt
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE n.state <> o.state;
  IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.state = 'queued' AND o.state <> 'queued') THEN
    PERFORM pg_notify('greenlight_jobs_queued', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER jobs_events_on_insert AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_insert();
CREATE TRIGGER jobs_events_on_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_update();
