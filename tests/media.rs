//! End-to-end media behaviour of `pikafx apply` on clips made with the
//! ffmpeg CLI: frame counts, timestamps (VFR too), sizes, audio, RGB
//! sources, and every kind of bad input.

mod common;

use common::*;
use std::path::Path;

fn apply(input: &Path, output: &Path, extra: &[&str]) -> String {
    let mut args = vec!["apply", input.to_str().expect("utf-8"), "-o", output.to_str().expect("utf-8")];
    args.extend_from_slice(extra);
    pikafx_ok(&args)
}

#[test]
fn pass_through_keeps_frame_count_and_timestamps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x120", 25, 1.0);
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--allow-empty"]);
    let (before, after) = (frame_times(&input), frame_times(&output));
    assert_eq!(before.len(), 25);
    assert_eq!(before, after, "presentation timestamps changed");
}

#[test]
fn variable_frame_rate_is_preserved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("vfr.mp4");
    // 10 frames 100 ms apart, then 10 frames 40 ms apart.
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=96x64:r=25:d=0.8",
        "-vf",
        "settb=1/1000,setpts='if(lt(N,10),N*100,1000+(N-10)*40)'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        input.to_str().expect("utf-8"),
    ]);
    let before = frame_times(&input);
    assert_eq!(before.len(), 20, "the test clip should be VFR with 20 frames: {before:?}");
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--effect", "style/noir"]);
    assert_eq!(before, frame_times(&output), "VFR timestamps changed");
}

#[test]
fn odd_sizes_are_padded_to_even_and_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("odd.mkv");
    // testsrc2 itself rounds odd sizes down, so scale to the odd size.
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=100x76:r=10:d=0.5",
        "-vf",
        "scale=99:75",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "ffv1",
        input.to_str().expect("utf-8"),
    ]);
    assert_eq!(dimensions(&input), (99, 75));
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--effect", "style/noir"]);
    assert_eq!(dimensions(&output), (100, 76));
    assert_eq!(provenance(&output)["padded_from"], "99x75");
    assert_eq!(frame_times(&output).len(), 5);
}

#[test]
fn sizes_not_multiple_of_16_keep_their_rows_aligned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "202x118", 10, 0.5);
    let output = dir.path().join("out.mp4");
    // A layer mixed at 0 sends every frame through upload, conversion and
    // download (an empty stack would skip the GPU).
    let stack = dir.path().join("identity.json");
    std::fs::write(&stack, r#"{"layers": [{"effect": "style/noir", "mix": 0.0}]}"#).expect("write stack");
    apply(&input, &output, &["--stack", stack.to_str().expect("utf-8"), "--crf", "10"]);
    assert_eq!(dimensions(&output), (202, 118));
    // A sheared image (wrong stride) differs massively from the source.
    let (a, _, _) = rgb_frames(&input);
    let (b, _, _) = rgb_frames(&output);
    let diff = mean_abs_diff(&a[2], &b[2]);
    assert!(diff < 6.0, "pass-through differs by {diff} per channel: strides are wrong");
}

#[test]
fn audio_is_kept_and_can_be_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc_with_audio(dir.path(), "in.mp4", "128x96", 1.0);
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--effect", "style/film"]);
    assert_eq!(stream_types(&output), vec!["video", "audio"]);
    let silent = dir.path().join("silent.mp4");
    apply(&input, &silent, &["--effect", "style/film", "--no-audio"]);
    assert_eq!(stream_types(&silent), vec!["video"]);
}

#[test]
fn audio_the_container_refuses_is_reencoded_and_video_need_not_be_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.mkv");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=128x96:r=25:d=1",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-map",
        "1:a",
        "-map",
        "0:v",
        "-c:a",
        "pcm_s16le",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        input.to_str().expect("utf-8"),
    ]);
    assert_eq!(stream_types(&input), vec!["audio", "video"]);
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--effect", "style/noir"]);
    let codecs = probe_lines(&output, &["-show_entries", "stream=codec_name"]);
    assert_eq!(codecs, vec!["h264", "aac"]);
    assert_eq!(frame_times(&output).len(), 25);
}

