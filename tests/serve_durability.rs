//! `pikafx serve` under stress: webhooks with retries and signatures,
//! timeouts and cancels with refunds, per-key concurrency and fairness,
//! `kill -9` mid-render, redelivery after restart, retention.

mod common;

use common::receiver::{Received, Receiver};
use common::server::{ApiServer, Client, create_key};
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(120);

/// A clip melt takes seconds to render on a software GPU.
fn slow_clip(dir: &Path) -> PathBuf {
    testsrc(dir, "slow.mp4", "320x240", 15, 20.0)
}

fn balance(client: &Client) -> i64 {
    client.get("/v1/account/usage").json["credits_balance"].as_i64().expect("balance")
}

fn submit(client: &Client, clip: &str, effect: &str) -> String {
    let reply = client.post("/v1/effects/apply", &json!({"clip_id": clip, "effect": effect}));
    assert_eq!(reply.status, 202, "{}", reply.json);
    reply.json["job_id"].as_str().expect("job id").to_owned()
}

fn verify_signature(request: &Received, secret: &str) -> Value {
    let header = request.headers.get("x-pika-signature").expect("signed");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("hmac key");
    mac.update(&request.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(header, &expected, "X-Pika-Signature is the HMAC-SHA256 of the raw body");
    serde_json::from_slice(&request.body).expect("JSON payload")
}

fn create_webhook(client: &Client, url: &str) -> (String, String) {
    let reply = client.post("/v1/webhooks", &json!({"url": url}));
    assert_eq!(reply.status, 201, "{}", reply.json);
    (reply.json["id"].as_str().expect("id").to_owned(), reply.json["secret"].as_str().expect("secret").to_owned())
}

#[test]
fn webhooks_are_signed_retried_logged_and_billing_alerts_fire() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "free", "");
    let server = ApiServer::start(&data, &["--webhooks-allow-private", "--webhook-retry-base-ms", "100"]);
    let api = server.client(&key);
    let receiver = Receiver::start(2);
    let (hook, secret) = create_webhook(&api, &receiver.url);
    let listed = api.get("/v1/webhooks");
    assert_eq!(listed.json["data"][0]["id"], json!(hook));
    assert!(listed.json["data"][0].get("secret").is_none(), "the secret is shown only once");
    let bad = api.post("/v1/webhooks", &json!({"url": receiver.url, "events": ["video.exploded"]}));
    assert_eq!(bad.status, 422);
    assert!(bad.json["error"]["message"].as_str().unwrap_or("").contains("video.completed"));

    let clip = api.upload_ok(&testsrc(dir.path(), "clip.mp4", "160x120", 10, 0.5));
    let five_layers: Vec<Value> = (0..5).map(|_| json!({"effect": "style/noir"})).collect();
    let compose = json!({"clip_id": clip, "layers": five_layers});
    let first = api.post("/v1/compose", &compose);
    assert_eq!((first.status, first.json["credits"].as_i64()), (202, Some(35)));
    let job_id = first.json["job_id"].as_str().expect("id").to_owned();
    let job = api.wait_job(&job_id, WAIT);
    assert_eq!(job["status"], json!("complete"));

    // Two failures, then success: three signed requests with the same event id.
    let got = receiver.wait_for(3, WAIT);
    let payloads: Vec<Value> = got.iter().map(|r| verify_signature(r, &secret)).collect();
    assert_eq!(got.iter().map(|r| r.answered).collect::<Vec<_>>(), [500, 500, 200]);
    assert!(payloads.iter().all(|p| p["id"] == payloads[0]["id"]), "retries resend the same event");
    let event = &payloads[2];
    assert_eq!(event["event"], json!("video.completed"));
    assert_eq!(event["job_id"], json!(job_id));
    assert_eq!(event["status"], json!("complete"));
    assert_eq!(event["output"]["url"], job["output"]["url"]);
    assert_eq!(event["output"]["resolution"], json!("160x120"));
    assert_eq!(event["billing"], json!({"credits_used": 35, "plan": "free"}));
    assert!(event["created_at"].is_string() && event["completed_at"].is_string());
    assert_eq!(got[2].headers.get("x-pika-event").map(String::as_str), Some("video.completed"));

    let log = api.wait_for(&format!("/v1/webhooks/{hook}/deliveries"), WAIT, |v| v["data"][0]["status"] == "delivered");
    let delivery = &log["data"][0];
    assert_eq!(delivery["attempts"], json!(3));
    let statuses: Vec<Value> =
        delivery["log"].as_array().expect("log").iter().map(|a| a["http_status"].clone()).collect();
    assert_eq!(statuses, [json!(500), json!(500), json!(200)]);
    assert_eq!(api.get("/v1/webhooks/wh_nope/deliveries").status, 404);

    // The second compose takes the balance from 45 to 10, below 20% of 80.
    let second = api.post("/v1/compose", &compose);
    assert_eq!(second.status, 202);
    let got = receiver.wait_for(4, WAIT);
    let alert = got.iter().map(|r| verify_signature(r, &secret)).find(|p| p["event"] == "billing.threshold");
    let alert = alert.expect("a billing.threshold event");
    assert_eq!(alert["billing"]["credits_balance"], json!(10));
    assert_eq!(alert["billing"]["plan"], json!("free"));
    api.wait_job(second.json["job_id"].as_str().expect("id"), WAIT);

    // Deleting the webhook stops deliveries; deleting twice is fine.
    assert_eq!(api.delete(&format!("/v1/webhooks/{hook}")).status, 200);
    assert_eq!(api.delete(&format!("/v1/webhooks/{hook}")).status, 200);
    assert_eq!(api.get("/v1/webhooks").json["data"], json!([]));
}

