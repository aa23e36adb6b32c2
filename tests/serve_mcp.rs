//! `pikafx mcp` with a real MCP client (rmcp) against a real `pikafx serve`:
//! over stdio (the client spawns `pikafx mcp`) and over streamable HTTP.

mod common;

use common::server::{ApiServer, create_key};
use common::*;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{ConfigureCommandExt, StreamableHttpClientTransport, TokioChildProcess};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

type Client = RunningService<RoleClient, ()>;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio")
}

/// Calls `tool` with `args`; returns (is_error, text of the first content block).
async fn call(client: &Client, tool: &'static str, args: Value) -> (bool, String) {
    let arguments = args.as_object().cloned().unwrap_or_default();
    let result: CallToolResult =
        client.call_tool(CallToolRequestParams::new(tool).with_arguments(arguments)).await.expect("tool call");
    let text = result.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone()).unwrap_or_default();
    (result.is_error == Some(true), text)
}

async fn call_ok(client: &Client, tool: &'static str, args: Value) -> Value {
    let (is_error, text) = call(client, tool, args).await;
    assert!(!is_error, "{tool} failed: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{tool} returned non-JSON ({e}): {text}"))
}

#[test]
fn an_agent_lists_uploads_applies_polls_and_downloads_over_stdio() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "standard", "");
    let (read_only, _) = create_key(&data, "acme", "standard", "clips:read,jobs:read");
    let server = ApiServer::start(&data, &[]);
    let input = testsrc(dir.path(), "in.mp4", "320x240", 15, 1.0);
    let output = dir.path().join("out.mp4");

    runtime().block_on(async {
        let spawn = |key: String| {
            let url = server.url.clone();
            TokioChildProcess::new(tokio::process::Command::new(env!("CARGO_BIN_EXE_pikafx")).configure(move |cmd| {
                cmd.args(["mcp", "--api-url", &url, "--api-key", &key]).env_remove("PIKAFX_API_KEY");
            }))
            .expect("spawn pikafx mcp")
        };
        let client: Client = ().serve(spawn(key.clone())).await.expect("MCP handshake");
        let info = client.peer_info().expect("server info");
        assert_eq!(info.server_info.as_ref().map(|i| i.name.as_str()), Some("pikafx"));

        let tools = client.list_all_tools().await.expect("tools/list");
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        for expected in [
            "list_styles",
            "list_effects",
            "upload_clip",
            "apply_styles",
            "apply_effect",
            "compose",
            "get_job",
            "download_output",
            "get_usage",
        ] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        let apply = tools.iter().find(|t| t.name == "apply_effect").expect("apply_effect");
        let required = apply.input_schema.get("required").cloned().unwrap_or_default();
        assert_eq!(required, json!(["clip_id", "effect"]), "arguments are described by a schema");

        let effects = call_ok(&client, "list_effects", json!({})).await;
        let melt = effects["data"].as_array().expect("list").iter().find(|e| e["id"] == "melt").expect("melt").clone();
        assert!(melt["params_schema"]["properties"].as_object().is_some_and(|p| !p.is_empty()));

        let clip = call_ok(&client, "upload_clip", json!({"path": input.to_str().expect("utf-8")})).await;
        let clip_id = clip["id"].as_str().expect("clip id").to_owned();
        assert_eq!(clip["width"], json!(320));

        let (is_error, text) = call(&client, "apply_effect", json!({"clip_id": clip_id, "effect": "unicorn"})).await;
        assert!(is_error && text.contains("unknown_effect") && text.contains("pikaffect/melt"), "{text}");

        let job = call_ok(&client, "apply_effect", json!({"clip_id": clip_id, "effect": "melt", "params": {}})).await;
        let job_id = job["job_id"].as_str().expect("job id").to_owned();
        let mut state = json!(null);
        for _ in 0..10 {
            state = call_ok(&client, "get_job", json!({"job_id": job_id, "wait_sec": 30})).await;
            if state["status"] == "complete" {
                break;
            }
        }
        assert_eq!(state["status"], json!("complete"), "{state}");
        let saved =
            call_ok(&client, "download_output", json!({"job_id": job_id, "path": output.to_str().expect("utf-8")}))
                .await;
        assert_eq!(saved["size_bytes"], state["output"]["size_bytes"]);
        assert_eq!(dimensions(&output), (320, 240));
        let usage = call_ok(&client, "get_usage", json!({})).await;
        assert_eq!(usage["credits_balance"], json!(685));
        client.cancel().await.expect("close");

        // The same key rules: a key without effects:apply cannot start jobs.
        let limited: Client = ().serve(spawn(read_only)).await.expect("MCP handshake");
        let (is_error, text) = call(&limited, "apply_effect", json!({"clip_id": clip_id, "effect": "melt"})).await;
        assert!(is_error && text.contains("missing_scope") && text.contains("effects:apply"), "{text}");
        limited.cancel().await.expect("close");
    });
}

#[test]
fn streamable_http_passes_each_requests_key_through_and_keeps_files_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (key, _) = create_key(&data, "acme", "pro", "");
    let server = ApiServer::start(&data, &[]);
    let mut mcp = Command::new(env!("CARGO_BIN_EXE_pikafx"))
        .args(["mcp", "--http", "127.0.0.1:0", "--api-url", &server.url])
        .env_remove("PIKAFX_API_KEY")
        .stdout(Stdio::piped())
        .spawn()
        .expect("pikafx mcp runs");
    let mut line = String::new();
    BufReader::new(mcp.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
    let endpoint = line.trim().strip_prefix("mcp: ").expect("mcp: URL").to_owned();
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 0.5);

    runtime().block_on(async {
        let connect = |auth: Option<&str>| {
            let mut config = StreamableHttpClientTransportConfig::with_uri(endpoint.clone());
            if let Some(key) = auth {
                config = config.auth_header(key.to_owned());
            }
            StreamableHttpClientTransport::from_config(config)
        };
        let client: Client = ().serve(connect(Some(&key))).await.expect("MCP over HTTP");
        let styles = call_ok(&client, "list_styles", json!({})).await;
        assert!(styles["data"].as_array().expect("list").iter().any(|s| s["id"] == "noir"));
        let usage = call_ok(&client, "get_usage", json!({})).await;
        assert_eq!(usage["plan"], json!("pro"), "the request's key picks the account");
        let (is_error, text) = call(&client, "upload_clip", json!({"path": input.to_str().expect("utf-8")})).await;
        assert!(is_error && text.contains("not available over HTTP"), "{text}");
        client.cancel().await.expect("close");

        let anonymous: Client = ().serve(connect(None)).await.expect("MCP over HTTP");
        let (is_error, text) = call(&anonymous, "list_styles", json!({})).await;
        assert!(is_error && text.contains("no API key"), "{text}");
        anonymous.cancel().await.expect("close");
    });
    let _ = mcp.kill();
    let _ = mcp.wait();
}