#[test]
fn rgb_decoder_output_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("rgb.mov");
    ffmpeg(&["-f", "lavfi", "-i", "testsrc2=s=96x64:r=10:d=0.5", "-c:v", "png", input.to_str().expect("utf-8")]);
    let output = dir.path().join("out.mp4");
    apply(&input, &output, &["--allow-empty", "--crf", "12"]);
    let (a, _, _) = rgb_frames(&input);
    let (b, _, _) = rgb_frames(&output);
    assert_eq!(a.len(), b.len());
    let diff = mean_abs_diff(&a[1], &b[1]);
    assert!(diff < 8.0, "RGB source came out different by {diff} per channel");
}

/// Asserts `pikafx apply` fails with one line naming the problem and leaves no output.
fn assert_refused(input: &Path, expect: &[&str], extra: &[&str]) {
    let dir = input.parent().expect("has a parent");
    let output = dir.join("out.mp4");
    let mut args =
        vec!["apply", input.to_str().expect("utf-8"), "-o", output.to_str().expect("utf-8"), "--effect", "style/noir"];
    args.extend_from_slice(extra);
    let stderr = pikafx_err(&args);
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "expected one error line, got:\n{stderr}");
    let lower = error_lines[0].to_lowercase();
    assert!(expect.iter().any(|e| lower.contains(e)), "error should mention one of {expect:?}: {stderr}");
    assert!(!output.exists(), "a failed render left {} behind", output.display());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pikafx-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn empty_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("empty.mp4");
    std::fs::write(&input, b"").expect("write");
    assert_refused(&input, &["empty"], &[]);
}

#[test]
fn text_named_mp4_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("notes.mp4");
    std::fs::write(&input, "these are not the frames you are looking for\n".repeat(20)).expect("write");
    assert_refused(&input, &["notes.mp4"], &[]);
}

#[test]
fn truncated_file_without_moov_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = testsrc(dir.path(), "full.mp4", "128x96", 25, 1.0);
    let bytes = std::fs::read(&full).expect("read");
    let input = dir.path().join("cut.mp4");
    // moov is at the end by default: cutting the tail removes it.
    std::fs::write(&input, &bytes[..bytes.len() * 6 / 10]).expect("write");
    assert_refused(&input, &["cut.mp4"], &[]);
}

#[test]
fn unknown_codec_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mkv = testsrc(dir.path(), "in.mkv", "64x48", 10, 0.5);
    let mut bytes = std::fs::read(&mkv).expect("read");
    let from = b"V_MPEG4/ISO/AVC";
    let at = bytes.windows(from.len()).position(|w| w == from).expect("codec id present");
    bytes[at..at + from.len()].copy_from_slice(b"V_ZZZZZ/ISO/ZZZ");
    let input = dir.path().join("alien.mkv");
    std::fs::write(&input, bytes).expect("write");
    assert_refused(&input, &["codec"], &[]);
}

#[test]
fn frames_over_the_size_limit_are_refused_before_rendering() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "big.mp4", "320x240", 10, 0.3);
    assert_refused(&input, &["320x240", "too large", "limit"], &["--max-dimension", "256"]);
    assert_refused(&input, &["320x240", "too large", "limit"], &["--max-pixels", "50000"]);
}

#[test]
fn truncated_file_with_more_frames_promised_renders_what_decodes_and_warns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = dir.path().join("full.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=128x96:r=25:d=2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-movflags",
        "+faststart",
        full.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(&full).expect("read");
    let input = dir.path().join("cut.mp4");
    std::fs::write(&input, &bytes[..bytes.len() * 6 / 10]).expect("write");
    let output = dir.path().join("out.mp4");
    let out = pikafx(&[
        "apply",
        input.to_str().expect("utf-8"),
        "-o",
        output.to_str().expect("utf-8"),
        "--effect",
        "style/noir",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "should render what decodes: {stderr}");
    assert!(stderr.contains("warning:") && stderr.contains("50"), "should warn about the 50 promised frames: {stderr}");
    let frames = frame_times(&output).len();
    assert!(frames > 5 && frames < 50, "expected a partial render, got {frames} frames");
}

#[test]
fn the_source_is_never_modified_or_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "96x64", 10, 0.5);
    let before = std::fs::read(&input).expect("read");
    let stderr = pikafx_err(&[
        "apply",
        input.to_str().expect("utf-8"),
        "-o",
        input.to_str().expect("utf-8"),
        "--effect",
        "style/noir",
    ]);
    assert!(stderr.contains("source"), "{stderr}");
    apply(&input, &dir.path().join("out.mp4"), &["--effect", "style/noir"]);
    assert_eq!(before, std::fs::read(&input).expect("read"), "the source changed");
}
