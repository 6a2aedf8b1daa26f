-- name: insert_vintage
INSERT INTO forecast_vintages (region, provider, signal, made_at, fetched_at, covers_from, covers_to)
VALUES (:region, :provider, :signal, :made_at, :fetched_at, :covers_from, :covers_to)
RETURNING id

-- name: insert_point
INSERT INTO forecast_points (vintage_id, starts_at, ends_at, g_per_kwh) VALUES (:vintage_id, :starts_at, :ends_at, :g)

-- name: upsert_actual
INSERT INTO carbon_actuals (region, starts_at, ends_at, g_per_kwh, provider, recorded_at)
VALUES (:region, :starts_at, :ends_at, :g, :provider, :now)
ON CONFLICT (region, starts_at) DO UPDATE SET ends_at = excluded.ends_at, g_per_kwh = excluded.g_per_kwh,
  provider = excluded.provider, recorded_at = excluded.recorded_at

-- name: latest_vintage
SELECT id, provider, signal, made_at, fetched_at FROM forecast_vintages
WHERE region = :region ORDER BY fetched_at DESC, id DESC LIMIT 1

-- name: vintage_points
SELECT starts_at, ends_at, g_per_kwh FROM forecast_points WHERE vintage_id = :vintage_id ORDER BY starts_at

-- name: actuals_between
SELECT starts_at, ends_at, g_per_kwh FROM carbon_actuals
WHERE region = :region AND ends_at > :from AND starts_at < :to ORDER BY starts_at

-- name: record_success
INSERT INTO forecast_status (region, provider, last_attempt_at, last_success_at, last_error, consecutive_failures)
VALUES (:region, :provider, :now, :now, NULL, 0)
ON CONFLICT (region) DO UPDATE SET provider = excluded.provider, last_attempt_at = :now, last_success_at = :now,
  last_error = NULL, consecutive_failures = 0

-- name: record_failure
INSERT INTO forecast_status (region, provider, last_attempt_at, last_success_at, last_error, consecutive_failures)
VALUES (:region, :provider, :now, NULL, :error, 1)
ON CONFLICT (region) DO UPDATE SET provider = excluded.provider, last_attempt_at = :now, last_error = :error,
  consecutive_failures = forecast_status.consecutive_failures + 1

-- name: status
SELECT region, provider, last_attempt_at, last_success_at, last_error, consecutive_failures FROM forecast_status
WHERE region = :region

-- name: prune_vintages
DELETE FROM forecast_vintages WHERE id IN (SELECT id FROM forecast_vintages WHERE fetched_at < :cutoff LIMIT :limit)

-- name: prune_actuals
DELETE FROM carbon_actuals WHERE (region, starts_at) IN
  (SELECT region, starts_at FROM carbon_actuals WHERE ends_at < :cutoff LIMIT :limit)

-- name: forecast_made_ahead
-- The forecast of [from, to) as it was believed lead_s seconds ahead: for each point, the value from the newest
-- vintage made at least that long before the point started (a vintage reaches at most reach_s seconds ahead).
SELECT DISTINCT ON (p.starts_at) p.starts_at, p.ends_at, p.g_per_kwh
FROM forecast_vintages v JOIN forecast_points p ON p.vintage_id = v.id
WHERE v.region = :region
  AND v.made_at >= CAST(:from AS timestamptz) - make_interval(secs => :lead_s + :reach_s)
  AND v.made_at <= CAST(:to AS timestamptz) - make_interval(secs => :lead_s)
  AND p.starts_at >= :from AND p.starts_at < :to
  AND v.made_at <= p.starts_at - make_interval(secs => :lead_s)
ORDER BY p.starts_at, v.made_at DESC, v.id DESC
