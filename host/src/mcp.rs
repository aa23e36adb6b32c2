//! `pikafx mcp`: a Model Context Protocol server (the `rmcp` crate) that
//! lets AI agents use a `pikafx serve` API: list styles and effects with
//! their parameter schemas, upload a local clip, apply styles, an effect or
//! a whole stack, poll jobs and download outputs.
//!
//! It is a client of the HTTP API, not a second way into the store: every
//! call carries an API key and the server applies the same scopes, rate
//! limits and credits as for any other client. Over stdio the key comes
//! from `--api-key`/`$PIKAFX_API_KEY`; over streamable HTTP each MCP request
//! must carry its own `Authorization: Bearer sk-pika-...`, which is passed
//! through (the HTTP endpoint has no key of its own).
//!
//! Local files: over stdio the agent runs as the user, so `upload_clip` and
//! `download_output` may read and write any path the user can. Over HTTP a
//! remote caller must not reach the server's disk: file tools only work
//! under the directory given with `--files-dir`, and are refused without it.

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why the MCP server could not run.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// The transport failed.
    #[error("MCP transport: {0}")]
    Transport(String),
    /// The HTTP listener could not be set up.
    #[error("{context}: {error}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// Plain HTTP would expose API keys to the network.
    #[error("refusing to serve MCP over plain HTTP on {0}: bind to a loopback address")]
    NotLoopback(std::net::SocketAddr),
}

/// Which local files the file tools may touch.
#[derive(Clone, Debug)]
pub enum FileAccess {
    /// Any path (stdio: the agent is the local user).
    Any,
    /// Only paths under this directory.
    Under(PathBuf),
    /// None.
    Denied,
}

impl FileAccess {
    /// `path` if the tools may use it, else a message saying why not.
    fn check(&self, path: &str) -> Result<PathBuf, String> {
        let path = PathBuf::from(path);
        match self {
            FileAccess::Any => Ok(path),
            FileAccess::Denied => {
                Err("local files are not available over HTTP (start `pikafx mcp --files-dir DIR` to allow a directory)"
                    .into())
            }
            FileAccess::Under(root) => {
                let root = root.canonicalize().map_err(|e| format!("--files-dir {}: {e}", root.display()))?;
                let joined = if path.is_absolute() { path } else { root.join(path) };
                // The file may not exist yet (downloads): resolve its directory.
                let parent = joined.parent().unwrap_or(Path::new("/"));
                let resolved = parent
                    .canonicalize()
                    .map_err(|e| format!("{}: {e}", parent.display()))?
                    .join(joined.file_name().ok_or("the path names no file")?);
                if resolved.starts_with(&root) {
                    Ok(resolved)
                } else {
                    Err(format!("{} is outside the allowed directory {}", resolved.display(), root.display()))
                }
            }
        }
    }
}

/// A blocking client of the HTTP API.
struct Api {
    base: String,
    key: Option<String>,
    agent: ureq::Agent,
}

/// A request body.
enum Body {
    None,
    Json(Value),
    File(PathBuf),
}

impl Api {
    /// Calls the API; `Ok(json)` for 2xx, `Err(text)` with the API's error otherwise.
    fn call(&self, key: &str, method: &str, path: &str, body: Body) -> Result<Value, String> {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        let auth = format!("Bearer {key}");
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("authorization", &auth).call(),
            (_, Body::Json(value)) => self.agent.post(&url).header("authorization", &auth).send_json(&value),
            (_, Body::File(file)) => {
                let file = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                self.agent
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", "application/octet-stream")
                    .send(file)
            }
            (_, Body::None) => self.agent.post(&url).header("authorization", &auth).send_empty(),
        };
        let mut response = response.map_err(|e| format!("cannot reach the pikafx API at {}: {e}", self.base))?;
        let status = response.status().as_u16();
        let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            Err(json!({"status": status, "error": value.get("error").cloned().unwrap_or(value)}).to_string())
        }
    }

    /// Downloads `url` into `path`.
    fn download(&self, key: &str, url: &str, path: &Path) -> Result<u64, String> {
        let mut response = self
            .agent
            .get(url)
            .header("authorization", &format!("Bearer {key}"))
            .call()
            .map_err(|e| format!("downloading {url}: {e}"))?;
        if response.status().as_u16() != 200 {
            let status = response.status().as_u16();
            let body = response.body_mut().read_to_string().unwrap_or_default();
            return Err(format!("downloading {url}: HTTP {status}: {body}"));
        }
        let mut file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::io::copy(&mut response.body_mut().as_reader(), &mut file).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// `upload_clip` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct UploadClip {
    /// Path of a local video file.
    pub path: String,
}

/// One style of `apply_styles`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct StyleSpec {
    /// Style id from `list_styles` (e.g. `noir`).
    pub id: String,
    /// Parameter values (see the style's params_schema); omitted ones take defaults.
    pub params: Option<Map<String, Value>>,
    /// 0..1 blend with the input (default 1).
    pub mix: Option<f32>,
}

/// `apply_styles` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ApplyStyles {
    /// A clip id from `upload_clip`.
    pub clip_id: String,
    /// Styles, applied first to last.
    pub styles: Vec<StyleSpec>,
}

