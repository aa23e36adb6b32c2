//! Jobs: accepting `styles/apply`, `effects/apply` and `compose` requests,
//! and reading and cancelling jobs.
//!
//! Accepting is one transaction: idempotency check, credit check, the job
//! row, the ledger charge and the idempotency record are written together
//! or not at all. Effect references are pinned to the exact plugin version
//! resolved at acceptance, so a plugin updated while a job waits does not
//! change what the job renders (if that version is gone when it runs, the
//! job fails and is refunded).

use super::ServeState;
use super::auth::Caller;
use super::clock::{Millis, rfc3339};
use super::credits::{self, APPLY_COST};
use super::db::{DbError, new_id};
use super::error::{ApiError, ApiResult, parse_body};
use super::keys::Scope;
use super::webhooks;
use crate::stack::{Layer, Overlay, Stack};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `POST /v1/styles/apply`: one or more style presets, stacked in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StylesApply {
    /// The source clip.
    pub clip_id: String,
    /// Presets, applied first to last.
    pub styles: Vec<StyleLayer>,
}

/// One preset of a styles request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StyleLayer {
    /// Style id (`noir`), optionally with a version (`noir@0.1`).
    pub id: String,
    /// Parameter values; missing ones take their defaults.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: BTreeMap<String, Value>,
    /// 0..1 blend with the layer's input (default 1).
    #[serde(default = "one")]
    pub mix: f32,
}

/// `POST /v1/effects/apply`: one Pikaffect.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectsApply {
    /// The source clip.
    pub clip_id: String,
    /// Pikaffect id (`melt`), optionally with a version.
    pub effect: String,
    /// Parameter values; missing ones take their defaults.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: BTreeMap<String, Value>,
}

/// `POST /v1/compose`: a full stack of styles and Pikaffects, with time
/// ranges and keyframes (the stack format of `pikafx apply --stack`), and
/// image overlays drawn on top.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Compose {
    /// The source clip.
    pub clip_id: String,
    /// Layers, first applied first: `{effect: "style/noir", params, mix,
    /// start_sec, end_sec, enabled, keyframes}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub layers: Vec<Layer>,
    /// Image overlays (stickers), drawn after the layers in order.
    #[serde(default)]
    pub overlays: Vec<ComposeOverlay>,
}

/// A sticker or image over the video.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComposeOverlay {
    /// A PNG uploaded with `POST /v1/assets`.
    pub asset_id: String,
    /// Top-left corner in 0..1 frame coordinates (default [0, 0]).
    #[serde(default)]
    pub position: [f32; 2],
    /// Size relative to the image's pixels (default 1).
    #[serde(default = "one")]
    pub scale: f32,
    /// 0..1 (default 1).
    #[serde(default = "one")]
    pub opacity: f32,
    /// Shown from this time (seconds).
    pub start_sec: Option<f64>,
    /// Shown until before this time.
    pub end_sec: Option<f64>,
}

fn one() -> f32 {
    1.0
}

/// The answer to an accepted job request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// The new (or, for a repeated idempotent request, the existing) job.
    pub job_id: String,
    /// Its status now.
    pub status: String,
    /// Credits charged for it.
    pub credits: i64,
}

/// A job as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobView {
    /// Job id (`job_...`).
    pub id: String,
    /// `queued`, `processing`, `complete`, `failed` or `cancelled`.
    pub status: String,
    /// 0..1 while processing, 1 when complete.
    pub progress: f64,
    /// Which endpoint created it.
    pub endpoint: String,
    /// The source clip.
    pub clip_id: String,
    /// The stack it renders, with pinned effect versions.
    #[schema(value_type = Object)]
    pub stack: Value,
    /// Credits charged.
    pub credits: i64,
    /// Whether a cancel was asked for while it was processing.
    pub cancel_requested: bool,
    /// When it was accepted.
    pub created_at: String,
    /// When rendering started.
    pub started_at: Option<String>,
    /// When it finished (complete, failed or cancelled).
    pub completed_at: Option<String>,
    /// The result, when complete.
    pub output: Option<JobOutput>,
    /// Where the output came from (source hash, stack, plugin versions and
    /// hashes, host version); also embedded in the file.
    #[schema(value_type = Option<Object>)]
    pub provenance: Option<Value>,
    /// Why it failed.
    pub error: Option<JobError>,
}

