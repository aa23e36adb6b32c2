//! End-to-end tests of the `pikafx` CLI with the real plugins, the real
//! GPU (lavapipe in CI) and real ffmpeg: effects measured on pixels.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn render(input: &Path, out: PathBuf, args: &[&str]) -> PathBuf {
    let mut all = vec!["apply", s(input), "-o", s(&out)];
    all.extend_from_slice(args);
    if !args.contains(&"--crf") {
        all.extend_from_slice(&["--crf", "14"]);
    }
    pikafx_ok(&all);
    out
}

fn write_stack(dir: &Path, name: &str, json: serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, json.to_string()).expect("write stack");
    path
}

#[test]
fn noir_desaturates_the_clip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "192x108", 10, 0.5);
    let output = render(&input, dir.path().join("noir.mp4"), &["--effect", "style/noir"]);
    let (src, _, _) = rgb_frames(&input);
    let (out, _, _) = rgb_frames(&output);
    let before = src.iter().map(|f| mean_saturation(f)).sum::<f64>() / src.len() as f64;
    let after = out.iter().map(|f| mean_saturation(f)).sum::<f64>() / out.len() as f64;
    assert!(before > 0.3, "the test clip should be colourful: {before}");
    assert!(after < 0.05, "noir output saturation {after}");
}

#[test]
fn mix_zero_equals_pass_through_and_mix_one_does_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x90", 10, 0.5);
    let plain = render(&input, dir.path().join("plain.mp4"), &["--allow-empty"]);
    let zero =
        write_stack(dir.path(), "zero.json", serde_json::json!({"layers": [{"effect": "style/noir", "mix": 0.0}]}));
    let mixed = render(&input, dir.path().join("zero.mp4"), &["--stack", s(&zero)]);
    let full = render(&input, dir.path().join("full.mp4"), &["--effect", "style/noir"]);
    let (a, _, _) = rgb_frames(&plain);
    let (b, _, _) = rgb_frames(&mixed);
    let (c, _, _) = rgb_frames(&full);
    for i in 0..a.len() {
        // The pass-through copies the decoded planes; mix=0 goes through the
        // GPU's YUV->RGBA8->YUV round trip, which costs about one level.
        let same = mean_abs_diff(&a[i], &b[i]);
        assert!(same < 2.0, "frame {i}: mix=0 differs from pass-through by {same}");
        assert!(mean_abs_diff(&a[i], &c[i]) > 10.0, "frame {i}: mix=1 should change the frame");
    }
}

#[test]
fn a_time_range_leaves_frames_outside_it_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x90", 10, 1.0);
    let plain = render(&input, dir.path().join("plain.mp4"), &["--allow-empty"]);
    let stack = write_stack(
        dir.path(),
        "ranged.json",
        serde_json::json!({"layers": [{"effect": "style/noir@0.1", "start_sec": 0.4, "end_sec": 0.75}]}),
    );
    let ranged = render(&input, dir.path().join("ranged.mp4"), &["--stack", s(&stack)]);
    let (a, _, _) = rgb_frames(&plain);
    let (b, _, _) = rgb_frames(&ranged);
    assert_eq!(a.len(), 10);
    for i in 0..10 {
        let inside = (4..8).contains(&i);
        let sat = mean_saturation(&b[i]);
        if inside {
            // The first frame after a cut inherits a little chroma through x264's prediction.
            assert!(sat < 0.1, "frame {i} is inside the range but saturation is {sat}");
        } else {
            // Not bit-exact: x264 predicts these frames from neighbours that differ.
            let diff = mean_abs_diff(&a[i], &b[i]);
            assert!(diff < 2.5, "frame {i} is outside the range but differs by {diff}");
        }
    }
}

#[test]
fn parameters_are_validated_against_the_plugin_spec() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "64x48", 10, 0.3);
    let out = dir.path().join("out.mp4");
    let unknown =
        pikafx_err(&["apply", s(&input), "-o", s(&out), "--effect", "style/noir", "--param", "noir.sparkle=1"]);
    assert!(unknown.contains("unknown parameter `sparkle`") && unknown.contains("contrast"), "{unknown}");
    let range =
        pikafx_err(&["apply", s(&input), "-o", s(&out), "--effect", "style/noir", "--param", "noir.contrast=99"]);
    assert!(range.contains("contrast") && range.contains("0.5..2"), "{range}");
    let effect = pikafx_err(&["apply", s(&input), "-o", s(&out), "--effect", "style/sparkles"]);
    assert!(effect.contains("style/sparkles") && effect.contains("style/noir"), "{effect}");
    let target =
        pikafx_err(&["apply", s(&input), "-o", s(&out), "--effect", "style/noir", "--param", "melt.intensity=1"]);
    assert!(target.contains("no layer is effect `melt`"), "{target}");
    assert!(!out.exists());
}

