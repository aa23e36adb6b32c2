//! Full-resolution exports of the whole clip, one at a time, with progress.

use crate::plugin::Catalog;
use crate::render::{RenderOptions, Renderer};
use crate::stack::Stack;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where an export stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportState {
    /// None started yet.
    #[default]
    Idle,
    /// Rendering.
    Running,
    /// Finished; `path` is written.
    Done,
    /// Failed; `error` says why.
    Failed,
}

/// What `GET /api/export` returns.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ExportStatus {
    /// Where it stands.
    pub state: ExportState,
    /// 0..1.
    pub progress: f64,
    /// The output file.
    pub path: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The shared status of the current or last export.
#[derive(Clone, Default)]
pub struct ExportTracker {
    status: Arc<Mutex<ExportStatus>>,
}

impl ExportTracker {
    /// A snapshot of the status.
    pub fn status(&self) -> ExportStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Marks an export as running unless one already is; returns whether it did.
    pub fn try_begin(&self, path: &std::path::Path) -> bool {
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        if status.state == ExportState::Running {
            return false;
        }
        *status = ExportStatus {
            state: ExportState::Running,
            progress: 0.0,
            path: Some(path.display().to_string()),
            error: None,
        };
        true
    }

    /// Runs the export on the calling (blocking) thread and records the outcome.
    pub fn run(
        &self,
        renderer: &Renderer,
        catalog: &Catalog,
        input: &std::path::Path,
        output: &std::path::Path,
        stack: &Stack,
        options: &RenderOptions,
    ) {
        let outcome = stack.prepare(catalog).map_err(|e| e.to_string()).and_then(|prepared| {
            let status = self.status.clone();
            let mut progress = move |done: u64, total: u64| {
                let mut s = status.lock().unwrap_or_else(|p| p.into_inner());
                s.progress = if total > 0 { (done as f64 / total as f64).min(1.0) } else { 0.0 };
            };
            renderer.render_file(input, output, &prepared, options, &mut progress).map_err(|e| e.to_string())
        });
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Ok(_) => {
                status.state = ExportState::Done;
                status.progress = 1.0;
            }
            Err(e) => {
                status.state = ExportState::Failed;
                status.error = Some(e);
            }
        }
    }
}

/// `<clip stem>-preview-export.mp4` in `dir`.
pub fn export_path(dir: &std::path::Path, input: &std::path::Path) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "clip".into());
    dir.join(format!("{stem}-preview-export.mp4"))
}