#[test]
fn timeouts_fail_refund_and_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let server = ApiServer::start(&data, &["--job-timeout-sec", "0.5", "--webhooks-allow-private"]);
    let api = server.client(&key);
    let receiver = Receiver::start(0);
    let (_, secret) = create_webhook(&api, &receiver.url);
    let clip = api.upload_ok(&slow_clip(dir.path()));
    let before = balance(&api);
    let job_id = submit(&api, &clip, "melt");
    assert_eq!(balance(&api), before - 15, "charged on acceptance");
    let started = Instant::now();
    let job = api.wait_job(&job_id, WAIT);
    assert_eq!(job["status"], json!("failed"), "{job}");
    assert_eq!(job["error"]["code"], json!("timeout"));
    assert!(started.elapsed() < Duration::from_secs(15), "force-cancelled near the timeout: {:?}", started.elapsed());
    assert_eq!(balance(&api), before, "refunded");
    let event = verify_signature(&receiver.wait_for(1, WAIT)[0], &secret);
    assert_eq!(event["event"], json!("video.failed"));
    assert_eq!(event["error"]["code"], json!("timeout"));
    assert_eq!(event["billing"]["credits_used"], json!(0));
    let usage = api.get("/v1/account/usage").json;
    assert_eq!(usage["usage_by_endpoint"][0]["credits_refunded"], json!(15));
    let leftovers: Vec<_> = std::fs::read_dir(data.join("clips"))
        .expect("clips")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pikafx-"))
        .collect();
    assert!(leftovers.is_empty(), "the partial output is removed");
}

