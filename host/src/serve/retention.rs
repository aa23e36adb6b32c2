//! Retention: clips are active for `active_days`, then archived (moved out
//! of the download directory, metadata kept, downloads answer 410) for
//! `archived_days`, then deleted. A clip that a queued or running job
//! still reads is left alone until the job ends. The sweeper runs in the
//! background every `interval`; [`sweep`] takes the time from the store's
//! clock, so tests drive it with a manual clock.

use super::Paths;
use super::clips;
use super::clock::{DAY_MS, Millis};
use super::db::{Db, DbError};
use rusqlite::params;
use std::sync::Arc;
use std::time::Duration;

/// How long clips live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Days a clip stays downloadable.
    pub active_days: u32,
    /// Days an archived clip is kept before deletion.
    pub archived_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self { active_days: 30, archived_days: 60 }
    }
}

/// What one sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Clips archived.
    pub archived: usize,
    /// Clips deleted.
    pub deleted: usize,
    /// Files removed from disk.
    pub files_removed: usize,
}

/// Unfinished jobs read these clips; retention leaves them alone.
const IN_USE: &str =
    "EXISTS (SELECT 1 FROM jobs j WHERE j.clip_id = clips.id AND j.status IN ('queued', 'processing'))";

/// Archives and deletes what the policy says is due now.
pub fn sweep(db: &Db, paths: &Paths, policy: RetentionPolicy) -> Result<SweepReport, DbError> {
    let now = db.now();
    let archive_before: Millis = now - i64::from(policy.active_days) * DAY_MS;
    let delete_before: Millis = now - i64::from(policy.archived_days) * DAY_MS;
    let mut report = SweepReport::default();

    let to_archive: Vec<(String, String)> = db.read(|c| {
        let mut statement = c.prepare(&format!(
            "SELECT id, file FROM clips WHERE state = 'active' AND created_at <= ?1 AND NOT {IN_USE}"
        ))?;
        let rows: Result<Vec<(String, String)>, _> =
            statement.query_map([archive_before], |r| Ok((r.get(0)?, r.get(1)?)))?.collect();
        rows.map_err(DbError::from)
    })?;
    for (id, file) in to_archive {
        // Move first, then record: a crash in between leaves an active clip
        // whose file is in the archive, which the next sweep archives again
        // (the rename below then finds nothing to move, which is fine).
        match std::fs::rename(paths.clips.join(&file), paths.archive.join(&file)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!("archiving clip {id}: {e}");
                continue;
            }
        }
        db.write(|tx| {
            tx.execute("UPDATE clips SET state = 'archived', archived_at = ?2 WHERE id = ?1", params![id, now])
                .map_err(DbError::from)
        })?;
        report.archived += 1;
    }

    report.deleted = db.write(|tx| {
        tx.execute(
            &format!(
                "UPDATE clips SET state = 'deleted', deleted_at = ?2
                 WHERE state = 'archived' AND archived_at <= ?1 AND NOT {IN_USE}"
            ),
            params![delete_before, now],
        )
        .map_err(DbError::from)
    })?;
    report.files_removed = clips::remove_unneeded_files(db, &paths.clips, &paths.archive)?;
    // Idempotency keys only need to outlive client retries.
    db.write(|tx| tx.execute("DELETE FROM idempotency WHERE created_at <= ?1", [now - DAY_MS]).map_err(DbError::from))?;
    Ok(report)
}

/// Sweeps every `interval` until the process ends.
pub fn spawn_sweeper(db: Arc<Db>, paths: Paths, policy: RetentionPolicy, interval: Duration) {
    let spawned = std::thread::Builder::new().name("retention".into()).spawn(move || {
        loop {
            match sweep(&db, &paths, policy) {
                Ok(report) if report != SweepReport::default() => tracing::info!("retention: {report:?}"),
                Ok(_) => {}
                Err(e) => tracing::error!("retention sweep: {e}"),
            }
            std::thread::sleep(interval);
        }
    });
    if let Err(e) = spawned {
        tracing::error!("starting the retention sweeper: {e}");
    }
}
