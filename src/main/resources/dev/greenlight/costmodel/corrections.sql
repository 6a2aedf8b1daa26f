-- name: observe
-- each observation moves the factor a fifth of the way to the new ratio; factors stay within [1/32, 32]
INSERT INTO cost_corrections (engine, resolution, energy_factor, duration_factor, samples, updated_at)
VALUES (:engine, :resolution, greatest(1.0 / 32, least(32, :energy_ratio)), greatest(1.0 / 32, least(32, :duration_ratio)), 1, :now)
ON CONFLICT (engine, resolution) DO UPDATE SET
  energy_factor = greatest(1.0 / 32, least(32, cost_corrections.energy_factor * 0.8 + :energy_ratio * 0.2)),
  duration_factor = greatest(1.0 / 32, least(32, cost_corrections.duration_factor * 0.8 + :duration_ratio * 0.2)),
  samples = cost_corrections.samples + 1,
  updated_at = :now

-- name: all
SELECT engine, resolution, energy_factor, duration_factor, samples FROM cost_corrections