#[test]
fn per_key_concurrency_queues_and_cancels_refund_only_unstarted_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (a, _) = create_key(&data, "acme", "standard", "");
    let (b, _) = create_key(&data, "globex", "standard", "");
    let server = ApiServer::start(&data, &["--workers", "2", "--max-concurrent-per-key", "1"]);
    let (api_a, api_b) = (server.client(&a), server.client(&b));
    let slow = slow_clip(dir.path());
    let (clip_a, clip_b) = (api_a.upload_ok(&slow), api_b.upload_ok(&slow));

    let a1 = submit(&api_a, &clip_a, "melt");
    let a2 = submit(&api_a, &clip_a, "melt");
    let b1 = submit(&api_b, &clip_b, "melt");
    // a2 waits although a worker is free; b1 takes that worker.
    let both = api_b.wait_for(&format!("/v1/jobs/{b1}"), WAIT, |j| j["status"] != "queued");
    assert_eq!(both["status"], json!("processing"), "{both}");
    let queued = api_a.get(&format!("/v1/jobs/{a2}")).json;
    assert_eq!(queued["status"], json!("queued"), "the key's second job waits: {queued}");
    assert_eq!(api_a.get(&format!("/v1/jobs/{a1}")).json["status"], json!("processing"));

    // Cancel the queued one: cancelled at once and refunded.
    let before = balance(&api_a);
    let cancelled = api_a.post(&format!("/v1/jobs/{a2}/cancel"), &json!({}));
    assert_eq!((cancelled.status, cancelled.json["status"].as_str()), (200, Some("cancelled")), "{}", cancelled.json);
    assert_eq!(balance(&api_a), before + 15);
    // Cancel the running one: it stops, and the work done is not refunded.
    let stopping = api_a.post(&format!("/v1/jobs/{a1}/cancel"), &json!({}));
    assert_eq!((stopping.status, stopping.json["cancel_requested"].as_bool()), (200, Some(true)));
    let stopped = api_a.wait_job(&a1, WAIT);
    assert_eq!(stopped["status"], json!("cancelled"));
    assert_eq!(balance(&api_a), before + 15);
    let done = api_b.wait_job(&b1, WAIT);
    assert_eq!(done["status"], json!("complete"), "{done}");
}

#[test]
fn one_keys_backlog_does_not_starve_another_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (a, _) = create_key(&data, "acme", "standard", "");
    let (b, _) = create_key(&data, "globex", "standard", "");
    let server = ApiServer::start(&data, &["--workers", "1"]);
    let (api_a, api_b) = (server.client(&a), server.client(&b));
    let clip = testsrc(dir.path(), "clip.mp4", "320x240", 15, 6.0);
    let (clip_a, clip_b) = (api_a.upload_ok(&clip), api_b.upload_ok(&clip));
    let backlog: Vec<String> = (0..4).map(|_| submit(&api_a, &clip_a, "melt")).collect();
    let single = submit(&api_b, &clip_b, "melt");
    let b_job = api_b.wait_job(&single, WAIT);
    let started = |client: &Client, id: &str| {
        client.get(&format!("/v1/jobs/{id}")).json["started_at"].as_str().map(str::to_owned)
    };
    let b_started = b_job["started_at"].as_str().expect("started").to_owned();
    // a's first job was already running; b's job is next, before a's second.
    let a2_started = started(&api_a, &backlog[1]);
    assert!(a2_started.as_ref().is_none_or(|t| *t > b_started), "b started {b_started}, a's second {a2_started:?}");
    for id in &backlog {
        assert_eq!(api_a.wait_job(id, WAIT)["status"], json!("complete"));
    }
}

