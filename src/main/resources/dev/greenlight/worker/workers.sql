-- name: upsert_worker
INSERT INTO workers (id, node_id, region, slots, busy, started_at, heartbeat_at)
VALUES (:id, :node_id, :region, :slots, :busy, :now, :now)
ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, busy = excluded.busy, heartbeat_at = excluded.heartbeat_at

-- name: remove_worker
DELETE FROM workers WHERE id = :id

-- name: online_workers
SELECT id, node_id, region, slots, busy, heartbeat_at FROM workers WHERE heartbeat_at >= :since ORDER BY region, node_id

-- name: forget_gone_workers
DELETE FROM workers WHERE heartbeat_at < :before
