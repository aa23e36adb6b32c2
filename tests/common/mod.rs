//! Helpers shared by the end-to-end tests: clips made with the ffmpeg CLI,
//! probing with ffprobe, running the real `pikafx` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("host/ has a parent").to_owned()
}

/// The directory `make plugins` fills with the first-party and example plugins.
pub fn plugin_dir() -> PathBuf {
    let dir = root().join("target").join("plugins");
    assert!(
        dir.join("noir.wasm").exists(),
        "{} has no plugins: run `make plugins` (or `make test`) first",
        dir.display()
    );
    dir
}

/// The directory of the purpose-built hostile guests.
pub fn hostile_dir() -> PathBuf {
    let dir = root().join("target").join("test-guests");
    assert!(dir.join("hostile.wasm").exists(), "{} is empty: run `make plugins` first", dir.display());
    dir
}

/// A compiled-plugin cache shared by all tests (the Python and JS
/// components take seconds to compile; once is enough).
pub fn cache_dir() -> PathBuf {
    root().join("target").join("test-cache")
}

/// Runs ffmpeg with `args`, panicking with its stderr on failure.
pub fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "ffmpeg {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A testsrc2 clip: `size` like "160x120", `rate` fps, `secs` long, H.264 yuv420p, no audio.
pub fn testsrc(dir: &Path, name: &str, size: &str, rate: u32, secs: f64) -> PathBuf {
    let path = dir.join(name);
    let src = format!("testsrc2=s={size}:r={rate}:d={secs}");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &src,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        path.to_str().expect("utf-8 path"),
    ]);
    path
}

/// A testsrc2 clip with a sine-wave AAC track.
pub fn testsrc_with_audio(dir: &Path, name: &str, size: &str, secs: f64) -> PathBuf {
    let path = dir.join(name);
    let src = format!("testsrc2=s={size}:r=25:d={secs}");
    let tone = format!("sine=frequency=440:duration={secs}");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &src,
        "-f",
        "lavfi",
        "-i",
        &tone,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        path.to_str().expect("utf-8 path"),
    ]);
    path
}

/// A losslessly encoded H.264 clip (`-qp 0`) made by a lavfi filter
/// `graph`, in `pix_fmt` (yuv420p, yuv444p): pixel measurements of the
/// tests are not blurred by compression.
pub fn lossless_clip(dir: &Path, name: &str, graph: &str, pix_fmt: &str) -> PathBuf {
    let path = dir.join(name);
    let target = path.to_str().expect("utf-8 path");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        graph,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-qp",
        "0",
        "-pix_fmt",
        pix_fmt,
        target,
    ]);
    path
}

/// Runs the real `pikafx` binary with the test plugin directory and cache.
pub fn pikafx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pikafx"))
        .args(args)
        .env("PIKAFX_CACHE_DIR", cache_dir())
        .env("PIKAFX_PLUGIN_PATH", plugin_dir())
        .env_remove("RUST_LOG")
        .output()
        .expect("pikafx runs")
}

/// Like [`pikafx`], asserting success and returning stdout.
pub fn pikafx_ok(args: &[&str]) -> String {
    let out = pikafx(args);
    assert!(out.status.success(), "pikafx {args:?} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Like [`pikafx`], asserting failure and returning stderr.
pub fn pikafx_err(args: &[&str]) -> String {
    let out = pikafx(args);
    assert!(
        !out.status.success(),
        "pikafx {args:?} should have failed; stdout:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// ffprobe's value of `entries` for the first video stream, one line per frame/packet.
pub fn probe_lines(path: &Path, args: &[&str]) -> Vec<String> {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .args(["-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().trim_end_matches(',').to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Presentation times of the video frames.
pub fn frame_times(path: &Path) -> Vec<String> {
    probe_lines(path, &["-select_streams", "v:0", "-show_entries", "frame=pts_time"])
}

/// (width, height) of the first video stream.
pub fn dimensions(path: &Path) -> (u32, u32) {
    let line = probe_lines(path, &["-select_streams", "v:0", "-show_entries", "stream=width,height"]).remove(0);
    let mut parts = line.split(',').map(|p| p.parse::<u32>().expect("a number"));
    (parts.next().expect("width"), parts.next().expect("height"))
}

/// Codec types of all streams (`video`, `audio`, ...).
pub fn stream_types(path: &Path) -> Vec<String> {
    probe_lines(path, &["-show_entries", "stream=codec_type"])
}

/// Every frame of the clip as packed RGB24 bytes, plus the frame size.
pub fn rgb_frames(path: &Path) -> (Vec<Vec<u8>>, u32, u32) {
    let (w, h) = dimensions(path);
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "decode failed: {}", String::from_utf8_lossy(&out.stderr));
    let size = (w * h * 3) as usize;
    (out.stdout.chunks(size).filter(|c| c.len() == size).map(|c| c.to_vec()).collect(), w, h)
}

/// Mean HSV saturation of an RGB24 frame.
pub fn mean_saturation(rgb: &[u8]) -> f64 {
    let mut total = 0.0;
    for px in rgb.chunks(3) {
        let max = *px.iter().max().expect("3 channels") as f64;
        let min = *px.iter().min().expect("3 channels") as f64;
        total += if max > 0.0 { (max - min) / max } else { 0.0 };
    }
    total / (rgb.len() / 3) as f64
}

/// Mean absolute difference per channel between two frames (0..255).
pub fn mean_abs_diff(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len(), "frames differ in size");
    a.iter().zip(b).map(|(x, y)| (*x as f64 - *y as f64).abs()).sum::<f64>() / a.len() as f64
}

/// The provenance JSON embedded in an output.
pub fn provenance(path: &Path) -> serde_json::Value {
    let lines = probe_lines(path, &["-show_entries", "format_tags=comment"]);
    let text = lines.join("\n");
    let json =
        text.split_once("pikafx-provenance:").map(|(_, j)| j).unwrap_or_else(|| panic!("no provenance in {text:?}"));
    // csv output quotes fields that contain commas.
    let json = json.trim_end_matches('"').replace("\"\"", "\"");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("provenance is not JSON ({e}): {json}"))
}
pub mod receiver;
pub mod server;
pub mod subject;
