//! `GET /metrics` in the Prometheus text format. Hand-written: a handful
//! of counters and gauges read from the store and a few atomics do not
//! need the `prometheus` crate's registry.

use super::ServeState;
use super::db::DbError;
use super::webhooks;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counters the workers update.
#[derive(Debug, Default)]
pub struct Metrics {
    frames: AtomicU64,
    render_micros: AtomicU64,
    last_fps_milli: AtomicU64,
    completed: AtomicU64,
    failed: AtomicU64,
    cancelled: AtomicU64,
    job_micros: AtomicU64,
}

impl Metrics {
    /// A finished render of `frames` frames in `elapsed`.
    pub fn record_render(&self, frames: u64, elapsed: Duration) {
        self.frames.fetch_add(frames, Ordering::Relaxed);
        self.render_micros.fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        if elapsed > Duration::ZERO {
            self.last_fps_milli.store((frames as f64 / elapsed.as_secs_f64() * 1000.0) as u64, Ordering::Relaxed);
        }
    }

    /// A job ended with `status` after `elapsed` of processing.
    pub fn job_finished(&self, status: &str, elapsed: Duration) {
        let counter = match status {
            "complete" => &self.completed,
            "failed" => &self.failed,
            _ => &self.cancelled,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.job_micros.fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }
}

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", tag = "operations", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics(State(state): State<Arc<ServeState>>) -> Result<impl IntoResponse, super::error::ApiError> {
    let (by_state, pending) = state.db.read(|c| {
        let mut statement = c.prepare("SELECT status, COUNT(*) FROM jobs GROUP BY status")?;
        let rows = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, DbError>((rows, webhooks::pending_count(c)?))
    })?;
    let m = &state.metrics;
    let mut out = String::new();
    let _ = writeln!(out, "# HELP pikafx_jobs Jobs in the store by status.\n# TYPE pikafx_jobs gauge");
    for status in ["queued", "processing", "complete", "failed", "cancelled"] {
        let count = by_state.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
        let _ = writeln!(out, "pikafx_jobs{{status=\"{status}\"}} {count}");
    }
    let queued = by_state.iter().find(|(s, _)| s == "queued").map_or(0, |(_, n)| *n);
    let _ = writeln!(out, "# HELP pikafx_queue_depth Jobs waiting for a worker.\n# TYPE pikafx_queue_depth gauge");
    let _ = writeln!(out, "pikafx_queue_depth {queued}");
    let _ =
        writeln!(out, "# HELP pikafx_jobs_running Jobs rendering in this process.\n# TYPE pikafx_jobs_running gauge");
    let _ = writeln!(out, "pikafx_jobs_running {}", state.scheduler.running_count());
    let _ = writeln!(
        out,
        "# HELP pikafx_jobs_finished_total Jobs finished by this process.\n# TYPE pikafx_jobs_finished_total counter"
    );
    for (status, counter) in [("complete", &m.completed), ("failed", &m.failed), ("cancelled", &m.cancelled)] {
        let _ = writeln!(out, "pikafx_jobs_finished_total{{status=\"{status}\"}} {}", counter.load(Ordering::Relaxed));
    }
    let frames = m.frames.load(Ordering::Relaxed);
    let seconds = m.render_micros.load(Ordering::Relaxed) as f64 / 1e6;
    let _ = writeln!(
        out,
        "# HELP pikafx_frames_rendered_total Frames rendered.\n# TYPE pikafx_frames_rendered_total counter"
    );
    let _ = writeln!(out, "pikafx_frames_rendered_total {frames}");
    let _ = writeln!(
        out,
        "# HELP pikafx_render_seconds_total Wall time spent rendering.\n# TYPE pikafx_render_seconds_total counter"
    );
    let _ = writeln!(out, "pikafx_render_seconds_total {seconds:.3}");
    let _ = writeln!(
        out,
        "# HELP pikafx_render_fps Frames per second of the last finished render.\n# TYPE pikafx_render_fps gauge"
    );
    let _ = writeln!(out, "pikafx_render_fps {:.3}", m.last_fps_milli.load(Ordering::Relaxed) as f64 / 1000.0);
    let _ = writeln!(
        out,
        "# HELP pikafx_webhook_deliveries_pending Webhook deliveries not yet accepted.\n# TYPE pikafx_webhook_deliveries_pending gauge"
    );
    let _ = writeln!(out, "pikafx_webhook_deliveries_pending {pending}");
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}