/// A finished job's output clip.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JobOutput {
    /// The output's clip id (download, delete like any clip).
    pub clip_id: String,
    /// Download URL.
    pub url: String,
    /// Seconds.
    pub duration_sec: f64,
    /// `WIDTHxHEIGHT`.
    pub resolution: String,
    /// Container (`mp4`).
    pub format: String,
    /// File size.
    pub size_bytes: i64,
}

/// Why a job failed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobError {
    /// Stable code: `timeout`, `effect_failed`, `render_failed`, `effect_unavailable`, `clip_unavailable`, `crashed`.
    pub code: String,
    /// Explanation.
    pub message: String,
}

/// What a completed job stores in `jobs.result`.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredResult {
    /// The output.
    pub output: JobOutput,
    /// Provenance.
    pub provenance: Value,
}

/// A page of jobs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobList {
    /// Jobs, newest first.
    pub data: Vec<JobView>,
    /// Whether older jobs exist.
    pub has_more: bool,
    /// Pass as `starting_after` for the next page.
    pub next_cursor: Option<String>,
}

/// Query of `GET /v1/jobs`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only jobs in this status.
    pub status: Option<String>,
    /// Page size, 1..100 (default 20).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub starting_after: Option<String>,
}

const STATUSES: [&str; 5] = ["queued", "processing", "complete", "failed", "cancelled"];

/// `POST /v1/styles/apply`.
#[utoipa::path(post, path = "/v1/styles/apply", operation_id = "apply_styles", tag = "jobs", request_body = StylesApply,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body returns the same job, charged once")),
    responses((status = 202, body = Accepted), (status = 400, body = super::error::ErrorBody), (status = 402, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody)),
    security(("api_key" = [])))]
pub async fn styles_apply(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    caller.require(Scope::EffectsApply)?;
    let request: StylesApply = parse_body(&body)?;
    if request.styles.is_empty() {
        return Err(ApiError::unprocessable("invalid_request", "`styles` needs at least one style"));
    }
    let mut layers = Vec::with_capacity(request.styles.len());
    for style in request.styles {
        if style.id.contains('/') {
            return Err(ApiError::unprocessable(
                "unknown_style",
                format!("style id `{}` must not contain `/`", style.id),
            ));
        }
        let mut layer = Layer::new(format!("style/{}", style.id));
        layer.params = style.params;
        layer.mix = style.mix;
        layers.push(layer);
    }
    submit(
        &state,
        &caller,
        "styles/apply",
        &headers,
        &body,
        &request.clip_id,
        Stack { layers, overlays: Vec::new() },
        APPLY_COST,
    )
    .await
}

/// `POST /v1/effects/apply`.
#[utoipa::path(post, path = "/v1/effects/apply", operation_id = "apply_effect", tag = "jobs", request_body = EffectsApply,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body returns the same job, charged once")),
    responses((status = 202, body = Accepted), (status = 400, body = super::error::ErrorBody), (status = 402, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody)),
    security(("api_key" = [])))]
pub async fn effects_apply(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    caller.require(Scope::EffectsApply)?;
    let request: EffectsApply = parse_body(&body)?;
    if request.effect.contains('/') {
        return Err(ApiError::unprocessable(
            "unknown_effect",
            format!("effect id `{}` must not contain `/`", request.effect),
        ));
    }
    let mut layer = Layer::new(format!("pikaffect/{}", request.effect));
    layer.params = request.params;
    let stack = Stack { layers: vec![layer], overlays: Vec::new() };
    submit(&state, &caller, "effects/apply", &headers, &body, &request.clip_id, stack, APPLY_COST).await
}

