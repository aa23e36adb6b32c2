//! The render thread: one [`StackRunner`] over the preview frames, rebuilt
//! only when the stack changes.
//!
//! A preview render runs one frame through the stack. Effects with history
//! (`history_frames > 0`) or other temporal state see only the frames that
//! were previewed since the runner was built, not the clip's real past.

use super::api::ApiError;
use super::clip::{PreviewClip, encode_png};
use crate::gpu::{FrameRecorder, GpuTexture};
use crate::plugin::{ClipInfo, LiveCatalog};
use crate::render::{Renderer, StackRunner};
use crate::stack::Stack;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A rendered frame: PNG bytes and the time the GPU side took.
pub struct Rendered {
    /// The PNG.
    pub png: Vec<u8>,
    /// Time from taking the job to having the PNG.
    pub elapsed: Duration,
}

/// One request to the render thread.
struct Job {
    stack: Stack,
    frame: usize,
    reply: Sender<Result<Rendered, ApiError>>,
}

/// Sends jobs to the render thread.
#[derive(Clone)]
pub struct WorkerHandle {
    jobs: Arc<Mutex<Sender<Job>>>,
}

impl WorkerHandle {
    /// Starts the render thread.
    pub fn spawn(renderer: Arc<Renderer>, catalog: Arc<LiveCatalog>, clip: Arc<PreviewClip>) -> Self {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("preview-render".into())
            .spawn(move || run(&renderer, &catalog, &clip, &rx))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("could not start the render thread: {e}"));
        Self { jobs: Arc::new(Mutex::new(tx)) }
    }

    /// Renders `frame` through `stack`; blocks until done (call it from a
    /// blocking thread).
    pub fn render(&self, stack: Stack, frame: usize) -> Result<Rendered, ApiError> {
        let (reply, answer) = channel();
        let sent = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).send(Job { stack, frame, reply });
        if sent.is_err() {
            return Err(ApiError::internal("the render thread has stopped"));
        }
        answer.recv().map_err(|_| ApiError::internal("the render thread stopped during the render"))?
    }
}

/// The thread's loop: build a runner for the job's stack, then serve jobs
/// with the same stack until one differs (or a render fails).
fn run(renderer: &Renderer, live: &LiveCatalog, clip: &PreviewClip, jobs: &Receiver<Job>) {
    let mut next = jobs.recv().ok();
    while let Some(job) = next.take() {
        // The plugins as they are now; a reload later rebuilds the runner.
        let catalog = live.current();
        let prepared = match job.stack.prepare(&catalog) {
            Ok(p) => p,
            Err(e) => {
                let _ = job.reply.send(Err(ApiError::invalid_stack(e.to_string())));
                next = jobs.recv().ok();
                continue;
            }
        };
        let info = ClipInfo {
            width: clip.width,
            height: clip.height,
            fps: clip.fps,
            frame_count: u32::try_from(clip.frames.len()).unwrap_or(u32::MAX),
            duration_sec: if clip.truncated || clip.duration_sec <= 0.0 {
                clip.frames.len() as f64 / clip.fps.max(1.0)
            } else {
                clip.duration_sec
            },
        };
        let gpu = renderer.gpu();
        let recorder = Arc::new(Mutex::new(FrameRecorder::new(gpu.clone())));
        let setup = StackRunner::new(gpu, renderer.runtime(), &prepared, info, recorder.clone())
            .map_err(|e| ApiError::render(e.to_string()))
            .and_then(|runner| {
                GpuTexture::new(gpu, clip.width, clip.height, "preview source")
                    .map(|tex| (runner, tex))
                    .map_err(|e| ApiError::render(e.to_string()))
            });
        let (mut runner, source) = match setup {
            Ok(s) => s,
            Err(e) => {
                let _ = job.reply.send(Err(e));
                next = jobs.recv().ok();
                continue;
            }
        };
        let stack = job.stack.clone();
        let mut job = job;
        loop {
            let result = render_one(&mut runner, &recorder, &source, clip, job.frame);
            let failed = result.is_err();
            let _ = job.reply.send(result);
            let Ok(following) = jobs.recv() else { return };
            if failed || following.stack != stack || !Arc::ptr_eq(&catalog, &live.current()) {
                next = Some(following);
                break;
            }
            job = following;
        }
    }
}

/// Uploads one preview frame, runs the stack and reads the result back as PNG.
fn render_one(
    runner: &mut StackRunner<'_>,
    recorder: &Mutex<FrameRecorder>,
    source: &GpuTexture,
    clip: &PreviewClip,
    index: usize,
) -> Result<Rendered, ApiError> {
    let started = Instant::now();
    let frame = clip.frames.get(index).ok_or_else(|| ApiError::frame_out_of_range(index, clip.frames.len()))?;
    let lock = || recorder.lock().unwrap_or_else(|p| p.into_inner());
    lock().write_rgba(source, &frame.rgba).map_err(|e| ApiError::render(e.to_string()))?;
    let result = runner.run_frame(source, index as u64, frame.time_sec).map_err(|e| ApiError::render(e.to_string()))?;
    let rgba = lock().read_rgba(&result).map_err(|e| ApiError::render(e.to_string()))?;
    let png = encode_png(clip.width, clip.height, &rgba).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Rendered { png, elapsed: started.elapsed() })
}
