//! Image assets: PNGs uploaded for `compose` overlays (stickers, logos).
//! Checked on arrival (a decodable PNG, at most 4096 pixels per side and
//! 32 MiB); stored as `assets/<id>.png`. Assets live until deleted; a job
//! whose overlay asset was deleted before it ran fails and is refunded.

use super::ServeState;
use super::auth::Caller;
use super::clips::{Received, receive};
use super::clock::rfc3339;
use super::db::{DbError, new_id};
use super::error::{ApiError, ApiResult};
use super::keys::Scope;
use crate::stack::{MAX_OVERLAY_BYTES, decode_png};
use axum::Json;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

/// An image asset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssetView {
    /// Asset id (`asset_...`), used as an overlay's `asset_id`.
    pub id: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size.
    pub size_bytes: i64,
    /// Hex SHA-256 of the PNG.
    pub sha256: String,
    /// When it was uploaded.
    pub created_at: String,
}

fn load(conn: &Connection, account_id: &str, id: &str) -> Result<Option<(AssetView, String, String)>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id, width, height, size_bytes, sha256, created_at, file, state FROM assets
             WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            |r| {
                Ok((
                    AssetView {
                        id: r.get(0)?,
                        width: r.get(1)?,
                        height: r.get(2)?,
                        size_bytes: r.get(3)?,
                        sha256: r.get(4)?,
                        created_at: rfc3339(r.get(5)?),
                    },
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .optional()?)
}

/// The file of an active asset of `account_id`, or a message naming why not.
pub fn locate(conn: &Connection, assets_dir: &std::path::Path, account_id: &str, id: &str) -> Result<PathBuf, String> {
    match load(conn, account_id, id) {
        Ok(Some((_, file, state))) if state == "active" => Ok(assets_dir.join(file)),
        Ok(_) => Err(format!("no image asset with id `{id}` (upload one with POST /v1/assets)")),
        Err(e) => Err(e.to_string()),
    }
}

/// `POST /v1/assets`: upload a PNG (raw body or multipart `file`).
#[utoipa::path(post, path = "/v1/assets", operation_id = "upload_asset", tag = "assets",
    request_body(content = Vec<u8>, description = "A PNG: raw body or multipart/form-data with a `file` field", content_type = "image/png"),
    responses((status = 201, body = AssetView), (status = 400, body = super::error::ErrorBody), (status = 413, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody, description = "Not a PNG, or too large in pixels")),
    security(("api_key" = [])))]
pub async fn upload(State(state): State<Arc<ServeState>>, caller: Caller, request: Request) -> ApiResult<Response> {
    caller.require(Scope::ClipsWrite)?;
    let Received { temp, size, sha256, .. } = receive(&state, request, MAX_OVERLAY_BYTES).await?;
    let path = temp.path().to_owned();
    let (width, height) = tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        decode_png(&bytes).map(|(w, h, _)| (w, h))
    })
    .await
    .map_err(|e| ApiError::internal("checking an image", e))?
    .map_err(|message| ApiError::unprocessable("invalid_image", format!("the upload: {message}")))?;
    let id = new_id("asset");
    let file = format!("{id}.png");
    temp.persist(state.paths.assets.join(&file)).map_err(|e| ApiError::internal("storing an image", e.error))?;
    let now = state.db.now();
    let view = state.db.write(|tx| {
        tx.execute(
            "INSERT INTO assets (id, account_id, file, width, height, size_bytes, sha256, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8)",
            params![id, caller.account_id, file, width, height, size as i64, sha256, now],
        )?;
        Ok::<_, ApiError>(AssetView {
            id: id.clone(),
            width,
            height,
            size_bytes: size as i64,
            sha256,
            created_at: rfc3339(now),
        })
    })?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `GET /v1/assets/{id}`.
#[utoipa::path(get, path = "/v1/assets/{id}", operation_id = "get_asset", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    responses((status = 200, body = AssetView), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn get(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<AssetView>> {
    caller.require(Scope::ClipsRead)?;
    match state.db.read(|c| load(c, &caller.account_id, &id))? {
        Some((view, _, asset_state)) if asset_state == "active" => Ok(Json(view)),
        _ => Err(ApiError::not_found("asset", &id)),
    }
}

/// `DELETE /v1/assets/{id}`: idempotent.
#[utoipa::path(delete, path = "/v1/assets/{id}", operation_id = "delete_asset", tag = "assets", params(("id" = String, Path, description = "Asset id")),
    responses((status = 200, description = "Deleted"), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn delete(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<Value>> {
    caller.require(Scope::ClipsWrite)?;
    let now = state.db.now();
    let file = state.db.write(|tx| {
        let Some((_, file, asset_state)) = load(tx, &caller.account_id, &id)? else {
            return Err(ApiError::not_found("asset", &id));
        };
        if asset_state != "deleted" {
            tx.execute("UPDATE assets SET state = 'deleted', deleted_at = ?2 WHERE id = ?1", params![id, now])?;
        }
        Ok(file)
    })?;
    match std::fs::remove_file(state.paths.assets.join(&file)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!("removing asset {id}: {e}"),
    }
    Ok(Json(json!({"id": id, "deleted": true})))
}
