//! Clips: uploaded sources and rendered outputs, stored as files in the
//! clip directory with their metadata in the `clips` table.
//!
//! An upload streams to a temporary file (never whole into memory), is
//! probed with ffmpeg (container, video stream, size limits, one decoded
//! frame) and only then gets an id and a row: a rejected upload leaves
//! nothing behind. Deleting a clip also deletes the outputs rendered from
//! it (they show the same content); a file is removed as soon as no queued
//! or running job still reads it.

use super::ServeState;
use super::auth::Caller;
use super::clock::{Millis, rfc3339};
use super::db::{Db, DbError, new_id};
use super::error::{ApiError, ApiResult};
use super::keys::Scope;
use crate::media::{MediaError, MediaLimits, Source, SourceItem};
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path as UrlPath, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

/// A clip as the API shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClipView {
    /// Clip id (`clip_...`).
    pub id: String,
    /// `upload` or `output` (rendered by a job).
    pub origin: String,
    /// The uploaded file's name, when it had one.
    pub filename: Option<String>,
    /// File size.
    pub size_bytes: i64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Frames per second.
    pub fps: f64,
    /// Duration in seconds.
    pub duration_sec: f64,
    /// Video codec.
    pub codec: String,
    /// Whether it has an audio track.
    pub has_audio: bool,
    /// `active`, `archived` (kept, not downloadable) or `deleted`.
    pub state: String,
    /// When it was stored.
    pub created_at: String,
    /// Where to download it.
    pub content_url: String,
}

/// What the probe learned about a stored file.
#[derive(Clone, Debug)]
pub struct Probe {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Frames per second.
    pub fps: f64,
    /// Seconds.
    pub duration_sec: f64,
    /// Codec name.
    pub codec: String,
    /// Audio present.
    pub has_audio: bool,
}

/// A new clip row.
pub struct NewClip<'a> {
    /// Owner.
    pub account_id: &'a str,
    /// `upload` or `output`.
    pub origin: &'a str,
    /// File name inside the clip directory.
    pub file: &'a str,
    /// Client-side name.
    pub filename: Option<&'a str>,
    /// Size.
    pub size_bytes: i64,
    /// Hex SHA-256.
    pub sha256: &'a str,
    /// Probe results.
    pub probe: &'a Probe,
}

/// Inserts a clip row; returns its id.
pub fn insert(conn: &Connection, clip: &NewClip<'_>, id: &str, now: Millis) -> Result<(), DbError> {
    let p = clip.probe;
    conn.execute(
        "INSERT INTO clips (id, account_id, origin, file, filename, size_bytes, sha256, width, height, fps,
                            duration_sec, codec, has_audio, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'active', ?14)",
        params![
            id,
            clip.account_id,
            clip.origin,
            clip.file,
            clip.filename,
            clip.size_bytes,
            clip.sha256,
            p.width,
            p.height,
            p.fps,
            p.duration_sec,
            p.codec,
            p.has_audio,
            now
        ],
    )?;
    Ok(())
}

/// A stored clip row.
#[derive(Clone, Debug)]
pub struct ClipRow {
    /// Id.
    pub id: String,
    /// Owner.
    pub account_id: String,
    /// File name inside the clip or archive directory.
    pub file: String,
    /// Lifecycle state.
    pub state: String,
    /// The API view.
    pub view: ClipView,
}

/// Loads a clip of `account_id` (None for other accounts' clips too, so
/// ids do not leak across accounts).
pub fn load(conn: &Connection, base_url: &str, account_id: &str, id: &str) -> Result<Option<ClipRow>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id, account_id, origin, file, filename, size_bytes, sha256, width, height, fps, duration_sec,
                    codec, has_audio, state, created_at
             FROM clips WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            |r| {
                let id: String = r.get(0)?;
                let state: String = r.get(13)?;
                Ok(ClipRow {
                    account_id: r.get(1)?,
                    file: r.get(3)?,
                    state: state.clone(),
                    view: ClipView {
                        content_url: format!("{base_url}/v1/clips/{id}/content"),
                        id: id.clone(),
                        origin: r.get(2)?,
                        filename: r.get(4)?,
                        size_bytes: r.get(5)?,
                        sha256: r.get(6)?,
                        width: r.get(7)?,
                        height: r.get(8)?,
                        fps: r.get(9)?,
                        duration_sec: r.get(10)?,
                        codec: r.get(11)?,
                        has_audio: r.get(12)?,
                        state,
                        created_at: rfc3339(r.get(14)?),
                    },
                    id,
                })
            },
        )
        .optional()?)
}

