//! End-to-end tests of `pikafx serve`: a real server process on 127.0.0.1,
//! a real HTTP client, a real SQLite file (DESIGN.md §5, issue 4).

mod common;

use common::server::{ApiServer, Client, create_key};
use common::*;
use serde_json::{Value, json};
use std::time::Duration;

const JOB_WAIT: Duration = Duration::from_secs(120);

fn balance(client: &Client) -> i64 {
    let usage = client.get("/v1/account/usage");
    assert_eq!(usage.status, 200, "{}", usage.json);
    usage.json["credits_balance"].as_i64().expect("balance")
}

/// Sends only the headers of an upload announcing `length` bytes and
/// returns the status line the server answers with.
fn status_of_headers_only(url: &str, key: &str, length: u64) -> String {
    use std::io::{BufRead, BufReader, Write};
    let address = url.strip_prefix("http://").expect("plain HTTP");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "POST /v1/clips HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {key}\r\ncontent-type: video/mp4\r\ncontent-length: {length}\r\n\r\n"
    )
    .expect("send headers");
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).expect("status line");
    line
}

#[test]
fn clips_upload_probe_download_and_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "pro", "");
    let (other_key, _) = create_key(&data, "globex", "pro", "");
    let server = ApiServer::start(&data, &["--max-upload-mb", "1", "--max-dimension", "400"]);
    let api = server.client(&key);
    let clip = testsrc_with_audio(dir.path(), "clip.mp4", "320x240", 1.0);
    let original = std::fs::read(&clip).expect("clip bytes");

    // Raw body upload, probed on arrival.
    let up = api.upload(&clip);
    assert_eq!(up.status, 201, "{}", up.json);
    let id = up.json["id"].as_str().expect("id").to_owned();
    assert_eq!((up.json["width"].as_u64(), up.json["height"].as_u64()), (Some(320), Some(240)));
    assert_eq!(up.json["has_audio"], json!(true));
    assert_eq!(up.json["size_bytes"].as_u64(), Some(original.len() as u64));

    // Multipart upload keeps the (cleaned) file name.
    let boundary = "XyZzY";
    let mut form = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"../holiday.mp4\"\r\ncontent-type: video/mp4\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&original);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let multi = api.post_with("/v1/clips", &form, &[("content-type", content_type.as_str())]);
    assert_eq!(multi.status, 201, "{}", multi.json);
    assert_eq!(multi.json["filename"], json!("holiday.mp4"));

    // Bad uploads: 4xx naming the reason, and nothing stored.
    let files_before = std::fs::read_dir(data.join("clips")).expect("clips dir").count();
    let text = api.post_with("/v1/clips", b"this is not a video at all", &[("content-type", "video/mp4")]);
    assert_eq!((text.status, text.json["error"]["code"].as_str()), (422, Some("invalid_media")), "{}", text.json);
    assert!(
        !text.json["error"]["message"].as_str().unwrap_or("").contains(data.to_str().expect("utf-8")),
        "no server paths"
    );
    let empty = api.post_with("/v1/clips", b"", &[("content-type", "video/mp4")]);
    assert_eq!(empty.status, 400);
    let big = testsrc(dir.path(), "big.mp4", "640x360", 5, 0.4);
    let too_big = api.upload(&big);
    assert_eq!((too_big.status, too_big.json["error"]["code"].as_str()), (422, Some("too_large_dimensions")));
    // Refused from the Content-Length alone, before the body is sent.
    let too_long = status_of_headers_only(&server.url, &key, 1 << 30);
    assert!(too_long.starts_with("HTTP/1.1 413"), "{too_long}");
    let truncated = dir.path().join("truncated.mp4");
    std::fs::write(&truncated, &original[..original.len() / 3]).expect("write");
    let cut = api.upload(&truncated);
    assert_eq!(cut.status, 422, "a third of an mp4 (no moov atom) is refused: {}", cut.json);
    assert_eq!(std::fs::read_dir(data.join("clips")).expect("clips dir").count(), files_before);
    assert_eq!(std::fs::read_dir(data.join("tmp")).expect("tmp dir").count(), 0, "no leftovers");

    // Metadata, full download, ranges.
    let meta = api.get(&format!("/v1/clips/{id}"));
    assert_eq!((meta.status, meta.json["sha256"].clone()), (200, up.json["sha256"].clone()));
    let full = api.get(&format!("/v1/clips/{id}/content"));
    assert_eq!(full.status, 200);
    assert_eq!(full.bytes, original, "download is byte-identical");
    let part = api.get_with(&format!("/v1/clips/{id}/content"), &[("range", "bytes=100-199")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, original[100..200].to_vec());
    assert_eq!(part.content_range.as_deref(), Some(format!("bytes 100-199/{}", original.len()).as_str()));

    // Other accounts cannot see it.
    let stranger = server.client(&other_key);
    assert_eq!(stranger.get(&format!("/v1/clips/{id}")).status, 404);
    assert_eq!(stranger.delete(&format!("/v1/clips/{id}")).status, 404);

    // Delete is idempotent and removes the file.
    let first = api.delete(&format!("/v1/clips/{id}"));
    assert_eq!((first.status, first.json["deleted"].clone()), (200, json!(true)));
    let second = api.delete(&format!("/v1/clips/{id}"));
    assert_eq!(second.status, 200, "second delete is not an error: {}", second.json);
    assert_eq!(api.get(&format!("/v1/clips/{id}")).status, 404);
    assert_eq!(api.get(&format!("/v1/clips/{id}/content")).status, 404);
    assert!(!data.join("clips").join(format!("{id}.video")).exists(), "file removed");
    assert_eq!(api.delete("/v1/clips/clip_doesnotexist").status, 404);
}