#[test]
fn kill_9_mid_render_reruns_the_job_once_charged_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let args = ["--workers", "1", "--webhooks-allow-private", "--webhook-retry-base-ms", "100"];
    let server = ApiServer::start(&data, &args);
    let api = server.client(&key);
    let receiver = Receiver::start(0);
    let (_, secret) = create_webhook(&api, &receiver.url);
    let clip = api.upload_ok(&slow_clip(dir.path()));
    let job_id = submit(&api, &clip, "melt");
    api.wait_for(&format!("/v1/jobs/{job_id}"), WAIT, |j| j["progress"].as_f64().unwrap_or(0.0) > 0.05);
    server.kill9();

    let server = ApiServer::start(&data, &args);
    let api = server.client(&key);
    let job = api.wait_job(&job_id, WAIT);
    assert_eq!(job["status"], json!("complete"), "re-run after the crash: {job}");
    let usage = api.get("/v1/account/usage").json;
    assert_eq!(usage["usage_by_endpoint"][0]["jobs"], json!(1));
    assert_eq!(usage["usage_by_endpoint"][0]["credits_used"], json!(15), "charged once");
    let got = receiver.wait_for(1, WAIT);
    let event = verify_signature(&got[0], &secret);
    assert_eq!((event["event"].as_str(), event["job_id"].as_str()), (Some("video.completed"), Some(job_id.as_str())));
    let leftovers = std::fs::read_dir(data.join("clips"))
        .expect("clips")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pikafx-"))
        .count();
    assert_eq!(leftovers, 0, "the killed render's partial file is cleaned up");
    let complete = api.get("/v1/jobs?status=complete").json;
    assert_eq!(complete["data"].as_array().map(Vec::len), Some(1), "one output, not two");
    assert_ledger_consistent(&data);
}

/// Opens the server's database beside it (WAL allows it) and checks that
/// every kept balance equals its ledger's sum and no job was charged twice.
fn assert_ledger_consistent(data: &Path) {
    use pikafx::serve::db::{Db, DbError};
    let db = Db::open(&data.join("pikafx.db"), std::sync::Arc::new(pikafx::serve::clock::SystemClock)).expect("db");
    let (mismatched, double): (i64, i64) = db
        .read(|c| {
            let mismatched = c.query_row(
                "SELECT COUNT(*) FROM accounts a
                 WHERE a.balance != (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.account_id = a.id)",
                [],
                |r| r.get(0),
            )?;
            let double = c.query_row(
                "SELECT COUNT(*) FROM (SELECT job_id FROM ledger WHERE kind = 'charge' GROUP BY job_id HAVING COUNT(*) > 1)",
                [],
                |r| r.get(0),
            )?;
            Ok::<_, DbError>((mismatched, double))
        })
        .expect("query");
    assert_eq!((mismatched, double), (0, 0), "balances match the ledger; no job charged twice");
}

#[test]
fn sigterm_mid_render_requeues_the_job_for_the_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let server = ApiServer::start(&data, &["--workers", "1"]);
    let api = server.client(&key);
    let clip = api.upload_ok(&slow_clip(dir.path()));
    let job_id = submit(&api, &clip, "melt");
    api.wait_for(&format!("/v1/jobs/{job_id}"), WAIT, |j| j["progress"].as_f64().unwrap_or(0.0) > 0.05);
    assert!(server.terminate(), "SIGTERM is a clean exit");

    let server = ApiServer::start(&data, &["--workers", "1"]);
    let api = server.client(&key);
    let job = api.wait_job(&job_id, WAIT);
    assert_eq!(job["status"], json!("complete"), "a shutdown is not a cancel: {job}");
    assert_eq!(api.get("/v1/account/usage").json["usage_by_endpoint"][0]["credits_used"], json!(15));
    assert!(!server.log().contains("recovered"), "it was requeued cleanly, not recovered: {}", server.log());
}

#[test]
fn undelivered_webhooks_survive_a_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let receiver = Receiver::start(usize::MAX);
    let server = ApiServer::start(&data, &["--webhooks-allow-private", "--webhook-retry-base-ms", "2000"]);
    let api = server.client(&key);
    let (hook, secret) = create_webhook(&api, &receiver.url);
    let clip = api.upload_ok(&testsrc(dir.path(), "clip.mp4", "160x120", 10, 0.5));
    let job_id = submit(&api, &clip, "melt");
    api.wait_job(&job_id, WAIT);
    receiver.wait_for(1, WAIT);
    server.kill9();

    receiver.answer(200);
    let server = ApiServer::start(&data, &["--webhooks-allow-private", "--webhook-retry-base-ms", "100"]);
    let api = server.client(&key);
    let got = receiver.wait_for(2, WAIT);
    let (first, second) = (verify_signature(&got[0], &secret), verify_signature(&got[1], &secret));
    assert_eq!(first["id"], second["id"], "the same event, redelivered");
    assert_eq!(got[1].answered, 200);
    let log = api.wait_for(&format!("/v1/webhooks/{hook}/deliveries"), WAIT, |v| v["data"][0]["status"] == "delivered");
    assert_eq!(log["data"][0]["attempts"], json!(2));
}

