//! Property tests of the Pikaffects `burn`, `freeze` and `vaporize`: on a
//! clip with a known subject (an orange box on a dark blue gradient), the
//! subject burns away behind a charred front / turns to ice from its outline
//! in / rises away as steam, while the frame border stays the source's, the
//! first frame is the source, renders are deterministic and the seed matters.

mod common;

use common::subject::*;
use common::*;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient
/// (an unseeded one: a new background on every run).
const SCENE: Scene = Scene { gradient: Gradient { seed: None, ..SUBJECT.gradient }, ..SUBJECT };

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

/// Still the subject's warm colour, perhaps scorched or smoked.
fn is_warm(px: &[u8]) -> bool {
    i32::from(px[0]) > i32::from(px[2]) + 80
}

/// Char: nearly black (the background's blue never is).
fn is_char(px: &[u8]) -> bool {
    px.iter().all(|c| *c < 40)
}

/// Ice: bluish (blue above red), not dark.
fn is_icy(px: &[u8]) -> bool {
    px[2] > px[0] && px[2] > 120
}

/// Rows `y0..y1` of the box, 2 pixels in from its sides.
fn box_rows(y0: usize, y1: usize) -> impl Fn(usize, usize) -> bool {
    move |x, y| (BX + 2..BX + BS - 2).contains(&x) && (y0..y1).contains(&y)
}

/// Mean of one channel (0 red, 1 green, 2 blue) of packed RGB values.
fn channel(values: &[u8], c: usize) -> f64 {
    values.chunks(3).map(|px| f64::from(px[c])).sum::<f64>() / (values.len() / 3) as f64
}

/// What is left where the subject was: no orange, no char, not a black hole.
fn assert_only_background(frame: &[u8], what: &str) {
    let inside = region(frame, in_box(2));
    let orange = inside.chunks(3).filter(|px| is_orange(px)).count();
    let char = inside.chunks(3).filter(|px| is_char(px)).count();
    assert!(orange * 100 < inside.len() / 3, "{what}: no subject is left at progress 1: {orange} orange pixels");
    assert!(char * 100 < inside.len() / 3, "{what}: no char or black hole is left at progress 1: {char} black pixels");
    assert!(mean(&inside) > 40.0, "{what}: the fill is not a black hole: {:.1}", mean(&inside));
    assert!(channel(&inside, 2) > channel(&inside, 0), "{what}: the fill is the blue background");
}

#[test]
fn burn_sweeps_a_charred_front_up_the_subject() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["colour=#ff1000", "seed=3"];
    let out = render_effect(dir.path(), &clip, "pikaffect/burn", &params, "burn.mp4", OUT);
    assert_keeps_source(&source, &out, "burn");

    // The front travels up: mid-way the bottom is gone, the top still there.
    let bottom = box_rows(BY + BS - 12, BY + BS - 2);
    let top = box_rows(BY + 2, BY + 12);
    let rows = region(&out[5], &bottom).len() / 3;
    let warm_bottom = count(&out[5], &bottom, is_warm);
    let warm_top = count(&out[5], &top, is_warm);
    assert!(warm_bottom * 20 < rows, "mid-way the bottom has burnt away: {warm_bottom} of {rows} warm");
    assert!(warm_top * 2 > rows, "mid-way the top is still there: {warm_top} of {rows} warm");
    assert!(mean(&region(&out[5], &bottom)) > 40.0, "the burnt part shows background, not a hole");
    let warm: Vec<usize> = out.iter().map(|f| count(f, in_box(0), is_warm)).collect();
    assert!(warm.windows(2).all(|w| w[1] <= w[0] + 20), "it only ever burns away: {warm:?}");
    assert_only_background(&out[9], "burn");

    // A band of char and a red flame line (the ember colour) cross it.
    let chars: Vec<usize> = out.iter().map(|f| count(f, in_box(0), is_char)).collect();
    assert_eq!(count(&source[4], in_box(0), is_char), 0);
    assert!(chars[3..8].iter().all(|c| *c > 40), "a charred band crosses the subject: {chars:?}");
    let flame = |px: &[u8]| px[0] > 180 && px[1] < 110 && px[2] < 70;
    let flames: Vec<usize> = out.iter().map(|f| count(f, in_box(0), flame)).collect();
    assert_eq!(count(&source[4], in_box(0), flame), 0);
    assert!(flames[2..8].iter().all(|c| *c > 15), "the front glows in the ember colour: {flames:?}");

    // Burning down instead: the top goes first.
    let down = render_effect(dir.path(), &clip, "pikaffect/burn", &["direction=down", "seed=3"], "burn-down.mp4", OUT);
    let (_, _, y_up) = centroid(&out[5], everywhere, is_warm);
    let (_, _, y_down) = centroid(&down[5], everywhere, is_warm);
    let centre = (BY + BS / 2) as f64;
    assert!(y_up < centre - 6.0, "burning up leaves the top: warm centroid {y_up:.1} vs box centre {centre}");
    assert!(y_down > centre + 6.0, "burning down leaves the bottom: warm centroid {y_down:.1} vs {centre}");

    let again = render_effect(dir.path(), &clip, "pikaffect/burn", &params, "burn2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/burn", &["colour=#ff1000", "seed=4"], "burn3.mp4", OUT);
    assert!(mean_abs_diff(&out[4], &other[4]) > 0.5, "the seed changes the front");
}