#[test]
fn keys_scopes_transport_and_rate_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (full, full_id) = create_key(&data, "acme", "pro", "");
    let (reader, _) = create_key(&data, "acme", "pro", "jobs:read,clips:read");
    let server = ApiServer::start(&data, &["--rate-per-minute", "60", "--rate-burst", "5"]);

    let anonymous = Client::new(&server.url, "");
    let missing = anonymous.get("/v1/jobs");
    assert_eq!((missing.status, missing.json["error"]["code"].as_str()), (401, Some("missing_api_key")));
    let wrong = Client::new(&server.url, "sk-pika-000000000000000000000000000000000000000000000000");
    assert_eq!(wrong.get("/v1/jobs").status, 401);

    // Scopes.
    let limited = server.client(&reader);
    let clip = testsrc(dir.path(), "clip.mp4", "160x120", 10, 0.5);
    let denied = limited.upload(&clip);
    assert_eq!((denied.status, denied.json["error"]["code"].as_str()), (403, Some("missing_scope")));
    assert!(denied.json["error"]["message"].as_str().unwrap_or("").contains("clips:write"));
    assert_eq!(limited.get("/v1/account/usage").status, 403);
    assert_eq!(limited.get("/v1/webhooks").status, 403);
    assert_eq!(limited.get("/v1/jobs").status, 200);

    // Keys are stored hashed, listed without secrets.
    let db_bytes = std::fs::read(data.join("pikafx.db")).unwrap_or_default();
    let wal_bytes = std::fs::read(data.join("pikafx.db-wal")).unwrap_or_default();
    for bytes in [&db_bytes, &wal_bytes] {
        assert!(!bytes.windows(full.len()).any(|w| w == full.as_bytes()), "the key itself is not stored");
    }
    let listed = pikafx_ok(&["keys", "list", "--json", "--data-dir", data.to_str().expect("utf-8")]);
    assert!(!listed.contains(&full) && listed.contains(&full_id));

    // Rate limit: burst of 5, then 429 with Retry-After.
    let api = server.client(&full);
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..8 {
        let reply = api.get("/v1/jobs");
        if reply.status == 429 {
            retry_after = reply.retry_after.clone();
            assert_eq!(reply.json["error"]["code"], json!("rate_limited"));
        }
        statuses.push(reply.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "the burst: {statuses:?}");
    assert_eq!(statuses[5..], [429, 429, 429]);
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=2).contains(&seconds), "one request per second refills: {seconds}");
    assert_eq!(limited.get("/v1/jobs").status, 200, "limits are per key");

    // Rotation and revocation take effect on the running server.
    let rotated = pikafx_ok(&["keys", "rotate", &full_id, "--json", "--data-dir", data.to_str().expect("utf-8")]);
    let rotated: Value = serde_json::from_str(&rotated).expect("JSON");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(api.get("/v1/jobs").status, 401, "the old key stops working");
    let new_key = rotated["key"].as_str().expect("new key");
    assert_eq!(server.client(new_key).get("/v1/jobs").status, 200);

    // Webhooks to private addresses are refused unless the operator allows them.
    let private = server.client(new_key).post("/v1/webhooks", &json!({"url": "http://127.0.0.1:9/hook"}));
    assert_eq!((private.status, private.json["error"]["code"].as_str()), (422, Some("invalid_webhook_url")));
    assert!(private.json["error"]["message"].as_str().unwrap_or("").contains("private"), "{}", private.json);

    let new_id = rotated["id"].as_str().expect("id");
    pikafx_ok(&["keys", "revoke", new_id, "--data-dir", data.to_str().expect("utf-8")]);
    assert_eq!(server.client(new_key).get("/v1/jobs").status, 401);

    // Plain HTTP refuses non-loopback addresses unless behind a TLS proxy.
    let refused = ApiServer::try_start(&dir.path().join("other"), &["--listen", "0.0.0.0:0"]);
    let refused = refused.err().expect("refuses to start");
    assert!(refused.contains("refusing to serve plain HTTP"), "{refused}");
}