/// `apply_effect` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ApplyEffect {
    /// A clip id from `upload_clip`.
    pub clip_id: String,
    /// Pikaffect id from `list_effects` (e.g. `melt`).
    pub effect: String,
    /// Parameter values (see the effect's params_schema).
    pub params: Option<Map<String, Value>>,
}

/// `compose` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Compose {
    /// A clip id from `upload_clip`.
    pub clip_id: String,
    /// Layers: `{"effect": "style/noir" | "pikaffect/melt", "params": {...}, "mix": 0..1,
    /// "start_sec": s, "end_sec": s, "keyframes": {"param": [[time_sec, value, easing], ...]}}`.
    pub layers: Vec<Value>,
}

/// `get_job` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct GetJob {
    /// The job id an apply tool returned.
    pub job_id: String,
    /// Wait up to this many seconds (max 60) for the job to finish before answering.
    pub wait_sec: Option<f64>,
}

/// `download_output` arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct DownloadOutput {
    /// A complete job's id.
    pub job_id: String,
    /// Local path to write the video to.
    pub path: String,
}

/// The MCP server.
#[derive(Clone)]
pub struct PikaMcp {
    api: Arc<Api>,
    files: FileAccess,
    tool_router: ToolRouter<Self>,
}

fn ok(value: Value) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(serde_json::to_string_pretty(&value).unwrap_or_default())])
}

fn fail(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

#[tool_router]
impl PikaMcp {
    /// A server that calls the API at `base` with `key` (stdio) or with
    /// each request's own key (HTTP: `key` is `None`).
    pub fn new(base: &str, key: Option<String>, files: FileAccess) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(600)))
            .build()
            .into();
        let api = Api { base: base.trim_end_matches('/').to_owned(), key, agent };
        Self { api: Arc::new(api), files, tool_router: Self::tool_router() }
    }

    /// The key for this request: the HTTP request's bearer token, else the
    /// configured one.
    fn key(&self, ctx: &RequestContext<RoleServer>) -> Result<String, String> {
        let from_http = ctx
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.headers.get(axum::http::header::AUTHORIZATION))
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|key| key.trim().to_owned());
        from_http.or_else(|| self.api.key.clone()).ok_or_else(|| {
            "no API key: send `Authorization: Bearer sk-pika-...` with the MCP request (HTTP) or start `pikafx mcp --api-key` (stdio)".into()
        })
    }

    /// Runs a blocking API call off the async runtime.
    async fn run(
        &self,
        ctx: &RequestContext<RoleServer>,
        call: impl FnOnce(&Api, &str) -> Result<Value, String> + Send + 'static,
    ) -> CallToolResult {
        let key = match self.key(ctx) {
            Ok(key) => key,
            Err(message) => return fail(message),
        };
        let api = self.api.clone();
        match tokio::task::spawn_blocking(move || call(&api, &key)).await {
            Ok(Ok(value)) => ok(value),
            Ok(Err(message)) => fail(message),
            Err(e) => fail(format!("internal error: {e}")),
        }
    }

    #[tool(
        description = "List the style presets (looks such as noir, film) with a JSON Schema of each one's parameters."
    )]
    async fn list_styles(&self, ctx: RequestContext<RoleServer>) -> CallToolResult {
        self.run(&ctx, |api, key| api.call(key, "GET", "/v1/styles", Body::None)).await
    }

    #[tool(
        description = "List the Pikaffects (object transformations such as melt) with a JSON Schema of each one's parameters."
    )]
    async fn list_effects(&self, ctx: RequestContext<RoleServer>) -> CallToolResult {
        self.run(&ctx, |api, key| api.call(key, "GET", "/v1/effects", Body::None)).await
    }

    #[tool(
        description = "Upload a local video file; returns the clip (id, size, duration). Use the id with the apply tools."
    )]
    async fn upload_clip(
        &self,
        Parameters(args): Parameters<UploadClip>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let path = match self.files.check(&args.path) {
            Ok(path) => path,
            Err(message) => return fail(message),
        };
        self.run(&ctx, move |api, key| api.call(key, "POST", "/v1/clips", Body::File(path))).await
    }

    #[tool(
        description = "Apply one or more style presets, stacked in order, to a clip. Costs credits; returns a job id to poll with get_job."
    )]
    async fn apply_styles(
        &self,
        Parameters(args): Parameters<ApplyStyles>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let styles: Vec<Value> = args
            .styles
            .into_iter()
            .map(|s| {
                let mut style = json!({"id": s.id, "params": s.params.unwrap_or_default()});
                if let (Some(mix), Some(object)) = (s.mix, style.as_object_mut()) {
                    object.insert("mix".into(), json!(mix));
                }
                style
            })
            .collect();
        let body = json!({"clip_id": args.clip_id, "styles": styles});
        self.run(&ctx, move |api, key| api.call(key, "POST", "/v1/styles/apply", Body::Json(body))).await
    }

    #[tool(
        description = "Apply one Pikaffect (e.g. melt) to a clip. Costs credits; returns a job id to poll with get_job."
    )]
    async fn apply_effect(
        &self,
        Parameters(args): Parameters<ApplyEffect>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let body = json!({"clip_id": args.clip_id, "effect": args.effect, "params": args.params.unwrap_or_default()});
        self.run(&ctx, move |api, key| api.call(key, "POST", "/v1/effects/apply", Body::Json(body))).await
    }

    #[tool(
        description = "Render a full stack of styles and Pikaffects with time ranges and keyframes. Costs credits by layer; returns a job id."
    )]
    async fn compose(&self, Parameters(args): Parameters<Compose>, ctx: RequestContext<RoleServer>) -> CallToolResult {
        let body = json!({"clip_id": args.clip_id, "layers": args.layers});
        self.run(&ctx, move |api, key| api.call(key, "POST", "/v1/compose", Body::Json(body))).await
    }

    #[tool(
        description = "Get a job: queued, processing (progress 0..1), complete (output url, resolution, size) or failed (error). wait_sec waits for it to finish."
    )]
    async fn get_job(&self, Parameters(args): Parameters<GetJob>, ctx: RequestContext<RoleServer>) -> CallToolResult {
        let wait = Duration::from_secs_f64(args.wait_sec.unwrap_or(0.0).clamp(0.0, 60.0));
        self.run(&ctx, move |api, key| {
            let started = Instant::now();
            loop {
                let job = api.call(key, "GET", &format!("/v1/jobs/{}", args.job_id), Body::None)?;
                let done = matches!(job["status"].as_str(), Some("complete" | "failed" | "cancelled"));
                if done || started.elapsed() >= wait {
                    return Ok(job);
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
        .await
    }

    #[tool(description = "Download a complete job's output video to a local path.")]
    async fn download_output(
        &self,
        Parameters(args): Parameters<DownloadOutput>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        let path = match self.files.check(&args.path) {
            Ok(path) => path,
            Err(message) => return fail(message),
        };
        self.run(&ctx, move |api, key| {
            let job = api.call(key, "GET", &format!("/v1/jobs/{}", args.job_id), Body::None)?;
            let url = job["output"]["url"]
                .as_str()
                .ok_or_else(|| format!("job {} has no output (status {})", args.job_id, job["status"]))?;
            let bytes = api.download(key, url, &path)?;
            Ok(json!({"path": path.display().to_string(), "size_bytes": bytes, "output": job["output"]}))
        })
        .await
    }

    #[tool(description = "Credit balance, plan, next reset date and usage by endpoint of the API key's account.")]
    async fn get_usage(&self, ctx: RequestContext<RoleServer>) -> CallToolResult {
        self.run(&ctx, |api, key| api.call(key, "GET", "/v1/account/usage", Body::None)).await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for PikaMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("pikafx", crate::VERSION))
            .with_instructions(
                "Video effects: list_styles/list_effects show what exists and each parameter's schema; \
                 upload_clip a video, then apply_styles, apply_effect or compose; poll get_job (wait_sec \
                 helps) until complete; download_output saves the result.",
            )
    }
}

/// Serves MCP over stdin/stdout until the client disconnects.
pub fn serve_stdio(server: PikaMcp) -> Result<(), McpError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| McpError::Io { context: "starting tokio".into(), error })?;
    runtime.block_on(async move {
        let running = server.serve(rmcp::transport::stdio()).await.map_err(|e| McpError::Transport(e.to_string()))?;
        running.waiting().await.map_err(|e| McpError::Transport(e.to_string()))?;
        Ok(())
    })
}

