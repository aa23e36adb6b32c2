//! The embedded store: one SQLite file in WAL mode (DESIGN.md §5).
//!
//! One connection behind a mutex: every statement here takes microseconds,
//! SQLite serialises writers anyway, and a single connection makes "read,
//! decide, write" sequences atomic without retry loops. Multi-statement
//! changes (accepting a job and charging for it, finishing a job and
//! queueing its webhook events) run in one transaction each, so a crash
//! leaves either all of a change or none of it.

use super::clock::{Clock, Millis};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer pikafx.
    #[error("the database schema version {found} is newer than this pikafx understands ({supported})")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
}

/// Schema migrations, applied in order; `PRAGMA user_version` counts how
/// many ran. Append, never edit (the first one was edited until the first
/// release; no database with an older version of it exists).
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    plan          TEXT NOT NULL,
    period_start  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    -- SUM(ledger.amount) of the account, kept by the trigger below so the
    -- accept path does not sum a growing ledger on every request.
    balance       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    name        TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    scopes      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    -- When a job of this key last started rendering (fair scheduling).
    last_started_at INTEGER
);
CREATE TABLE clips (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    origin        TEXT NOT NULL,          -- upload | output
    file          TEXT NOT NULL,          -- name inside the clip directory
    filename      TEXT,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    fps           REAL NOT NULL,
    duration_sec  REAL NOT NULL,
    codec         TEXT NOT NULL,
    has_audio     INTEGER NOT NULL,
    state         TEXT NOT NULL,          -- active | archived | deleted
    created_at    INTEGER NOT NULL,
    archived_at   INTEGER,
    deleted_at    INTEGER,
    file_present  INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE assets (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    file        TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    state       TEXT NOT NULL,            -- active | deleted
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE TABLE jobs (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    key_id          TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    clip_id         TEXT NOT NULL,
    stack           TEXT NOT NULL,
    status          TEXT NOT NULL,        -- queued | processing | complete | failed | cancelled
    progress        REAL NOT NULL DEFAULT 0,
    credits         INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER,
    error_code      TEXT,
    error_message   TEXT,
    output_clip_id  TEXT,
    result          TEXT
);
CREATE INDEX jobs_by_status ON jobs(status, key_id, seq);
CREATE INDEX jobs_by_account ON jobs(account_id, seq);
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    job_id      TEXT,
    kind        TEXT NOT NULL,            -- grant | reset | charge | refund
    amount      INTEGER NOT NULL,
    endpoint    TEXT,
    reason      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
-- A job is charged at most once and refunded at most once, whatever crashes.
CREATE UNIQUE INDEX ledger_once_per_job ON ledger(job_id, kind) WHERE job_id IS NOT NULL;
CREATE INDEX ledger_by_account ON ledger(account_id, created_at);
CREATE TRIGGER ledger_balance AFTER INSERT ON ledger BEGIN
    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
END;
CREATE TABLE idempotency (
    key_id      TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    request_sha TEXT NOT NULL,
    job_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (key_id, idem_key)
);
CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    event_id         TEXT NOT NULL REFERENCES events(id),
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id),
    status           TEXT NOT NULL,       -- pending | delivered | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
CREATE TABLE delivery_attempts (
    delivery_id  TEXT NOT NULL REFERENCES deliveries(id),
    attempt      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    http_status  INTEGER,
    error        TEXT,
    duration_ms  INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
"#];

/// Read-only connections beside the writer: in WAL mode readers never
/// wait for the writer, so API reads stay fast while jobs are accepted.
const READERS: usize = 4;

/// The store: a writer connection, a few reader connections, and the
/// clock its times come from.
pub struct Db {
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
    clock: Arc<dyn Clock>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema
    /// up to date.
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, DbError> {
        let mut conn = Connection::open(path)?;
        // WAL: readers never block the writer; NORMAL sync is durable
        // across process crashes (kill -9), which is what a job queue needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open(path)?;
                reader.pragma_update(None, "query_only", "ON")?;
                reader.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(Mutex::new(reader))
            })
            .collect::<Result<Vec<_>, rusqlite::Error>>()?;
        Ok(Self { conn: Mutex::new(conn), readers, next_reader: Default::default(), clock })
    }

    /// Now, by this store's clock.
    pub fn now(&self) -> Millis {
        self.clock.now_ms()
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Runs `f` on a reader connection (read-only: writes fail). Each
    /// statement sees everything committed before it started.
    pub fn read<T, E: From<DbError>>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let start = self.next_reader.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A free reader if there is one, else wait for the next in turn.
        for offset in 0..self.readers.len() {
            if let Ok(reader) = self.readers[(start + offset) % self.readers.len()].try_lock() {
                return f(&reader);
            }
        }
        let reader = self.readers[start % self.readers.len()].lock().unwrap_or_else(|p| p.into_inner());
        f(&reader)
    }

    /// Runs `f` in an immediate (write-locked) transaction, committed when
    /// `f` returns `Ok`.
    pub fn write<T, E: From<DbError>>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(DbError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(DbError::from)?;
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written
        // transaction (it rolls back on drop), so the connection is usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if version > supported {
        return Err(DbError::TooNew { found: version, supported });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A new random id: `prefix` + `_` + 24 hex digits (96 bits).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(12))
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS generator failing is not recoverable; fall back to a hash of
    // the time and address so ids stay unique rather than panicking.
    if getrandom::fill(&mut buf).is_err() {
        use sha2::Digest;
        let seed = format!("{:?}{:p}", std::time::SystemTime::now(), &buf);
        buf.copy_from_slice(&sha2::Sha256::digest(seed.as_bytes())[..bytes.min(32)]);
    }
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::clock::SystemClock;

    #[test]
    fn migrations_run_once_and_reopen_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pikafx.db");
        let db = Db::open(&path, Arc::new(SystemClock)).expect("open");
        let mode: String =
            db.read(|c| c.pragma_query_value(None, "journal_mode", |r| r.get(0)).map_err(DbError::from)).expect("wal");
        assert_eq!(mode, "wal");
        drop(db);
        let db = Db::open(&path, Arc::new(SystemClock)).expect("reopen");
        let version: i64 =
            db.read(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(DbError::from)).expect("v");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn ids_are_prefixed_and_distinct() {
        let (a, b) = (new_id("job"), new_id("job"));
        assert!(a.starts_with("job_") && a.len() == 28, "{a}");
        assert_ne!(a, b);
    }
}
