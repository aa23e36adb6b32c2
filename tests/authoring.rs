//! `pikafx plugin new` and `pikafx plugin build`: every template scaffolds,
//! builds with its real toolchain, and renders the effect it promises.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the real `pikafx` binary with the shared compile cache; the Rust
/// scaffolds share one cargo target dir so wit-bindgen is compiled once.
fn pikafx_in(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pikafx"));
    cmd.args(args)
        .env("PIKAFX_CACHE_DIR", cache_dir())
        .env("CARGO_TARGET_DIR", root().join("target").join("scaffold-target"))
        .env_remove("RUST_LOG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("pikafx runs")
}

fn ok(args: &[&str]) -> String {
    let out = pikafx_in(args, &[]);
    assert!(
        out.status.success(),
        "pikafx {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `pikafx`, asserting failure with pikafx's one `error:` line last
/// (a build tool's own output may come before it); returns that line.
fn err(args: &[&str], envs: &[(&str, &str)]) -> String {
    let out = pikafx_in(args, envs);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "pikafx {args:?} should have failed; stderr:\n{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: "), "want an `error:` line last:\n{stderr}");
    last.to_owned()
}

/// Like [`err`] for failures before any tool runs: that line is all of stderr's errors.
fn only_err(args: &[&str], envs: &[(&str, &str)]) -> String {
    let line = err(args, envs);
    let out = pikafx_in(args, envs);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().filter(|l| l.starts_with("error")).count(), 1, "want one error line:\n{stderr}");
    line
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `plugin new` then `plugin build` in `parent`; returns the project dir.
fn scaffold_and_build(parent: &Path, name: &str, lang: &str, kind: &str) -> PathBuf {
    let out = ok(&["plugin", "new", name, "--lang", lang, "--kind", kind, "--dir", s(parent)]);
    let project = parent.join(name);
    for expected in ["wit/pika-fx.wit", "README.md", "pikafx plugin build", &format!("--effect {kind}/{name}")] {
        assert!(out.contains(expected), "`plugin new` output lacks {expected:?}:\n{out}");
    }
    let wit = std::fs::read_to_string(project.join("wit/pika-fx.wit")).expect("wit vendored");
    assert_eq!(wit, std::fs::read_to_string(root().join("wit/0.1.0/pika-fx.wit")).expect("repo wit"));
    let readme = std::fs::read_to_string(project.join("README.md")).expect("README");
    for expected in ["pikafx plugin build", &format!("pikafx plugin check {name}.wasm"), "ffmpeg -f lavfi"] {
        assert!(readme.contains(expected), "README lacks {expected:?}:\n{readme}");
    }

    let out = ok(&["plugin", "build", s(&project)]);
    let wasm = project.join(format!("{name}.wasm"));
    assert!(out.contains("built") && out.contains(s(&wasm)), "{out}");
    assert!(std::fs::metadata(&wasm).expect("component written").len() > 1000);
    project
}

/// Mean of channel `c` minus mean of channel `d` of an RGB24 frame.
fn channel_gap(rgb: &[u8], c: usize, d: usize) -> f64 {
    rgb.chunks(3).map(|p| p[c] as f64 - p[d] as f64).sum::<f64>() / (rgb.len() / 3) as f64
}

/// What the style template's shader makes of an RGB24 frame at the default
/// parameters (warmth 0.5, contrast 1.25).
fn style_model(rgb: &[u8]) -> Vec<u8> {
    let tint = [0.25, 0.05, -0.25];
    rgb.iter()
        .enumerate()
        .map(|(i, v)| {
            let c = (*v as f64 / 255.0 - 0.5) * 1.25 + 0.5 + tint[i % 3] * 0.5;
            (c.clamp(0.0, 1.0) * 255.0).round() as u8
        })
        .collect()
}

/// Renders `effect` from the plugins in `project` over a small clip; returns
/// the input and output frames.
fn apply(project: &Path, effect: &str, tmp: &Path) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let clip = testsrc(tmp, "clip.mp4", "96x64", 10, 0.5);
    let out = tmp.join(format!("{}.mp4", effect.replace('/', "-")));
    ok(&["apply", s(&clip), "-o", s(&out), "--plugins", s(project), "--effect", effect]);
    let (input, ..) = rgb_frames(&clip);
    let (output, ..) = rgb_frames(&out);
    assert_eq!(input.len(), output.len(), "frame count changed");
    assert!(input.len() >= 4, "clip too short: {} frames", input.len());
    (input, output)
}

