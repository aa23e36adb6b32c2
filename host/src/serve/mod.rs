//! `pikafx serve`: the effects endpoint of a video API (DESIGN.md §5).
//!
//! One process: an axum HTTP(S) server, a pool of render workers
//! ([`scheduler`]), a webhook dispatcher ([`webhooks`]) and a retention
//! sweeper ([`retention`]), all sharing one SQLite file ([`db`]) and one
//! clip directory. Requests authenticate with API keys ([`keys`], [`auth`]),
//! are rate limited per key, and pay in credits ([`credits`]).
//!
//! Data directory layout:
//! ```text
//! DATA/pikafx.db     jobs, clips, keys, ledger, webhooks (WAL mode)
//! DATA/clips/        uploaded and rendered clips
//! DATA/archive/      clips archived by retention
//! DATA/assets/       overlay images (PNG)
//! DATA/tmp/          uploads in progress (emptied at start)
//! ```

pub mod assets;
pub mod auth;
pub mod catalog;
pub mod clips;
pub mod clock;
pub mod credits;
pub mod db;
pub mod error;
pub mod jobs;
pub mod keys;
pub mod metrics;
pub mod openapi;
pub mod priority;
pub mod retention;
pub mod scheduler;
pub mod webhooks;

use crate::media::MediaLimits;
use crate::plugin::LiveCatalog;
use crate::render::Renderer;
use anyhow::Context;
use auth::{RateLimits, Transport};
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use clock::SystemClock;
use db::Db;
use error::ApiResult;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How the server is run.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// TLS certificate and key (PEM), when the server speaks TLS itself.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Plain HTTP on a non-loopback address behind a TLS proxy.
    pub behind_tls_proxy: bool,
    /// The URL clients reach the server at (output URLs are built from
    /// it); empty means `scheme://listen-address`.
    pub public_url: Option<String>,
    /// Filled in once the socket is bound: the effective public URL.
    pub base_url: String,
    /// Filled in once the socket is bound.
    pub transport: Transport,
    /// Where the database and clips live.
    pub data_dir: PathBuf,
    /// Render worker threads.
    pub workers: usize,
    /// Jobs one key may have processing at once.
    pub max_concurrent_per_key: usize,
    /// Requests per minute per key.
    pub rate_per_minute: NonZeroU32,
    /// Burst per key.
    pub rate_burst: NonZeroU32,
    /// Longest a job may render before it is stopped, failed and refunded.
    pub job_timeout: Duration,
    /// Largest accepted upload.
    pub max_upload_bytes: u64,
    /// Frame size limits for uploads and renders.
    pub limits: MediaLimits,
    /// Clip lifetimes.
    pub retention: retention::RetentionPolicy,
    /// How often the retention sweeper runs.
    pub sweep_interval: Duration,
    /// Allow webhooks to private and loopback addresses.
    pub webhooks_allow_private: bool,
    /// First retry delay of webhook deliveries (doubles each retry).
    pub webhook_retry_base: Duration,
    /// Print only errors.
    pub quiet: bool,
}

/// Where the server keeps its files.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The data directory.
    pub root: PathBuf,
    /// The database file.
    pub db: PathBuf,
    /// Active clips.
    pub clips: PathBuf,
    /// Archived clips.
    pub archive: PathBuf,
    /// Uploads in progress.
    pub tmp: PathBuf,
    /// Overlay images.
    pub assets: PathBuf,
}

impl Paths {
    /// The layout under `root`, created if missing.
    pub fn create(root: PathBuf) -> std::io::Result<Self> {
        let paths = Self {
            db: root.join("pikafx.db"),
            clips: root.join("clips"),
            archive: root.join("archive"),
            tmp: root.join("tmp"),
            assets: root.join("assets"),
            root,
        };
        for dir in [&paths.root, &paths.clips, &paths.archive, &paths.tmp, &paths.assets] {
            std::fs::create_dir_all(dir)?;
        }
        Ok(paths)
    }
}

/// Everything the handlers share.
pub struct ServeState {
    /// The store.
    pub db: Arc<Db>,
    /// Configuration (with the bound address filled in).
    pub config: ServeConfig,
    /// File locations.
    pub paths: Paths,
    /// The plugins, reloaded when their files change.
    pub catalog: Arc<LiveCatalog>,
    /// Per-key request limits.
    pub rate_limits: RateLimits,
    /// The render pool.
    pub scheduler: Arc<scheduler::Scheduler>,
    /// Wakes the webhook dispatcher.
    pub webhook_wake: Arc<tokio::sync::Notify>,
    /// Render counters.
    pub metrics: Arc<metrics::Metrics>,
}

/// The HTTP routes.
pub fn router(state: Arc<ServeState>) -> Router {
    let upload_limit = usize::try_from(state.config.max_upload_bytes).unwrap_or(usize::MAX);
    Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(openapi::document))
        .route("/v1/clips", post(clips::upload).layer(DefaultBodyLimit::max(upload_limit)))
        .route("/v1/clips/{id}", get(clips::get).delete(clips::delete))
        .route("/v1/clips/{id}/content", get(clips::content))
        .route(
            "/v1/assets",
            post(assets::upload).layer(DefaultBodyLimit::max(crate::stack::MAX_OVERLAY_BYTES as usize)),
        )
        .route("/v1/assets/{id}", get(assets::get).delete(assets::delete))
        .route("/v1/styles", get(catalog::styles))
        .route("/v1/effects", get(catalog::effects))
        .route("/v1/styles/apply", post(jobs::styles_apply))
        .route("/v1/effects/apply", post(jobs::effects_apply))
        .route("/v1/compose", post(jobs::compose))
        .route("/v1/jobs", get(jobs::list))
        .route("/v1/jobs/{id}", get(jobs::get))
        .route("/v1/jobs/{id}/cancel", post(jobs::cancel))
        .route("/v1/webhooks", post(webhooks::create).get(webhooks::list))
        .route("/v1/webhooks/{id}", axum::routing::delete(webhooks::delete))
        .route("/v1/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/v1/account/usage", get(usage))
        .fallback(|| async { error::ApiError::new(axum::http::StatusCode::NOT_FOUND, "not_found", "no such endpoint") })
        .with_state(state)
}