/// `POST /v1/compose`.
#[utoipa::path(post, path = "/v1/compose", operation_id = "compose", tag = "jobs", request_body = Compose,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body returns the same job, charged once")),
    responses((status = 202, body = Accepted), (status = 400, body = super::error::ErrorBody), (status = 402, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody)),
    security(("api_key" = [])))]
pub async fn compose(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    caller.require(Scope::EffectsApply)?;
    let request: Compose = parse_body(&body)?;
    let cost = credits::compose_cost(request.layers.len() + request.overlays.len());
    let overlays = request
        .overlays
        .into_iter()
        .map(|o| Overlay {
            image: o.asset_id,
            position: o.position,
            scale: o.scale,
            opacity: o.opacity,
            start_sec: o.start_sec,
            end_sec: o.end_sec,
        })
        .collect();
    let stack = Stack { layers: request.layers, overlays };
    submit(&state, &caller, "compose", &headers, &body, &request.clip_id, stack, cost).await
}

/// Validates, charges and queues a job.
#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &Arc<ServeState>,
    caller: &Caller,
    endpoint: &'static str,
    headers: &HeaderMap,
    body: &[u8],
    clip_id: &str,
    stack: Stack,
    cost: i64,
) -> ApiResult<Response> {
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value.to_str().ok().filter(|k| !k.is_empty() && k.len() <= 255).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_idempotency_key",
                    "Idempotency-Key must be 1..255 visible ASCII characters",
                )
            })?;
            Some(key.to_owned())
        }
    };
    let request_sha = hex::encode(Sha256::digest([endpoint.as_bytes(), b"\n", body].concat()));

    // Replays skip validation: the first request was valid, and the catalog
    // may have changed since.
    if let Some(key) = &idempotency_key
        && let Some(replay) = state.db.read(|c| find_idempotent(c, &caller.key_id, key, &request_sha))?
    {
        return replay;
    }

    let catalog = state.catalog.current();
    let prepared = state
        .db
        .read(|c| {
            Ok::<_, DbError>(stack.prepare_with(&catalog, |asset| {
                super::assets::locate(c, &state.paths.assets, &caller.account_id, asset)
            }))
        })?
        .map_err(|e| {
            let code = match e {
                crate::stack::StackError::Effect { .. } => match endpoint {
                    "styles/apply" => "unknown_style",
                    "effects/apply" => "unknown_effect",
                    _ => "unknown_effect",
                },
                crate::stack::StackError::Overlay { .. } => "invalid_overlay",
                _ => "invalid_params",
            };
            ApiError::unprocessable(code, e.to_string())
        })?;
    // Pin every layer to the exact version that validated it.
    let mut pinned = stack;
    for (layer, prepared) in pinned.layers.iter_mut().zip(&prepared.layers) {
        layer.effect = prepared.plugin.info().reference();
    }
    let stack_json = serde_json::to_string(&pinned).map_err(|e| ApiError::internal("storing a stack", e))?;

    let now = state.db.now();
    let job_id = new_id("job");
    let accepted = state.db.write(|tx| {
        // Two identical requests racing: the second sees the first's row here.
        if let Some(key) = &idempotency_key
            && let Some(replay) = find_idempotent(tx, &caller.key_id, key, &request_sha)?
        {
            return Ok(Err(replay));
        }
        check_clip(tx, &caller.account_id, clip_id)?;
        credits::roll_period(tx, &caller.account_id, now)?;
        let balance = credits::balance(tx, &caller.account_id)?;
        if balance < cost {
            return Err(ApiError::new(
                StatusCode::PAYMENT_REQUIRED,
                "insufficient_credits",
                format!("this job costs {cost} credits and the balance is {balance}"),
            ));
        }
        tx.execute(
            "INSERT INTO jobs (id, account_id, key_id, endpoint, clip_id, stack, status, credits, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?8)",
            params![job_id, caller.account_id, caller.key_id, endpoint, clip_id, stack_json, cost, now],
        )?;
        credits::charge(tx, &caller.account_id, &job_id, endpoint, cost, now)?;
        if let Some(key) = &idempotency_key {
            tx.execute(
                "INSERT INTO idempotency (key_id, idem_key, request_sha, job_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![caller.key_id, key, request_sha, job_id, now],
            )?;
        }
        webhooks::billing_threshold(tx, &caller.account_id, balance, balance - cost, now)?;
        Ok(Ok(()))
    })?;
    if let Err(replay) = accepted {
        return replay;
    }
    state.scheduler.wake();
    state.webhook_wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(Accepted { job_id, status: "queued".into(), credits: cost })).into_response())
}