#[test]
fn freeze_turns_the_subject_to_ice_from_the_outline_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["seed=3", "glint=1"];
    let out = render_effect(dir.path(), &clip, "pikaffect/freeze", &params, "freeze.mp4", OUT);
    assert_keeps_source(&source, &out, "freeze");

    // Frozen through at the end: blue-tinted, desaturated, brighter, and
    // still standing out from the background (recognisable).
    let inside = in_box(3);
    let before = region(&source[9], &inside);
    let after = region(&out[9], &inside);
    let (r, b) = (channel(&after, 0), channel(&after, 2));
    assert!(b > r + 20.0, "the subject turns ice blue: red {r:.1}, blue {b:.1}");
    assert_eq!(count(&out[9], &inside, is_orange), 0, "no orange is left");
    let (sat0, sat1) = (mean_saturation(&before), mean_saturation(&after));
    assert!(sat1 < sat0 * 0.5, "the ice is desaturated: {sat1:.2} vs {sat0:.2}");
    let luma = |v: &[u8]| 0.299 * channel(v, 0) + 0.587 * channel(v, 1) + 0.114 * channel(v, 2);
    assert!(luma(&after) > luma(&before) + 10.0, "the ice is brighter: {:.1} vs {:.1}", luma(&after), luma(&before));
    let around = region(&out[9], |x, y| (BX - 14..BX - 4).contains(&x) && (BY..BY + BS).contains(&y));
    assert!(luma(&after) > luma(&around) + 60.0, "the frozen subject still stands out from the background");

    // Frost creeps in from the outline: early on the rim is ice, the centre not.
    let rim = |x: usize, y: usize| in_box(0)(x, y) && !in_box(6)(x, y);
    let centre = in_box(18);
    let (rim_n, centre_n) = (region(&out[3], rim).len() / 3, region(&out[3], &centre).len() / 3);
    let icy_rim = count(&out[3], rim, is_icy);
    let orange_centre = count(&out[3], &centre, is_orange);
    assert!(icy_rim * 10 > rim_n * 6, "frost starts at the outline: {icy_rim} of {rim_n} rim pixels icy");
    assert!(orange_centre * 10 > centre_n * 9, "the centre is not frozen yet: {orange_centre} of {centre_n} orange");
    let icy: Vec<usize> = out.iter().map(|f| count(f, in_box(0), is_icy)).collect();
    assert!(icy.windows(2).all(|w| w[1] + 20 >= w[0]), "the ice only grows: {icy:?}");
    assert!(icy[5] < icy[9] && icy[2] < icy[5], "the ice grows over the clip: {icy:?}");

    // Specular glints: near-white sparkles, fewer without them.
    let white = |px: &[u8]| px.iter().all(|c| *c > 235);
    let no_glints =
        render_effect(dir.path(), &clip, "pikaffect/freeze", &["seed=3", "glint=0"], "freeze-dull.mp4", OUT);
    let (shiny, dull) = (count(&out[9], in_box(0), white), count(&no_glints[9], in_box(0), white));
    assert!(shiny >= dull + 4, "glints sparkle on the ice: {shiny} white pixels, {dull} without glints");

    let again = render_effect(dir.path(), &clip, "pikaffect/freeze", &params, "freeze2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/freeze", &["seed=4", "glint=1"], "freeze3.mp4", OUT);
    assert!(mean_abs_diff(&out[4], &other[4]) > 0.5, "the seed changes the crystals");
}

#[test]
fn vaporize_lifts_the_subject_away_as_rising_steam() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["rise=0.2", "seed=5"];
    let out = render_effect(dir.path(), &clip, "pikaffect/vaporize", &params, "vaporize.mp4", OUT);
    assert_keeps_source(&source, &out, "vaporize");

    // Steam rises above the subject (brighter than the background there),
    // never below it.
    let above = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (BY - 18..BY - 2).contains(&y);
    let below = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (BY + BS + 3..BY + BS + 13).contains(&y);
    let lift: Vec<f64> = (0..10).map(|i| mean(&region(&out[i], above)) - mean(&region(&source[i], above))).collect();
    let most = lift.iter().copied().fold(0.0, f64::max);
    assert!(most > 10.0, "steam rises above the subject, brightening it: {lift:.1?}");
    assert!(lift[9] < 2.0, "the steam has faded at the end: {lift:.1?}");
    for i in 0..10 {
        let diff = mean_abs_diff(&region(&out[i], below), &region(&source[i], below));
        assert!(diff < 1.0, "frame {i}: nothing goes down below the subject (diff {diff:.2})");
    }

    // The subject goes, top first, and only background is left (warm: the
    // subject's colour, though warming toward the mist before it lifts off).
    let warm: Vec<usize> = out.iter().map(|f| count(f, in_box(0), is_warm)).collect();
    let area0 = warm[0];
    assert!(warm[3] * 10 < area0 * 9 && warm[3] * 10 > area0, "part of it is left mid-way: {warm:?}");
    assert!(warm.windows(2).all(|w| w[1] <= w[0] + area0 / 50), "it only ever goes: {warm:?}");
    let (top, bottom) = (box_rows(BY + 2, BY + 16), box_rows(BY + BS - 16, BY + BS - 2));
    let (top_left, bottom_left) = (count(&out[3], &top, is_warm), count(&out[3], &bottom, is_warm));
    assert!(top_left * 2 < bottom_left, "the top turns to vapour first: {top_left} vs {bottom_left} warm");
    assert_only_background(&out[9], "vaporize");

    let again = render_effect(dir.path(), &clip, "pikaffect/vaporize", &params, "vaporize2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/vaporize", &["rise=0.2", "seed=6"], "vaporize3.mp4", OUT);
    assert!(mean_abs_diff(&out[4], &other[4]) > 0.5, "the seed changes the wisps");
}