/// `POST /v1/clips`: upload a clip as the raw request body or as the
/// `file` field of a multipart form.
#[utoipa::path(post, path = "/v1/clips", operation_id = "upload_clip", tag = "clips",
    request_body(content = Vec<u8>, description = "The video file: raw body (any video Content-Type) or multipart/form-data with a `file` field", content_type = "application/octet-stream"),
    responses((status = 201, body = ClipView), (status = 400, body = super::error::ErrorBody), (status = 413, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody, description = "Not a readable video, or frames too large")),
    security(("api_key" = [])))]
pub async fn upload(State(state): State<Arc<ServeState>>, caller: Caller, request: Request) -> ApiResult<Response> {
    caller.require(Scope::ClipsWrite)?;
    let Received { temp, size: written, sha256: sha, filename } =
        receive(&state, request, state.config.max_upload_bytes).await?;
    let limits = state.config.limits.clone();
    let temp_path = temp.path().to_owned();
    let probe = tokio::task::spawn_blocking(move || probe(&temp_path, &limits))
        .await
        .map_err(|e| ApiError::internal("probing an upload", e))?
        .map_err(|e| {
            let status =
                if matches!(e, MediaError::TooLarge { .. }) { "too_large_dimensions" } else { "invalid_media" };
            ApiError::unprocessable(status, redact_path(&e.to_string(), temp.path()))
        })?;

    let id = new_id("clip");
    let file = format!("{id}.video");
    temp.persist(state.paths.clips.join(&file)).map_err(|e| ApiError::internal("storing an upload", e.error))?;
    let now = state.db.now();
    let clip = NewClip {
        account_id: &caller.account_id,
        origin: "upload",
        file: &file,
        filename: filename.as_deref(),
        size_bytes: written as i64,
        sha256: &sha,
        probe: &probe,
    };
    let stored = state.db.write(|tx| {
        insert(tx, &clip, &id, now)?;
        load(tx, &state.config.base_url, &caller.account_id, &id)
    });
    match stored {
        Ok(Some(row)) => Ok((StatusCode::CREATED, Json(row.view)).into_response()),
        Ok(None) => Err(ApiError::internal("storing an upload", "the new row vanished")),
        Err(e) => {
            let _ = std::fs::remove_file(state.paths.clips.join(&file));
            Err(e.into())
        }
    }
}

/// `GET /v1/clips/{id}`: the clip's metadata.
#[utoipa::path(get, path = "/v1/clips/{id}", operation_id = "get_clip", tag = "clips", params(("id" = String, Path, description = "Clip id")),
    responses((status = 200, body = ClipView), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn get(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<ClipView>> {
    caller.require(Scope::ClipsRead)?;
    let row = state.db.read(|c| load(c, &state.config.base_url, &caller.account_id, &id))?;
    match row {
        Some(row) if row.state != "deleted" => Ok(Json(row.view)),
        _ => Err(ApiError::not_found("clip", &id)),
    }
}

/// `GET /v1/clips/{id}/content`: download the file (supports `Range`).
#[utoipa::path(get, path = "/v1/clips/{id}/content", operation_id = "download_clip", tag = "clips", params(("id" = String, Path, description = "Clip id")),
    responses((status = 200, description = "The file", content_type = "video/mp4"), (status = 206, description = "The requested byte range"), (status = 404, body = super::error::ErrorBody), (status = 410, body = super::error::ErrorBody, description = "Archived by the retention policy")),
    security(("api_key" = [])))]
