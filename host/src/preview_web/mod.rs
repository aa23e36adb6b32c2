//! `pikafx preview --web`: a local live-preview page.
//!
//! The clip is decoded once at preview resolution ([`clip`]); a dedicated
//! render thread keeps one GPU [`StackRunner`](crate::render::StackRunner)
//! and rebuilds it only when the stack changes ([`worker`]); full-resolution
//! exports run on a blocking thread and report progress ([`export`]); the
//! HTTP API and the embedded page are in [`api`] and [`assets`]. The server
//! listens on 127.0.0.1 only.
//!
//! Each preview render runs a single frame through the stack: effects with
//! history or other temporal state only see that frame (plus whatever frames
//! were previewed before it), so they can look different from a full render.

pub mod api;
pub mod assets;
pub mod clip;
pub mod export;
pub mod worker;

use crate::media::MediaLimits;
use crate::plugin::LiveCatalog;
use crate::render::Renderer;
use crate::stack::Stack;
use anyhow::Context;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// Most frames kept in memory; longer clips scrub their first frames only.
pub const MAX_FRAMES: usize = 300;
/// How often the plugin directories are checked for changed `.wasm` files.
pub const RELOAD_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);
/// Largest preview width in pixels.
pub const MAX_WIDTH: u32 = 480;

/// What `serve` needs besides the renderer and catalog.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The source clip.
    pub input: PathBuf,
    /// TCP port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Frame size limits for decoding.
    pub limits: MediaLimits,
    /// The stack the page starts with.
    pub initial: Stack,
    /// Where exports are written (`<clip stem>-preview-export.mp4`).
    pub export_dir: PathBuf,
    /// Print only errors.
    pub quiet: bool,
}

/// Everything the HTTP handlers share.
pub struct AppState {
    /// The decoded preview frames.
    pub clip: Arc<clip::PreviewClip>,
    /// The plugins, reloaded when their files change.
    pub catalog: Arc<LiveCatalog>,
    /// The one renderer (GPU and plugin runtime).
    pub renderer: Arc<Renderer>,
    /// The render thread's queue.
    pub worker: worker::WorkerHandle,
    /// The current or last export.
    pub export: export::ExportTracker,
    /// The server's configuration.
    pub config: WebConfig,
}

/// Decodes the clip, starts the render thread and serves the page until
/// Ctrl-C. Prints `preview: http://127.0.0.1:PORT/` once it listens.
pub fn serve(renderer: Renderer, catalog: Arc<LiveCatalog>, config: WebConfig) -> anyhow::Result<()> {
    let renderer = Arc::new(renderer);
    catalog.watch(RELOAD_INTERVAL);
    let clip = Arc::new(clip::PreviewClip::decode(&renderer, &config.input, &config.limits)?);
    if !config.quiet && clip.truncated {
        eprintln!("warning: the clip is longer than {MAX_FRAMES} frames: the page scrubs the first {MAX_FRAMES}");
    }
    let worker = worker::WorkerHandle::spawn(renderer.clone(), catalog.clone(), clip.clone());
    let state =
        Arc::new(AppState { clip, catalog, renderer, worker, export: export::ExportTracker::default(), config });
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(async move {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, state.config.port));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        println!("preview: http://{local}/");
        let app = api::router(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving the preview")
    })
}
