-- What the cost model has learned: per engine and resolution, the running ratio of measured to estimated energy and
-- device time (an exponentially weighted mean, bounded), applied to later estimates.
CREATE TABLE cost_corrections (
  engine           text NOT NULL,
  resolution       text NOT NULL,
  energy_factor    double precision NOT NULL CHECK (energy_factor > 0),
  duration_factor  double precision NOT NULL CHECK (duration_factor > 0),
  samples          integer NOT NULL CHECK (samples >= 1),
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (engine, resolution)
);