/// The style template: warmth 0.5 pushes red up and blue down on every
/// frame, contrast 1.25 stretches the tones; each output pixel matches the
/// shader's formula applied to the input.
fn style_template_tints(lang: &str) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let name = format!("{lang}-tint");
    let project = scaffold_and_build(tmp.path(), &name, lang, "style");
    let (input, output) = apply(&project, &format!("style/{name}"), tmp.path());
    for (i, (a, b)) in input.iter().zip(&output).enumerate() {
        let warm = channel_gap(b, 0, 2) - channel_gap(a, 0, 2);
        assert!(warm > 12.0, "{lang} frame {i}: red-minus-blue rose by only {warm:.1}");
        // Every pixel follows the shader's formula, up to H.264 and YUV<->RGB rounding.
        let changed = mean_abs_diff(a, b);
        let model_error = mean_abs_diff(&style_model(a), b);
        assert!(
            changed > 6.0 && model_error < changed / 2.0,
            "{lang} frame {i}: changed by {changed:.1}, off the tint/contrast model by {model_error:.1}"
        );
    }
}

/// A 96x64 clip with a clear subject: a white square on a dark blue ground.
fn subject_clip(dir: &Path) -> PathBuf {
    let path = dir.join("subject.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=0x183050:s=96x64:r=10:d=0.5,drawbox=x=32:y=16:w=32:h=32:color=white:t=fill",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        s(&path),
    ]);
    path
}

/// Mean red-minus-blue of the pixels of an RGB24 frame `width` wide inside `rect` (x0, y0, x1, y1).
fn region_warmth(rgb: &[u8], width: usize, rect: (usize, usize, usize, usize)) -> f64 {
    let (x0, y0, x1, y1) = rect;
    let mut sum = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = (y * width + x) * 3;
            sum += rgb[p] as f64 - rgb[p + 2] as f64;
        }
    }
    sum / ((x1 - x0) * (y1 - y0)) as f64
}

/// The Pikaffect template: at progress 0 nothing changes; the subject (the
/// white square) turns gold step by step, while the background stays.
fn pikaffect_template_gilds_over_time(lang: &str) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let name = format!("{lang}-gold");
    let project = scaffold_and_build(tmp.path(), &name, lang, "pikaffect");
    let clip = subject_clip(tmp.path());
    let out = tmp.path().join("out.mp4");
    ok(&["apply", s(&clip), "-o", s(&out), "--plugins", s(&project), "--effect", &format!("pikaffect/{name}")]);
    let (input, w, _) = rgb_frames(&clip);
    let (output, ..) = rgb_frames(&out);
    assert_eq!(input.len(), output.len(), "frame count changed");
    let n = input.len();
    assert!(n >= 4, "clip too short: {n} frames");
    let (subject, ground) = ((36, 20, 60, 44), (2, 2, 26, 62));
    let gain: Vec<f64> = input
        .iter()
        .zip(&output)
        .map(|(a, b)| region_warmth(b, w as usize, subject) - region_warmth(a, w as usize, subject))
        .collect();
    assert!(gain[0].abs() < 4.0, "{lang}: frame 0 (progress 0) changed the subject: {gain:?}");
    assert!(gain.windows(2).all(|g| g[1] > g[0]), "{lang}: the subject does not turn gold step by step: {gain:?}");
    assert!(gain[n - 1] > 100.0, "{lang}: the subject is not gold by the end: {gain:?}");
    for (i, (a, b)) in input.iter().zip(&output).enumerate() {
        let shift = region_warmth(b, w as usize, ground) - region_warmth(a, w as usize, ground);
        assert!(shift.abs() < 4.0, "{lang} frame {i}: the background changed by {shift:.1}");
    }
}

#[test]
fn rust_style_template_builds_and_tints() {
    style_template_tints("rust");
}

#[test]
fn rust_pikaffect_template_builds_and_gilds_the_subject() {
    pikaffect_template_gilds_over_time("rust");
}

#[test]
fn python_style_template_builds_and_tints() {
    style_template_tints("python");
}