#[test]
fn tls_serves_https() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let out = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let data = dir.path().join("data");
    let (api_key, _) = create_key(&data, "acme", "pro", "");
    let server = ApiServer::start(
        &data,
        &["--tls-cert", cert.to_str().expect("utf-8"), "--tls-key", key.to_str().expect("utf-8")],
    );
    assert!(server.url.starts_with("https://127.0.0.1:"), "{}", server.url);
    let tls = ureq::tls::TlsConfig::builder().disable_verification(true).build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).http_status_as_error(false).build().into();
    let mut reply = agent
        .get(&format!("{}/v1/account/usage", server.url))
        .header("authorization", &format!("Bearer {api_key}"))
        .call()
        .expect("HTTPS request");
    assert_eq!(reply.status().as_u16(), 200);
    let usage: Value = reply.body_mut().read_json().expect("JSON");
    assert_eq!(usage["plan"], json!("pro"));
    let plain = server.url.replacen("https://", "http://", 1);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    assert!(agent.get(&format!("{plain}/healthz")).call().is_err(), "plain HTTP is not spoken on the TLS port");
}

#[test]
fn jobs_validate_charge_render_and_refuse_without_credits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "free", "");
    let server = ApiServer::start(&data, &[]);
    let api = server.client(&key);
    let clip_path = testsrc_with_audio(dir.path(), "clip.mp4", "320x240", 1.0);
    let clip = api.upload_ok(&clip_path);
    assert_eq!(balance(&api), 80, "the free plan's credits");

    // The catalog, with parameter schemas from the plugins.
    let styles = api.get("/v1/styles");
    let noir = styles.json["data"].as_array().expect("list").iter().find(|s| s["id"] == "noir").expect("noir").clone();
    assert_eq!(noir["params_schema"]["properties"]["contrast"]["type"], json!("number"));
    let effects = api.get("/v1/effects");
    assert!(effects.json["data"].as_array().expect("list").iter().all(|e| e["kind"] == "pikaffect"));
    assert!(effects.json["data"].as_array().expect("list").iter().any(|e| e["id"] == "melt"));

    // Validation before anything is charged.
    let unknown = api.post("/v1/effects/apply", &json!({"clip_id": clip, "effect": "unicorn"}));
    assert_eq!((unknown.status, unknown.json["error"]["code"].as_str()), (422, Some("unknown_effect")));
    assert!(unknown.json["error"]["message"].as_str().unwrap_or("").contains("pikaffect/melt"), "names the valid ones");
    let bad_param =
        api.post("/v1/styles/apply", &json!({"clip_id": clip, "styles": [{"id": "noir", "params": {"contrast": 99}}]}));
    assert_eq!((bad_param.status, bad_param.json["error"]["code"].as_str()), (422, Some("invalid_params")));
    assert!(bad_param.json["error"]["message"].as_str().unwrap_or("").contains("0.5..2"), "{}", bad_param.json);
    let bad_name =
        api.post("/v1/styles/apply", &json!({"clip_id": clip, "styles": [{"id": "noir", "params": {"contrst": 1}}]}));
    assert!(bad_name.json["error"]["message"].as_str().unwrap_or("").contains("valid: "), "{}", bad_name.json);
    let no_clip = api.post("/v1/styles/apply", &json!({"clip_id": "clip_nope", "styles": [{"id": "noir"}]}));
    assert_eq!(no_clip.status, 404);
    let garbage = api.post_with("/v1/compose", b"{not json", &[("content-type", "application/json")]);
    assert_eq!((garbage.status, garbage.json["error"]["code"].as_str()), (400, Some("invalid_json")));
    let extra = api.post("/v1/effects/apply", &json!({"clip_id": clip, "effect": "melt", "colour": 1}));
    assert_eq!(extra.status, 422, "unknown fields are refused: {}", extra.json);
    assert_eq!(balance(&api), 80, "nothing charged for refused requests");

    // A stacked styles job renders; output, provenance, charge.
    let accepted = api.post(
        "/v1/styles/apply",
        &json!({"clip_id": clip, "styles": [{"id": "film"}, {"id": "noir", "params": {"contrast": 1.5}, "mix": 0.8}]}),
    );
    assert_eq!(accepted.status, 202, "{}", accepted.json);
    assert_eq!(accepted.json["status"], json!("queued"));
    let job_id = accepted.json["job_id"].as_str().expect("job id").to_owned();
    let job = api.wait_job(&job_id, JOB_WAIT);
    assert_eq!(job["status"], json!("complete"), "{job}");
    assert_eq!(job["progress"], json!(1.0));
    assert_eq!(job["output"]["resolution"], json!("320x240"));
    assert_eq!(job["output"]["format"], json!("mp4"));
    assert!((job["output"]["duration_sec"].as_f64().expect("duration") - 1.0).abs() < 0.1);
    let layers = job["provenance"]["stack"]["layers"].as_array().expect("layers");
    assert!(layers.iter().all(|l| l["plugin_sha256"].as_str().is_some_and(|h| h.len() == 64)));
    assert_eq!(job["stack"]["layers"][0]["effect"], json!("style/film@0.1.0"), "versions are pinned");
    let url = job["output"]["url"].as_str().expect("url");
    let output = api.get(url.strip_prefix(&server.url).expect("same server"));
    assert_eq!(output.status, 200);
    assert_eq!(output.bytes.len() as u64, job["output"]["size_bytes"].as_u64().expect("size"));
    let out_path = dir.path().join("out.mp4");
    std::fs::write(&out_path, &output.bytes).expect("write");
    assert_eq!(dimensions(&out_path), (320, 240));
    assert_eq!(provenance(&out_path)["source_sha256"], job["provenance"]["source_sha256"], "embedded in the file");
    assert_eq!(stream_types(&out_path), ["video", "audio"]);
    assert_eq!(balance(&api), 65);

    // Idempotency: same key + body -> same job, charged once; other body -> 422.
    let body = json!({"clip_id": clip, "effect": "melt"});
    let headers = [("content-type", "application/json"), ("idempotency-key", "order-42")];
    let first = api.post_with("/v1/effects/apply", body.to_string().as_bytes(), &headers);
    let again = api.post_with("/v1/effects/apply", body.to_string().as_bytes(), &headers);
    assert_eq!((first.status, again.status), (202, 202));
    assert_eq!(first.json["job_id"], again.json["job_id"]);
    assert_eq!(balance(&api), 50, "charged once");
    let other = api.post_with(
        "/v1/effects/apply",
        json!({"clip_id": clip, "effect": "melt", "params": {}}).to_string().as_bytes(),
        &headers,
    );
    assert_eq!((other.status, other.json["error"]["code"].as_str()), (422, Some("idempotency_key_reused")));

    // Compose: priced by layers (15 + 5 per extra layer), time ranges and keyframes.
    let compose = api.post(
        "/v1/compose",
        &json!({"clip_id": clip, "layers": [
            {"effect": "style/noir", "end_sec": 0.5},
            {"effect": "style/posterize", "keyframes": {"levels": [[0, 2], [1, 8]]}}
        ]}),
    );
    assert_eq!((compose.status, compose.json["credits"].as_i64()), (202, Some(20)), "{}", compose.json);
    assert_eq!(balance(&api), 30);
    api.wait_job(first.json["job_id"].as_str().expect("id"), JOB_WAIT);
    api.wait_job(compose.json["job_id"].as_str().expect("id"), JOB_WAIT);

    // Out of credits: 402 before queueing.
    assert_eq!(api.post("/v1/effects/apply", &body).status, 202);
    assert_eq!(api.post("/v1/effects/apply", &body).status, 202);
    let broke = api.post("/v1/effects/apply", &body);
    assert_eq!((broke.status, broke.json["error"]["code"].as_str()), (402, Some("insufficient_credits")));
    assert_eq!(balance(&api), 0);

    // Listing: newest first, paginated, filtered.
    let page = api.get("/v1/jobs?limit=2");
    assert_eq!(page.json["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(page.json["has_more"], json!(true));
    let cursor = page.json["next_cursor"].as_str().expect("cursor");
    let next = api.get(&format!("/v1/jobs?limit=10&starting_after={cursor}"));
    assert_eq!(next.json["data"].as_array().map(Vec::len), Some(3), "5 jobs in all");
    let complete = api.get("/v1/jobs?status=complete");
    assert!(complete.json["data"].as_array().expect("list").iter().all(|j| j["status"] == "complete"));
    assert_eq!(api.get("/v1/jobs?status=bogus").status, 400);

    // A finished job cannot be cancelled.
    let finished = api.post(&format!("/v1/jobs/{job_id}/cancel"), &json!({}));
    assert_eq!((finished.status, finished.json["error"]["code"].as_str()), (409, Some("job_finished")));

    // Usage by endpoint.
    let usage = api.get("/v1/account/usage").json;
    let by = |endpoint: &str| {
        usage["usage_by_endpoint"].as_array().expect("list").iter().find(|u| u["endpoint"] == endpoint).cloned()
    };
    assert_eq!(by("effects/apply").expect("effects")["credits_used"], json!(45));
    assert_eq!(by("compose").expect("compose")["jobs"], json!(1));
    assert!(usage["next_reset"].as_str().is_some_and(|d| d.starts_with("20")));
}

#[test]
fn openapi_health_and_metrics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let server = ApiServer::start(&data, &[]);
    let anonymous = Client::new(&server.url, "");
    let health = anonymous.get("/healthz");
    assert_eq!((health.status, health.json["status"].as_str()), (200, Some("ok")));
    assert!(health.json["plugins"].as_u64().unwrap_or(0) >= 4);

    let doc = anonymous.get("/openapi.json");
    assert_eq!(doc.status, 200);
    assert!(doc.json["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc.json["openapi"]);
    let paths = doc.json["paths"].as_object().expect("paths");
    for path in [
        "/v1/clips",
        "/v1/clips/{id}/content",
        "/v1/styles/apply",
        "/v1/effects/apply",
        "/v1/compose",
        "/v1/jobs/{id}",
        "/v1/jobs/{id}/cancel",
        "/v1/webhooks",
        "/v1/webhooks/{id}/deliveries",
        "/v1/account/usage",
    ] {
        assert!(paths.contains_key(path), "{path} documented");
    }
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &doc.bytes).expect("write");
    let validated = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        validated.status.success(),
        "the OpenAPI document is invalid (or openapi-spec-validator is missing: run scripts/setup.sh):\n{}{}",
        String::from_utf8_lossy(&validated.stdout),
        String::from_utf8_lossy(&validated.stderr)
    );

    let metrics = anonymous.get("/metrics");
    let text = String::from_utf8_lossy(&metrics.bytes);
    assert!(text.contains("pikafx_jobs{status=\"queued\"} 0"), "{text}");
    assert!(text.contains("pikafx_queue_depth 0"));
    let unknown = anonymous.get("/v2/nothing");
    assert_eq!((unknown.status, unknown.json["error"]["code"].as_str()), (404, Some("not_found")));
}

