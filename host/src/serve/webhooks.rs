//! Webhooks: registration, the durable outbox, and delivery.
//!
//! Events are written to the `events` table, with one `deliveries` row per
//! subscribed webhook, in the same transaction as the change they report
//! (a job finishing, a charge crossing the billing threshold): if the
//! change is stored, so is its event, and a crash cannot lose it. The
//! dispatcher sends due deliveries, logs every attempt, and retries
//! failures up to [`MAX_RETRIES`] times with exponential backoff and
//! jitter. A delivery in flight is leased for [`LEASE`]; if the server
//! dies mid-request the lease runs out and the delivery is sent again
//! (at-least-once: receivers de-duplicate on the event `id`).
//!
//! Each request carries `X-Pika-Signature: sha256=<hex HMAC-SHA256 of the
//! raw body, keyed with the webhook's secret>`.
//!
//! Private targets: a webhook URL must be `http` or `https` and its host
//! must not resolve to a loopback, private (RFC 1918, unique-local),
//! link-local, CGNAT, multicast or unspecified address, checked when the
//! webhook is created and again before every delivery (so a DNS change
//! cannot point an accepted webhook at the internal network). The operator
//! can allow private targets with `--webhooks-allow-private` (tests, or a
//! deployment whose receivers live on the internal network). What remains:
//! the check and the connection resolve the name separately, so a DNS
//! server answering differently within milliseconds could still slip
//! through; deployments that need more should route webhooks through an
//! egress proxy.

use super::ServeState;
use super::auth::Caller;
use super::clock::{Millis, rfc3339};
use super::credits;
use super::db::{Db, DbError, new_id, random_hex};
use super::error::{ApiError, ApiResult, parse_body};
use super::keys::Scope;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Retries after the first attempt.
pub const MAX_RETRIES: i64 = 5;
/// How long an attempt may be in flight before the delivery is due again.
pub const LEASE: Duration = Duration::from_secs(60);
/// The events a webhook can subscribe to.
pub const EVENTS: [&str; 3] = ["video.completed", "video.failed", "billing.threshold"];
/// `billing.threshold` fires when a charge takes the balance below this
/// share of the plan's monthly credits.
pub const BILLING_THRESHOLD_SHARE: f64 = 0.2;

/// `POST /v1/webhooks` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where to POST events (`https://...`).
    pub url: String,
    /// Events to receive (default: all).
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

/// A webhook as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    /// Webhook id (`wh_...`).
    pub id: String,
    /// Target URL.
    pub url: String,
    /// Subscribed events.
    pub events: Vec<String>,
    /// When it was created.
    pub created_at: String,
    /// The signing secret: only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Webhooks of the account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookList {
    /// Newest first.
    pub data: Vec<WebhookView>,
}

/// One delivery of one event to one webhook.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    /// Delivery id (`dlv_...`, also sent as `X-Pika-Delivery`).
    pub id: String,
    /// Event id (the payload's `id`).
    pub event_id: String,
    /// Event type.
    pub event: String,
    /// `pending`, `delivered` or `failed` (gave up after all retries).
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    /// When a receiver accepted it.
    pub delivered_at: Option<String>,
    /// Every attempt, oldest first.
    pub log: Vec<AttemptView>,
}

/// One HTTP attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    /// 1-based.
    pub attempt: i64,
    /// When it was made.
    pub at: String,
    /// The receiver's status, if it answered.
    pub http_status: Option<i64>,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Deliveries of one webhook.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryList {
    /// Newest first (at most 100).
    pub data: Vec<DeliveryView>,
}

/// `POST /v1/webhooks`.
#[utoipa::path(post, path = "/v1/webhooks", operation_id = "create_webhook", tag = "webhooks", request_body = CreateWebhook,
    responses((status = 201, body = WebhookView, description = "Created; `secret` is shown only here"), (status = 422, body = super::error::ErrorBody)),
    security(("api_key" = [])))]