#[test]
fn python_pikaffect_template_builds_and_gilds_the_subject() {
    pikaffect_template_gilds_over_time("python");
}

#[test]
fn js_style_template_builds_and_tints() {
    style_template_tints("js");
}

#[test]
fn js_pikaffect_template_builds_and_gilds_the_subject() {
    pikaffect_template_gilds_over_time("js");
}

#[test]
fn new_refuses_an_existing_dir_and_bad_names() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = s(tmp.path());
    std::fs::create_dir(tmp.path().join("taken")).expect("mkdir");
    let line = only_err(&["plugin", "new", "taken", "--lang", "rust", "--dir", dir], &[]);
    assert!(line.contains("taken") && line.contains("already exists"), "{line}");
    for (bad, problem) in [
        ("Warm", "upper-case"),
        ("warm_tint", "'_'"),
        ("-warm", "start with a letter"),
        ("warm-", "'-'"),
        ("9lives", "start with a letter"),
        ("", "empty"),
    ] {
        let line = only_err(&["plugin", "new", "--lang", "python", "--dir", dir, "--", bad], &[]);
        assert!(line.contains("invalid plugin name") && line.contains(problem), "{bad:?}: {line}");
        assert!(line.contains("kebab-case"), "{line}");
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("readdir").collect();
    assert_eq!(left.len(), 1, "a refused `plugin new` must create nothing");
}

#[test]
fn build_explains_a_missing_project_or_toolchain() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let line = only_err(&["plugin", "build", s(tmp.path())], &[]);
    assert!(line.contains("no plugin project in") && line.contains(s(tmp.path())), "{line}");
    assert!(line.contains("Cargo.toml") && line.contains("app.py") && line.contains("pikafx plugin new"), "{line}");

    // With an empty PATH every tool is missing: the error says how to install it.
    for (lang, hint) in [
        ("rust", "rustup target add wasm32-wasip2"),
        ("python", "pip install componentize-py==0.25.1"),
        ("js", "install Node.js >= 20"),
    ] {
        let name = format!("no-{lang}");
        ok(&["plugin", "new", &name, "--lang", lang, "--dir", s(tmp.path())]);
        let project = tmp.path().join(&name);
        let line = only_err(&["plugin", "build", s(&project)], &[("PATH", "")]);
        assert!(line.contains("not found") && line.contains(hint), "{lang}: {line}");
    }
}

#[test]
fn build_failure_names_the_tool_and_the_project() {
    let tmp = tempfile::tempdir().expect("tempdir");
    ok(&["plugin", "new", "broken", "--lang", "rust", "--dir", s(tmp.path())]);
    let project = tmp.path().join("broken");
    std::fs::write(project.join("src/lib.rs"), "this is not rust").expect("write");
    let line = err(&["plugin", "build", s(&project)], &[]);
    assert!(line.contains("cargo build failed") && line.contains("broken"), "{line}");
}

/// Every fenced block of docs/authoring.md whose first line is a comment
/// naming a repository file is that file, byte for byte.
#[test]
fn guide_examples_match_the_tested_sources() {
    let guide = std::fs::read_to_string(root().join("docs/authoring.md")).expect("the guide");
    let mut checked = Vec::new();
    let mut blocks = guide.split("\n```");
    blocks.next();
    while let (Some(block), Some(_after)) = (blocks.next(), blocks.next()) {
        let mut lines = block.splitn(3, '\n');
        let (_lang, first, body) = (lines.next(), lines.next().unwrap_or(""), lines.next().unwrap_or(""));
        let named = first.strip_prefix("// ").or_else(|| first.strip_prefix("# ")).map(str::trim);
        let Some(path) = named.filter(|p| root().join(p).is_file() && !p.contains(' ')) else { continue };
        let source = std::fs::read_to_string(root().join(path)).expect("the example");
        assert_eq!(format!("{body}\n"), source, "docs/authoring.md's copy of {path} is out of date");
        checked.push(path.to_owned());
    }
    for expected in ["plugins/styles/noir/src/lib.rs", "examples/python/sepia/app.py", "examples/js/duotone/app.js"] {
        assert!(checked.iter().any(|p| p == expected), "the guide shows {expected} in full (found {checked:?})");
    }
}
