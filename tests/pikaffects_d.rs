//! Property tests of the balloon-like Pikaffects: `pikaffect/inflate`,
//! `pikaffect/deflate` and `pikaffect/squish`. Each runs on a small clip
//! with a known subject (an orange box on a dark gradient) and the subject
//! is measured by counting orange pixels.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const W: usize = 160;
const H: usize = 120;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A 1 s, 10 fps, 160x120 losslessly encoded clip: an orange box (x 50..110,
/// y 30..90) on a dark gradient.
fn box_clip(dir: &Path) -> PathBuf {
    lossless_clip(
        dir,
        "box.mp4",
        "gradients=s=160x120:c0=0x183050:c1=0x305070:x0=0:y0=0:x1=0:y1=120:seed=1:r=10:d=1,drawbox=x=50:y=30:w=60:h=60:color=orange:t=fill",
        "yuv444p",
    )
}

/// Renders `input` through `args` losslessly and returns its frames.
fn render(input: &Path, out: PathBuf, args: &[&str]) -> Vec<Vec<u8>> {
    let mut all = vec!["apply", s(input), "-o", s(&out), "--crf", "0", "--no-audio"];
    all.extend_from_slice(args);
    pikafx_ok(&all);
    let (frames, w, h) = rgb_frames(&out);
    assert_eq!((w as usize, h as usize), (W, H));
    assert_eq!(frames.len(), 10, "a 1 s clip at 10 fps");
    frames
}

fn is_orange(px: &[u8]) -> bool {
    px[0] > 150 && (60..200).contains(&px[1]) && px[2] < 80
}

/// Number of orange pixels in each row of an RGB24 frame.
fn orange_rows(rgb: &[u8]) -> Vec<usize> {
    rgb.chunks(W * 3).map(|row| row.chunks(3).filter(|px| is_orange(px)).count()).collect()
}

fn orange_area(rgb: &[u8]) -> usize {
    orange_rows(rgb).iter().sum()
}

/// First and last rows with at least 5 orange pixels.
fn orange_span(rgb: &[u8]) -> (usize, usize) {
    let rows = orange_rows(rgb);
    let top = rows.iter().position(|&n| n >= 5).expect("an orange subject");
    let bottom = rows.iter().rposition(|&n| n >= 5).expect("an orange subject");
    (top, bottom)
}

/// Mean absolute difference over a 10-px border of the frame, far from the subject.
fn border_diff(a: &[u8], b: &[u8]) -> f64 {
    let (mut total, mut n) = (0.0, 0.0);
    for y in 0..H {
        for x in 0..W {
            if !(10..W - 10).contains(&x) || !(10..H - 10).contains(&y) {
                for c in 0..3 {
                    let i = (y * W + x) * 3 + c;
                    total += (a[i] as f64 - b[i] as f64).abs();
                    n += 1.0;
                }
            }
        }
    }
    total / n
}

/// Renders the box clip plainly and through `effect` with `params`;
/// checks that the start is the source and the border stays; returns
/// (source frames, effect frames).
fn plain_and_effect(dir: &Path, effect: &str, params: &[&str]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let input = box_clip(dir);
    let plain = render(&input, dir.join("plain.mp4"), &["--allow-empty"]);
    let mut args = vec!["--effect", effect];
    for p in params {
        args.extend_from_slice(&["--param", p]);
    }
    let out = render(&input, dir.join("fx.mp4"), &args);
    let start = mean_abs_diff(&plain[0], &out[0]);
    assert!(start < 0.5, "{effect} at progress 0 should leave the frame: {start}");
    for (i, (a, b)) in plain.iter().zip(&out).enumerate() {
        let border = border_diff(a, b);
        assert!(border < 1.0, "{effect} changed the background far from the subject in frame {i}: {border}");
    }
    (plain, out)
}

fn assert_deterministic(effect: &str, params: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = box_clip(dir.path());
    let mut args = vec!["--effect", effect];
    for p in params {
        args.extend_from_slice(&["--param", p]);
    }
    let a = render(&input, dir.path().join("a.mp4"), &args);
    let b = render(&input, dir.path().join("b.mp4"), &args);
    assert!(a == b, "two renders of {effect} differ");
    assert!(mean_abs_diff(&a[0], &a[9]) > 1.0, "{effect} should change the frame by the end");
}

#[test]
fn inflate_grows_the_subject_and_keeps_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/inflate", &["inflate.intensity=1"]);
    let (source, start, end) = (orange_area(&plain[9]), orange_area(&out[0]), orange_area(&out[9]));
    assert!(source > 2500, "the test clip should have an orange subject: {source}");
    assert!(end as f64 >= 1.3 * start as f64, "inflate should grow the subject: {start} -> {end} orange pixels");
}

#[test]
fn inflate_is_deterministic() {
    assert_deterministic("pikaffect/inflate", &[]);
}

#[test]
fn deflate_shrinks_the_subject_and_keeps_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/deflate", &["deflate.intensity=0.8"]);
    let (source, start, end) = (orange_area(&plain[9]), orange_area(&out[0]), orange_area(&out[9]));
    assert!(source > 2500, "the test clip should have an orange subject: {source}");
    assert!((end as f64) <= 0.7 * start as f64, "deflate should shrink the subject: {start} -> {end} orange pixels");
    // The uncovered area is filled with background, not left orange or black.
    let (top, bottom) = orange_span(&out[9]);
    assert!(top > 32 && bottom < 92, "the deflated subject should lie inside the box: rows {top}..{bottom}");
    let corner = &out[9][(32 * W + 52) * 3..(32 * W + 52) * 3 + 3];
    let bg = &plain[9][(25 * W + 52) * 3..(25 * W + 52) * 3 + 3];
    let far = corner.iter().zip(bg).map(|(a, b)| (*a as i32 - *b as i32).abs()).max().expect("3 channels");
    assert!(far < 40, "the uncovered corner should look like the background: {corner:?} vs {bg:?}");
}

#[test]
fn deflate_is_deterministic() {
    assert_deterministic("pikaffect/deflate", &["deflate.seed=3"]);
}

#[test]
fn squish_presses_the_subject_toward_its_bottom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/squish", &["squish.intensity=0.8"]);
    let (top0, bottom0) = orange_span(&out[0]);
    let (top1, bottom1) = orange_span(&out[9]);
    assert!(orange_area(&plain[9]) > 2500, "the test clip should have an orange subject");
    assert!(top1 >= top0 + 15, "squish should move the top down: {top0} -> {top1}");
    assert!(bottom1.abs_diff(bottom0) <= 2, "squish should keep the bottom: {bottom0} -> {bottom1}");
    let (h0, h1) = (bottom0 - top0 + 1, bottom1 - top1 + 1);
    assert!((h1 as f64) < 0.75 * h0 as f64, "squish should flatten the subject: height {h0} -> {h1}");
    // The uncovered band above is background again.
    let band = orange_rows(&out[9])[top0 + 2..top1 - 2].iter().sum::<usize>();
    assert!(band < 20, "the band above the squished subject should not stay orange: {band}");
}

#[test]
fn squish_is_deterministic() {
    assert_deterministic("pikaffect/squish", &[]);
}