/// The stored answer for a repeated idempotency key: the same job when the
/// body is the same, 422 when the key was used for a different request.
fn find_idempotent(
    conn: &Connection,
    key_id: &str,
    key: &str,
    request_sha: &str,
) -> Result<Option<ApiResult<Response>>, ApiError> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT request_sha, job_id FROM idempotency WHERE key_id = ?1 AND idem_key = ?2",
            params![key_id, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((stored_sha, job_id)) = found else { return Ok(None) };
    if stored_sha != request_sha {
        return Ok(Some(Err(ApiError::unprocessable(
            "idempotency_key_reused",
            format!("Idempotency-Key `{key}` was already used for a different request"),
        ))));
    }
    let (status, credits): (String, i64) =
        conn.query_row("SELECT status, credits FROM jobs WHERE id = ?1", [&job_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut response = (StatusCode::ACCEPTED, Json(Accepted { job_id, status, credits })).into_response();
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Some(Ok(response)))
}

fn check_clip(conn: &Connection, account_id: &str, clip_id: &str) -> ApiResult<()> {
    let state: Option<String> = conn
        .query_row("SELECT state FROM clips WHERE id = ?1 AND account_id = ?2", params![clip_id, account_id], |r| {
            r.get(0)
        })
        .optional()?;
    match state.as_deref() {
        Some("active") => Ok(()),
        Some("archived") => Err(ApiError::unprocessable(
            "clip_archived",
            format!("clip `{clip_id}` is archived by the retention policy; upload it again"),
        )),
        _ => Err(ApiError::not_found("clip", clip_id)),
    }
}

/// `GET /v1/jobs/{id}`.
#[utoipa::path(get, path = "/v1/jobs/{id}", operation_id = "get_job", tag = "jobs", params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobView), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn get(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<JobView>> {
    caller.require(Scope::JobsRead)?;
    state.db.read(|c| load(c, &caller.account_id, &id))?.map(Json).ok_or_else(|| ApiError::not_found("job", &id))
}

