//! Who is calling: the `Authorization: Bearer sk-pika-...` key, checked
//! against the store, the transport rules and the key's rate limit.
//!
//! Transport rule: a key must not cross a network in clear text. Over
//! plain HTTP the server binds to loopback; when it is told it sits behind
//! a TLS proxy it may bind elsewhere, and then a request from a
//! non-loopback peer must carry `X-Forwarded-Proto: https` or its key is
//! rejected (403 `insecure_transport`) before it is even looked up.

use super::ServeState;
use super::error::ApiError;
use super::keys::{self, Scope};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// How clients reach the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// The server speaks TLS itself.
    Tls,
    /// Plain HTTP on loopback.
    Loopback,
    /// Plain HTTP behind a TLS-terminating proxy.
    BehindTlsProxy,
}

/// Requests per minute and burst, per key.
pub struct RateLimits {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    /// `per_minute` sustained requests with bursts of up to `burst`.
    pub fn new(per_minute: NonZeroU32, burst: NonZeroU32) -> Self {
        Self { limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)) }
    }

    /// `Ok` if `key_id` may make a request now, else the seconds to wait.
    pub fn check(&self, key_id: &str) -> Result<(), u64> {
        self.limiter.check_key(&key_id.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forgets keys whose buckets are full again (memory bound).
    pub fn shrink(&self) {
        self.limiter.retain_recent();
    }
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The key's id.
    pub key_id: String,
    /// The account the key belongs to.
    pub account_id: String,
    scopes: Vec<Scope>,
}

impl Caller {
    /// 403 unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "missing_scope",
                format!("this API key lacks the `{scope}` scope needed here"),
            ))
        }
    }
}

impl FromRequestParts<Arc<ServeState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<ServeState>) -> Result<Self, Self::Rejection> {
        check_transport(parts, state.config.transport)?;
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing_api_key",
                "send your API key as `Authorization: Bearer sk-pika-...`",
            )
        })?;
        let key =
            header.to_str().ok().and_then(|value| value.strip_prefix("Bearer ")).map(str::trim).ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_api_key",
                    "the Authorization header must be `Bearer <key>`",
                )
            })?;
        let owner = keys::authenticate(&state.db, key)?.ok_or_else(|| {
            ApiError::new(StatusCode::UNAUTHORIZED, "invalid_api_key", "the API key is unknown or revoked")
        })?;
        state.rate_limits.check(&owner.key_id).map_err(|seconds| ApiError {
            retry_after: Some(seconds.max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests for this API key; retry in {} s", seconds.max(1)),
            )
        })?;
        Ok(Caller { key_id: owner.key_id, account_id: owner.account_id, scopes: owner.scopes })
    }
}

fn check_transport(parts: &Parts, transport: Transport) -> Result<(), ApiError> {
    let peer_is_loopback =
        parts.extensions.get::<ConnectInfo<SocketAddr>>().is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback());
    let forwarded_https = parts
        .headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let secure = match transport {
        Transport::Tls => true,
        Transport::Loopback => peer_is_loopback,
        Transport::BehindTlsProxy => peer_is_loopback || forwarded_https,
    };
    if secure {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "insecure_transport",
            "API keys are not accepted over plain HTTP from another host; use HTTPS",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = axum::http::Request::builder();
        if let Some(proto) = forwarded {
            request = request.header("x-forwarded-proto", proto);
        }
        let addr: SocketAddr = peer.parse().expect("socket address");
        request.extension(ConnectInfo(addr)).body(()).expect("request").into_parts().0
    }

    #[test]
    fn keys_never_travel_in_clear_text_from_other_hosts() {
        let remote = "203.0.113.7:5000";
        assert!(check_transport(&parts("127.0.0.1:5000", None), Transport::Loopback).is_ok());
        assert!(check_transport(&parts(remote, None), Transport::Loopback).is_err());
        assert!(check_transport(&parts(remote, Some("https")), Transport::Loopback).is_err(), "no proxy configured");
        assert!(check_transport(&parts(remote, None), Transport::BehindTlsProxy).is_err());
        assert!(check_transport(&parts(remote, Some("http")), Transport::BehindTlsProxy).is_err());
        assert!(check_transport(&parts(remote, Some("HTTPS")), Transport::BehindTlsProxy).is_ok());
        assert!(check_transport(&parts(remote, None), Transport::Tls).is_ok());
        let refused = check_transport(&parts(remote, None), Transport::Loopback).expect_err("refused");
        assert_eq!((refused.status, refused.code), (StatusCode::FORBIDDEN, "insecure_transport"));
    }

    #[test]
    fn the_burst_is_allowed_then_requests_wait() {
        let limits = RateLimits::new(NonZeroU32::new(60).expect("nz"), NonZeroU32::new(3).expect("nz"));
        for _ in 0..3 {
            assert!(limits.check("k").is_ok());
        }
        let wait = limits.check("k").expect_err("over the burst");
        assert!((1..=2).contains(&wait), "one token per second: wait {wait}");
        assert!(limits.check("other").is_ok(), "keys are limited separately");
    }
}
