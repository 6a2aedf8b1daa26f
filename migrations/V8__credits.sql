-- Carbon-aware credits: every account's balance is the sum of its ledger; every movement (grant, hold at submit,
-- settle or refund at completion, release on cancel or failure) is a ledger row with the job it belongs to.

-- never negative: a hold the balance cannot cover fails this check and the submission is refused (402)
ALTER TABLE accounts ADD COLUMN balance numeric(18, 4) NOT NULL DEFAULT 0 CONSTRAINT balance_not_negative CHECK (balance >= 0);

CREATE TABLE credit_ledger (
  id          bigserial PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id),
  job_id      uuid,                                   -- no foreign key: the ledger outlives pruned jobs
  kind        text NOT NULL CHECK (kind IN ('grant', 'hold', 'settle', 'release', 'refund')),
  amount      numeric(18, 4) NOT NULL,                -- signed change of the available balance
  note        text,
  created_at  timestamptz NOT NULL
);
CREATE INDEX credit_ledger_account ON credit_ledger (account_id, id);
CREATE INDEX credit_ledger_job ON credit_ledger (job_id);

-- the balance moves with the ledger, in the same statement: it cannot drift from the sum
CREATE FUNCTION credit_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts a SET balance = a.balance + d.delta
  FROM (SELECT account_id, sum(amount) AS delta FROM new_rows GROUP BY account_id) d
  WHERE a.id = d.account_id;
  RETURN NULL;
END $$;
CREATE TRIGGER credit_ledger_balance AFTER INSERT ON credit_ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION credit_ledger_apply();

-- what each job was quoted, holds, was charged and got back
CREATE TABLE job_credits (
  job_id             uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  account_id         uuid NOT NULL,
  quoted             numeric(18, 4) NOT NULL CHECK (quoted >= 0),
  held               numeric(18, 4) NOT NULL CHECK (held >= 0),
  charged            numeric(18, 4),
  refunded           numeric(18, 4) NOT NULL DEFAULT 0,
  released           numeric(18, 4) NOT NULL DEFAULT 0,
  discount           double precision NOT NULL CHECK (discount >= 0 AND discount < 1),
  carbon_term        numeric(18, 4) NOT NULL,
  expected_carbon_g  double precision NOT NULL,
  settled_at         timestamptz
);

CREATE TABLE pricing_policy (
  id          integer PRIMARY KEY CHECK (id = 1),
  policy      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);

-- a job that fails or is cancelled gives its hold back, in the same transaction as its state change
CREATE FUNCTION jobs_release_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH ended AS (
    UPDATE job_credits c SET released = c.held, settled_at = n.updated_at
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE c.job_id = n.id AND n.state <> o.state AND n.state IN ('failed', 'cancelled') AND c.settled_at IS NULL AND c.held > 0
    RETURNING c.job_id, c.account_id, c.held, n.updated_at AS at, n.state::text AS state
  )
  INSERT INTO credit_ledger (account_id, job_id, kind, amount, note, created_at)
  SELECT account_id, job_id, 'release', held, 'job ' || state, at FROM ended;
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_credits_on_update AFTER UPDATE ON jobs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_release_credits();
