-- name: actual_intensity
-- time-weighted mean of the recorded actual intensity over [from, to)
SELECT sum(g_per_kwh * extract(epoch FROM (least(ends_at, :to) - greatest(starts_at, :from))))
       / nullif(sum(extract(epoch FROM (least(ends_at, :to) - greatest(starts_at, :from)))), 0) AS g
FROM carbon_actuals
WHERE region = :region AND ends_at > :from AND starts_at < :to

-- name: forecast_intensity
-- the same from the newest forecast vintage that covers the interval
SELECT sum(p.g_per_kwh * extract(epoch FROM (least(p.ends_at, :to) - greatest(p.starts_at, :from))))
       / nullif(sum(extract(epoch FROM (least(p.ends_at, :to) - greatest(p.starts_at, :from)))), 0) AS g
FROM forecast_points p
WHERE p.vintage_id = (SELECT id FROM forecast_vintages WHERE region = :region AND covers_from <= :from
                      ORDER BY fetched_at DESC, id DESC LIMIT 1)
  AND p.ends_at > :from AND p.starts_at < :to

-- name: insert_footprint
INSERT INTO job_footprints (job_id, attempt, region, sensor, encode_j, denoise_j, decode_j, mux_j, energy_j, t_gen_s, pue,
  intensity_g_per_kwh, intensity_source, run_now_g_per_kwh, device, embodied_device_g, life_years, operational_g,
  embodied_g, total_g, run_now_g, saved_g, started_at, finished_at, submitted_at)
VALUES (:job_id, :attempt, :region, :sensor, :encode_j, :denoise_j, :decode_j, :mux_j, :energy_j, :t_gen_s, :pue,
  :intensity, :intensity_source, :run_now_intensity, :device, :embodied_device_g, :life_years, :operational_g,
  :embodied_g, :total_g, :run_now_g, :saved_g, :started_at, :finished_at, :submitted_at)
ON CONFLICT (job_id) DO NOTHING

-- name: get_footprint
SELECT * FROM job_footprints WHERE job_id = :job_id

-- name: summary
SELECT f.region, count(*) AS jobs, sum(f.energy_j) / 3.6e6 AS kwh, sum(f.energy_j * f.pue) / 3.6e6 AS facility_kwh,
       sum(f.total_g) AS total_g, sum(f.operational_g) AS operational_g, sum(f.embodied_g) AS embodied_g,
       sum(f.saved_g) AS saved_g
FROM job_footprints f JOIN jobs j ON j.id = f.job_id
WHERE f.finished_at >= :from AND f.finished_at < :to AND (:account_id::uuid IS NULL OR j.account_id = :account_id)
GROUP BY f.region ORDER BY f.region
