//! API keys: `sk-pika-` + 48 random hex digits. Only a SHA-256 of the key
//! is stored (the key has 192 random bits, so a slow password hash would
//! add nothing); the key itself is shown once, when created.

use super::clock::{Millis, rfc3339};
use super::credits::{self, Plan};
use super::db::{Db, DbError, new_id, random_hex};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Every key starts with this.
pub const KEY_PREFIX: &str = "sk-pika-";

/// What a key may do. Reading the catalog needs no scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Read clip metadata and download clips.
    ClipsRead,
    /// Upload and delete clips.
    ClipsWrite,
    /// Start (and cancel) styles/effects/compose jobs.
    EffectsApply,
    /// Read jobs.
    JobsRead,
    /// Create, list and delete webhooks.
    WebhooksManage,
    /// Read the account's credits and usage.
    UsageRead,
}

impl Scope {
    /// Every scope, the default for new keys.
    pub const ALL: [Scope; 6] = [
        Scope::ClipsRead,
        Scope::ClipsWrite,
        Scope::EffectsApply,
        Scope::JobsRead,
        Scope::WebhooksManage,
        Scope::UsageRead,
    ];

    /// The scope's name (`clips:write`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ClipsRead => "clips:read",
            Scope::ClipsWrite => "clips:write",
            Scope::EffectsApply => "effects:apply",
            Scope::JobsRead => "jobs:read",
            Scope::WebhooksManage => "webhooks:manage",
            Scope::UsageRead => "usage:read",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| format!("unknown scope `{s}`; valid: {}", Scope::ALL.map(Scope::as_str).join(", ")))
    }
}

/// Why a key operation failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The store failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// No such key id.
    #[error("no API key with id `{0}`")]
    NotFound(String),
    /// The key was already revoked.
    #[error("API key `{0}` is revoked")]
    Revoked(String),
    /// The account exists on another plan.
    #[error("account `{account}` is on the {existing} plan, not {asked}")]
    PlanMismatch {
        /// The account.
        account: String,
        /// Its plan.
        existing: String,
        /// The plan asked for.
        asked: String,
    },
}

impl From<rusqlite::Error> for KeyError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e.into())
    }
}

