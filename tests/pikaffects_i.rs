//! Property tests of the Pikaffects `crush`, `poke` and `decapitate`: on a
//! clip with a known subject (an orange box on a dark gradient) the subject
//! is crushed flat and crumpled / dented and rippled / sliced and its top
//! flies off, measured from the orange pixels and the brightness around the
//! poke point; the frame border stays the source's, the first frame is the
//! source and renders are deterministic.

mod common;

use common::subject::*;
use common::*;

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SUBJECT.expect();

/// Warm subject colour, lit or in shadow (red well above blue).
fn is_warm(px: &[u8]) -> bool {
    px[0] > 50 && i32::from(px[0]) > 2 * i32::from(px[2]) + 30
}

fn luma(px: &[u8]) -> f64 {
    0.299 * f64::from(px[0]) + 0.587 * f64::from(px[1]) + 0.114 * f64::from(px[2])
}

/// First and last rows with at least 5 warm pixels: the subject's extent.
fn warm_rows(frame: &[u8]) -> (usize, usize) {
    let rows: Vec<usize> = frame.chunks(W * 3).map(|row| row.chunks(3).filter(|p| is_warm(p)).count()).collect();
    let top = rows.iter().position(|&n| n >= 5).expect("a warm subject");
    let bottom = rows.iter().rposition(|&n| n >= 5).expect("a warm subject");
    (top, bottom)
}

/// First and last columns with at least 2 warm pixels.
fn warm_cols(frame: &[u8]) -> (usize, usize) {
    let cols: Vec<usize> = (0..W).map(|x| (0..H).filter(|&y| is_warm(px(frame, x, y))).count()).collect();
    let left = cols.iter().position(|&n| n >= 2).expect("a warm subject");
    let right = cols.iter().rposition(|&n| n >= 2).expect("a warm subject");
    (left, right)
}

fn mean_luma(frame: &[u8], keep: impl Fn(usize, usize) -> bool) -> f64 {
    let r = region(frame, keep);
    r.chunks(3).map(luma).sum::<f64>() / (r.len() / 3) as f64
}

/// The largest per-channel difference between two frames on their
/// 10-pixel border (far from the subject).
fn border_max_diff(a: &[u8], b: &[u8]) -> u8 {
    border(a, 10, Edges::All).iter().zip(border(b, 10, Edges::All)).map(|(x, y)| x.abs_diff(y)).max().unwrap_or(0)
}

/// What every Pikaffect here must keep: the source has its box, frame 0 is
/// the source, the border is the source's on every frame.
fn assert_common(source: &[Vec<u8>], out: &[Vec<u8>], what: &str) {
    let area = count(&source[0], everywhere, is_orange);
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    let first_max = source[0].iter().zip(&out[0]).map(|(a, b)| a.abs_diff(*b)).max().unwrap_or(0);
    assert!(
        first < 0.2 && first_max <= 2,
        "{what}: with progress 0 the frame is unchanged (mean {first:.2}, max {first_max})"
    );
    for (i, (s, o)) in source.iter().zip(out).enumerate() {
        let diff = border_max_diff(s, o);
        assert!(diff <= 2, "{what}: frame {i}: the border far from the subject stays (max diff {diff})");
    }
}

