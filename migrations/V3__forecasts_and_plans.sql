-- Carbon forecasts as they were believed (every vintage and its points), actual intensities, each provider's health,
-- the admin's planner policy, and each deferred job's current plan.

CREATE TABLE forecast_vintages (
  id           bigserial PRIMARY KEY,
  region       text NOT NULL,
  provider     text NOT NULL,
  signal       text NOT NULL CHECK (signal IN ('average', 'marginal')),
  made_at      timestamptz NOT NULL,          -- when the provider made it (its own timestamp when it gives one)
  fetched_at   timestamptz NOT NULL,
  covers_from  timestamptz NOT NULL,
  covers_to    timestamptz NOT NULL,
  CHECK (covers_to > covers_from)
);
CREATE INDEX forecast_vintages_latest ON forecast_vintages (region, fetched_at DESC);

CREATE TABLE forecast_points (
  vintage_id  bigint NOT NULL REFERENCES forecast_vintages (id) ON DELETE CASCADE,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  g_per_kwh   double precision NOT NULL CHECK (g_per_kwh >= 0),
  PRIMARY KEY (vintage_id, starts_at),
  CHECK (ends_at > starts_at)
);

CREATE TABLE carbon_actuals (
  region       text NOT NULL,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  g_per_kwh    double precision NOT NULL CHECK (g_per_kwh >= 0),
  provider     text NOT NULL,
  recorded_at  timestamptz NOT NULL,
  PRIMARY KEY (region, starts_at),
  CHECK (ends_at > starts_at)
);

CREATE TABLE forecast_status (
  region                text PRIMARY KEY,
  provider              text NOT NULL,
  last_attempt_at       timestamptz,
  last_success_at       timestamptz,
  last_error            text,
  consecutive_failures  integer NOT NULL DEFAULT 0
);

CREATE TABLE planner_policy (
  id          integer PRIMARY KEY CHECK (id = 1),
  policy      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);

ALTER TABLE jobs ADD COLUMN latest_start timestamptz;   -- offline: the last deadline-safe start (safety net release)
ALTER TABLE jobs ADD COLUMN plan jsonb;                 -- the planner's current (or last) plan for the job
UPDATE jobs SET latest_start = run_after WHERE mode = 'offline';
ALTER TABLE jobs ADD CONSTRAINT offline_has_latest_start CHECK (mode = 'online' OR latest_start IS NOT NULL);
CREATE INDEX jobs_deferred_latest ON jobs (latest_start) WHERE state = 'deferred';

-- One row per planning tick: which node ran it, for which scheduled fire time, and what it did.
CREATE TABLE planner_ticks (
  id            bigserial PRIMARY KEY,
  node          text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  ran_at        timestamptz NOT NULL,
  deferred      integer NOT NULL,
  released      integer NOT NULL,
  at_risk       integer NOT NULL,
  duration_ms   double precision NOT NULL
);
CREATE INDEX planner_ticks_recent ON planner_ticks (ran_at DESC);
