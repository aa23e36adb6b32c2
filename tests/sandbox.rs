//! Hostile plugins against the real sandbox: each misbehaviour gets a clear
//! error naming the plugin, the layer and the frame, and the same process
//! goes on rendering with other plugins.

mod common;

use common::*;
use pikafx::gpu::{GpuContext, GpuLimits};
use pikafx::plugin::{Catalog, CompileCache, PluginError, PluginRuntime, SandboxConfig};
use pikafx::render::{RenderOptions, Renderer};
use pikafx::stack::{Layer, Stack};
use std::path::Path;
use std::time::Duration;

struct Harness {
    renderer: Renderer,
    catalog: Catalog,
}

impl Harness {
    fn new() -> Self {
        pikafx::media::init().expect("ffmpeg init");
        let sandbox = SandboxConfig {
            memory_limit: 64 << 20,
            render_timeout: Duration::from_millis(500),
            setup_timeout: Duration::from_secs(5),
        };
        let runtime = PluginRuntime::new(sandbox, CompileCache::new(Some(cache_dir()))).expect("runtime");
        let catalog = Catalog::load(&runtime, &[hostile_dir(), plugin_dir()]).expect("catalog");
        let gpu = GpuContext::new(GpuLimits { max_dispatches_per_call: 64, ..GpuLimits::default() }).expect("GPU");
        Self { renderer: Renderer::new(gpu, runtime), catalog }
    }

    fn render(&self, input: &Path, out: &Path, effect: &str, params: &[(&str, &str)]) -> Result<(), String> {
        let mut layer = Layer::new(effect);
        for (k, v) in params {
            layer.params.insert((*k).to_owned(), serde_json::Value::String((*v).to_owned()));
        }
        let stack =
            Stack { layers: vec![layer], overlays: Vec::new() }.prepare(&self.catalog).map_err(|e| e.to_string())?;
        self.renderer
            .render_file(input, out, &stack, &RenderOptions::default(), &mut |_, _| {})
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

#[test]
fn hostile_plugins_fail_clearly_and_the_process_keeps_working() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "64x48", 10, 0.3);
    let h = Harness::new();
    let cases: &[(&str, &[&str])] = &[
        ("loop", &["timed out", "500 ms"]),
        ("loop-create", &["timed out", "create"]),
        ("membomb", &["out of memory", "64 MiB"]),
        ("panic", &["panicked"]),
        ("bad-wgsl", &["invalid WGSL at 5:9"]),
        ("huge-texture", &["100000"]),
        ("huge-workgroup", &["workgroup"]),
        ("many-dispatches", &["dispatches"]),
    ];
    for (mode, expected) in cases {
        let out = dir.path().join(format!("{mode}.mp4"));
        let err = h.render(&input, &out, "style/hostile", &[("mode", mode)]).expect_err(mode);
        assert!(
            err.contains("layer 1") && err.contains("style/hostile@"),
            "{mode}: error should name the layer and plugin: {err}"
        );
        let frame = if *mode == "loop-create" { "frame setup" } else { "frame 0" };
        assert!(err.contains(frame), "{mode}: error should name the frame: {err}");
        for e in *expected {
            assert!(err.contains(e), "{mode}: expected `{e}` in: {err}");
        }
        assert!(!err.contains('\n'), "{mode}: error should be one line: {err}");
        assert!(!out.exists(), "{mode}: a failed render left its output");
        // The same process renders fine afterwards, with another plugin and
        // with the same plugin in a harmless mode.
        let ok = dir.path().join(format!("after-{mode}.mp4"));
        h.render(&input, &ok, "style/noir", &[]).unwrap_or_else(|e| panic!("render after {mode} failed: {e}"));
        h.render(&input, &ok, "style/hostile", &[("mode", "ok")])
            .unwrap_or_else(|e| panic!("hostile ok after {mode}: {e}"));
    }
}

#[test]
fn plugins_get_no_files_environment_or_network() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "64x48", 10, 0.2);
    let h = Harness::new();
    for (mode, denied) in [("read-file", "file-denied"), ("read-env", "env-denied"), ("net", "net-denied")] {
        let err = h.render(&input, &dir.path().join("x.mp4"), "style/hostile", &[("mode", mode)]).expect_err(mode);
        assert!(err.contains(denied) && !err.contains("LEAKED"), "{mode}: {err}");
    }
}

#[test]
fn renders_are_reproducible_despite_clocks_and_randomness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "64x48", 10, 0.3);
    let h = Harness::new();
    let stack = Stack {
        layers: vec![{
            let mut l = Layer::new("style/hostile");
            l.params.insert("mode".into(), serde_json::json!("clock-random"));
            l
        }],
        overlays: Vec::new(),
    }
    .prepare(&h.catalog)
    .expect("stack");
    let run = || {
        let (frames, _) =
            h.renderer.preview(&input, &stack, 3, &RenderOptions::default(), &mut |_, _| {}).expect("preview");
        frames.into_iter().map(|f| f.after).collect::<Vec<_>>()
    };
    let (a, b) = (run(), run());
    assert_eq!(a.len(), 3);
    assert!(a == b, "two renders of the same stack differ");
}

#[test]
fn an_import_the_host_does_not_provide_is_refused_at_load() {
    pikafx::media::init().expect("init");
    let runtime = PluginRuntime::new(SandboxConfig::default(), CompileCache::new(None)).expect("runtime");
    let err = runtime.load(&hostile_dir().join("rogue-import.wasm")).err().expect("must be refused");
    assert!(matches!(err, PluginError::UnsupportedImport { .. }), "{err}");
    assert!(err.to_string().contains("evil:net/socket"), "{err}");
}

#[test]
fn a_file_that_is_not_a_component_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bogus = dir.path().join("bogus.wasm");
    std::fs::write(&bogus, b"\0asm\x01\0\0\0garbage").expect("write");
    let stderr = pikafx_err(&["inspect", bogus.to_str().expect("utf-8")]);
    assert!(stderr.contains("bogus.wasm") && stderr.contains("not a valid WebAssembly component"), "{stderr}");
}

#[test]
fn compiled_plugins_are_cached_across_processes() {
    let cache = tempfile::tempdir().expect("tempdir");
    let plugin = plugin_dir().join("film.wasm");
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pikafx"))
            .args(["inspect", plugin.to_str().expect("utf-8")])
            .env("PIKAFX_CACHE_DIR", cache.path())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run().contains("(Compiled)"), "first load compiles");
    assert!(run().contains("(Hit)"), "second load in a new process comes from the cache");
}