#[test]
fn crush_flattens_the_subject_onto_its_base_and_crumples_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["flatness=0.8", "crumple=0.8", "seed=3"];
    let out = render_effect(dir.path(), &clip, "pikaffect/crush", &params, "crush.mp4", OUT);
    assert_common(&source, &out, "crush");

    let (top0, bottom0) = warm_rows(&source[0]);
    let spans: Vec<(usize, usize)> = out.iter().map(|f| warm_rows(f)).collect();
    let heights: Vec<usize> = spans.iter().map(|(t, b)| b - t + 1).collect();
    let h0 = bottom0 - top0 + 1;
    assert!(heights[9] * 100 <= h0 * 35, "the subject ends much flatter (<= 35% of its height): {heights:?} of {h0}");
    assert!(heights[4] < h0 * 9 / 10 && heights[4] > heights[9], "it is pressed gradually: {heights:?}");
    assert!(heights.windows(2).all(|w| w[1] <= w[0] + 2), "the press only ever goes down: {heights:?}");
    for (i, (_, bottom)) in spans.iter().enumerate() {
        assert!(bottom.abs_diff(bottom0) <= 1, "frame {i}: the base stays put: {bottom} vs {bottom0}");
    }
    let (left0, right0) = warm_cols(&source[0]);
    let (left, right) = warm_cols(&out[9]);
    assert!(right - left > right0 - left0 + 3, "it bulges sideways: {left}..{right} vs {left0}..{right0}");

    // Crumpled: the flat orange gets dark creases and lit folds. In the
    // crushed band, many warm pixels are much darker than the flat orange.
    let band = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (spans[9].0..=spans[9].1).contains(&y);
    let warm: Vec<Vec<u8>> = region(&out[9], band).chunks(3).filter(|p| is_warm(p)).map(<[u8]>::to_vec).collect();
    let orange_luma = luma(px(&source[0], BX + BS / 2, BY + BS / 2));
    let creased = warm.iter().filter(|p| luma(p) < orange_luma * 0.75).count();
    assert!(creased * 10 > warm.len(), "dark creases: {creased} of {} warm pixels", warm.len());
    let flat =
        render_effect(dir.path(), &clip, "pikaffect/crush", &["flatness=0.8", "crumple=0", "seed=3"], "flat.mp4", OUT);
    let flat_warm: Vec<Vec<u8>> = region(&flat[9], band).chunks(3).filter(|p| is_warm(p)).map(<[u8]>::to_vec).collect();
    let flat_creased = flat_warm.iter().filter(|p| luma(p) < orange_luma * 0.75).count();
    assert!(flat_creased * 3 < creased, "the creases come from crumple: {flat_creased} vs {creased}");

    // The place the subject left above is background, not a hole.
    let vacated = |x: usize, y: usize| (BX + 4..BX + BS - 4).contains(&x) && (BY + 3..BY + 20).contains(&y);
    let hole = region(&out[9], vacated);
    assert!(!hole.chunks(3).any(is_warm), "the vacated place is filled with background");
    assert!(mean(&hole) > 40.0, "the fill is not a black hole: {:.1}", mean(&hole));

    let again = render_effect(dir.path(), &clip, "pikaffect/crush", &params, "crush2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(
        dir.path(),
        &clip,
        "pikaffect/crush",
        &["flatness=0.8", "crumple=0.8", "seed=4"],
        "crush3.mp4",
        OUT,
    );
    let d = mean_abs_diff(&out[6], &other[6]);
    assert!(d > 0.3, "the seed changes the crumple pattern: {d:.2}");
}

/// Mean luma of the square of half-size 3 centred at (x, y).
fn spot(frame: &[u8], x: usize, y: usize) -> f64 {
    mean_luma(frame, |px, py| px.abs_diff(x) <= 3 && py.abs_diff(y) <= 3)
}

/// How much the subject's interior changed from the source, on a ring of
/// radii `r0..r1` around (cx, cy): mean absolute luma difference.
fn ring_change(src: &[u8], out: &[u8], cx: f64, cy: f64, r0: f64, r1: f64) -> f64 {
    let ring = |x: usize, y: usize| {
        let r = (x as f64 + 0.5 - cx).hypot(y as f64 + 0.5 - cy);
        (r0..r1).contains(&r) && (BX + 2..BX + BS - 2).contains(&x) && (BY + 2..BY + BS - 2).contains(&y)
    };
    let a = region(src, ring);
    let b = region(out, ring);
    a.chunks(3).zip(b.chunks(3)).map(|(p, q)| (luma(p) - luma(q)).abs()).sum::<f64>() / (a.len() / 3) as f64
}

#[test]
fn poke_dents_the_subject_then_ripples_spread_and_fade() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["depth=0.8", "size=0.3", "ripples=3", "damping=0.5"];
    let out = render_effect(dir.path(), &clip, "pikaffect/poke", &params, "poke.mp4", OUT);
    assert_common(&source, &out, "poke");

    // The dent at the subject's centre, lit from the upper left: its upper
    // left wall is in shadow, its lower right wall catches the light.
    let (cx, cy) = (BX + BS / 2, BY + BS / 2);
    let lit: Vec<(f64, f64)> = out.iter().map(|f| (spot(f, cx - 4, cy - 4), spot(f, cx + 4, cy + 4))).collect();
    let flat = spot(&source[2], cx - 4, cy - 4);
    assert!(lit[2].0 < flat - 12.0, "the upper-left wall of the dent darkens: {:.1} vs {flat:.1}", lit[2].0);
    assert!(lit[2].1 > flat + 6.0, "the lower-right wall of the dent brightens: {:.1} vs {flat:.1}", lit[2].1);

    // After the release, ripples reach the outer ring of the subject much
    // more than the dent's flank did; then they fade.
    let (fx, fy) = (cx as f64, cy as f64);
    let outer: Vec<f64> = (0..10).map(|i| ring_change(&source[i], &out[i], fx, fy, 14.0, 22.0)).collect();
    let peak = outer[4..9].iter().cloned().fold(0.0, f64::max);
    let pushing = outer[..4].iter().cloned().fold(0.0, f64::max);
    assert!(peak > 4.0 && peak > 2.0 * pushing, "ripples spread over the subject after the release: {outer:?}");
    assert!(outer[9] < peak * 0.6, "the ripples fade: {outer:?}");

    // The spot moves the dent: poking the left part darkens left of centre.
    let left =
        render_effect(dir.path(), &clip, "pikaffect/poke", &["depth=0.8", "spot=[0.25,0.5]"], "poke-left.mp4", OUT);
    let changed_x = |f: &[u8], s: &[u8]| {
        let pts: Vec<usize> =
            (0..W * H).filter(|&i| (luma(&f[i * 3..i * 3 + 3]) - luma(&s[i * 3..i * 3 + 3])).abs() > 10.0).collect();
        pts.iter().map(|i| (i % W) as f64).sum::<f64>() / pts.len().max(1) as f64
    };
    let (x_centre, x_left) = (changed_x(&out[2], &source[2]), changed_x(&left[2], &source[2]));
    // (The lit side changes less than the shaded one, so the changed
    // pixels lean a little to the upper left of the dent.)
    assert!((x_centre - cx as f64).abs() < 6.0, "the default dent is at the subject's centre: {x_centre:.1}");
    let shift = x_centre - x_left;
    assert!((8.0..16.0).contains(&shift), "spot = 0.25 dents 12 px left of centre: {x_left:.1} vs {x_centre:.1}");

    let again = render_effect(dir.path(), &clip, "pikaffect/poke", &params, "poke2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn decapitate_slices_off_the_top_which_tumbles_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["cut=0.3", "direction=right", "spin=0.25", "distance=0.8", "fall=1"];
    let out = render_effect(dir.path(), &clip, "pikaffect/decapitate", &params, "decapitate.mp4", OUT);
    assert_common(&source, &out, "decapitate");

    // The cut is at about BY + 0.3 * BS = 48.
    let cut = BY + BS * 3 / 10;
    let body = |x: usize, y: usize| (BX + 2..BX + BS - 2).contains(&x) && (cut + 4..BY + BS - 2).contains(&y);
    let old_head = |x: usize, y: usize| (BX + 2..BX + BS - 2).contains(&x) && (BY + 2..cut - 3).contains(&y);
    let body_area = region(&source[0], body).len() / 3;
    let head_area = region(&source[0], old_head).len() / 3;
    for (i, frame) in out.iter().enumerate() {
        let (n, _, _) = centroid(frame, body, is_orange);
        assert!(n * 100 >= body_area * 97, "frame {i}: the body stays standing: {n} of {body_area}");
    }
    let (left_behind, _, _) = centroid(&out[9], old_head, is_orange);
    assert!(left_behind * 50 < head_area, "the head is gone from its place: {left_behind} of {head_area}");
    let hole = region(&out[9], old_head);
    assert!(mean(&hole) > 40.0, "the fill is not a black hole: {:.1}", mean(&hole));

    // The head is off to the right, on the ground, turned a quarter.
    let away = |x: usize, _y: usize| x >= BX + BS + 2;
    let (n, hx, _) = centroid(&out[9], away, is_orange);
    let (_, [x0, y0, x1, y1]) = bounding_box(&out[9], away, is_orange);
    let whole = BS * (cut - BY);
    assert!(n * 10 >= whole * 7, "the whole head flew off to the right: {n} of {whole}");
    assert!(hx > (BX + BS + 8) as f64, "the head lies well right of the body: x {hx:.1}");
    assert!(y1 - y0 > (x1 - x0) * 2, "the head has turned a quarter: {x0}..{x1} x {y0}..{y1}");
    assert!(y1.abs_diff(BY + BS - 1) <= 3, "the head rests on the ground line: bottom {y1}");
    // It flies out gradually: its centroid moves right frame after frame.
    let xs: Vec<f64> = out.iter().map(|f| centroid(f, |x, y| y < cut || x >= BX + BS, is_orange).1).collect();
    assert!(xs[2] > xs[0] + 2.0 && xs[5] > xs[2] + 5.0, "the head moves off gradually: {xs:?}");

    let left =
        render_effect(dir.path(), &clip, "pikaffect/decapitate", &["direction=left", "distance=0.8"], "left.mp4", OUT);
    let (nl, lx, _) = centroid(&left[9], |x, _| x + 2 <= BX, is_orange);
    assert!(nl * 10 >= whole * 7 && lx < BX as f64, "direction=left sends it left: {nl} px at x {lx:.1}");

    let again = render_effect(dir.path(), &clip, "pikaffect/decapitate", &params, "decapitate2.mp4", OUT);
    assert!(out == again, "deterministic");
}
