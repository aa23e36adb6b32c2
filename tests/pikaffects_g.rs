//! Property tests of `pikaffect/shrink` and of the SDK's subject-bounds
//! pass it is built on: on a clip with a known subject (an orange box on a
//! dark gradient), the subject shrinks toward its feet or its centre, the
//! place it leaves shows background, the border stays the source's.

mod common;

use common::subject::*;
use common::*;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient.
const SCENE: Scene = Scene { gradient: Gradient { ends: Some((0, 0, 0, H)), ..SUBJECT.gradient }, ..SUBJECT };

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

#[test]
fn shrink_scales_the_subject_toward_its_feet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["scale=0.25", "anchor=1", "easing=0"];
    let out = render_effect(dir.path(), &clip, "pikaffect/shrink", &params, "shrink.mp4", OUT);

    assert_keeps_source(&source, &out, "shrink");
    let (area0, b0) = bounding_box(&source[0], everywhere, is_orange);

    // Area follows scale²: the last frame is progress 1, where the side is a
    // quarter, so the area is ~1/16.
    let (area_end, b_end) = bounding_box(&out[9], everywhere, is_orange);
    let expected = area0 as f64 * 0.25f64.powi(2);
    let ratio = area_end as f64 / expected;
    assert!((0.6..1.4).contains(&ratio), "the end area is ~scale² of the source: {area_end} vs {expected:.0}");
    // It keeps standing: its bottom stays within 3 px of the source's, and
    // it stays horizontally centred on the source.
    assert!(b_end[3].abs_diff(b0[3]) <= 3, "the bottom stays put: {b_end:?} vs {b0:?}");
    let (cx0, cx1) = ((b0[0] + b0[2]) as f64 / 2.0, (b_end[0] + b_end[2]) as f64 / 2.0);
    assert!((cx0 - cx1).abs() <= 2.0, "it stays centred: {cx1} vs {cx0}");
    // It shrinks steadily.
    let areas: Vec<usize> = out.iter().map(|f| count(f, everywhere, is_orange)).collect();
    assert!(areas.windows(2).all(|w| w[1] <= w[0] + 20), "it only ever shrinks: {areas:?}");
    // The top of the old box is background now, not the subject, nor black.
    let top = region(&out[9], |x, y| (BX + 4..BX + BS - 4).contains(&x) && (BY + 2..BY + 12).contains(&y));
    assert!(!top.chunks(3).any(is_orange), "the vacated top shows background");
    let mean = mean(&top);
    assert!(mean > 40.0, "the fill is not a black hole: {mean:.1}");

    let again = render_effect(dir.path(), &clip, "pikaffect/shrink", &params, "shrink2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn shrink_toward_the_centre_keeps_the_centroid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let out =
        render_effect(dir.path(), &clip, "pikaffect/shrink", &["scale=0.5", "anchor=0", "easing=0"], "centre.mp4", OUT);
    let (_, b) = bounding_box(&out[9], everywhere, is_orange);
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
