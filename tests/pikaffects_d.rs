//! Property tests of the balloon-like Pikaffects: `pikaffect/inflate`,
//! `pikaffect/deflate` and `pikaffect/squish`. Each runs on a small clip
//! with a known subject (an orange box on a dark gradient) and the subject
//! is measured by counting orange pixels.

mod common;

use std::path::Path;

use common::subject::{Edges, Gradient, H, Scene, W, border_diff, render_effect};
use common::*;

/// A 1 s, 10 fps, 160x120 losslessly encoded clip: an orange box (x 50..110,
/// y 30..90) on a dark gradient.
const SCENE: Scene = Scene {
    name: "box.mp4",
    x: 50,
    y: 30,
    size: 60,
    fps: 10,
    pix_fmt: "yuv444p",
    gradient: Gradient { c1: "0x305070", ends: Some((0, 0, 0, H)), seed: Some(1) },
};

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The clip through the pipeline with no effect, losslessly: what the
/// effects' frames are compared with.
fn render_plain(input: &Path, dir: &Path) -> Vec<Vec<u8>> {
    let out = dir.join("plain.mp4");
    pikafx_ok(&["apply", s(input), "-o", s(&out), "--crf", "0", "--no-audio", "--allow-empty"]);
    let (frames, w, h) = rgb_frames(&out);
    assert_eq!((w as usize, h as usize), (W, H));
    assert_eq!(frames.len(), 10, "a 1 s clip at 10 fps");
    frames
}

/// Not `subject::is_orange`: green is capped too, and the areas and spans
/// asserted here depend on these thresholds.
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

/// Renders the box clip plainly and through `effect` with `params`;
/// checks that the start is the source and the border stays; returns
/// (source frames, effect frames).
fn plain_and_effect(dir: &Path, effect: &str, params: &[&str]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let input = SCENE.make(dir);
    let plain = render_plain(&input, dir);
    let out = render_effect(dir, &input, effect, params, "fx.mp4", OUT);
    let start = mean_abs_diff(&plain[0], &out[0]);
    assert!(start < 0.5, "{effect} at progress 0 should leave the frame: {start}");
    for (i, (a, b)) in plain.iter().zip(&out).enumerate() {
        let border = border_diff(a, b, 10, Edges::All);
        assert!(border < 1.0, "{effect} changed the background far from the subject in frame {i}: {border}");
    }
    (plain, out)
}

fn assert_deterministic(effect: &str, params: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = SCENE.make(dir.path());
    let a = render_effect(dir.path(), &input, effect, params, "a.mp4", OUT);
    let b = render_effect(dir.path(), &input, effect, params, "b.mp4", OUT);
    assert!(a == b, "two renders of {effect} differ");
    assert!(mean_abs_diff(&a[0], &a[9]) > 1.0, "{effect} should change the frame by the end");
}

#[test]
fn inflate_grows_the_subject_and_keeps_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/inflate", &["intensity=1"]);
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
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/deflate", &["intensity=0.8"]);
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
    assert_deterministic("pikaffect/deflate", &["seed=3"]);
}

#[test]
fn squish_presses_the_subject_toward_its_bottom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, out) = plain_and_effect(dir.path(), "pikaffect/squish", &["intensity=0.8"]);
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

/// Two boxes stacked with 24 rows between them (far more than the H / 18
/// under which squish counts two subject runs as one): each is pressed
/// toward its own bottom, and the gap between them stays background. A
/// pixel in the gap is pressed toward the lower box's bottom, and its
/// source reaches up into the upper box: squish must not draw a copy of
/// that box there (it did until the run pass let it check the source's
/// run).
#[test]
fn squish_presses_stacked_subjects_each_toward_its_own_bottom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = format!(
        "gradients=s={W}x{H}:c0=0x183050:c1=0x305070:x0=0:y0=0:x1=0:y1={H}:seed=1:r=10:d=1,\
         drawbox=x=50:y=12:w=60:h=36:color=orange:t=fill,drawbox=x=50:y=72:w=60:h=36:color=orange:t=fill"
    );
    let clip = lossless_clip(dir.path(), "stacked.mp4", &graph, "yuv444p");
    let out = render_effect(dir.path(), &clip, "pikaffect/squish", &["intensity=0.8"], "stacked-squish.mp4", OUT);
    let rows = orange_rows(&out[9]);
    let orange = |from: usize, to: usize| (from..to).filter(|&y| rows[y] >= 5).collect::<Vec<_>>();
    // The boxes' rows: 12..=47 and 72..=107.
    let (upper, lower) = (orange(0, 60), orange(60, H));
    let span = |rows: &[usize]| (rows.first().copied().unwrap_or(0), rows.last().copied().unwrap_or(0));
    let ((upper_top, upper_bottom), (lower_top, lower_bottom)) = (span(&upper), span(&lower));
    assert!(upper_bottom.abs_diff(47) <= 2, "the upper box should keep its bottom: {upper:?}");
    assert!(lower_bottom.abs_diff(107) <= 2, "the lower box should keep its bottom: {lower:?}");
    assert!(upper_top >= 22 && lower_top >= 82, "both boxes should be pressed down: {upper:?} {lower:?}");
    let between: usize = rows[upper_bottom + 3..lower_top - 3].iter().sum();
    assert!(between < 20, "the gap between the pressed boxes should stay background: {between} orange pixels");
}

#[test]
fn squish_is_deterministic() {
    assert_deterministic("pikaffect/squish", &[]);
}