pub async fn create(State(state): State<Arc<ServeState>>, caller: Caller, body: Bytes) -> ApiResult<Response> {
    caller.require(Scope::WebhooksManage)?;
    let request: CreateWebhook = parse_body(&body)?;
    let events = request.events.unwrap_or_else(|| EVENTS.map(str::to_owned).to_vec());
    if events.is_empty() {
        return Err(ApiError::unprocessable("invalid_events", "`events` needs at least one event"));
    }
    if let Some(bad) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
        return Err(ApiError::unprocessable(
            "invalid_events",
            format!("unknown event `{bad}`; valid: {}", EVENTS.join(", ")),
        ));
    }
    let allow_private = state.config.webhooks_allow_private;
    let url = request.url.clone();
    tokio::task::spawn_blocking(move || check_target(&url, allow_private))
        .await
        .map_err(|e| ApiError::internal("checking a webhook URL", e))?
        .map_err(|message| ApiError::unprocessable("invalid_webhook_url", message))?;
    let id = new_id("wh");
    let secret = format!("whsec_{}", random_hex(24));
    let now = state.db.now();
    let events_json = serde_json::to_string(&events).unwrap_or_else(|_| "[]".into());
    state.db.write(|tx| {
        tx.execute(
            "INSERT INTO webhooks (id, account_id, url, events, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, caller.account_id, request.url, events_json, secret, now],
        )
        .map_err(DbError::from)
    })?;
    let view = WebhookView { id, url: request.url, events, created_at: rfc3339(now), secret: Some(secret) };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `GET /v1/webhooks`.
