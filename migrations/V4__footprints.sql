-- Each succeeded job's footprint, with every part it is computed from, so it can be recomputed exactly:
-- carbon_g = energy_kwh x pue x intensity + (t_gen_s / t_life_s) x embodied_device_g
CREATE TABLE job_footprints (
  job_id                 uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  attempt                integer NOT NULL,
  region                 text NOT NULL,
  sensor                 text NOT NULL,                  -- where the energy figure comes from, e.g. estimated:profile
  encode_j               double precision NOT NULL CHECK (encode_j >= 0),
  denoise_j              double precision NOT NULL CHECK (denoise_j >= 0),
  decode_j               double precision NOT NULL CHECK (decode_j >= 0),
  mux_j                  double precision NOT NULL CHECK (mux_j >= 0),
  energy_j               double precision NOT NULL CHECK (energy_j >= 0),
  t_gen_s                double precision NOT NULL CHECK (t_gen_s >= 0),
  pue                    double precision NOT NULL CHECK (pue >= 1),
  intensity_g_per_kwh    double precision CHECK (intensity_g_per_kwh >= 0),
  intensity_source       text NOT NULL CHECK (intensity_source IN ('actual', 'forecast', 'unavailable')),
  run_now_g_per_kwh      double precision CHECK (run_now_g_per_kwh >= 0),
  device                 text NOT NULL,
  embodied_device_g      double precision NOT NULL CHECK (embodied_device_g >= 0),
  life_years             double precision NOT NULL CHECK (life_years > 0),
  operational_g          double precision,
  embodied_g             double precision NOT NULL,
  total_g                double precision,
  run_now_g              double precision,
  saved_g                double precision,
  started_at             timestamptz NOT NULL,
  finished_at            timestamptz NOT NULL,
  submitted_at           timestamptz NOT NULL,
  CHECK (energy_j = encode_j + denoise_j + decode_j + mux_j)
);
CREATE INDEX job_footprints_finished ON job_footprints (finished_at);
