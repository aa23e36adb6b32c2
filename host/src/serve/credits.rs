//! Plans, credits and the ledger. The balance is never stored: it is the
//! sum of the account's ledger entries, so every charge and refund is
//! accounted for and a crash cannot leave a balance that disagrees with
//! its history. The ledger's unique `(job_id, kind)` index makes "charge
//! twice" and "refund twice" impossible rather than merely unlikely.
//!
//! Pricing: `styles/apply` and `effects/apply` cost [`APPLY_COST`];
//! `compose` costs [`APPLY_COST`] for its first layer plus
//! [`COMPOSE_EXTRA_LAYER_COST`] for each further layer (overlays count as
//! layers).

use super::clock::{Millis, one_month_after};
use super::db::{DbError, new_id};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

/// Credits charged by `styles/apply` and `effects/apply`.
pub const APPLY_COST: i64 = 15;
/// Credits for each layer of a compose after the first.
pub const COMPOSE_EXTRA_LAYER_COST: i64 = 5;

/// A subscription plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Plan {
    /// Name used on the command line and in the API.
    pub name: &'static str,
    /// Credits granted at the start of every monthly period.
    pub monthly_credits: i64,
}

/// The plans, cheapest first.
pub const PLANS: &[Plan] = &[
    Plan { name: "free", monthly_credits: 80 },
    Plan { name: "standard", monthly_credits: 700 },
    Plan { name: "pro", monthly_credits: 2300 },
    Plan { name: "fancy", monthly_credits: 6000 },
];

/// The plan called `name`.
pub fn plan(name: &str) -> Option<Plan> {
    PLANS.iter().copied().find(|p| p.name == name)
}

/// Credits a compose with `layers` layers costs.
pub fn compose_cost(layers: usize) -> i64 {
    APPLY_COST + COMPOSE_EXTRA_LAYER_COST * (layers.max(1) as i64 - 1)
}