#[test]
fn example_client_and_webhook_receiver_walk_the_whole_flow() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let server = ApiServer::start(&data, &["--webhooks-allow-private", "--webhook-retry-base-ms", "100"]);
    let api = server.client(&key);

    // The receiver verifies signatures with a secret it reads per request.
    let secret_file = dir.path().join("secret.txt");
    let mut receiver = Command::new("python3")
        .arg(root().join("examples/api/webhook_receiver.py"))
        .args(["--port", "0", "--secret-file"])
        .arg(&secret_file)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut lines = BufReader::new(receiver.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let hook_url = format!("{}hook", first.strip_prefix("listening on ").expect("listening line"));
    let hook = api.post("/v1/webhooks", &json!({"url": hook_url}));
    std::fs::write(&secret_file, hook.json["secret"].as_str().expect("secret")).expect("write secret");

    let input = testsrc_with_audio(dir.path(), "in.mp4", "320x240", 1.0);
    let output = dir.path().join("out.mp4");
    let run = Command::new("bash")
        .arg(root().join("examples/api/client.sh"))
        .arg(&input)
        .arg(&output)
        .arg("melt")
        .env("PIKAFX_URL", &server.url)
        .env("PIKAFX_API_KEY", &key)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "client.sh failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("credits left: 685"), "{stdout}");
    assert_eq!(dimensions(&output), (320, 240));
    assert_eq!(provenance(&output)["stack"]["layers"][0]["effect"], json!("pikaffect/melt@0.1.0"));
    let job_id = stdout.lines().find_map(|l| l.strip_prefix("job: ")).and_then(|l| l.split(' ').next()).expect("job");

    let verified = lines.next().expect("an event line").expect("utf-8");
    let _ = receiver.kill();
    let _ = receiver.wait();
    assert!(verified.starts_with("verified video.completed evt_"), "{verified}");
    assert!(verified.ends_with(job_id), "{verified}");
}

