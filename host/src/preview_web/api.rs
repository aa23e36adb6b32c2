//! The HTTP API and the page route. Errors are JSON:
//! `{"error":{"code","message"}}` with a 4xx status for the caller's mistakes.

use super::AppState;
use super::clip::encode_png;
use super::export::export_path;
use crate::plugin::EffectInfo;
use crate::render::RenderOptions;
use crate::stack::Stack;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use serde::Serialize;
use std::sync::Arc;

type Shared = Arc<AppState>;

/// An API error: status, machine code and a one-line message.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code, e.g. `invalid_stack`.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl ApiError {
    /// The stack does not fit the plugins' specs (422).
    pub fn invalid_stack(message: String) -> Self {
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, code: "invalid_stack", message }
    }
    /// The request body is not what the endpoint takes (400).
    pub fn bad_request(message: String) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code: "bad_request", message }
    }
    /// No such frame (404).
    pub fn frame_out_of_range(index: usize, frames: usize) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "no_such_frame",
            message: format!("frame {index} does not exist (the preview has frames 0..{frames})"),
        }
    }
    /// A plugin or the GPU failed on the frame (500).
    pub fn render(message: String) -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, code: "render_failed", message }
    }
    /// Something on the server's side broke (500).
    pub fn internal(message: impl Into<String>) -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, code: "internal", message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// The routes.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/api/effects", get(effects))
        .route("/api/clip", get(clip))
        .route("/api/stack", get(initial_stack))
        .route("/api/frame/{index}/source.png", get(source_png))
        .route("/api/render", axum::routing::post(render))
        .route("/api/export", get(export_status).post(export_start))
        .route("/api/plugins", get(plugins_status))
        .fallback(|| async {
            ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: "no such route".into() }
        })
        .with_state(state)
}

async fn index() -> Html<&'static str> {
    Html(super::assets::INDEX_HTML)
}

/// One catalog entry: the plugin's description plus the reference to use.
#[derive(Serialize)]
struct Effect<'a> {
    reference: String,
    #[serde(flatten)]
    info: &'a EffectInfo,
}

async fn effects(State(state): State<Shared>) -> Response {
    let catalog = state.catalog.current();
    let list: Vec<Effect<'_>> = catalog
        .plugins()
        .iter()
        .map(|p| Effect { reference: format!("{}/{}", p.info().kind, p.info().id), info: p.info() })
        .collect();
    Json(list).into_response()
}

/// Hot reload: how many times the plugins were reloaded, and the latest problems.
async fn plugins_status(State(state): State<Shared>) -> Response {
    Json(state.catalog.status()).into_response()
}

async fn clip(State(state): State<Shared>) -> Response {
    Json(state.clip.summary()).into_response()
}

async fn initial_stack(State(state): State<Shared>) -> Response {
    Json(&state.config.initial).into_response()
}

fn png(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], bytes).into_response()
}

async fn source_png(State(state): State<Shared>, Path(index): Path<String>) -> Result<Response, ApiError> {
    let clip = &state.clip;
    let i: usize = index.parse().map_err(|_| ApiError::bad_request(format!("`{index}` is not a frame number")))?;
    let frame = clip.frames.get(i).ok_or_else(|| ApiError::frame_out_of_range(i, clip.frames.len()))?;
    let bytes = encode_png(clip.width, clip.height, &frame.rgba).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(png(bytes))
}

/// Parses `{"stack": ...}` plus optional other fields of a POST body.
fn parse_body(body: &[u8]) -> Result<(Stack, serde_json::Value), ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    let stack = value.get("stack").ok_or_else(|| ApiError::bad_request("the body has no `stack`".into()))?;
    let stack: Stack = serde_json::from_value(stack.clone())
        .map_err(|e| ApiError::invalid_stack(format!("invalid stack JSON: {e}")))?;
    Ok((stack, value))
}

async fn render(State(state): State<Shared>, body: Bytes) -> Result<Response, ApiError> {
    let (stack, value) = parse_body(&body)?;
    let frame = value.get("frame").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let frame = usize::try_from(frame).unwrap_or(usize::MAX);
    let worker = state.worker.clone();
    let rendered = tokio::task::spawn_blocking(move || worker.render(stack, frame))
        .await
        .map_err(|e| ApiError::internal(format!("the render task failed: {e}")))??;
    let ms = format!("{:.1}", rendered.elapsed.as_secs_f64() * 1000.0);
    let mut response = png(rendered.png);
    if let Ok(value) = ms.parse() {
        response.headers_mut().insert("x-render-ms", value);
    }
    Ok(response)
}

async fn export_status(State(state): State<Shared>) -> Response {
    Json(state.export.status()).into_response()
}

async fn export_start(State(state): State<Shared>, body: Bytes) -> Result<Response, ApiError> {
    let (stack, _) = parse_body(&body)?;
    stack.prepare(&state.catalog.current()).map_err(|e| ApiError::invalid_stack(e.to_string()))?;
    let output = export_path(&state.config.export_dir, &state.config.input);
    if !state.export.try_begin(&output) {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            code: "export_running",
            message: "an export is already running".into(),
        });
    }
    let task = state.clone();
    tokio::task::spawn_blocking(move || {
        let options = RenderOptions { limits: task.config.limits.clone(), ..RenderOptions::default() };
        task.export.run(&task.renderer, &task.catalog.current(), &task.config.input, &output, &stack, &options);
    });
    Ok((StatusCode::ACCEPTED, Json(state.export.status())).into_response())
}
