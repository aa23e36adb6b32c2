//! End-to-end tests of `pikafx preview --web`: the HTTP API with a plain
//! client, then the page in headless Chromium (tests/web/preview.test.mjs).

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The running server; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pikafx preview --web CLIP --effect style/noir --port 0` in `cwd`
/// and waits for the URL it prints.
fn start(clip: &Path, cwd: &Path) -> Server {
    start_with(clip, cwd, &plugin_dir())
}

/// Like [`start`], with another plugin directory.
fn start_with(clip: &Path, cwd: &Path, plugins: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pikafx"))
        .args(["preview", "--web"])
        .arg(clip)
        .args(["--effect", "style/noir", "--port", "0", "--plugins"])
        .arg(plugins)
        .env("PIKAFX_CACHE_DIR", cache_dir())
        .env_remove("RUST_LOG")
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .spawn()
        .expect("pikafx runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("reading the server's stdout");
    let url =
        line.trim().strip_prefix("preview: ").unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "serves on loopback only: {url}");
    Server { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get_json(agent: &ureq::Agent, url: &str) -> (u16, Value) {
    let mut r = agent.get(url).call().expect("GET");
    (r.status().as_u16(), r.body_mut().read_json().expect("JSON body"))
}

fn post(agent: &ureq::Agent, url: &str, body: &Value) -> (u16, Vec<u8>) {
    let mut r = agent.post(url).send_json(body).expect("POST");
    (r.status().as_u16(), r.body_mut().with_config().limit(64 << 20).read_to_vec().expect("body"))
}

/// Mean |r-g| + |g-b| of a PNG: ~0 for grey.
fn chroma(png: &[u8]) -> (f64, u32) {
    let img = image::load_from_memory(png).expect("a PNG").to_rgba8();
    let n = (img.width() * img.height()) as f64;
    let sum: f64 = img.pixels().map(|p| f64::from(p[0].abs_diff(p[1])) + f64::from(p[1].abs_diff(p[2]))).sum();
    (sum / n, img.width())
}

#[test]
fn http_api_and_browser_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = testsrc(dir.path(), "clip.mp4", "640x360", 15, 2.0);
    let server = start(&clip, dir.path());
    let base = server.url.trim_end_matches('/').to_owned();
    let agent = agent();

    // The page itself.
    let mut page = agent.get(&server.url).call().expect("GET /");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.body_mut().read_to_string().expect("html").contains("id=\"split\""));

    // The catalog with param specs.
    let (status, effects) = get_json(&agent, &format!("{base}/api/effects"));
    assert_eq!(status, 200);
    let noir = effects.as_array().expect("a list").iter().find(|e| e["reference"] == "style/noir").expect("noir");
    assert!(noir["params"].as_array().expect("params").iter().any(|p| p["name"] == "contrast"));

    // The clip at preview resolution.
    let (status, info) = get_json(&agent, &format!("{base}/api/clip"));
    assert_eq!(status, 200);
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(480), Some(270)));
    assert_eq!(info["frames"].as_u64(), Some(30));
    let source = agent.get(&format!("{base}/api/frame/3/source.png")).call().expect("source frame");
    assert_eq!(source.status().as_u16(), 200);
    let missing = agent.get(&format!("{base}/api/frame/999/source.png")).call().expect("missing frame");
    assert_eq!(missing.status().as_u16(), 404);

    // A valid stack renders a grey PNG; measure the round trip.
    let stack = json!({"layers": [{"effect": "style/noir", "params": {"contrast": 1.5}}]});
    let (status, png) = post(&agent, &format!("{base}/api/render"), &json!({"stack": stack, "frame": 5}));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&png));
    let (c, width) = chroma(&png);
    assert_eq!(width, 480);
    assert!(c < 2.0, "noir is grey, mean chroma {c}");
    let mut times = Vec::new();
    for frame in 0..10 {
        let started = Instant::now();
        let (status, _) = post(&agent, &format!("{base}/api/render"), &json!({"stack": stack, "frame": frame}));
        assert_eq!(status, 200);
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "preview render latency, 480x270 through style/noir (HTTP round trip): median {:?}",
        times[times.len() / 2]
    );

    // An invalid parameter: 422 with a message that lists the valid ones.
    let bad = json!({"stack": {"layers": [{"effect": "style/noir", "params": {"contrst": 1.0}}]}, "frame": 0});
    let (status, body) = post(&agent, &format!("{base}/api/render"), &bad);
    assert_eq!(status, 422);
    let error: Value = serde_json::from_slice(&body).expect("JSON error");
    assert_eq!(error["error"]["code"], "invalid_stack");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(message.contains("contrst") && message.contains("contrast"), "{message}");
    let (status, _) = post(&agent, &format!("{base}/api/export"), &bad);
    assert_eq!(status, 422);

    // Export round trip.
    let (status, _) = post(&agent, &format!("{base}/api/export"), &json!({"stack": stack}));
    assert_eq!(status, 202);
    let deadline = Instant::now() + Duration::from_secs(180);
    let done = loop {
        let (_, s) = get_json(&agent, &format!("{base}/api/export"));
        if s["state"] != "running" {
            break s;
        }
        assert!(Instant::now() < deadline, "export did not finish: {s}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["progress"].as_f64(), Some(1.0));
    let path = done["path"].as_str().expect("path");
    assert!(path.ends_with("clip-preview-export.mp4"), "{path}");
    assert!(Path::new(path).exists(), "{path} exists");
    assert_eq!(dimensions(Path::new(path)), (640, 360));
    drop(server);

    // The page in a real browser.
    let web = root().join("tests").join("web");
    assert!(
        Path::new("/usr/bin/chromium").exists() && web.join("node_modules").join("playwright-core").exists(),
        "the browser test needs /usr/bin/chromium and tests/web/node_modules: run scripts/setup.sh"
    );
    let out = Command::new("node")
        .args(["--test", "preview.test.mjs"])
        .current_dir(&web)
        .env("PIKAFX_BIN", env!("CARGO_BIN_EXE_pikafx"))
        .env("PLUGINS", plugin_dir())
        .env("CLIP", &clip)
        .env("WORK_DIR", dir.path())
        .env("PIKAFX_CACHE_DIR", cache_dir())
        // The committed screenshot is refreshed only on request, so a test
        // run leaves the tree clean.
        .env(
            "SCREENSHOT",
            if std::env::var_os("PIKAFX_UPDATE_SCREENSHOTS").is_some() {
                root().join("docs").join("screenshots").join("preview-web.png")
            } else {
                dir.path().join("preview-web.png")
            },
        )
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node --test tests/web/preview.test.mjs failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Polls `check` every 100 ms for up to 30 s.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn plugins_reload_without_a_restart_and_a_broken_build_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).expect("mkdir");
    std::fs::copy(plugin_dir().join("noir.wasm"), plugins.join("noir.wasm")).expect("copy noir");
    let clip = testsrc(dir.path(), "clip.mp4", "160x90", 10, 0.5);
    let server = start_with(&clip, dir.path(), &plugins);
    let base = server.url.trim_end_matches('/').to_owned();
    let agent = agent();
    let noir = json!({"stack": {"layers": [{"effect": "style/noir"}]}, "frame": 2});
    let (status, png) = post(&agent, &format!("{base}/api/render"), &noir);
    assert_eq!(status, 200);
    assert!(chroma(&png).0 < 2.0, "noir renders grey");

    // A broken build of the same file: rejected, the previous version stays.
    std::fs::write(plugins.join("noir.wasm"), b"\0asm\x01\0\0\0not a component").expect("overwrite");
    eventually("the reload to report the broken build", || {
        let (_, status) = get_json(&agent, &format!("{base}/api/plugins"));
        status["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let (_, status) = get_json(&agent, &format!("{base}/api/plugins"));
    let errors = status["errors"].to_string();
    assert!(errors.contains("noir.wasm") && errors.contains("keeping the previous version"), "{errors}");
    let (code, png) = post(&agent, &format!("{base}/api/render"), &noir);
    assert_eq!(code, 200, "the previous noir stays in service");
    assert!(chroma(&png).0 < 2.0);

    // A new plugin appears: used for new renders without a restart.
    std::fs::copy(plugin_dir().join("posterize.wasm"), plugins.join("posterize.wasm")).expect("copy posterize");
    eventually("style/posterize in the catalog", || {
        let (_, effects) = get_json(&agent, &format!("{base}/api/effects"));
        effects.to_string().contains("style/posterize")
    });
    let poster = json!({"stack": {"layers": [{"effect": "style/posterize", "params": {"levels": 2}}]}, "frame": 2});
    let (code, png) = post(&agent, &format!("{base}/api/render"), &poster);
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&png));
    let img = image::load_from_memory(&png).expect("PNG").to_rgba8();
    let extreme = img.pixels().flat_map(|p| p.0[..3].to_vec()).filter(|&v| !(40..=215).contains(&v)).count();
    assert!(extreme as f64 / (img.width() * img.height() * 3) as f64 > 0.85, "posterize(2) output is near 0/255");
}