#[test]
fn plugin_faults_fail_only_their_job_and_plugins_reload_under_running_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugin dir");
    for (from, name) in [(plugin_dir(), "noir.wasm"), (hostile_dir(), "hostile.wasm")] {
        std::fs::copy(from.join(name), plugins.join(name)).expect("copy plugin");
    }
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let plugin_arg = plugins.to_str().expect("utf-8");
    let server = ApiServer::start(&data, &["--workers", "1", "--plugins", plugin_arg, "--call-timeout-ms", "500"]);
    let api = server.client(&key);
    let clip = api.upload_ok(&testsrc(dir.path(), "clip.mp4", "160x120", 10, 0.5));
    let full = balance(&api);

    // A panicking and a looping plugin fail their own jobs (refunded); the next job is fine.
    let hostile = |mode: &str| {
        let reply = api.post(
            "/v1/styles/apply",
            &json!({"clip_id": clip, "styles": [{"id": "hostile", "params": {"mode": mode}}]}),
        );
        assert_eq!(reply.status, 202, "{}", reply.json);
        reply.json["job_id"].as_str().expect("id").to_owned()
    };
    for mode in ["panic", "loop"] {
        let job = api.wait_job(&hostile(mode), WAIT);
        assert_eq!(
            (job["status"].as_str(), job["error"]["code"].as_str()),
            (Some("failed"), Some("effect_failed")),
            "{job}"
        );
        assert!(job["error"]["message"].as_str().unwrap_or("").contains("style/hostile"), "{job}");
    }
    assert_eq!(balance(&api), full, "plugin faults are refunded");
    let fine = api.post("/v1/styles/apply", &json!({"clip_id": clip, "styles": [{"id": "noir"}]}));
    assert_eq!(api.wait_job(fine.json["job_id"].as_str().expect("id"), WAIT)["status"], json!("complete"));

    // A plugin dropped into the directory appears without a restart.
    std::fs::copy(plugin_dir().join("melt.wasm"), plugins.join("melt.wasm")).expect("copy melt");
    api.wait_for("/v1/effects", WAIT, |v| v["data"].as_array().is_some_and(|l| l.iter().any(|e| e["id"] == "melt")));

    // Plugins removed while a job renders: the running job finishes on the
    // version it started with; a queued job pinned to a removed version fails
    // and is refunded.
    let slow = api.upload_ok(&slow_clip(dir.path()));
    let running = submit(&api, &slow, "melt");
    api.wait_for(&format!("/v1/jobs/{running}"), WAIT, |j| j["status"] == "processing");
    let queued = api.post("/v1/styles/apply", &json!({"clip_id": clip, "styles": [{"id": "noir"}]}));
    let queued = queued.json["job_id"].as_str().expect("id").to_owned();
    std::fs::remove_file(plugins.join("melt.wasm")).expect("remove melt");
    std::fs::remove_file(plugins.join("noir.wasm")).expect("remove noir");
    api.wait_for("/v1/styles", WAIT, |v| v["data"].as_array().is_some_and(|l| l.iter().all(|s| s["id"] != "noir")));
    assert_eq!(api.wait_job(&running, WAIT)["status"], json!("complete"), "the running job keeps its plugin");
    let orphan = api.wait_job(&queued, WAIT);
    assert_eq!(orphan["error"]["code"], json!("effect_unavailable"), "{orphan}");
    assert!(orphan["error"]["message"].as_str().unwrap_or("").contains("style/noir@0.1.0"), "{orphan}");
    assert_eq!(balance(&api), full - 15 - 15, "the noir and melt jobs are paid; the orphan is refunded");
    assert_eq!(Client::new(&server.url, "").get("/healthz").status, 200);
}