pub async fn content(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
    request: Request,
) -> ApiResult<Response> {
    caller.require(Scope::ClipsRead)?;
    let row = state.db.read(|c| load(c, &state.config.base_url, &caller.account_id, &id))?;
    let row = match row {
        Some(row) if row.state == "active" => row,
        Some(row) if row.state == "archived" => {
            return Err(ApiError::new(
                StatusCode::GONE,
                "clip_archived",
                format!("clip `{id}` is archived by the retention policy and can no longer be downloaded"),
            ));
        }
        _ => return Err(ApiError::not_found("clip", &id)),
    };
    let mime = mime_for(row.view.filename.as_deref().unwrap_or(if row.view.origin == "output" { "x.mp4" } else { "" }));
    let path = state.paths.clips.join(&row.file);
    let response = tower_http::services::ServeFile::new_with_mime(&path, &mime)
        .oneshot(request)
        .await
        .map_err(|e| ApiError::internal("reading a clip", e))?;
    Ok(response.map(Body::new))
}

/// Result of `DELETE /v1/clips/{id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deleted {
    /// The clip id.
    pub id: String,
    /// Always true.
    pub deleted: bool,
    /// Output clips rendered from it that were deleted with it.
    pub also_deleted: Vec<String>,
}

/// `DELETE /v1/clips/{id}`: idempotent; deleting again answers the same.
#[utoipa::path(delete, path = "/v1/clips/{id}", operation_id = "delete_clip", tag = "clips", params(("id" = String, Path, description = "Clip id")),
    responses((status = 200, body = Deleted), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn delete(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<Deleted>> {
    caller.require(Scope::ClipsWrite)?;
    let now = state.db.now();
    let also = state.db.write(|tx| {
        let exists: Option<String> = tx
            .query_row(
                "SELECT state FROM clips WHERE id = ?1 AND account_id = ?2",
                params![id, caller.account_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(ApiError::not_found("clip", &id));
        }
        Ok(mark_deleted(tx, &id, now)?)
    })?;
    remove_unneeded_files(&state.db, &state.paths.clips, &state.paths.archive)
        .map_err(|e| ApiError::internal("removing clip files", e))?;
    Ok(Json(Deleted { id, deleted: true, also_deleted: also }))
}

/// Marks `id` and every output rendered from it (transitively) deleted.
/// Returns the outputs newly deleted with it.
pub fn mark_deleted(conn: &Connection, id: &str, now: Millis) -> Result<Vec<String>, DbError> {
    let mut pending = vec![id.to_owned()];
    let mut also = Vec::new();
    while let Some(clip) = pending.pop() {
        let changed = conn.execute(
            "UPDATE clips SET state = 'deleted', deleted_at = ?2 WHERE id = ?1 AND state != 'deleted'",
            params![clip, now],
        )?;
        if clip != id && changed == 1 {
            also.push(clip.clone());
        }
        let mut statement =
            conn.prepare("SELECT output_clip_id FROM jobs WHERE clip_id = ?1 AND output_clip_id IS NOT NULL")?;
        let outputs = statement.query_map([&clip], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        pending.extend(outputs.into_iter().filter(|o| !also.contains(o) && o != id));
    }
    Ok(also)
}

/// An upload streamed to a temporary file.
pub struct Received {
    /// The file (removed when dropped unless persisted).
    pub temp: tempfile::NamedTempFile,
    /// Bytes received.
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The multipart file name, cleaned.
    pub filename: Option<String>,
}

/// Streams a raw or multipart (`file` field) upload of at most `max` bytes
/// into the temporary directory. Refuses by `Content-Length` before reading
/// when it announces too much, and empty uploads.
pub async fn receive(state: &Arc<ServeState>, request: Request, max: u64) -> ApiResult<Received> {
    if let Some(length) =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        && length > max
    {
        return Err(too_large(max));
    }
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let temp = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(&state.paths.tmp)
        .map_err(|e| ApiError::internal("creating an upload file", e))?;
    let (size, sha256, filename) = if is_multipart {
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::bad_request("invalid_multipart", e.body_text()))?;
        let mut found = None;
        while let Some(field) =
            form.next_field().await.map_err(|e| ApiError::bad_request("invalid_multipart", e.body_text()))?
        {
            if field.name() == Some("file") {
                let filename = field.file_name().map(sanitize_filename);
                let stream = field.map(|chunk| chunk.map_err(|e| e.body_text()));
                let (n, sha) = write_limited(stream, temp.path(), max).await?;
                found = Some((n, sha, filename));
                break;
            }
        }
        found.ok_or_else(|| ApiError::bad_request("missing_file", "the multipart form has no `file` field"))?
    } else {
        let stream = request.into_body().into_data_stream().map(|chunk| chunk.map_err(|e| e.to_string()));
        let (n, sha) = write_limited(stream, temp.path(), max).await?;
        (n, sha, None)
    };
    if size == 0 {
        return Err(ApiError::bad_request("empty_upload", "the upload has no bytes"));
    }
    Ok(Received { temp, size, sha256, filename })
}

/// Removes the files of deleted clips that no queued or running job reads.
/// Returns how many were removed.
pub fn remove_unneeded_files(db: &Db, clips_dir: &Path, archive_dir: &Path) -> Result<usize, DbError> {
    let files: Vec<(String, String)> = db.read(|c| {
        let mut statement = c.prepare(
            "SELECT id, file FROM clips c WHERE state = 'deleted' AND file_present = 1
             AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.clip_id = c.id AND j.status IN ('queued', 'processing'))",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
        Ok::<_, DbError>(rows)
    })?;
    for (id, file) in &files {
        for dir in [clips_dir, archive_dir] {
            match std::fs::remove_file(dir.join(file)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!("removing {}: {e}", dir.join(file).display()),
            }
        }
        db.write(|tx| tx.execute("UPDATE clips SET file_present = 0 WHERE id = ?1", [id]).map_err(DbError::from))?;
    }
    Ok(files.len())
}

/// Probes a stored file: container, video stream, limits, and one frame
/// actually decoded (a header alone does not make a playable clip).
pub fn probe(path: &Path, limits: &MediaLimits) -> Result<Probe, MediaError> {
    let mut source = Source::open(path, limits)?;
    let info = source.info().clone();
    loop {
        match source.next_item()? {
            Some(SourceItem::Video(_)) => break,
            Some(SourceItem::Audio(_)) => continue,
            None => {
                return Err(MediaError::Open {
                    path: path.to_owned(),
                    reason: "no video frame could be decoded".into(),
                });
            }
        }
    }
    Ok(Probe {
        width: info.width,
        height: info.height,
        fps: info.fps,
        duration_sec: info.duration_sec,
        codec: info.codec_name,
        has_audio: info.audio_stream_count > 0,
    })
}

async fn write_limited(
    mut stream: impl Stream<Item = Result<bytes::Bytes, String>> + Unpin,
    path: &Path,
    max: u64,
) -> ApiResult<(u64, String)> {
    let mut file = tokio::fs::File::create(path).await.map_err(|e| ApiError::internal("writing an upload", e))?;
    let mut hasher = Sha256::new();
    let mut written = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request("upload_interrupted", format!("reading the upload: {e}")))?;
        written += chunk.len() as u64;
        if written > max {
            return Err(too_large(max));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(|e| ApiError::internal("writing an upload", e))?;
    }
    file.flush().await.map_err(|e| ApiError::internal("writing an upload", e))?;
    Ok((written, hex::encode(hasher.finalize())))
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_too_large",
        format!("the upload is larger than this server accepts ({} MiB)", max >> 20),
    )
}

/// Media errors name the file; the client should not see server paths.
fn redact_path(message: &str, path: &Path) -> String {
    message.replace(&path.display().to_string(), "the upload")
}

/// A file name safe to echo back: its last path component, printable
/// characters only, at most 200 of them.
fn sanitize_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    last.chars().filter(|c| !c.is_control()).take(200).collect()
}

fn mime_for(filename: &str) -> mime::Mime {
    let extension = PathBuf::from(filename).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("mp4" | "m4v") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("webm") => "video/webm",
        Some("mkv") => "video/x-matroska",
        _ => "application/octet-stream",
    }
    .parse()
    .unwrap_or(mime::APPLICATION_OCTET_STREAM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_cleaned_and_paths_redacted() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\clips\\a\nb.mp4"), "ab.mp4");
        assert_eq!(
            redact_path("/srv/tmp/upload-1: not a readable media file", Path::new("/srv/tmp/upload-1")),
            "the upload: not a readable media file"
        );
        assert_eq!(mime_for("x.MP4").as_ref(), "video/mp4");
        assert_eq!(mime_for(""), mime::APPLICATION_OCTET_STREAM);
    }
}