/// The account's balance: the sum of its ledger, as kept up to date by
/// the `ledger_balance` trigger in the same transaction as each entry.
pub fn balance(conn: &Connection, account_id: &str) -> Result<i64, DbError> {
    Ok(conn.query_row("SELECT balance FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?)
}

/// The balance summed from the ledger itself (audits and tests: always
/// equals [`balance`]).
pub fn ledger_sum(conn: &Connection, account_id: &str) -> Result<i64, DbError> {
    Ok(conn
        .query_row("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account_id = ?1", [account_id], |r| r.get(0))?)
}

/// Starts new monthly periods that are due: each one resets the balance
/// to the plan's credits with a `reset` entry (unused credits do not roll
/// over). Returns the current period's start.
pub fn roll_period(tx: &Transaction<'_>, account_id: &str, now: Millis) -> Result<Millis, DbError> {
    let (plan_name, mut start): (String, Millis) =
        tx.query_row("SELECT plan, period_start FROM accounts WHERE id = ?1", [account_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let credits = plan(&plan_name).map_or(0, |p| p.monthly_credits);
    let mut rolled = false;
    while one_month_after(start) <= now {
        start = one_month_after(start);
        let current = balance(tx, account_id)?;
        tx.execute(
            "INSERT INTO ledger (account_id, kind, amount, reason, created_at) VALUES (?1, 'reset', ?2, ?3, ?4)",
            params![account_id, credits - current, format!("monthly reset to {credits} credits"), start],
        )?;
        rolled = true;
    }
    if rolled {
        tx.execute("UPDATE accounts SET period_start = ?2 WHERE id = ?1", params![account_id, start])?;
    }
    Ok(start)
}

/// Records the charge for `job_id`. The caller checked the balance in the
/// same transaction.
pub fn charge(
    tx: &Transaction<'_>,
    account_id: &str,
    job_id: &str,
    endpoint: &str,
    amount: i64,
    now: Millis,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO ledger (account_id, job_id, kind, amount, endpoint, reason, created_at)
         VALUES (?1, ?2, 'charge', ?3, ?4, ?5, ?6)",
        params![account_id, job_id, -amount, endpoint, format!("{endpoint} job accepted"), now],
    )?;
    Ok(())
}

/// Gives back what `job_id` was charged, once. Returns the credits
/// refunded (0 when it was never charged or already refunded).
pub fn refund(tx: &Transaction<'_>, job_id: &str, reason: &str, now: Millis) -> Result<i64, DbError> {
    let charged: Option<(String, i64, Option<String>)> = tx
        .query_row(
            "SELECT account_id, -amount, endpoint FROM ledger WHERE job_id = ?1 AND kind = 'charge'",
            [job_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((account_id, amount, endpoint)) = charged else { return Ok(0) };
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO ledger (account_id, job_id, kind, amount, endpoint, reason, created_at)
         VALUES (?1, ?2, 'refund', ?3, ?4, ?5, ?6)",
        params![account_id, job_id, amount, endpoint, reason, now],
    )?;
    Ok(if inserted == 1 { amount } else { 0 })
}

/// Creates an account on `plan` with its first period's credits.
pub fn create_account(tx: &Transaction<'_>, name: &str, plan: Plan, now: Millis) -> Result<String, DbError> {
    let id = new_id("acct");
    tx.execute(
        "INSERT INTO accounts (id, name, plan, period_start, created_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, name, plan.name, now],
    )?;
    tx.execute(
        "INSERT INTO ledger (account_id, kind, amount, reason, created_at) VALUES (?1, 'grant', ?2, ?3, ?4)",
        params![id, plan.monthly_credits, format!("{} plan: first period", plan.name), now],
    )?;
    Ok(id)
}

/// Adds `amount` credits to the account called `name` (an operator
/// top-up; lasts until the next monthly reset). Returns the new balance.
pub fn grant(tx: &Transaction<'_>, name: &str, amount: i64, reason: &str, now: Millis) -> Result<Option<i64>, DbError> {
    let id: Option<String> =
        tx.query_row("SELECT id FROM accounts WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    let Some(id) = id else { return Ok(None) };
    roll_period(tx, &id, now)?;
    tx.execute(
        "INSERT INTO ledger (account_id, kind, amount, reason, created_at) VALUES (?1, 'grant', ?2, ?3, ?4)",
        params![id, amount, reason, now],
    )?;
    Ok(Some(balance(tx, &id)?))
}

/// Credits and usage of the current period, for `GET /v1/account/usage`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Usage {
    /// Credits left.
    pub credits_balance: i64,
    /// The plan's name.
    pub plan: String,
    /// Credits the plan grants each period.
    pub plan_monthly_credits: i64,
    /// When the current period started (RFC 3339).
    pub period_start: String,
    /// When credits next reset (RFC 3339).
    pub next_reset: String,
    /// Per endpoint: jobs accepted and net credits spent this period.
    pub usage_by_endpoint: Vec<EndpointUsage>,
}

/// Usage of one endpoint in the current period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EndpointUsage {
    /// `styles/apply`, `effects/apply` or `compose`.
    pub endpoint: String,
    /// Jobs charged.
    pub jobs: i64,
    /// Credits charged minus credits refunded.
    pub credits_used: i64,
    /// Credits refunded.
    pub credits_refunded: i64,
}

/// The usage report of `account_id`, rolling the period first if due.
pub fn usage(tx: &Transaction<'_>, account_id: &str, now: Millis) -> Result<Usage, DbError> {
    let start = roll_period(tx, account_id, now)?;
    let plan_name: String = tx.query_row("SELECT plan FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?;
    let mut statement = tx.prepare(
        "SELECT endpoint,
                SUM(CASE WHEN kind = 'charge' THEN 1 ELSE 0 END),
                -SUM(amount),
                SUM(CASE WHEN kind = 'refund' THEN amount ELSE 0 END)
         FROM ledger WHERE account_id = ?1 AND created_at >= ?2 AND endpoint IS NOT NULL
         GROUP BY endpoint ORDER BY endpoint",
    )?;
    let usage_by_endpoint = statement
        .query_map(params![account_id, start], |r| {
            Ok(EndpointUsage {
                endpoint: r.get(0)?,
                jobs: r.get(1)?,
                credits_used: r.get(2)?,
                credits_refunded: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Usage {
        credits_balance: balance(tx, account_id)?,
        plan_monthly_credits: plan(&plan_name).map_or(0, |p| p.monthly_credits),
        plan: plan_name,
        period_start: super::clock::rfc3339(start),
        next_reset: super::clock::rfc3339(one_month_after(start)),
        usage_by_endpoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::clock::{DAY_MS, ManualClock};
    use crate::serve::db::Db;
    use std::sync::Arc;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("t.db"), Arc::new(ManualClock::new(1_769_817_600_000))).expect("db");
        (dir, db)
    }

    #[test]
    fn charges_and_refunds_happen_once_and_balance_is_the_ledger_sum() {
        let (_dir, db) = db();
        let now = db.now();
        let account = db.write(|tx| create_account(tx, "a", plan("free").expect("plan"), now)).expect("account");
        db.write(|tx| charge(tx, &account, "job_1", "effects/apply", 15, now)).expect("charge");
        assert!(db.write(|tx| charge(tx, &account, "job_1", "effects/apply", 15, now)).is_err(), "double charge");
        assert_eq!(db.read(|c| balance(c, &account)).expect("balance"), 65);
        assert_eq!(db.write(|tx| refund(tx, "job_1", "failed", now)).expect("refund"), 15);
        assert_eq!(db.write(|tx| refund(tx, "job_1", "failed", now)).expect("refund"), 0);
        assert_eq!(db.write(|tx| refund(tx, "job_never_charged", "failed", now)).expect("refund"), 0);
        assert_eq!(db.read(|c| balance(c, &account)).expect("balance"), 80);
        assert_eq!(db.read(|c| ledger_sum(c, &account)).expect("sum"), 80, "the kept balance is the ledger's sum");
    }

    #[test]
    fn a_new_period_resets_the_balance_to_the_plan() {
        let (_dir, db) = db();
        let now = db.now();
        let account = db.write(|tx| create_account(tx, "a", plan("free").expect("plan"), now)).expect("account");
        db.write(|tx| charge(tx, &account, "job_1", "compose", 25, now)).expect("charge");
        // 2026-01-31 + one month is 2026-02-28; 40 days later (2026-03-12) one period has passed.
        let later = now + 40 * DAY_MS;
        let usage = db.write(|tx| usage(tx, &account, later)).expect("usage");
        assert_eq!(usage.credits_balance, 80);
        assert_eq!(usage.period_start, "2026-02-28T00:00:00Z");
        assert_eq!(usage.next_reset, "2026-03-28T00:00:00Z");
        assert!(usage.usage_by_endpoint.is_empty(), "the old period's usage is not this period's");
    }

    #[test]
    fn grants_add_to_the_balance_of_named_accounts_only() {
        let (_dir, db) = db();
        let now = db.now();
        let account = db.write(|tx| create_account(tx, "a", plan("free").expect("plan"), now)).expect("account");
        assert_eq!(db.write(|tx| grant(tx, "a", 1000, "top-up", now)).expect("grant"), Some(1080));
        assert_eq!(db.write(|tx| grant(tx, "nobody", 5, "top-up", now)).expect("grant"), None);
        assert_eq!(db.read(|c| balance(c, &account)).expect("balance"), 1080);
    }

    #[test]
    fn compose_pricing_follows_the_documented_rule() {
        assert_eq!(compose_cost(1), 15);
        assert_eq!(compose_cost(3), 25);
    }
}