/// Serves MCP over streamable HTTP at `/mcp` on a loopback address until
/// Ctrl-C. Prints `mcp: http://ADDR/mcp` once it listens.
pub fn serve_http(server: PikaMcp, listen: std::net::SocketAddr) -> Result<(), McpError> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    };
    if !listen.ip().is_loopback() {
        return Err(McpError::NotLoopback(listen));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| McpError::Io { context: "starting tokio".into(), error })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|error| McpError::Io { context: format!("listening on {listen}"), error })?;
        let local = listener
            .local_addr()
            .map_err(|error| McpError::Io { context: "reading the bound address".into(), error })?;
        let service: StreamableHttpService<PikaMcp, LocalSessionManager> = StreamableHttpService::new(
            move || Ok(server.clone()),
            Default::default(),
            StreamableHttpServerConfig::default(),
        );
        let router = axum::Router::new().nest_service("/mcp", service);
        println!("mcp: http://{local}/mcp");
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|error| McpError::Io { context: "serving MCP".into(), error })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_access_stays_under_its_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("in.mp4"), b"x").expect("write");
        let access = FileAccess::Under(dir.path().to_owned());
        let inside = access.check("in.mp4").expect("relative path inside");
        assert_eq!(inside, dir.path().canonicalize().expect("canonical").join("in.mp4"));
        assert!(access.check("out.mp4").is_ok(), "a new file inside");
        assert!(access.check("../escape.mp4").is_err());
        assert!(access.check("/etc/passwd").is_err());
        assert!(FileAccess::Denied.check("in.mp4").is_err());
        assert!(FileAccess::Any.check("/anything").is_ok());
    }
}
