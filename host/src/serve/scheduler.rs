//! The render pool: a fixed number of worker threads beside the HTTP
//! server, claiming queued jobs from the store.
//!
//! Fairness: a worker takes the next job from the key that started a job
//! least recently (keys that never started one first), so one key's 100
//! queued jobs cannot starve another key's single job. A key never has
//! more than `max_concurrent_per_key` jobs processing; its other jobs wait
//! in the queue (they are not rejected).
//!
//! Stopping: each running job has a stop flag the render checks between
//! frames. `cancel` sets it; a supervisor sets it when the job passes the
//! job timeout. A plugin fault fails only its own job: the stack runner
//! gives every job fresh plugin instances, and an error ends one render.
//!
//! Crash recovery: on start, jobs left `processing` by a killed server are
//! queued again (a render is a pure function of source and stack, so
//! re-running it is safe); after [`MAX_ATTEMPTS`] they fail and are
//! refunded instead, so a job that kills the server cannot loop forever.

use super::clips::{self, NewClip, Probe};
use super::clock::Millis;
use super::credits;
use super::db::{Db, DbError, new_id};
use super::jobs::{JobOutput, StoredResult};
use super::metrics::Metrics;
use super::webhooks;
use super::{Paths, ServeConfig};
use crate::media::EncodeSettings;
use crate::plugin::LiveCatalog;
use crate::render::{RenderError, RenderOptions, Renderer, file_sha256};
use crate::stack::Stack;
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Times a job is started before a crash-looping job is failed.
pub const MAX_ATTEMPTS: i64 = 3;
/// Progress is written to the store at most this often per job.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);

/// Why the pool could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Recovering interrupted jobs failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A thread could not be started.
    #[error("starting a render thread: {0}")]
    Spawn(std::io::Error),
}

/// A running job's stop switches.
struct RunControl {
    stop: Arc<AtomicBool>,
    timed_out: AtomicBool,
    deadline: Instant,
}

/// Shared by the workers, the supervisor and the HTTP handlers.
pub struct Scheduler {
    db: Arc<Db>,
    renderer: Arc<Renderer>,
    catalog: Arc<LiveCatalog>,
    paths: Paths,
    config: ServeConfig,
    metrics: Arc<Metrics>,
    webhook_wake: Arc<tokio::sync::Notify>,
    running: Mutex<HashMap<String, Arc<RunControl>>>,
    queue_signal: (Mutex<u64>, Condvar),
    shutdown: AtomicBool,
}

/// A claimed job.
struct Claimed {
    id: String,
    account_id: String,
    clip_id: String,
    stack: String,
}

