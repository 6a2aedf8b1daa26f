-- name: insert_account
INSERT INTO accounts (id, name, created_at) VALUES (:id, :name, :now)

-- name: insert_key
INSERT INTO api_keys (id, account_id, name, role, key_hash, key_prefix, created_at)
VALUES (:id, :account_id, :name, :role, :key_hash, :key_prefix, :now)

-- name: find_key
SELECT k.id, k.account_id, k.name, k.role FROM api_keys k WHERE k.key_hash = :key_hash AND k.revoked_at IS NULL

-- name: count_admin_keys
SELECT count(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL

-- name: lock_keys
LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE
