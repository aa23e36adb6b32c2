//! Property tests of the Pikaffect `shatter`: on a clip with a known subject
//! (an orange box on a dark gradient, rendered losslessly), cracks spread
//! from the impact point while the subject stays in place, then the shards
//! fall and the box's place shows the background; the first frame is the
//! source, the border beside and above the subject stays the source's, and
//! renders are deterministic for a seed.

mod common;

use common::subject::{BS, Edges, SUBJECT, W, border_diff, in_box, is_orange, render_effect};
use common::*;

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SUBJECT.expect();

/// The crack phase ends at progress 0.35: frames 1..=3 of 10.
const CRACK_FRAMES: std::ops::RangeInclusive<usize> = 1..=3;

/// Whitened by a crack: the orange box has almost no blue.
fn is_cracked(px: &[u8]) -> bool {
    px[2] > 100 && px[0] > 150
}

/// Background-like: bluer than red (the gradient is, the orange box is not).
fn is_background(px: &[u8]) -> bool {
    px[2] > px[0]
}

/// Positions of the pixels of `frame` where `keep(x, y)` and `pred(pixel)`.
fn pixels(frame: &[u8], keep: impl Fn(usize, usize) -> bool, pred: impl Fn(&[u8]) -> bool) -> Vec<(f64, f64)> {
    frame
        .chunks(3)
        .enumerate()
        .filter(|(i, px)| keep(i % W, i / W) && pred(px))
        .map(|(i, _)| ((i % W) as f64, (i / W) as f64))
        .collect()
}

/// The mean position of `points` (NaN for none).
fn centroid(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n)
}

#[test]
fn shatter_cracks_from_the_impact_then_the_shards_fall_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render_effect(dir.path(), &clip, "pikaffect/shatter", &["seed=3"], "shatter.mp4", OUT);

    // What every Pikaffect keeps: the first frame is the source, and the
    // border beside and above the subject is the source's on every frame
    // (the shards fall through the bottom edge, so that one only until
    // they start to fall).
    let area = pixels(&source[0], in_box(0), is_orange).len();
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    assert!(first < 1.0, "with progress 0 the frame is unchanged (diff {first:.2})");
    for (i, (s, o)) in source.iter().zip(&out).enumerate() {
        let edges = if i <= *CRACK_FRAMES.end() { Edges::All } else { Edges::NoBottom };
        let diff = border_diff(s, o, 10, edges);
        assert!(diff < 2.0, "frame {i}: the border far from the subject stays (diff {diff:.2})");
    }

    // Crack phase: white cracks spread from the impact (by default the
    // subject's centre) while the subject stays where it is.
    let (cx, cy) = centroid(&pixels(&source[0], in_box(0), is_orange));
    let cracks: Vec<Vec<(f64, f64)>> = out.iter().map(|f| pixels(f, in_box(0), is_cracked)).collect();
    let counts: Vec<usize> = cracks.iter().map(Vec::len).collect();
    eprintln!("shatter: crack pixels per frame {counts:?}");
    assert_eq!(counts[0], 0, "no cracks at the start");
    assert!(counts[1] > 30, "cracks appear early: {counts:?}");
    assert!(counts[1] < counts[2] && counts[2] < counts[3], "the cracks spread: {counts:?}");
    let spread = |points: &[(f64, f64)]| {
        points.iter().map(|(x, y)| ((x - cx).powi(2) + (y - cy).powi(2)).sqrt()).sum::<f64>() / points.len() as f64
    };
    let (near, far) = (spread(&cracks[1]), spread(&cracks[3]));
    assert!(near < 10.0 && far > near + 5.0, "the cracks start at the impact and grow outward: {near:.1} -> {far:.1}");
    for i in CRACK_FRAMES {
        let moved = pixels(&out[i], |x, y| !in_box(0)(x, y), is_orange).len();
        let holes = pixels(&out[i], in_box(0), is_background).len();
        assert!(moved == 0 && holes < area / 30, "frame {i}: the cracked subject stays in place ({moved}, {holes})");
    }

    // Fall phase: the shards fall (the orange moves down and leaves the
    // box), the box's place shows the background, and bright glassy edges
    // catch the light on the way down.
    let (_, y_mid) = centroid(&pixels(&out[7], |_, _| true, is_orange));
    assert!(y_mid > cy + 15.0, "the shards fall: orange centroid y {y_mid:.1} vs {cy:.1}");
    let left = pixels(&out[8], in_box(0), is_orange).len();
    assert!(left * 10 < area, "the box empties: {left} of {area}");
    let bright_outside = (5..9)
        .map(|i| pixels(&out[i], |x, y| !in_box(0)(x, y), |p| p.iter().all(|c| *c > 190)).len())
        .max()
        .unwrap_or(0);
    assert!(bright_outside > 20, "the falling shards have bright edges: {bright_outside}");
    let last = pixels(&out[9], |_, _| true, is_orange).len();
    assert!(last * 20 < area, "the shards are gone by the end: {last}");
    let hole = pixels(&out[9], in_box(0), is_background).len();
    assert!(hole * 10 > area * 9, "the vacated box looks like the background: {hole} of {area}");

    let again = render_effect(dir.path(), &clip, "pikaffect/shatter", &["seed=3"], "shatter-again.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/shatter", &["seed=4"], "shatter-seed.mp4", OUT);
    let diff = mean_abs_diff(&out[2], &other[2]);
    assert!(diff > 0.5, "the seed changes the shards (diff {diff:.2})");
}

#[test]
fn shatter_impact_offset_moves_where_the_cracks_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let centred = render_effect(dir.path(), &clip, "pikaffect/shatter", &[], "centred.mp4", OUT);
    // (0.4, 0.4): 16 px left of and 12 px above the subject's centre.
    let offset = render_effect(dir.path(), &clip, "pikaffect/shatter", &["impact=[0.4,0.4]"], "offset.mp4", OUT);
    let (x0, y0) = centroid(&pixels(&centred[1], in_box(0), is_cracked));
    let (x1, y1) = centroid(&pixels(&offset[1], in_box(0), is_cracked));
    eprintln!("shatter: first cracks around ({x0:.1}, {y0:.1}), with the offset ({x1:.1}, {y1:.1})");
    assert!(
        x1 < x0 - 8.0 && y1 < y0 - 6.0,
        "the cracks start up and to the left: ({x0:.1}, {y0:.1}) -> ({x1:.1}, {y1:.1})"
    );
    assert!(
        (x0 - 80.0).abs() < 6.0 && (y0 - 58.0).abs() < 6.0,
        "by default at the subject's centre: ({x0:.1}, {y0:.1})"
    );
}