/// `GET /v1/jobs`: newest first, paginated, optionally by status.
#[utoipa::path(get, path = "/v1/jobs", operation_id = "list_jobs", tag = "jobs", params(ListQuery),
    responses((status = 200, body = JobList), (status = 400, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn list(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<JobList>> {
    caller.require(Scope::JobsRead)?;
    if let Some(status) = &query.status
        && !STATUSES.contains(&status.as_str())
    {
        return Err(ApiError::bad_request(
            "invalid_status",
            format!("unknown status `{status}`; valid: {}", STATUSES.join(", ")),
        ));
    }
    let limit = query.limit.unwrap_or(20).clamp(1, 100) as i64;
    let list = state.db.read(|c| {
        let before: i64 = match &query.starting_after {
            None => i64::MAX,
            Some(cursor) => c
                .query_row(
                    "SELECT seq FROM jobs WHERE id = ?1 AND account_id = ?2",
                    params![cursor, caller.account_id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| ApiError::bad_request("invalid_cursor", format!("unknown cursor `{cursor}`")))?,
        };
        let mut statement = c.prepare(
            "SELECT id FROM jobs WHERE account_id = ?1 AND seq < ?2 AND (?3 IS NULL OR status = ?3)
             ORDER BY seq DESC LIMIT ?4",
        )?;
        let ids = statement
            .query_map(params![caller.account_id, before, query.status, limit + 1], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let has_more = ids.len() as i64 > limit;
        let mut data = Vec::new();
        for id in ids.iter().take(limit as usize) {
            if let Some(job) = load(c, &caller.account_id, id)? {
                data.push(job);
            }
        }
        let next_cursor = if has_more { data.last().map(|j| j.id.clone()) } else { None };
        Ok::<_, ApiError>(JobList { data, has_more, next_cursor })
    })?;
    Ok(Json(list))
}

/// `POST /v1/jobs/{id}/cancel`: a queued job is cancelled and refunded at
/// once; a processing job stops at its next frame (no refund: the work was
/// done); a finished job answers 409.
#[utoipa::path(post, path = "/v1/jobs/{id}/cancel", operation_id = "cancel_job", tag = "jobs", params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobView), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn cancel(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<JobView>> {
    caller.require(Scope::EffectsApply)?;
    let now = state.db.now();
    let view = state.db.write(|tx| {
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM jobs WHERE id = ?1 AND account_id = ?2",
                params![id, caller.account_id],
                |r| r.get(0),
            )
            .optional()?;
        match status.as_deref() {
            None => return Err(ApiError::not_found("job", &id)),
            Some("queued") => {
                tx.execute(
                    "UPDATE jobs SET status = 'cancelled', finished_at = ?2, cancel_requested = 1 WHERE id = ?1",
                    params![id, now],
                )?;
                credits::refund(tx, &id, "cancelled before it started", now)?;
            }
            Some("processing") => {
                tx.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?1", [&id])?;
            }
            Some(other) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "job_finished",
                    format!("job `{id}` is already {other}"),
                ));
            }
        }
        load(tx, &caller.account_id, &id)?.ok_or_else(|| ApiError::not_found("job", &id))
    })?;
    state.scheduler.cancel(&id);
    let _ = super::clips::remove_unneeded_files(&state.db, &state.paths.clips, &state.paths.archive);
    Ok(Json(view))
}

/// Loads a job of `account_id`.
pub fn load(conn: &Connection, account_id: &str, id: &str) -> Result<Option<JobView>, DbError> {
    let row = conn
        .query_row(
            "SELECT id, status, progress, endpoint, clip_id, stack, credits, cancel_requested, created_at, started_at,
                    finished_at, error_code, error_message, result
             FROM jobs WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            |r| {
                let stack: String = r.get(5)?;
                let result: Option<String> = r.get(13)?;
                let error_code: Option<String> = r.get(11)?;
                let error_message: Option<String> = r.get(12)?;
                let result: Option<StoredResult> = result.and_then(|text| serde_json::from_str(&text).ok());
                Ok(JobView {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    progress: r.get(2)?,
                    endpoint: r.get(3)?,
                    clip_id: r.get(4)?,
                    stack: serde_json::from_str(&stack).unwrap_or(Value::Null),
                    credits: r.get(6)?,
                    cancel_requested: r.get(7)?,
                    created_at: rfc3339(r.get(8)?),
                    started_at: r.get::<_, Option<Millis>>(9)?.map(rfc3339),
                    completed_at: r.get::<_, Option<Millis>>(10)?.map(rfc3339),
                    error: error_code.map(|code| JobError { code, message: error_message.unwrap_or_default() }),
                    output: result.as_ref().map(|r| r.output.clone()),
                    provenance: result.map(|r| r.provenance),
                })
            },
        )
        .optional()?;
    Ok(row)
}
