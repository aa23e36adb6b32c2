//! Property tests of `pikaffect/shrink` and of the SDK's subject-bounds
//! pass it is built on: on a clip with a known subject (an orange box on a
//! dark gradient), the subject shrinks toward its feet or its centre, the
//! place it leaves shows background, the border stays the source's.

mod common;

use std::path::Path;

use common::*;

const W: usize = 160;
const H: usize = 120;
/// The subject: an orange box at (BX, BY), BS x BS pixels.
const BX: usize = 56;
const BY: usize = 34;
const BS: usize = 48;

fn subject_clip(dir: &Path) -> std::path::PathBuf {
    let src = format!(
        "gradients=s={W}x{H}:c0=0x183050:c1=0x406080:x0=0:y0=0:x1=0:y1={H}:seed=1:r=10:d=1,drawbox=x={BX}:y={BY}:w={BS}:h={BS}:color=orange:t=fill"
    );
    lossless_clip(dir, "subject.mp4", &src, "yuv420p")
}

fn render(dir: &Path, clip: &Path, params: &[&str], name: &str) -> Vec<Vec<u8>> {
    let out = dir.join(name);
    let mut args = vec!["apply", clip.to_str().expect("utf-8"), "--effect", "pikaffect/shrink", "--crf", "0"];
    let params: Vec<String> = params.iter().map(|p| format!("shrink.{p}")).collect();
    for p in &params {
        args.extend(["--param", p.as_str()]);
    }
    args.extend(["-o", out.to_str().expect("utf-8")]);
    pikafx_ok(&args);
    let (frames, w, h) = rgb_frames(&out);
    assert_eq!((w as usize, h as usize), (W, H));
    assert_eq!(frames.len(), 10, "every frame is rendered");
    frames
}

fn is_orange(px: &[u8]) -> bool {
    px[0] > 150 && px[1] > 90 && px[2] < 80
}

/// The orange pixels' count and bounding box (min x, min y, max x, max y).
fn orange_box(frame: &[u8]) -> (usize, [usize; 4]) {
    let mut n = 0;
    let mut b = [usize::MAX, usize::MAX, 0, 0];
    for (i, px) in frame.chunks(3).enumerate() {
        if is_orange(px) {
            let (x, y) = (i % W, i / W);
            n += 1;
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    (n, b)
}

fn border(frame: &[u8]) -> Vec<u8> {
    frame
        .chunks(3)
        .enumerate()
        .filter(|(i, _)| {
            let (x, y) = (i % W, i / W);
            x < 10 || y < 10 || x >= W - 10 || y >= H - 10
        })
        .flat_map(|(_, px)| px.to_vec())
        .collect()
}

#[test]
fn shrink_scales_the_subject_toward_its_feet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["scale=0.25", "anchor=1", "easing=0"];
    let out = render(dir.path(), &clip, &params, "shrink.mp4");

    let (area0, b0) = orange_box(&source[0]);
    assert!(area0 >= BS * BS * 9 / 10, "the source has its box: {area0}");
    assert!(mean_abs_diff(&source[0], &out[0]) < 1.0, "progress 0 leaves the frame as it is");
    for (i, (s, o)) in source.iter().zip(&out).enumerate() {
        let diff = mean_abs_diff(&border(s), &border(o));
        assert!(diff < 2.0, "frame {i}: the border stays (diff {diff:.2})");
    }

    // Area follows scale²: the last frame is progress 1, where the side is a
    // quarter, so the area is ~1/16.
    let (area_end, b_end) = orange_box(&out[9]);
    let expected = area0 as f64 * 0.25f64.powi(2);
    let ratio = area_end as f64 / expected;
    assert!((0.6..1.4).contains(&ratio), "the end area is ~scale² of the source: {area_end} vs {expected:.0}");
    // It keeps standing: its bottom stays within 3 px of the source's, and
    // it stays horizontally centred on the source.
    assert!(b_end[3].abs_diff(b0[3]) <= 3, "the bottom stays put: {b_end:?} vs {b0:?}");
    let (cx0, cx1) = ((b0[0] + b0[2]) as f64 / 2.0, (b_end[0] + b_end[2]) as f64 / 2.0);
    assert!((cx0 - cx1).abs() <= 2.0, "it stays centred: {cx1} vs {cx0}");
    // It shrinks steadily.
    let areas: Vec<usize> = out.iter().map(|f| orange_box(f).0).collect();
    assert!(areas.windows(2).all(|w| w[1] <= w[0] + 20), "it only ever shrinks: {areas:?}");
    // The top of the old box is background now, not the subject, nor black.
    let top: Vec<u8> = out[9]
        .chunks(3)
        .enumerate()
        .filter(|(i, _)| (BX + 4..BX + BS - 4).contains(&(i % W)) && (BY + 2..BY + 12).contains(&(i / W)))
        .flat_map(|(_, px)| px.to_vec())
        .collect();
    assert!(!top.chunks(3).any(is_orange), "the vacated top shows background");
    let mean = top.iter().map(|v| f64::from(*v)).sum::<f64>() / top.len() as f64;
    assert!(mean > 40.0, "the fill is not a black hole: {mean:.1}");

    let again = render(dir.path(), &clip, &params, "shrink2.mp4");
    assert!(out == again, "deterministic");
}

#[test]
fn shrink_toward_the_centre_keeps_the_centroid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let out = render(dir.path(), &clip, &["scale=0.5", "anchor=0", "easing=0"], "centre.mp4");
    let (_, b) = orange_box(&out[9]);
    let centre = ((b[0] + b[2]) as f64 / 2.0, (b[1] + b[3]) as f64 / 2.0);
    let source_centre = ((BX + BS / 2) as f64 - 0.5, (BY + BS / 2) as f64 - 0.5);
    assert!(
        (centre.0 - source_centre.0).abs() <= 2.0 && (centre.1 - source_centre.1).abs() <= 2.0,
        "the subject shrinks around its centroid, found by the bounds pass: {centre:?} vs {source_centre:?}"
    );
    let side = (b[2] - b[0] + 1) as f64;
    let expected = BS as f64 * 0.5;
    assert!((side - expected).abs() <= 4.0, "its side is scale of the source's: {side} vs {expected}");
}
