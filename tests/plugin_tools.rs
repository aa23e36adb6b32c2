//! `pikafx plugin check` and `pikafx plugin bench` on real plugins.

mod common;

use common::*;

#[test]
fn check_passes_good_plugins_in_every_language() {
    // The Rust plugins target pika:fx@0.3.0 (the SDK's version), the script
    // examples 0.1.0.
    for (plugin, contract) in [
        ("noir.wasm", "0.3.0"),
        ("melt.wasm", "0.3.0"),
        ("posterize.wasm", "0.3.0"),
        ("py-sepia.wasm", "0.1.0"),
        ("js-duotone.wasm", "0.1.0"),
    ] {
        let path = plugin_dir().join(plugin);
        let out = pikafx_ok(&[
            "plugin",
            "check",
            path.to_str().expect("utf-8"),
            "--frames",
            "4",
            "--width",
            "96",
            "--height",
            "64",
        ]);
        assert!(out.contains("plugin check passed"), "{plugin}:\n{out}");
        assert!(out.contains(&format!("contract pika:fx@{contract}")), "{plugin}:\n{out}");
        assert!(out.contains("deterministic"), "{plugin}:\n{out}");
        assert!(!out.contains("FAIL"), "{plugin}:\n{out}");
    }
}

#[test]
fn check_reports_each_failure_in_the_plugins_own_words() {
    let path = hostile_dir().join("hostile.wasm");
    let out = pikafx(&[
        "plugin",
        "check",
        path.to_str().expect("utf-8"),
        "--frames",
        "2",
        "--width",
        "64",
        "--height",
        "48",
        "--call-timeout-ms",
        "300",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a hostile plugin must fail the check:\n{stdout}");
    for expected in [
        "FAIL mode = \"loop\"",
        "timed out",
        "FAIL mode = \"bad-wgsl\"",
        "invalid WGSL at 5:9",
        "file-denied",
        "ok   renders 2 frames at 64x48 with default parameters",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}` in:\n{stdout}");
    }
    assert!(stderr.contains("failed") && stderr.contains("hostile.wasm"), "{stderr}");
}

#[test]
fn check_refuses_what_the_host_cannot_load() {
    let stderr = pikafx_err(&["plugin", "check", hostile_dir().join("rogue-import.wasm").to_str().expect("utf-8")]);
    assert!(stderr.contains("evil:net/socket"), "{stderr}");
}

#[test]
fn bench_reports_wasm_and_gpu_time_and_load_times() {
    let path = plugin_dir().join("film.wasm");
    let out = pikafx_ok(&[
        "plugin",
        "bench",
        path.to_str().expect("utf-8"),
        "--json",
        "--frames",
        "4",
        "--width",
        "128",
        "--height",
        "72",
    ]);
    let report: serde_json::Value = serde_json::from_str(out.trim()).expect("bench --json prints JSON");
    assert_eq!(report["plugin"].as_str().map(|p| p.starts_with("style/film@")), Some(true));
    assert_eq!(report["frames"], 4);
    let num = |k: &str| report[k].as_f64().unwrap_or_else(|| panic!("{k} missing in {report}"));
    assert!(num("wasm_ms_per_frame") > 0.0 && num("gpu_ms_per_frame") > 0.0, "{report}");
    assert!(num("load_cached_ms") < num("load_cold_ms"), "a cached load should beat a compile: {report}");
    assert!(num("plugin_peak_memory_mib") > 0.0, "{report}");
}

#[test]
fn bench_passes_times_each_gpu_pass_of_the_host_and_the_plugin() {
    let path = plugin_dir().join("shatter.wasm");
    let bench = |extra: &[&str]| {
        let mut args = vec!["plugin", "bench", path.to_str().expect("utf-8"), "--json", "--frames", "4"];
        args.extend_from_slice(&["--width", "320", "--height", "180"]);
        args.extend_from_slice(extra);
        let out = pikafx_ok(&args);
        serde_json::from_str::<serde_json::Value>(out.trim()).expect("bench --json prints JSON")
    };
    // Off by default.
    assert!(bench(&[])["passes"].is_null());

    let report = bench(&["--passes"]);
    let passes = report["passes"].as_array().unwrap_or_else(|| panic!("no passes in {report}"));
    // A number of the first pass whose label starts with `prefix`.
    let of_pass = |prefix: &str, field: &str| {
        passes
            .iter()
            .find(|p| p["pass"].as_str().is_some_and(|l| l.starts_with(prefix)))
            .and_then(|p| p[field].as_f64())
            .unwrap_or_else(|| panic!("no pass `{prefix}...` with {field} in {report}"))
    };
    let ms = |prefix: &str| of_pass(prefix, "gpu_ms_per_frame");
    // The plugin's passes, named by entry point and the first comment of
    // their source, and the host's own.
    assert!(ms("frag_main: shatter") > 0.0, "{report}");
    assert!(ms("tiles_main: shatter") > 0.0, "{report}");
    assert!(ms("host: subject mask") > 0.0, "{report}");
    // Most expensive first.
    let times: Vec<f64> = passes.iter().filter_map(|p| p["gpu_ms_per_frame"].as_f64()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{report}");
    // Per frame, not summed over the run: shatter dispatches its shard pass
    // once a frame. (Not compared with `gpu_ms_per_frame`: that is the wait
    // for the GPU after the frame is flushed, which leaves out what the GPU
    // ran while the plugin was still running, such as the subject mask; CI
    // once saw the passes sum to 1.7x it.)
    let calls = |prefix: &str| of_pass(prefix, "calls_per_frame");
    assert_eq!(calls("frag_main: shatter"), 1.0, "{report}");
    assert_eq!(calls("tiles_main: shatter"), 1.0, "{report}");
    assert_eq!(report["untimed_passes"], 0, "{report}");
}
