//! A real `pikafx serve` process on 127.0.0.1 with its own data directory,
//! and a small JSON client for it.

use super::{cache_dir, plugin_dir};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server; killed when dropped.
pub struct ApiServer {
    child: Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub url: String,
    /// The data directory.
    pub data: PathBuf,
}

impl ApiServer {
    /// Starts `pikafx serve --data-dir DATA --listen 127.0.0.1:0 EXTRA...`.
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        Self::try_start(data, extra).unwrap_or_else(|log| panic!("the server did not start:\n{log}"))
    }

    /// Like [`ApiServer::start`]; `Err(stderr)` when it exits instead.
    pub fn try_start(data: &Path, extra: &[&str]) -> Result<Self, String> {
        std::fs::create_dir_all(data).expect("data dir");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(data.join("server.log")).expect("log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_pikafx"))
            .args(["serve", "--data-dir"])
            .arg(data)
            .args(if extra.contains(&"--listen") { &[][..] } else { &["--listen", "127.0.0.1:0"][..] })
            .args(if extra.contains(&"--plugins") { vec![] } else { vec!["--plugins".into(), plugin_dir()] })
            .args(extra)
            .env("PIKAFX_CACHE_DIR", cache_dir())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("pikafx runs");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        match line.trim().strip_prefix("serving: ") {
            Some(url) => Ok(Self { child, url: url.to_owned(), data: data.to_owned() }),
            None => {
                let _ = child.wait();
                Err(std::fs::read_to_string(data.join("server.log")).unwrap_or_default())
            }
        }
    }

    /// `kill -9`: no shutdown code runs.
    pub fn kill9(mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the process to exit; returns whether it
    /// exited successfully.
    pub fn terminate(mut self) -> bool {
        // SAFETY: sends a signal to our own child process by its pid.
        let _ = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            if started.elapsed() > Duration::from_secs(30) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.join("server.log")).unwrap_or_default()
    }

    /// A client with `key`.
    pub fn client(&self, key: &str) -> Client {
        Client::new(&self.url, key)
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates an API key with `pikafx keys create` (account on `plan`,
/// `scopes` comma-separated or empty for all) and returns (key, key id).
pub fn create_key(data: &Path, account: &str, plan: &str, scopes: &str) -> (String, String) {
    let mut args = vec!["keys", "create", "--json", "--account", account, "--plan", plan, "--data-dir"];
    let data_text = data.to_str().expect("utf-8 path");
    args.push(data_text);
    if !scopes.is_empty() {
        args.extend(["--scope", scopes]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_pikafx")).args(&args).output().expect("pikafx keys runs");
    assert!(out.status.success(), "keys create failed: {}", String::from_utf8_lossy(&out.stderr));
    let created: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    (created["key"].as_str().expect("key").to_owned(), created["id"].as_str().expect("id").to_owned())
}

/// A response: status, headers we care about, JSON body (Null if not JSON).
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body as JSON.
    pub json: Value,
    /// `Retry-After`, if present.
    pub retry_after: Option<String>,
    /// Raw body.
    pub bytes: Vec<u8>,
    /// `Content-Range`, if present.
    pub content_range: Option<String>,
}

/// A JSON client with an API key.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    key: String,
}

impl Client {
    /// A client of `base` with `key` (empty: no Authorization header).
    pub fn new(base: &str, key: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Self { agent, base: base.trim_end_matches('/').to_owned(), key: key.to_owned() }
    }

    fn finish(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("the request reaches the server");
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_after = header("retry-after");
        let content_range = header("content-range");
        let status = response.status().as_u16();
        let bytes = response.body_mut().with_config().limit(256 << 20).read_to_vec().expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, json, retry_after, bytes, content_range }
    }

    fn auth<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        if self.key.is_empty() { request } else { request.header("authorization", &format!("Bearer {}", self.key)) }
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Reply {
        Self::finish(self.auth(self.agent.get(&format!("{}{path}", self.base))).call())
    }

    /// GET `path` with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.auth(self.agent.get(&format!("{}{path}", self.base)));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::finish(request.call())
    }

    /// DELETE `path`.
    pub fn delete(&self, path: &str) -> Reply {
        Self::finish(self.auth(self.agent.delete(&format!("{}{path}", self.base))).call())
    }

    /// POST a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_with(path, body.to_string().as_bytes(), &[("content-type", "application/json")])
    }

    /// POST raw bytes with headers.
    pub fn post_with(&self, path: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
        let mut request = self.auth(self.agent.post(&format!("{}{path}", self.base)));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::finish(request.send(body))
    }

    /// Uploads a file as the raw body; returns the reply.
    pub fn upload(&self, file: &Path) -> Reply {
        let bytes = std::fs::read(file).expect("clip bytes");
        self.post_with("/v1/clips", &bytes, &[("content-type", "video/mp4")])
    }

    /// Uploads `file` and returns its clip id, asserting 201.
    pub fn upload_ok(&self, file: &Path) -> String {
        let reply = self.upload(file);
        assert_eq!(reply.status, 201, "upload: {}", reply.json);
        reply.json["id"].as_str().expect("clip id").to_owned()
    }

    /// Polls a job until it is complete, failed or cancelled.
    pub fn wait_job(&self, job_id: &str, timeout: Duration) -> Value {
        let started = Instant::now();
        loop {
            let reply = self.get(&format!("/v1/jobs/{job_id}"));
            assert_eq!(reply.status, 200, "GET job: {}", reply.json);
            let status = reply.json["status"].as_str().unwrap_or_default().to_owned();
            if ["complete", "failed", "cancelled"].contains(&status.as_str()) {
                return reply.json;
            }
            assert!(started.elapsed() < timeout, "job {job_id} still {status} after {timeout:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls until `check` accepts the GET reply of `path`.
    pub fn wait_for(&self, path: &str, timeout: Duration, check: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if check(&reply.json) {
                return reply.json;
            }
            assert!(started.elapsed() < timeout, "{path} never matched; last: {}", reply.json);
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