#[test]
fn cli_params_and_keyframes_reach_the_plugin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x90", 10, 0.5);
    let (src, _, _) = rgb_frames(&input);
    let weak = render(
        &input,
        dir.path().join("weak.mp4"),
        &[
            "--effect",
            "style/film",
            "--param",
            "film.saturation=0",
            "--param",
            "film.grain=0",
            "--param",
            "film.warmth=0",
        ],
    );
    let (w, _, _) = rgb_frames(&weak);
    assert!(mean_saturation(&w[0]) < 0.08, "saturation=0 should grey the frame: {}", mean_saturation(&w[0]));
    // Keyframed saturation: 0 at the start, 3 at the end.
    let stack = write_stack(
        dir.path(),
        "kf.json",
        serde_json::json!({"layers": [{"effect": "style/film", "params": {"grain": 0.0, "warmth": 0.0},
            "keyframes": {"saturation": [[0.0, 0.0], [0.4, 2.0, "ease-in"]]}}]}),
    );
    let (k, _, _) = rgb_frames(&render(&input, dir.path().join("kf.mp4"), &["--stack", s(&stack)]));
    let (first, last) = (mean_saturation(&k[0]), mean_saturation(&k[4]));
    assert!(first < 0.08 && last > mean_saturation(&src[4]), "keyframes not applied: {first} .. {last}");
}

#[test]
fn posterize_uses_the_cpu_path_and_quantises() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "128x96", 10, 0.3);
    let output = render(
        &input,
        dir.path().join("poster.mp4"),
        &["--effect", "style/posterize", "--param", "posterize.levels=2", "--crf", "0"],
    );
    let (frames, _, _) = rgb_frames(&output);
    let near_extreme = frames[1].iter().filter(|&&v| !(40..=215).contains(&v)).count() as f64 / frames[1].len() as f64;
    assert!(near_extreme > 0.85, "2-level posterize should leave channels near 0 or 255; only {near_extreme:.2} are");
}

#[test]
fn melt_grows_with_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A clear subject (an orange square) on a plain background.
    let input = dir.path().join("box.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=0x336699:s=160x120:r=10:d=1,drawbox=x=50:y=30:w=60:h=60:color=orange:t=fill",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        s(&input),
    ]);
    let plain = render(&input, dir.path().join("plain.mp4"), &["--allow-empty"]);
    let melted =
        render(&input, dir.path().join("melt.mp4"), &["--effect", "pikaffect/melt", "--param", "melt.intensity=1"]);
    let (a, _, _) = rgb_frames(&plain);
    let (b, _, _) = rgb_frames(&melted);
    let start = mean_abs_diff(&a[0], &b[0]);
    let end = mean_abs_diff(&a[9], &b[9]);
    assert!(start < 1.5, "melt at progress 0 should leave the frame: {start}");
    assert!(end > start + 2.0, "melt at progress 1 should change the frame: {start} -> {end}");
}

#[test]
fn provenance_is_embedded_in_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "96x64", 10, 0.3);
    let output = render(&input, dir.path().join("out.mp4"), &["--effect", "style/noir", "--param", "noir.grain=0.5"]);
    let p = provenance(&output);
    let bytes = std::fs::read(&input).expect("read");
    let expected = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    assert_eq!(p["source_sha256"], expected.as_str());
    assert!(p["host"].as_str().is_some_and(|h| h.starts_with("pikafx ")));
    let layer = &p["stack"]["layers"][0];
    assert!(layer["effect"].as_str().is_some_and(|e| e.starts_with("style/noir@")), "{layer}");
    assert_eq!(layer["params"]["grain"], 0.5);
    assert_eq!(layer["plugin_sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn effects_and_inspect_describe_the_plugins() {
    let listing = pikafx_ok(&["effects"]);
    for reference in
        ["style/noir@", "style/film@", "style/posterize@", "pikaffect/melt@", "style/py-sepia@", "style/js-duotone@"]
    {
        assert!(listing.contains(reference), "`pikafx effects` lacks {reference}:\n{listing}");
    }
    assert!(listing.contains("--param melt.intensity"), "{listing}");
    let json: serde_json::Value =
        serde_json::from_str(&pikafx_ok(&["effects", "--json"])).expect("effects --json is JSON");
    assert!(json.as_array().is_some_and(|a| a.len() >= 6));
    let inspect = pikafx_ok(&["inspect", s(&plugin_dir().join("melt.wasm"))]);
    assert!(inspect.contains("pikaffect/melt@") && inspect.contains("contract: pika:fx@0.3.0"), "{inspect}");
}

#[test]
fn preview_writes_a_before_after_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x90", 10, 0.6);
    let sheet = dir.path().join("sheet.png");
    pikafx_ok(&[
        "preview",
        s(&input),
        "--effect",
        "style/noir",
        "--frames",
        "3",
        "--cell-width",
        "80",
        "-o",
        s(&sheet),
    ]);
    let image = image::open(&sheet).expect("a PNG").to_rgb8();
    // 3 cells of 80x45 with 4-pixel gaps, two rows.
    assert_eq!(image.dimensions(), (3 * 84 + 4, 2 * 49 + 4));
    let top = image.get_pixel(4 + 40, 4 + 22).0;
    let bottom = image.get_pixel(4 + 40, 53 + 22).0;
    assert!(
        bottom[0] == bottom[1] && bottom[1] == bottom[2],
        "the after row should be grey: {bottom:?} (before {top:?})"
    );
}

