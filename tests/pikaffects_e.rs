//! Property tests of the Pikaffects `levitate`, `dissolve` and `ta-da`: on a
//! clip with a known subject (an orange box on a dark gradient), the subject
//! rises / dissolves / vanishes while the frame border stays the source's,
//! the first frame is the source and renders are deterministic.

mod common;

use common::subject::*;
use common::*;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient.
const SCENE: Scene = Scene { gradient: Gradient { ends: Some((0, 0, 0, H)), ..SUBJECT.gradient }, ..SUBJECT };

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

#[test]
fn levitate_lifts_the_subject_and_leaves_a_shadow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out =
        render_effect(dir.path(), &clip, "pikaffect/levitate", &["height=0.15", "shadow=0.8"], "levitate.mp4", OUT);
    assert_keeps_source(&source, &out, "levitate");

    let (area0, _, y0) = centroid(&source[9], everywhere, is_orange);
    let (area1, _, y1) = centroid(&out[9], everywhere, is_orange);
    let rise = y0 - y1;
    assert!((rise - 18.0).abs() < 4.0, "the subject rises by height * H = 18 px: {rise:.1}");
    let ratio = area1 as f64 / area0 as f64;
    assert!((0.85..1.15).contains(&ratio), "the subject keeps its size: {area1} vs {area0}");
    let (_, _, y_mid) = centroid(&out[5], everywhere, is_orange);
    assert!(y_mid < y0 - 5.0 && y_mid > y1 - 8.0, "it rises gradually: {y_mid:.1} between {y0:.1} and {y1:.1}");

    // The ground just under the subject's old bottom is in shadow.
    let under = |x: usize, y: usize| (BX + 8..BX + BS - 8).contains(&x) && (BY + BS..BY + BS + 4).contains(&y);
    let before = mean(&region(&source[9], under));
    let after = mean(&region(&out[9], under));
    assert!(after < before - 8.0, "a shadow darkens the ground under the old bottom: {after:.1} vs {before:.1}");
    // The vacated place shows background, not the subject.
    let vacated = |x: usize, y: usize| (BX + 4..BX + BS - 4).contains(&x) && (BY + BS - 12..BY + BS - 6).contains(&y);
    let hole = region(&out[9], vacated);
    assert!(!hole.chunks(3).any(is_orange), "the vacated place is filled with background");
    assert!(mean(&hole) > 40.0, "the fill is not a black hole: {:.1}", mean(&hole));

    let again =
        render_effect(dir.path(), &clip, "pikaffect/levitate", &["height=0.15", "shadow=0.8"], "levitate2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn dissolve_removes_the_subject_with_a_glowing_front() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["colour=#00ffff", "seed=3"];
    let out = render_effect(dir.path(), &clip, "pikaffect/dissolve", &params, "dissolve.mp4", OUT);
    assert_keeps_source(&source, &out, "dissolve");

    let area0 = count(&source[0], everywhere, is_orange);
    let counts: Vec<usize> = out.iter().map(|f| count(f, everywhere, is_orange)).collect();
    assert!(counts[0] * 10 >= area0 * 9, "the subject is whole at the start: {counts:?} of {area0}");
    assert!(counts[9] * 20 < area0, "the subject is gone at progress 1: {counts:?} of {area0}");
    assert!(counts[4] * 10 > area0 && counts[4] * 10 < area0 * 9, "part of it is left mid-way: {counts:?}");
    assert!(counts.windows(2).all(|w| w[1] <= w[0] + area0 / 50), "it only ever dissolves: {counts:?}");

    // The front glows in the edge colour (cyan: blue and green high, red low).
    let inside = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (BY..BY + BS).contains(&y);
    let glowing = |f: &[u8]| region(f, inside).chunks(3).filter(|p| p[2] > 170 && p[1] > 150 && p[0] < 200).count();
    assert!(glowing(&out[4]) > 20, "the dissolve front glows: {}", glowing(&out[4]));
    assert_eq!(glowing(&source[4]), 0);

    let again = render_effect(dir.path(), &clip, "pikaffect/dissolve", &params, "dissolve2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other =
        render_effect(dir.path(), &clip, "pikaffect/dissolve", &["colour=#00ffff", "seed=4"], "dissolve3.mp4", OUT);
    assert!(mean_abs_diff(&out[4], &other[4]) > 0.5, "the seed changes the pattern");
}

#[test]
fn ta_da_sparkles_and_the_subject_vanishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["size=40", "density=1"];
    let out = render_effect(dir.path(), &clip, "pikaffect/ta-da", &params, "ta-da.mp4", OUT);
    assert_keeps_source(&source, &out, "ta-da");

    let area0 = count(&source[0], everywhere, is_orange);
    let area_end = count(&out[9], everywhere, is_orange);
    assert!(area_end * 20 < area0, "only background is left at the end: {area_end} of {area0}");
    // Bright sparkles around the subject mid-way (outside the box, within 16 px of it).
    let ring = |x: usize, y: usize| {
        let near = (BX - 16..BX + BS + 16).contains(&x) && (BY - 16..BY + BS + 16).contains(&y);
        let inside = (BX..BX + BS).contains(&x) && (BY..BY + BS).contains(&y);
        near && !inside
    };
    let bright = |f: &[u8]| region(f, ring).chunks(3).filter(|p| p.iter().all(|c| *c > 190)).count();
    let most = (2..8).map(|i| bright(&out[i])).max().unwrap_or(0);
    assert!(most > 10, "sparkles burst around the subject: {most} bright pixels");
    assert_eq!(bright(&source[5]), 0);

    let again = render_effect(dir.path(), &clip, "pikaffect/ta-da", &params, "ta-da2.mp4", OUT);
    assert!(out == again, "deterministic");
}