/// Liveness and what is loaded.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Host version.
    pub version: String,
    /// Plugins loaded.
    pub plugins: usize,
}

/// `GET /healthz`.
#[utoipa::path(get, path = "/healthz", operation_id = "health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<Arc<ServeState>>) -> ApiResult<Json<Health>> {
    state.db.read(|c| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)).map_err(db::DbError::from))?;
    Ok(Json(Health {
        status: "ok".into(),
        version: crate::VERSION.into(),
        plugins: state.catalog.current().plugins().len(),
    }))
}

/// `GET /v1/account/usage`.
#[utoipa::path(get, path = "/v1/account/usage", operation_id = "get_usage", tag = "account", responses((status = 200, body = credits::Usage)), security(("api_key" = [])))]
pub async fn usage(State(state): State<Arc<ServeState>>, caller: auth::Caller) -> ApiResult<Json<credits::Usage>> {
    caller.require(keys::Scope::UsageRead)?;
    let now = state.db.now();
    Ok(Json(state.db.write(|tx| credits::usage(tx, &caller.account_id, now))?))
}

/// Opens the store under `data_dir`.
pub fn open_store(data_dir: PathBuf) -> anyhow::Result<(Paths, Arc<Db>)> {
    let paths = Paths::create(data_dir).context("creating the data directory")?;
    let db = Db::open(&paths.db, Arc::new(SystemClock))
        .with_context(|| format!("opening the database {}", paths.db.display()))?;
    Ok((paths, Arc::new(db)))
}

/// Runs the server until Ctrl-C or SIGTERM. Prints `serving: URL` once it
/// listens.
pub fn serve(renderer: Renderer, catalog: Arc<LiveCatalog>, mut config: ServeConfig) -> anyhow::Result<()> {
    let tls = config.tls.is_some();
    if !tls && !config.listen.ip().is_loopback() && !config.behind_tls_proxy {
        anyhow::bail!(
            "refusing to serve plain HTTP on {}: API keys would cross the network in clear text; \
             pass --tls-cert/--tls-key, or --behind-tls-proxy if a TLS proxy fronts this server",
            config.listen
        );
    }
    let (paths, db) = open_store(config.data_dir.clone())?;
    // Uploads interrupted by the last stop.
    for entry in std::fs::read_dir(&paths.tmp).context("reading the upload directory")?.flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    for entry in std::fs::read_dir(&paths.clips).context("reading the clip directory")?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".pikafx-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }

    let listener =
        std::net::TcpListener::bind(config.listen).with_context(|| format!("listening on {}", config.listen))?;
    listener.set_nonblocking(true).context("configuring the socket")?;
    let local = listener.local_addr().context("reading the bound address")?;
    config.transport = if tls {
        Transport::Tls
    } else if config.behind_tls_proxy {
        Transport::BehindTlsProxy
    } else {
        Transport::Loopback
    };
    config.base_url = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("{}://{local}", if tls { "https" } else { "http" }),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(async move {
        let metrics = Arc::new(metrics::Metrics::default());
        let webhook_wake = Arc::new(tokio::sync::Notify::new());
        let scheduler = scheduler::Scheduler::new(
            db.clone(),
            Arc::new(renderer),
            catalog.clone(),
            paths.clone(),
            config.clone(),
            metrics.clone(),
            webhook_wake.clone(),
        );
        scheduler.start().context("starting the render workers")?;
        catalog.watch(crate::preview_web::RELOAD_INTERVAL);
        retention::spawn_sweeper(db.clone(), paths.clone(), config.retention, config.sweep_interval);
        let state = Arc::new(ServeState {
            rate_limits: RateLimits::new(config.rate_per_minute, config.rate_burst),
            db,
            config,
            paths,
            catalog,
            scheduler: scheduler.clone(),
            webhook_wake,
            metrics,
        });
        tokio::spawn(webhooks::dispatch(state.clone()));
        let limiter_state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                limiter_state.rate_limits.shrink();
            }
        });

        let handle = axum_server::Handle::new();
        let shutdown = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            shutdown.graceful_shutdown(Some(Duration::from_secs(10)));
        });
        let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        println!("serving: {}", state.config.base_url);
        let served = match state.config.tls.clone() {
            Some((cert, key)) => {
                let rustls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                    .await
                    .with_context(|| format!("loading TLS certificate {} and key {}", cert.display(), key.display()))?;
                axum_server::from_tcp_rustls(listener, rustls)
                    .context("using the bound socket")?
                    .handle(handle)
                    .serve(app)
                    .await
            }
            None => axum_server::from_tcp(listener).context("using the bound socket")?.handle(handle).serve(app).await,
        };
        // Jobs that were rendering return to the queue for the next start.
        let stopping = scheduler.clone();
        let _ = tokio::task::spawn_blocking(move || stopping.shutdown(Duration::from_secs(10))).await;
        served.context("serving the API")
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