#[test]
fn python_and_javascript_plugins_render_through_the_gpu() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "128x96", 10, 0.3);
    let (src, _, _) = rgb_frames(&input);
    let sepia =
        render(&input, dir.path().join("sepia.mp4"), &["--effect", "style/py-sepia", "--param", "py-sepia.amount=1"]);
    let (f, _, _) = rgb_frames(&sepia);
    let warm = f[1].chunks(3).filter(|p| p[0] as i32 + 6 >= p[1] as i32 && p[1] as i32 + 6 >= p[2] as i32).count()
        as f64
        / (f[1].len() / 3) as f64;
    assert!(warm > 0.9, "sepia should order R >= G >= B; {warm:.2} of pixels do");
    assert!(mean_abs_diff(&src[1], &f[1]) > 10.0);
    let duo = render(
        &input,
        dir.path().join("duo.mp4"),
        &[
            "--effect",
            "style/js-duotone",
            "--param",
            "js-duotone.shadow=#000000",
            "--param",
            "js-duotone.highlight=#ff0000",
        ],
    );
    let (d, _, _) = rgb_frames(&duo);
    let red_only = d[1].chunks(3).filter(|p| p[1] < 30 && p[2] < 30).count() as f64 / (d[1].len() / 3) as f64;
    assert!(red_only > 0.9, "black->red duotone should leave no green or blue; {red_only:.2} of pixels are red-only");
}

#[test]
fn stacks_can_draw_png_overlays_without_layers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 0.5);
    let png = dir.path().join("sticker.png");
    image::RgbaImage::from_pixel(20, 20, image::Rgba([0, 0, 255, 255])).save(&png).expect("png");
    let stack = dir.path().join("stack.json");
    let overlay = serde_json::json!({"overlays": [{"image": png.to_str().expect("utf-8"), "position": [0.0, 0.0], "scale": 2.0}]});
    std::fs::write(&stack, overlay.to_string()).expect("stack");
    let output = dir.path().join("out.mp4");
    pikafx_ok(&[
        "apply",
        input.to_str().expect("utf-8"),
        "--stack",
        stack.to_str().expect("utf-8"),
        "-o",
        output.to_str().expect("utf-8"),
    ]);
    let (frames, width, _) = rgb_frames(&output);
    let pixel = |x: u32, y: u32| {
        let i = ((y * width + x) * 3) as usize;
        (frames[0][i], frames[0][i + 1], frames[0][i + 2])
    };
    let (r, g, b) = pixel(20, 20);
    assert!(b > 200 && r < 60 && g < 60, "scaled 2x: the 40x40 corner is blue, got {r},{g},{b}");
    assert_eq!(provenance(&output)["stack"]["overlays"][0]["size"], serde_json::json!("20x20"));

    std::fs::write(&stack, r#"{"overlays": [{"image": "/nonexistent.png"}]}"#).expect("stack");
    let err = pikafx_err(&[
        "apply",
        input.to_str().expect("utf-8"),
        "--stack",
        stack.to_str().expect("utf-8"),
        "-o",
        output.to_str().expect("utf-8"),
    ]);
    assert!(err.contains("overlay 1") && err.contains("/nonexistent.png"), "{err}");
}

#[test]
fn apply_passes_times_the_stack_s_gpu_passes_on_a_real_clip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "192x108", 10, 0.5);
    let out = dir.path().join("out.mp4");
    let args = ["apply", s(&input), "-o", s(&out), "--effect", "style/noir", "--effect", "pikaffect/melt"];
    let stats = |extra: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(extra);
        let out = pikafx_ok(&all);
        let line = out.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no JSON line in {out}"));
        serde_json::from_str::<serde_json::Value>(line).expect("--stats prints a JSON line")
    };
    assert!(stats(&["--stats"])["passes"].is_null(), "pass timing is off by default");

    let report = stats(&["--stats", "--passes"]);
    let passes = report["passes"].as_array().unwrap_or_else(|| panic!("no passes in {report}"));
    let label_of = |p: &serde_json::Value| p["pass"].as_str().unwrap_or_default().to_owned();
    // Both layers' shaders, named by their first comment, and the host's
    // subject mask, each once per frame.
    for prefix in ["main: noir", "main: melt", "host: subject mask, fuse"] {
        let pass = passes
            .iter()
            .find(|p| label_of(p).starts_with(prefix))
            .unwrap_or_else(|| panic!("no pass `{prefix}...` in {report}"));
        assert!(pass["gpu_ms_per_frame"].as_f64().is_some_and(|ms| ms > 0.0), "{report}");
        assert_eq!(pass["calls_per_frame"].as_f64(), Some(1.0), "{prefix}: {report}");
    }
    // Without --stats, a table for people.
    let table = pikafx_ok(&[&args[..], &["--passes"]].concat());
    assert!(table.contains("GPU time per pass") && table.contains("main: noir"), "{table}");
}