/// The mean RGB of the `w`x`h` block at (`x`, `y`) of an RGB24 frame.
fn block_mean(frame: &[u8], width: u32, (x, y, w, h): (u32, u32, u32, u32)) -> [f64; 3] {
    let mut sum = [0.0; 3];
    for row in y..y + h {
        for col in x..x + w {
            let i = ((row * width + col) * 3) as usize;
            for c in 0..3 {
                sum[c] += f64::from(frame[i + c]);
            }
        }
    }
    sum.map(|s| s / f64::from(w * h))
}

#[test]
fn compose_draws_uploaded_png_overlays_at_their_place_and_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let server = ApiServer::start(&data, &[]);
    let api = server.client(&key);
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 1.0);
    let clip = api.upload_ok(&input);

    // A 40x40 opaque red sticker.
    let sticker = image::RgbaImage::from_pixel(40, 40, image::Rgba([255, 0, 0, 255]));
    let mut png = Vec::new();
    sticker.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    let asset = api.post_with("/v1/assets", &png, &[("content-type", "image/png")]);
    assert_eq!(asset.status, 201, "{}", asset.json);
    assert_eq!((asset.json["width"].as_u64(), asset.json["height"].as_u64()), (Some(40), Some(40)));
    let asset_id = asset.json["id"].as_str().expect("id").to_owned();
    let not_png = api.post_with("/v1/assets", b"GIF89a....", &[("content-type", "image/png")]);
    assert_eq!((not_png.status, not_png.json["error"]["code"].as_str()), (422, Some("invalid_image")));

    let missing = api.post("/v1/compose", &json!({"clip_id": clip, "overlays": [{"asset_id": "asset_nope"}]}));
    assert_eq!((missing.status, missing.json["error"]["code"].as_str()), (422, Some("invalid_overlay")));
    assert!(missing.json["error"]["message"].as_str().unwrap_or("").contains("asset_nope"));

    // Lower-right quarter from 0.5 s, over a noir layer.
    let accepted = api.post(
        "/v1/compose",
        &json!({"clip_id": clip, "layers": [{"effect": "style/noir"}],
                "overlays": [{"asset_id": asset_id, "position": [0.5, 0.5], "scale": 1.0, "start_sec": 0.5}]}),
    );
    assert_eq!((accepted.status, accepted.json["credits"].as_i64()), (202, Some(20)), "{}", accepted.json);
    let job = api.wait_job(accepted.json["job_id"].as_str().expect("id"), Duration::from_secs(120));
    assert_eq!(job["status"], json!("complete"), "{job}");
    assert_eq!(job["stack"]["overlays"][0]["image"], json!(asset_id));
    let overlay_record = &job["provenance"]["stack"]["overlays"][0];
    assert_eq!(overlay_record["image_sha256"], asset.json["sha256"], "the image is in the provenance");

    let output = dir.path().join("out.mp4");
    let url = job["output"]["url"].as_str().expect("url");
    std::fs::write(&output, api.get(url.strip_prefix(&server.url).expect("same server")).bytes).expect("write");
    let (frames, width, _) = rgb_frames(&output);
    assert_eq!(frames.len(), 10);
    let inside = (85, 65, 30, 30); // within x 80..120, y 60..100
    let outside = (10, 10, 30, 30);
    let [r, g, b] = block_mean(&frames[7], width, inside);
    assert!(r > 200.0 && g < 60.0 && b < 60.0, "the sticker is red at 0.7 s: {r:.0},{g:.0},{b:.0}");
    let [r, g, b] = block_mean(&frames[2], width, inside);
    assert!((r - g).abs() < 12.0 && (g - b).abs() < 12.0, "not yet at 0.2 s (noir is grey): {r:.0},{g:.0},{b:.0}");
    let [r, g, b] = block_mean(&frames[7], width, outside);
    assert!((r - g).abs() < 12.0 && (g - b).abs() < 12.0, "only its rectangle: {r:.0},{g:.0},{b:.0}");

    assert_eq!(api.delete(&format!("/v1/assets/{asset_id}")).status, 200);
    assert_eq!(api.delete(&format!("/v1/assets/{asset_id}")).status, 200, "idempotent");
    assert_eq!(api.get(&format!("/v1/assets/{asset_id}")).status, 404);
}