mod retention {
    use pikafx::serve::Paths;
    use pikafx::serve::clips::{self, NewClip, Probe};
    use pikafx::serve::clock::{DAY_MS, ManualClock};
    use pikafx::serve::credits;
    use pikafx::serve::db::{Db, DbError};
    use pikafx::serve::retention::{RetentionPolicy, SweepReport, sweep};
    use std::sync::Arc;

    #[test]
    fn clips_are_archived_then_deleted_on_schedule_unless_a_job_needs_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::create(dir.path().join("data")).expect("paths");
        let clock = Arc::new(ManualClock::new(1_769_817_600_000));
        let db = Db::open(&paths.db, clock.clone()).expect("db");
        let now = db.now();
        let account = db
            .write(|tx| credits::create_account(tx, "acme", credits::plan("pro").expect("plan"), now))
            .expect("account");
        let probe = Probe { width: 2, height: 2, fps: 1.0, duration_sec: 1.0, codec: "h264".into(), has_audio: false };
        for id in ["clip_old", "clip_busy"] {
            std::fs::write(paths.clips.join(format!("{id}.video")), b"bytes").expect("file");
            let file = format!("{id}.video");
            let clip = NewClip {
                account_id: &account,
                origin: "upload",
                file: &file,
                filename: None,
                size_bytes: 5,
                sha256: "x",
                probe: &probe,
            };
            db.write(|tx| clips::insert(tx, &clip, id, now)).expect("insert");
        }
        db.write(|tx| {
            tx.execute(
                "INSERT INTO jobs (id, account_id, key_id, endpoint, clip_id, stack, status, credits, created_at)
                 VALUES ('job_1', ?1, 'key_1', 'compose', 'clip_busy', '{}', 'queued', 15, ?2)",
                rusqlite::params![account, now],
            )
            .map_err(DbError::from)
        })
        .expect("job");
        let policy = RetentionPolicy::default();
        let state = |id: &str| -> String {
            db.read(|c| c.query_row("SELECT state FROM clips WHERE id = ?1", [id], |r| r.get(0)).map_err(DbError::from))
                .expect("state")
        };

        clock.advance(29 * DAY_MS);
        assert_eq!(sweep(&db, &paths, policy).expect("sweep"), SweepReport::default(), "day 29: nothing due");

        clock.advance(2 * DAY_MS);
        let report = sweep(&db, &paths, policy).expect("sweep");
        assert_eq!(report.archived, 1, "day 31: the idle clip is archived");
        assert_eq!((state("clip_old").as_str(), state("clip_busy").as_str()), ("archived", "active"));
        assert!(paths.archive.join("clip_old.video").exists() && !paths.clips.join("clip_old.video").exists());

        clock.advance(59 * DAY_MS);
        assert_eq!(sweep(&db, &paths, policy).expect("sweep").deleted, 0, "archived 59 days: kept");
        clock.advance(2 * DAY_MS);
        let report = sweep(&db, &paths, policy).expect("sweep");
        assert_eq!((report.deleted, report.files_removed), (1, 1), "archived 61 days: deleted");
        assert_eq!(state("clip_old"), "deleted");
        assert!(!paths.archive.join("clip_old.video").exists());
        assert_eq!(state("clip_busy"), "active", "a queued job still needs it");

        db.write(|tx| tx.execute("UPDATE jobs SET status = 'complete' WHERE id = 'job_1'", []).map_err(DbError::from))
            .expect("finish");
        assert_eq!(sweep(&db, &paths, policy).expect("sweep").archived, 1, "archived once no job needs it");
    }
}