/// A key as listed (never the secret).
#[derive(Clone, Debug, Serialize)]
pub struct KeyRecord {
    /// Key id (`key_...`).
    pub id: String,
    /// The account it belongs to.
    pub account: String,
    /// A label.
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// When it was created.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// A key just created: the only time its secret is known.
#[derive(Clone, Debug, Serialize)]
pub struct NewKey {
    /// The key's record.
    #[serde(flatten)]
    pub record: KeyRecord,
    /// The secret to give the client.
    pub key: String,
}

/// The caller a valid key identifies.
#[derive(Clone, Debug)]
pub struct KeyOwner {
    /// The key's id.
    pub key_id: String,
    /// Its account.
    pub account_id: String,
    /// Its scopes.
    pub scopes: Vec<Scope>,
}

/// Hex SHA-256 of a key, as stored.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Creates a key for `account` (created on `plan` when new).
pub fn create(db: &Db, account: &str, plan: Plan, name: &str, scopes: &[Scope]) -> Result<NewKey, KeyError> {
    let now = db.now();
    db.write(|tx| {
        let existing: Option<(String, String)> = tx
            .query_row("SELECT id, plan FROM accounts WHERE name = ?1", [account], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let account_id = match existing {
            Some((_, existing)) if existing != plan.name => {
                return Err(KeyError::PlanMismatch {
                    account: account.to_owned(),
                    existing,
                    asked: plan.name.to_owned(),
                });
            }
            Some((id, _)) => id,
            None => credits::create_account(tx, account, plan, now)?,
        };
        insert_key(tx, &account_id, name, scopes, now)
    })
}

fn insert_key(
    tx: &rusqlite::Transaction<'_>,
    account_id: &str,
    name: &str,
    scopes: &[Scope],
    now: Millis,
) -> Result<NewKey, KeyError> {
    let id = new_id("key");
    let key = format!("{KEY_PREFIX}{}", random_hex(24));
    let prefix = key[..KEY_PREFIX.len() + 6].to_owned();
    let scope_text = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    tx.execute(
        "INSERT INTO api_keys (id, account_id, name, prefix, hash, scopes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, account_id, name, prefix, hash_key(&key), scope_text, now],
    )?;
    let account: String = tx.query_row("SELECT name FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?;
    let record = KeyRecord {
        id,
        account,
        name: name.to_owned(),
        prefix,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        created_at: rfc3339(now),
        revoked_at: None,
    };
    Ok(NewKey { record, key })
}

/// Every key, newest first.
pub fn list(db: &Db) -> Result<Vec<KeyRecord>, KeyError> {
    db.read(|conn| {
        let mut statement = conn.prepare(
            "SELECT k.id, a.name, k.name, k.prefix, k.scopes, k.created_at, k.revoked_at
             FROM api_keys k JOIN accounts a ON a.id = k.account_id ORDER BY k.created_at DESC, k.id",
        )?;
        let rows = statement.query_map([], |r| {
            let scopes: String = r.get(4)?;
            Ok(KeyRecord {
                id: r.get(0)?,
                account: r.get(1)?,
                name: r.get(2)?,
                prefix: r.get(3)?,
                scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                created_at: rfc3339(r.get(5)?),
                revoked_at: r.get::<_, Option<Millis>>(6)?.map(rfc3339),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
}

/// Revokes a key; it stops working at once. Revoking twice is an error so
/// that a typo in an id does not pass silently.
pub fn revoke(db: &Db, key_id: &str) -> Result<(), KeyError> {
    let now = db.now();
    db.write(|tx| {
        let revoked: Option<Option<Millis>> =
            tx.query_row("SELECT revoked_at FROM api_keys WHERE id = ?1", [key_id], |r| r.get(0)).optional()?;
        match revoked {
            None => Err(KeyError::NotFound(key_id.to_owned())),
            Some(Some(_)) => Err(KeyError::Revoked(key_id.to_owned())),
            Some(None) => {
                tx.execute("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1", params![key_id, now])?;
                Ok(())
            }
        }
    })
}

/// Replaces a key by a new one with the same account, name and scopes,
/// revoking the old one in the same transaction.
pub fn rotate(db: &Db, key_id: &str) -> Result<NewKey, KeyError> {
    let now = db.now();
    db.write(|tx| {
        let old: Option<(String, String, String, Option<Millis>)> = tx
            .query_row("SELECT account_id, name, scopes, revoked_at FROM api_keys WHERE id = ?1", [key_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((account_id, name, scopes, revoked)) = old else {
            return Err(KeyError::NotFound(key_id.to_owned()));
        };
        if revoked.is_some() {
            return Err(KeyError::Revoked(key_id.to_owned()));
        }
        tx.execute("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1", params![key_id, now])?;
        let scopes: Vec<Scope> = scopes.split_whitespace().filter_map(|s| s.parse().ok()).collect();
        insert_key(tx, &account_id, &name, &scopes, now)
    })
}

/// The owner of `key`, if it is a live key.
pub fn authenticate(db: &Db, key: &str) -> Result<Option<KeyOwner>, DbError> {
    if !key.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let hash = hash_key(key);
    db.read(|conn| {
        let row: Option<(String, String, String)> = conn
            .query_row(
                "SELECT id, account_id, scopes FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL",
                [hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(key_id, account_id, scopes)| KeyOwner {
            key_id,
            account_id,
            scopes: scopes.split_whitespace().filter_map(|s| s.parse().ok()).collect(),
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::clock::SystemClock;
    use std::sync::Arc;

    #[test]
    fn keys_are_stored_hashed_and_rotation_revokes_the_old_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("t.db"), Arc::new(SystemClock)).expect("db");
        let plan = credits::plan("pro").expect("plan");
        let new = create(&db, "acme", plan, "ci", &[Scope::JobsRead]).expect("create");
        assert!(new.key.starts_with(KEY_PREFIX) && new.key.len() == KEY_PREFIX.len() + 48);
        let stored: i64 = db
            .read(|c| {
                c.query_row("SELECT COUNT(*) FROM api_keys WHERE hash = ?1 OR prefix = ?1", [&new.key], |r| r.get(0))
                    .map_err(DbError::from)
            })
            .expect("query");
        assert_eq!(stored, 0, "the key itself is never stored");
        let owner = authenticate(&db, &new.key).expect("auth").expect("valid");
        assert_eq!(owner.scopes, vec![Scope::JobsRead]);

        let rotated = rotate(&db, &new.record.id).expect("rotate");
        assert!(authenticate(&db, &new.key).expect("auth").is_none(), "old key revoked");
        assert!(authenticate(&db, &rotated.key).expect("auth").is_some(), "new key works");
        assert!(matches!(revoke(&db, &new.record.id), Err(KeyError::Revoked(_))));
        revoke(&db, &rotated.record.id).expect("revoke");
        assert!(authenticate(&db, &rotated.key).expect("auth").is_none());
        assert!(matches!(
            create(&db, "acme", credits::plan("free").expect("plan"), "x", &Scope::ALL),
            Err(KeyError::PlanMismatch { .. })
        ));
    }
}