#[utoipa::path(get, path = "/v1/webhooks", operation_id = "list_webhooks", tag = "webhooks", responses((status = 200, body = WebhookList)), security(("api_key" = [])))]
pub async fn list(State(state): State<Arc<ServeState>>, caller: Caller) -> ApiResult<Json<WebhookList>> {
    caller.require(Scope::WebhooksManage)?;
    let data = state.db.read(|c| {
        let mut statement = c.prepare(
            "SELECT id, url, events, created_at FROM webhooks WHERE account_id = ?1 AND deleted_at IS NULL
             ORDER BY created_at DESC, id",
        )?;
        let rows = statement
            .query_map([&caller.account_id], |r| {
                let events: String = r.get(2)?;
                Ok(WebhookView {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    events: serde_json::from_str(&events).unwrap_or_default(),
                    created_at: rfc3339(r.get(3)?),
                    secret: None,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, DbError>(rows)
    })?;
    Ok(Json(WebhookList { data }))
}

/// `DELETE /v1/webhooks/{id}`: stops future deliveries (pending ones are
/// dropped); deleting again answers the same.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", operation_id = "delete_webhook", tag = "webhooks", params(("id" = String, Path, description = "Webhook id")),
    responses((status = 200, description = "Deleted"), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn delete(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<Value>> {
    caller.require(Scope::WebhooksManage)?;
    let now = state.db.now();
    state.db.write(|tx| {
        let found: Option<Option<Millis>> = tx
            .query_row(
                "SELECT deleted_at FROM webhooks WHERE id = ?1 AND account_id = ?2",
                params![id, caller.account_id],
                |r| r.get(0),
            )
            .optional()?;
        match found {
            None => Err(ApiError::not_found("webhook", &id)),
            Some(Some(_)) => Ok(()),
            Some(None) => {
                tx.execute("UPDATE webhooks SET deleted_at = ?2 WHERE id = ?1", params![id, now])?;
                tx.execute(
                    "UPDATE deliveries SET status = 'failed' WHERE webhook_id = ?1 AND status = 'pending'",
                    [&id],
                )?;
                Ok(())
            }
        }
    })?;
    Ok(Json(json!({"id": id, "deleted": true})))
}

/// `GET /v1/webhooks/{id}/deliveries`: the delivery log.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", operation_id = "list_deliveries", tag = "webhooks", params(("id" = String, Path, description = "Webhook id")),
    responses((status = 200, body = DeliveryList), (status = 404, body = super::error::ErrorBody)), security(("api_key" = [])))]
pub async fn deliveries(
    State(state): State<Arc<ServeState>>,
    caller: Caller,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<Json<DeliveryList>> {
    caller.require(Scope::WebhooksManage)?;
    let data = state.db.read(|c| {
        let owned: Option<String> = c
            .query_row(
                "SELECT id FROM webhooks WHERE id = ?1 AND account_id = ?2",
                params![id, caller.account_id],
                |r| r.get(0),
            )
            .optional()?;
        if owned.is_none() {
            return Err(ApiError::not_found("webhook", &id));
        }
        let mut statement = c.prepare(
            "SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.next_attempt_at, d.delivered_at
             FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.webhook_id = ?1
             ORDER BY d.created_at DESC, d.id LIMIT 100",
        )?;
        let mut rows = statement
            .query_map([&id], |r| {
                let status: String = r.get(3)?;
                Ok(DeliveryView {
                    id: r.get(0)?,
                    event_id: r.get(1)?,
                    event: r.get(2)?,
                    next_attempt_at: (status == "pending").then(|| r.get::<_, Millis>(5)).transpose()?.map(rfc3339),
                    status,
                    attempts: r.get(4)?,
                    delivered_at: r.get::<_, Option<Millis>>(6)?.map(rfc3339),
                    log: Vec::new(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut attempts = c.prepare(
            "SELECT attempt, at, http_status, error, duration_ms FROM delivery_attempts WHERE delivery_id = ?1
             ORDER BY attempt",
        )?;
        for row in &mut rows {
            row.log = attempts
                .query_map([&row.id], |r| {
                    Ok(AttemptView {
                        attempt: r.get(0)?,
                        at: rfc3339(r.get(1)?),
                        http_status: r.get(2)?,
                        error: r.get(3)?,
                        duration_ms: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
        }
        Ok(rows)
    })?;
    Ok(Json(DeliveryList { data }))
}

/// Queues `event_type` with `payload` (which gets `id` and `event`) for
/// every webhook of the account subscribed to it.
fn enqueue(
    tx: &Transaction<'_>,
    account_id: &str,
    event_type: &str,
    mut payload: Value,
    now: Millis,
) -> Result<(), DbError> {
    let event_id = new_id("evt");
    if let Some(object) = payload.as_object_mut() {
        object.insert("id".into(), event_id.clone().into());
        object.insert("event".into(), event_type.into());
    }
    let mut statement = tx.prepare("SELECT id, events FROM webhooks WHERE account_id = ?1 AND deleted_at IS NULL")?;
    let hooks = statement
        .query_map([account_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    tx.execute(
        "INSERT INTO events (id, account_id, type, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![event_id, account_id, event_type, payload.to_string(), now],
    )?;
    for (hook_id, events) in hooks {
        let events: Vec<String> = serde_json::from_str(&events).unwrap_or_default();
        if events.iter().any(|e| e == event_type) {
            tx.execute(
                "INSERT INTO deliveries (id, event_id, webhook_id, status, next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, 'pending', ?4, ?4)",
                params![new_id("dlv"), event_id, hook_id, now],
            )?;
        }
    }
    Ok(())
}

/// Queues `video.completed` or `video.failed` for a finished job.
pub fn job_event(tx: &Transaction<'_>, job_id: &str, now: Millis) -> Result<(), DbError> {
    struct Finished {
        account_id: String,
        status: String,
        created_at: Millis,
        finished_at: Option<Millis>,
        result: Option<String>,
        error_code: Option<String>,
        error_message: Option<String>,
    }
    let Finished { account_id, status, created_at, finished_at, result, error_code, error_message } = tx.query_row(
        "SELECT account_id, status, created_at, finished_at, result, error_code, error_message FROM jobs WHERE id = ?1",
        [job_id],
        |r| {
            Ok(Finished {
                account_id: r.get(0)?,
                status: r.get(1)?,
                created_at: r.get(2)?,
                finished_at: r.get(3)?,
                result: r.get(4)?,
                error_code: r.get(5)?,
                error_message: r.get(6)?,
            })
        },
    )?;
    let event_type = match status.as_str() {
        "complete" => "video.completed",
        "failed" => "video.failed",
        _ => return Ok(()),
    };
    let plan: String = tx.query_row("SELECT plan FROM accounts WHERE id = ?1", [&account_id], |r| r.get(0))?;
    let credits_used: i64 =
        tx.query_row("SELECT COALESCE(-SUM(amount), 0) FROM ledger WHERE job_id = ?1", [job_id], |r| r.get(0))?;
    let output = result
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|v| v.get("output").cloned())
        .map(|mut output| {
            if let Some(object) = output.as_object_mut() {
                object.remove("clip_id");
            }
            output
        });
    let mut payload = json!({
        "job_id": job_id,
        "created_at": rfc3339(created_at),
        "completed_at": finished_at.map(rfc3339),
        "status": status,
        "output": output,
        "billing": {"credits_used": credits_used, "plan": plan},
    });
    if let (Some(code), Some(object)) = (error_code, payload.as_object_mut()) {
        object.insert("error".into(), json!({"code": code, "message": error_message.unwrap_or_default()}));
    }
    enqueue(tx, &account_id, event_type, payload, now)
}

/// Queues `billing.threshold` when a charge moved the balance from at or
/// above the threshold to below it.
pub fn billing_threshold(
    tx: &Transaction<'_>,
    account_id: &str,
    before: i64,
    after: i64,
    now: Millis,
) -> Result<(), DbError> {
    let plan_name: String = tx.query_row("SELECT plan FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?;
    let monthly = credits::plan(&plan_name).map_or(0, |p| p.monthly_credits);
    let threshold = (monthly as f64 * BILLING_THRESHOLD_SHARE).round() as i64;
    if before >= threshold && after < threshold {
        let payload = json!({
            "created_at": rfc3339(now),
            "billing": {"credits_balance": after, "threshold": threshold, "plan": plan_name},
        });
        enqueue(tx, account_id, "billing.threshold", payload, now)?;
    }
    Ok(())
}

/// `sha256=<hex>` of `body` keyed with `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Checks a webhook URL: scheme, host, and (unless allowed) that it does
/// not resolve to a private address.
pub fn check_target(url: &str, allow_private: bool) -> Result<(), String> {
    let uri: axum::http::Uri = url.parse().map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    let scheme = uri.scheme_str().unwrap_or("");
    if scheme != "http" && scheme != "https" {
        return Err(format!("webhook URLs must be http or https, not `{scheme}`"));
    }
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| format!("`{url}` has no host"))?;
    let port = uri.port_u16().unwrap_or(if scheme == "https" { 443 } else { 80 });
    if allow_private {
        return Ok(());
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<IpAddr> =
        (host, port).to_socket_addrs().map_err(|e| format!("cannot resolve `{host}`: {e}"))?.map(|a| a.ip()).collect();
    if addresses.is_empty() {
        return Err(format!("`{host}` resolves to no address"));
    }
    if let Some(private) = addresses.iter().find(|ip| is_private(ip)) {
        return Err(format!(
            "`{host}` resolves to {private}, a private or local address; webhooks must target the public internet"
        ));
    }
    Ok(())
}

/// Loopback, private, link-local, CGNAT, multicast, unspecified and
/// documentation-only addresses.
pub fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(&IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The delay before retry number `retry` (1-based): `base * 2^(retry-1)`,
/// scaled by a random factor in 0.5..1.5 so that receivers recovering from
/// an outage are not hit by every sender at once.
pub fn backoff(base: Duration, retry: i64) -> Duration {
    let exponential = base.saturating_mul(1u32 << (retry.clamp(1, 16) - 1) as u32);
    let mut byte = [0u8; 1];
    let jitter = if getrandom::fill(&mut byte).is_ok() { 0.5 + f64::from(byte[0]) / 255.0 } else { 1.0 };
    exponential.mul_f64(jitter)
}

/// A delivery ready to send.
struct Due {
    id: String,
    attempts: i64,
    url: String,
    secret: String,
    event_id: String,
    event_type: String,
    payload: String,
}

/// Sends due deliveries until the server stops. Runs on the tokio runtime;
/// HTTP requests run on blocking threads.
pub async fn dispatch(state: Arc<ServeState>) {
    loop {
        match lease_due(&state.db) {
            Ok(due) => {
                let mut tasks = Vec::with_capacity(due.len());
                for delivery in due {
                    let state = state.clone();
                    tasks.push(tokio::task::spawn_blocking(move || send(&state, delivery)));
                }
                for task in tasks {
                    let _ = task.await;
                }
            }
            Err(e) => tracing::error!("reading due webhook deliveries: {e}"),
        }
        let wait = next_due_in(&state.db).unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(1));
        tokio::select! {
            _ = state.webhook_wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

fn next_due_in(db: &Db) -> Option<Duration> {
    let next: Option<Millis> = db
        .read(|c| {
            c.query_row("SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'", [], |r| r.get(0))
                .map_err(DbError::from)
        })
        .ok()?;
    next.map(|at| Duration::from_millis((at - db.now()).max(0) as u64))
}

/// Takes up to 16 due deliveries and leases them.
fn lease_due(db: &Db) -> Result<Vec<Due>, DbError> {
    let now = db.now();
    db.write(|tx| {
        let mut statement = tx.prepare(
            "SELECT d.id, d.attempts, w.url, w.secret, e.id, e.type, e.payload
             FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND w.deleted_at IS NULL
             ORDER BY d.next_attempt_at LIMIT 16",
        )?;
        let due = statement
            .query_map([now], |r| {
                Ok(Due {
                    id: r.get(0)?,
                    attempts: r.get(1)?,
                    url: r.get(2)?,
                    secret: r.get(3)?,
                    event_id: r.get(4)?,
                    event_type: r.get(5)?,
                    payload: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for delivery in &due {
            tx.execute(
                "UPDATE deliveries SET next_attempt_at = ?2 WHERE id = ?1",
                params![delivery.id, now + LEASE.as_millis() as Millis],
            )?;
        }
        Ok(due)
    })
}

fn send(state: &ServeState, delivery: Due) {
    let attempt = delivery.attempts + 1;
    let started = Instant::now();
    let outcome = check_target(&delivery.url, state.config.webhooks_allow_private).and_then(|()| {
        post(&delivery.url, &delivery.secret, &delivery.payload, &delivery.id, &delivery.event_id, &delivery.event_type)
    });
    let duration_ms = started.elapsed().as_millis() as i64;
    let now = state.db.now();
    let (http_status, error, delivered) = match outcome {
        Ok(status) if (200..300).contains(&status) => (Some(i64::from(status)), None, true),
        Ok(status) => (Some(i64::from(status)), Some(format!("the receiver answered HTTP {status}")), false),
        Err(message) => (None, Some(message), false),
    };
    let recorded = state.db.write(|tx| {
        tx.execute(
            "INSERT OR REPLACE INTO delivery_attempts (delivery_id, attempt, at, http_status, error, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![delivery.id, attempt, now, http_status, error, duration_ms],
        )?;
        if delivered {
            tx.execute(
                "UPDATE deliveries SET status = 'delivered', attempts = ?2, delivered_at = ?3 WHERE id = ?1",
                params![delivery.id, attempt, now],
            )?;
        } else if attempt > MAX_RETRIES {
            tx.execute(
                "UPDATE deliveries SET status = 'failed', attempts = ?2 WHERE id = ?1",
                params![delivery.id, attempt],
            )?;
        } else {
            let next = now + backoff(state.config.webhook_retry_base, attempt).as_millis() as Millis;
            tx.execute(
                "UPDATE deliveries SET attempts = ?2, next_attempt_at = ?3 WHERE id = ?1",
                params![delivery.id, attempt, next],
            )?;
        }
        Ok::<_, DbError>(())
    });
    if let Err(e) = recorded {
        tracing::error!("recording webhook delivery {}: {e}", delivery.id);
    }
}

fn post(
    url: &str,
    secret: &str,
    payload: &str,
    delivery_id: &str,
    event_id: &str,
    event_type: &str,
) -> Result<u16, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = agent
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", concat!("pikafx-webhooks/", env!("CARGO_PKG_VERSION")))
        .header("x-pika-signature", &signature(secret, payload.as_bytes()))
        .header("x-pika-event", event_type)
        .header("x-pika-event-id", event_id)
        .header("x-pika-delivery", delivery_id)
        .send(payload.as_bytes())
        .map_err(|e| format!("request failed: {e}"))?;
    Ok(response.status().as_u16())
}

/// Deliveries still pending (for `/metrics`).
pub fn pending_count(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn private_targets_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://169.254.169.254/latest",
            "http://100.64.0.1/",
        ] {
            assert!(check_target(url, false).is_err(), "{url} should be refused");
            assert!(check_target(url, true).is_ok(), "{url} allowed when private targets are");
        }
        assert!(check_target("ftp://example.com/", true).is_err());
        assert!(check_target("not a url", true).is_err());
        assert!(!is_private(&"93.184.216.34".parse().expect("ip")));
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        let base = Duration::from_millis(1000);
        for retry in 1..=5 {
            let d = backoff(base, retry).as_millis();
            let nominal = 1000u128 << (retry - 1);
            assert!(d >= nominal / 2 && d <= nominal * 3 / 2, "retry {retry}: {d} ms");
        }
    }
}
