//! Contract versions: the host loads real components built against each
//! supported `pika:fx` version (0.1.0; 0.2.0, which adds the `angle`
//! parameter kind; 0.3.0, which adds `dispatch-region` and which the Rust
//! SDK and so every first-party plugin targets), says which one `pikafx
//! inspect`, renders stacks that mix them, and refuses a component built for
//! a version it does not support.

mod common;

use common::*;
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `--plugins` flags for the test guests and the bundled plugins.
fn plugin_flags() -> Vec<String> {
    let guests = hostile_dir();
    assert!(guests.join("v0-2.wasm").exists(), "{} has no v0-2.wasm: run `make plugins`", guests.display());
    vec!["--plugins".into(), s(&guests).into(), "--plugins".into(), s(&plugin_dir()).into()]
}

fn apply_ok(input: &Path, out: &Path, args: &[&str]) {
    let flags = plugin_flags();
    let mut all: Vec<&str> = vec!["apply", s(input), "-o", s(out), "--crf", "14"];
    all.extend(flags.iter().map(String::as_str));
    all.extend_from_slice(args);
    pikafx_ok(&all);
}

#[test]
fn inspect_names_the_contract_version_of_each_plugin() {
    let v2 = pikafx_ok(&["inspect", s(&hostile_dir().join("v0-2.wasm"))]);
    assert!(v2.contains("contract: pika:fx@0.2.0"), "{v2}");
    assert!(v2.contains("style/rotate-hue@") && v2.contains("rotate-hue.hue  angle 0..360 degrees"), "{v2}");
    let v3 = pikafx_ok(&["inspect", s(&plugin_dir().join("noir.wasm"))]);
    assert!(v3.contains("contract: pika:fx@0.3.0"), "{v3}");
    // The JavaScript example is built with componentize-js against 0.1.0.
    let v1 = pikafx_ok(&["inspect", s(&plugin_dir().join("js-duotone.wasm"))]);
    assert!(v1.contains("contract: pika:fx@0.1.0"), "{v1}");
    let json: serde_json::Value =
        serde_json::from_str(&pikafx_ok(&["inspect", "--json", s(&hostile_dir().join("v0-2.wasm"))]))
            .expect("inspect --json prints JSON");
    assert_eq!(json["contract"], "pika:fx@0.2.0");
    assert_eq!(json["info"]["params"][0]["kind"]["type"], "angle");
}

#[test]
fn an_angle_parameter_rotates_hues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 1.0);
    let out = dir.path().join("out.mp4");
    apply_ok(&input, &out, &["--effect", "style/rotate-hue", "--param", "rotate-hue.hue=180"]);
    let (before, ..) = rgb_frames(&input);
    let (after, ..) = rgb_frames(&out);
    assert_eq!(before.len(), after.len());
    // Pixels that were clearly red must have turned cyan (green and blue above red).
    let (mut red, mut cyan) = (0usize, 0usize);
    for (a, b) in before.iter().zip(&after) {
        for (p, q) in a.chunks(3).zip(b.chunks(3)) {
            let (r, g, bl) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            if r > 150 && g < 80 && bl < 80 {
                red += 1;
                if i32::from(q[1]) > i32::from(q[0]) + 50 && i32::from(q[2]) > i32::from(q[0]) + 50 {
                    cyan += 1;
                }
            }
        }
    }
    assert!(red > 1000, "the test clip has too few red pixels ({red})");
    assert!(cyan * 10 >= red * 9, "only {cyan} of {red} red pixels became cyan");
}

#[test]
fn a_stack_mixes_plugins_of_two_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 1.0);
    let out = dir.path().join("out.mp4");
    let stack = dir.path().join("stack.json");
    let json = serde_json::json!({ "layers": [
        { "effect": "style/rotate-hue", "keyframes": { "hue": [[0.0, 90.0], [0.5, 270.0, "ease-in-out"]] } },
        { "effect": "style/noir", "params": { "grain": 0.0, "vignette": 0.0 } },
    ]});
    std::fs::write(&stack, json.to_string()).expect("write stack");
    apply_ok(&input, &out, &["--stack", s(&stack)]);
    let (frames, ..) = rgb_frames(&out);
    assert_eq!(frames.len(), 10);
    // noir (0.3.0) ran last: the output is grey.
    for frame in &frames {
        assert!(mean_saturation(frame) < 0.05, "noir's output is not grey");
    }
    let p = provenance(&out);
    let effects: Vec<&str> =
        p["stack"]["layers"].as_array().expect("layers").iter().filter_map(|l| l["effect"].as_str()).collect();
    assert!(effects.len() == 2 && effects[0].starts_with("style/rotate-hue@"), "{effects:?}");
    assert!(effects[1].starts_with("style/noir@"), "{effects:?}");
}

#[test]
fn an_out_of_range_angle_is_refused_with_its_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "64x48", 10, 0.2);
    let out = dir.path().join("out.mp4");
    let flags = plugin_flags();
    let mut args: Vec<&str> = vec!["apply", s(&input), "-o", s(&out)];
    args.extend(flags.iter().map(String::as_str));
    args.extend_from_slice(&["--effect", "style/rotate-hue", "--param", "rotate-hue.hue=400"]);
    let err = pikafx_err(&args);
    assert!(err.contains("hue") && err.contains("400") && err.contains("0..360"), "{err}");
    assert!(!out.exists());
}

#[test]
fn an_unsupported_contract_version_is_refused_naming_the_supported_ones() {
    let err = pikafx_err(&["inspect", s(&hostile_dir().join("v9.wasm"))]);
    assert!(err.contains("v9.wasm") && err.contains("pika:fx@9.0.0"), "{err}");
    assert!(err.contains("0.1.0, 0.2.0, 0.3.0"), "{err}");
}