impl Scheduler {
    /// A scheduler; nothing runs until [`Scheduler::start`].
    pub fn new(
        db: Arc<Db>,
        renderer: Arc<Renderer>,
        catalog: Arc<LiveCatalog>,
        paths: Paths,
        config: ServeConfig,
        metrics: Arc<Metrics>,
        webhook_wake: Arc<tokio::sync::Notify>,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            renderer,
            catalog,
            paths,
            config,
            metrics,
            webhook_wake,
            running: Mutex::new(HashMap::new()),
            queue_signal: (Mutex::new(0), Condvar::new()),
            shutdown: AtomicBool::new(false),
        })
    }

    /// Recovers jobs a previous process left running, then starts the
    /// workers and the timeout supervisor.
    pub fn start(self: &Arc<Self>) -> Result<(), StartError> {
        let recovered = recover(&self.db)?;
        if recovered.requeued + recovered.failed > 0 {
            tracing::warn!(
                "recovered {} interrupted job(s): {} queued again, {} failed and refunded",
                recovered.requeued + recovered.failed,
                recovered.requeued,
                recovered.failed
            );
        }
        for index in 0..self.config.workers.max(1) {
            let me = self.clone();
            std::thread::Builder::new()
                .name(format!("render-{index}"))
                .spawn(move || me.worker())
                .map_err(StartError::Spawn)?;
        }
        let me = self.clone();
        std::thread::Builder::new()
            .name("job-supervisor".into())
            .spawn(move || me.supervise())
            .map_err(StartError::Spawn)?;
        Ok(())
    }

    /// Tells idle workers that a job may be waiting.
    pub fn wake(&self) {
        let (count, signal) = &self.queue_signal;
        *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        signal.notify_all();
    }

    /// Stops `job_id` at its next frame, if it is running here.
    pub fn cancel(&self, job_id: &str) {
        if let Some(control) = self.running.lock().unwrap_or_else(|p| p.into_inner()).get(job_id) {
            control.stop.store(true, Ordering::Relaxed);
        }
    }

    /// Jobs rendering now.
    pub fn running_count(&self) -> usize {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Stops taking new jobs and stops the running ones at their next
    /// frame; they return to the queue. Waits up to `grace` for that.
    pub fn shutdown(&self, grace: Duration) {
        self.shutdown.store(true, Ordering::Relaxed);
        self.wake();
        for control in self.running.lock().unwrap_or_else(|p| p.into_inner()).values() {
            control.stop.store(true, Ordering::Relaxed);
        }
        let started = Instant::now();
        while self.running_count() > 0 && started.elapsed() < grace {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn worker(self: Arc<Self>) {
        super::priority::lower_current_thread();
        while !self.shutdown.load(Ordering::Relaxed) {
            let seen = *self.queue_signal.0.lock().unwrap_or_else(|p| p.into_inner());
            match self.claim() {
                Ok(Some(job)) => self.run(job),
                Ok(None) => self.wait_for_work(seen),
                Err(e) => {
                    tracing::error!("claiming a job: {e}");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
    }

    fn wait_for_work(&self, seen: u64) {
        let (count, signal) = &self.queue_signal;
        let guard = count.lock().unwrap_or_else(|p| p.into_inner());
        if *guard == seen {
            // The timeout covers jobs whose key was at its concurrency cap:
            // they become claimable when another worker finishes.
            let _ = signal.wait_timeout(guard, Duration::from_millis(500));
        }
    }

    fn supervise(self: Arc<Self>) {
        while !self.shutdown.load(Ordering::Relaxed) {
            let now = Instant::now();
            for control in self.running.lock().unwrap_or_else(|p| p.into_inner()).values() {
                if now >= control.deadline && !control.timed_out.swap(true, Ordering::Relaxed) {
                    control.stop.store(true, Ordering::Relaxed);
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Takes the fairest claimable job and marks it processing: the key
    /// below its concurrency cap that started a job least recently, then
    /// that key's oldest queued job. Both steps walk indexes (keys are
    /// few; `jobs_by_status` is ordered by key and arrival), so claiming
    /// stays cheap with thousands of jobs queued.
    fn claim(&self) -> Result<Option<Claimed>, DbError> {
        let now = self.db.now();
        let cap = self.config.max_concurrent_per_key as i64;
        self.db.write(|tx| {
            let key: Option<String> = tx
                .query_row(
                    "SELECT k.id FROM api_keys k
                     WHERE EXISTS (SELECT 1 FROM jobs q WHERE q.status = 'queued' AND q.key_id = k.id)
                       AND (SELECT COUNT(*) FROM jobs r WHERE r.status = 'processing' AND r.key_id = k.id) < ?1
                     ORDER BY k.last_started_at ASC NULLS FIRST, k.id LIMIT 1",
                    [cap],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(key) = key else { return Ok(None) };
            let job = tx.query_row(
                "SELECT id, account_id, clip_id, stack FROM jobs WHERE status = 'queued' AND key_id = ?1
                 ORDER BY seq LIMIT 1",
                [&key],
                |r| Ok(Claimed { id: r.get(0)?, account_id: r.get(1)?, clip_id: r.get(2)?, stack: r.get(3)? }),
            )?;
            tx.execute(
                "UPDATE jobs SET status = 'processing', started_at = ?2, attempts = attempts + 1, progress = 0
                 WHERE id = ?1",
                params![job.id, now],
            )?;
            tx.execute("UPDATE api_keys SET last_started_at = ?2 WHERE id = ?1", params![key, now])?;
            Ok(Some(job))
        })
    }

    fn run(&self, job: Claimed) {
        let control = Arc::new(RunControl {
            stop: Arc::new(AtomicBool::new(false)),
            timed_out: AtomicBool::new(false),
            deadline: Instant::now() + self.config.job_timeout,
        });
        self.running.lock().unwrap_or_else(|p| p.into_inner()).insert(job.id.clone(), control.clone());
        // A cancel that arrived between the claim and now.
        let cancelled: bool = self
            .db
            .read(|c| {
                c.query_row("SELECT cancel_requested FROM jobs WHERE id = ?1", [&job.id], |r| r.get(0))
                    .map_err(DbError::from)
            })
            .unwrap_or(false);
        if cancelled {
            control.stop.store(true, Ordering::Relaxed);
        }
        let started = Instant::now();
        let outcome = self.render(&job, &control);
        self.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&job.id);
        let finished = self.finish(&job, outcome, control.timed_out.load(Ordering::Relaxed), started.elapsed());
        if let Err(e) = finished {
            tracing::error!("recording the end of job {}: {e}", job.id);
        }
        if let Err(e) = clips::remove_unneeded_files(&self.db, &self.paths.clips, &self.paths.archive) {
            tracing::warn!("removing unneeded clip files: {e}");
        }
        self.webhook_wake.notify_one();
        self.wake();
    }

    fn render(&self, job: &Claimed, control: &RunControl) -> Result<Rendered, Failure> {
        let clip: Option<(String, String, f64)> = self
            .db
            .read(|c| {
                c.query_row("SELECT file, state, fps FROM clips WHERE id = ?1", [&job.clip_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
                .map_err(DbError::from)
            })
            .map_err(|e| Failure::server("render_failed", e.to_string()))?;
        let (input, fps) = match clip {
            Some((file, state, fps)) if state == "active" => (self.paths.clips.join(file), fps),
            _ => {
                return Err(Failure::server(
                    "clip_unavailable",
                    format!("source clip `{}` was deleted or archived before the job ran", job.clip_id),
                ));
            }
        };
        let stack =
            Stack::from_json(&job.stack).map_err(|e| Failure::server("render_failed", format!("stored stack: {e}")))?;
        let prepared = self
            .db
            .read(|c| {
                Ok::<_, DbError>(stack.prepare_with(&self.catalog.current(), |asset| {
                    super::assets::locate(c, &self.paths.assets, &job.account_id, asset)
                }))
            })
            .map_err(|e| Failure::server("render_failed", e.to_string()))?
            .map_err(|e| match e {
                crate::stack::StackError::Overlay { .. } => {
                    Failure::server("asset_unavailable", format!("an overlay image is gone: {e}"))
                }
                e => {
                    Failure::server("effect_unavailable", format!("the pinned effect version is no longer loaded: {e}"))
                }
            })?;
        let output_id = new_id("clip");
        let file = format!("{output_id}.mp4");
        let output = self.paths.clips.join(&file);
        let options = RenderOptions {
            limits: self.config.limits.clone(),
            encode: EncodeSettings::default(),
            cancel: Some(control.stop.clone()),
        };
        let mut last_write = Instant::now();
        let mut progress = |done: u64, total: u64| {
            if total > 0 && last_write.elapsed() >= PROGRESS_INTERVAL {
                last_write = Instant::now();
                let fraction = (done as f64 / total as f64).min(0.99);
                let _ = self.db.write(|tx| {
                    tx.execute(
                        "UPDATE jobs SET progress = ?2 WHERE id = ?1 AND status = 'processing'",
                        params![job.id, fraction],
                    )
                    .map_err(DbError::from)
                });
            }
        };
        let report = self.renderer.render_file(&input, &output, &prepared, &options, &mut progress);
        let report = match report {
            Ok(report) => report,
            Err(RenderError::Cancelled) if control.timed_out.load(Ordering::Relaxed) => {
                return Err(Failure::server(
                    "timeout",
                    format!(
                        "the render took longer than the job timeout ({} s)",
                        self.config.job_timeout.as_secs_f64()
                    ),
                ));
            }
            Err(RenderError::Cancelled) => return Err(Failure::cancelled()),
            Err(e @ RenderError::Stack(_)) => return Err(Failure::server("effect_failed", e.to_string())),
            Err(e) => return Err(Failure::server("render_failed", redact(&e.to_string(), &self.paths))),
        };
        self.metrics.record_render(report.frames, report.elapsed);
        let size_bytes = std::fs::metadata(&output).map(|m| m.len() as i64).unwrap_or(0);
        let sha256 =
            file_sha256(&output).map_err(|e| Failure::server("render_failed", format!("hashing the output: {e}")))?;
        Ok(Rendered {
            output_id,
            file,
            size_bytes,
            sha256,
            probe: Probe {
                width: report.width,
                height: report.height,
                fps,
                duration_sec: if fps > 0.0 { report.frames as f64 / fps } else { 0.0 },
                codec: "h264".into(),
                has_audio: false,
            },
            provenance: report.provenance,
        })
    }

    fn finish(
        &self,
        job: &Claimed,
        outcome: Result<Rendered, Failure>,
        timed_out: bool,
        elapsed: Duration,
    ) -> Result<(), DbError> {
        let now = self.db.now();
        let base_url = &self.config.base_url;
        match outcome {
            Ok(rendered) => {
                let output = JobOutput {
                    clip_id: rendered.output_id.clone(),
                    url: format!("{base_url}/v1/clips/{}/content", rendered.output_id),
                    duration_sec: rendered.probe.duration_sec,
                    resolution: format!("{}x{}", rendered.probe.width, rendered.probe.height),
                    format: "mp4".into(),
                    size_bytes: rendered.size_bytes,
                };
                let mut provenance = rendered.provenance;
                if let Some(object) = provenance.as_object_mut() {
                    object.insert("source_clip_id".into(), job.clip_id.clone().into());
                    object.insert("job_id".into(), job.id.clone().into());
                }
                let result = serde_json::to_string(&StoredResult { output: output.clone(), provenance })
                    .unwrap_or_else(|_| "null".into());
                self.db.write(|tx| {
                    let has_audio: bool = tx
                        .query_row("SELECT has_audio FROM clips WHERE id = ?1", [&job.clip_id], |r| r.get(0))
                        .unwrap_or(false);
                    let probe = Probe { has_audio, ..rendered.probe.clone() };
                    clips::insert(
                        tx,
                        &NewClip {
                            account_id: &job.account_id,
                            origin: "output",
                            file: &rendered.file,
                            filename: Some(&format!("{}.mp4", job.id)),
                            size_bytes: rendered.size_bytes,
                            sha256: &rendered.sha256,
                            probe: &probe,
                        },
                        &rendered.output_id,
                        now,
                    )?;
                    tx.execute(
                        "UPDATE jobs SET status = 'complete', progress = 1, finished_at = ?2, output_clip_id = ?3,
                                         result = ?4, error_code = NULL, error_message = NULL WHERE id = ?1",
                        params![job.id, now, rendered.output_id, result],
                    )?;
                    // The source was deleted while rendering: the output goes with it.
                    let source_state: String =
                        tx.query_row("SELECT state FROM clips WHERE id = ?1", [&job.clip_id], |r| r.get(0))?;
                    if source_state == "deleted" {
                        clips::mark_deleted(tx, &job.clip_id, now)?;
                    }
                    webhooks::job_event(tx, &job.id, now)
                })?;
                self.metrics.job_finished("complete", elapsed);
            }
            Err(failure) if failure.cancelled => {
                // Stopped by a cancel, or by the server shutting down: only
                // a job whose cancel was asked for is cancelled; the others
                // go back to the queue for the next start (not an attempt).
                let cancelled = self.db.write(|tx| {
                    let requested: bool =
                        tx.query_row("SELECT cancel_requested FROM jobs WHERE id = ?1", [&job.id], |r| r.get(0))?;
                    if requested || !self.shutdown.load(Ordering::Relaxed) {
                        tx.execute(
                            "UPDATE jobs SET status = 'cancelled', finished_at = ?2 WHERE id = ?1",
                            params![job.id, now],
                        )?;
                        Ok::<_, DbError>(true)
                    } else {
                        tx.execute(
                            "UPDATE jobs SET status = 'queued', progress = 0, started_at = NULL,
                                             attempts = MAX(attempts - 1, 0) WHERE id = ?1",
                            [&job.id],
                        )?;
                        Ok(false)
                    }
                })?;
                if cancelled {
                    self.metrics.job_finished("cancelled", elapsed);
                }
            }
            Err(failure) => {
                tracing::warn!("job {} failed ({}): {}", job.id, failure.code, failure.message);
                self.db.write(|tx| {
                    tx.execute(
                        "UPDATE jobs SET status = 'failed', finished_at = ?2, error_code = ?3, error_message = ?4
                         WHERE id = ?1",
                        params![job.id, now, failure.code, failure.message],
                    )?;
                    let reason = if timed_out { "job timed out" } else { "job failed on the server" };
                    credits::refund(tx, &job.id, reason, now)?;
                    webhooks::job_event(tx, &job.id, now)
                })?;
                self.metrics.job_finished("failed", elapsed);
            }
        }
        Ok(())
    }
}

/// What a finished render produced.
struct Rendered {
    output_id: String,
    file: String,
    size_bytes: i64,
    sha256: String,
    probe: Probe,
    provenance: serde_json::Value,
}

/// Why a render did not produce an output.
struct Failure {
    code: &'static str,
    message: String,
    cancelled: bool,
}

impl Failure {
    /// A failure that is not the client's doing: the job is refunded.
    fn server(code: &'static str, message: String) -> Self {
        Self { code, message, cancelled: false }
    }

    fn cancelled() -> Self {
        Self { code: "cancelled", message: "cancelled while processing".into(), cancelled: true }
    }
}

fn redact(message: &str, paths: &Paths) -> String {
    message.replace(&paths.root.display().to_string(), "<data>")
}

/// Counts of [`recover`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Jobs queued again.
    pub requeued: usize,
    /// Jobs failed (and refunded) after too many attempts, or cancelled.
    pub failed: usize,
}

/// Puts jobs that were `processing` when the previous process died back
/// in the queue, or fails them after [`MAX_ATTEMPTS`].
pub fn recover(db: &Db) -> Result<Recovered, DbError> {
    let now: Millis = db.now();
    db.write(|tx| {
        let mut statement =
            tx.prepare("SELECT id, attempts, cancel_requested FROM jobs WHERE status = 'processing'")?;
        let stuck = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        drop(statement);
        let mut recovered = Recovered::default();
        for (id, attempts, cancel_requested) in stuck {
            if cancel_requested {
                tx.execute("UPDATE jobs SET status = 'cancelled', finished_at = ?2 WHERE id = ?1", params![id, now])?;
                recovered.failed += 1;
            } else if attempts >= MAX_ATTEMPTS {
                tx.execute(
                    "UPDATE jobs SET status = 'failed', finished_at = ?2, error_code = 'crashed',
                                     error_message = ?3 WHERE id = ?1",
                    params![id, now, format!("the server stopped during each of {attempts} attempts")],
                )?;
                credits::refund(tx, &id, "job failed on the server", now)?;
                webhooks::job_event(tx, &id, now)?;
                recovered.failed += 1;
            } else {
                tx.execute("UPDATE jobs SET status = 'queued', progress = 0 WHERE id = ?1", [&id])?;
                recovered.requeued += 1;
            }
        }
        Ok(recovered)
    })
}
