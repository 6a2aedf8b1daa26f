-- name: insert_entry
INSERT INTO credit_ledger (account_id, job_id, kind, amount, note, created_at) VALUES (:account_id, :job_id, :kind, :amount, :note, :now)

-- name: insert_job_credits
INSERT INTO job_credits (job_id, account_id, quoted, held, discount, carbon_term, expected_carbon_g)
VALUES (:job_id, :account_id, :quoted, :held, :discount, :carbon_term, :expected_carbon_g)

-- name: job_credits
SELECT quoted, held, charged, refunded, released, discount, carbon_term, expected_carbon_g, settled_at, account_id
FROM job_credits WHERE job_id = :job_id

-- name: settle
UPDATE job_credits SET charged = :charged, refunded = :refunded, settled_at = :now WHERE job_id = :job_id AND settled_at IS NULL
RETURNING account_id

-- name: account
SELECT a.id, a.name, a.balance, a.created_at,
       coalesce((SELECT sum(held) FROM job_credits c WHERE c.account_id = a.id AND c.settled_at IS NULL), 0) AS on_hold
FROM accounts a WHERE a.id = :account_id

-- name: account_exists
SELECT 1 FROM accounts WHERE id = :account_id

-- name: get_pricing
SELECT policy FROM pricing_policy WHERE id = 1

-- name: put_pricing
INSERT INTO pricing_policy (id, policy, updated_at, updated_by) VALUES (1, :policy::jsonb, :now, :by)
ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by
