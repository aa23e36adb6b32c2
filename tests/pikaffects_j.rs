//! Property tests of the Pikaffects `eye-pop`, `liquify` and `ripple`: on a
//! clip with a known subject (an orange box on a dark gradient, or the same
//! box with dark stripes where pixel motion must be visible), two cartoon
//! eyes spring out at the estimated eye line / the silhouette turns liquid,
//! sags and flows / rings travel outward from the subject's centre, while the
//! frame border stays the source's, the first frame is the source and
//! renders are deterministic.

mod common;

use std::f64::consts::PI;
use std::path::{Path, PathBuf};

use common::subject::*;
use common::*;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient
/// (its ends and seed pinned: by default `gradients` picks them at random,
/// and the subject mask, hence the eye line's centre, would vary by run).
const SCENE: Scene = Scene { gradient: Gradient { ends: Some((0, 0, W, H)), ..SUBJECT.gradient }, ..SUBJECT };

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

/// The clip of `SCENE`; with `stripes`, the box has four dark vertical
/// stripes (so that moved pixels inside it show).
fn subject_clip(dir: &Path, stripes: bool) -> PathBuf {
    if !stripes {
        return SCENE.make(dir);
    }
    let mut src = SCENE.filter();
    for k in 0..4 {
        src += &format!(",drawbox=x={}:y={BY}:w=4:h={BS}:color=0x702000:t=fill", BX + 6 + 12 * k);
    }
    lossless_clip(dir, "striped.mp4", &src, SCENE.pix_fmt)
}

/// The subject's pixels, whatever the effect's shading: the background's red
/// channel stays below 0x40, the box's is 255.
fn is_subject(px: &[u8]) -> bool {
    px[0] > 150
}

/// What every Pikaffect here must keep: frame 0 is the source (no channel
/// more than 2 levels off after the lossless round trip), the border far
/// from the subject is the source's on every frame.
fn assert_common(source: &[Vec<u8>], out: &[Vec<u8>], what: &str) {
    let area = count(&source[0], everywhere, is_orange);
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    let worst = source[0].iter().zip(&out[0]).map(|(a, b)| a.abs_diff(*b)).max().unwrap_or(0);
    assert!(first < 0.5 && worst <= 2, "{what}: with progress 0 the frame is unchanged (mean {first:.2}, max {worst})");
    for (i, (s, o)) in source.iter().zip(out).enumerate() {
        let diff = border_diff(s, o, 10, Edges::All);
        assert!(diff < 2.0, "{what}: frame {i}: the border far from the subject stays (diff {diff:.2})");
    }
}

// ---- eye-pop ----

/// Eye white: bright in every channel (the orange box has no blue at all).
fn is_white(px: &[u8]) -> bool {
    px.iter().all(|c| *c > 150)
}

/// An eyeball's pixel, white or shaded, iris, pupil or outline: anything but
/// the orange box (no blue, red above green), shaded or not.
fn is_eyeball(px: &[u8]) -> bool {
    px[2] > 50 || px[1] >= px[0] || px.iter().all(|c| *c < 50)
}

/// (count, centroid x, centroid y) of the pixels in the left (x < centre) or
/// right half of the box's top part for which `pick` holds.
fn eye_pixels(frame: &[u8], left: bool, pick: impl Fn(&[u8]) -> bool) -> (usize, f64, f64) {
    let centre = BX + BS / 2;
    let (mut n, mut sx, mut sy) = (0, 0.0, 0.0);
    for y in BY..BY + BS / 2 + 8 {
        let xs = if left { BX..centre } else { centre..BX + BS };
        for x in xs {
            if pick(px(frame, x, y)) {
                n += 1;
                sx += x as f64 + 0.5;
                sy += y as f64 + 0.5;
            }
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

fn whites(frame: &[u8]) -> usize {
    eye_pixels(frame, true, is_white).0 + eye_pixels(frame, false, is_white).0
}

#[test]
fn eye_pop_springs_two_eyes_out_of_the_subject() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path(), false);
    let (source, _, _) = rgb_frames(&clip);
    let params = ["size=0.16", "pop=1", "height=0.28", "spacing=0.42", "pupil=#00c000"];
    let out = render_effect(dir.path(), &clip, "pikaffect/eye-pop", &params, "eye-pop.mp4", OUT);
    assert_common(&source, &out, "eye-pop");
    assert_eq!(whites(&source[9]), 0, "the source has no eye white");

    // Two eyes on the eye line, 28% of the box down from its top, 42% of its
    // width apart around its centre: (80 -+ 10, 47.4).
    for left in [true, false] {
        let (n, x, y) = eye_pixels(&out[9], left, is_eyeball);
        let (white, _, _) = eye_pixels(&out[9], left, is_white);
        let want_x = (BX + BS / 2) as f64 + if left { -0.21 } else { 0.21 } * BS as f64;
        let want_y = BY as f64 + 0.28 * BS as f64;
        assert!(n > 120 && white > 40, "an eyeball (left: {left}): {n} pixels, {white} white");
        assert!(
            (x - want_x).abs() < 3.0 && (y - want_y).abs() < 3.0,
            "eye at ({x:.1}, {y:.1}), want ({want_x}, {want_y})"
        );
        // The iris in the pupil colour (green), inside the white.
        let (irises, ix, iy) = eye_pixels(&out[9], left, |p| p[1] > 110 && p[0] < 90 && p[2] < 90);
        assert!(irises > 8, "a green iris in the eye (left: {left}): {irises}");
        let off = (ix - want_x).hypot(iy - want_y);
        assert!(off < 4.0, "the iris sits in the eye: ({ix:.1}, {iy:.1}), {off:.1} px from its centre");
        let (dark, _, _) = eye_pixels(&out[9], left, |p| p.iter().all(|c| *c < 40));
        assert!(dark > 3, "a dark pupil and outline (left: {left}): {dark}");
    }

    // They pop: nothing at first, then they overshoot and settle (pop = 1).
    let counts: Vec<usize> = out.iter().map(|f| whites(f)).collect();
    assert!(counts[1] < counts[9], "the eyes grow: {counts:?}");
    let peak = counts[2..6].iter().copied().max().unwrap_or(0);
    assert!(peak * 100 > counts[9] * 115, "the eyes overshoot before they settle: {counts:?}");
    // Without pop they grow without overshooting.
    let calm = render_effect(dir.path(), &clip, "pikaffect/eye-pop", &["pop=0", "size=0.22"], "eye-pop-calm.mp4", OUT);
    let calm_counts: Vec<usize> = calm.iter().map(|f| whites(f)).collect();
    let most = calm_counts.iter().copied().max().unwrap_or(0);
    assert!(most * 100 <= calm_counts[9] * 105, "pop=0 does not overshoot: {calm_counts:?}");
    assert!(calm_counts[3] * 2 > calm_counts[9] && calm_counts[9] > 100, "the calm eyes pop out: {calm_counts:?}");

    let again = render_effect(dir.path(), &clip, "pikaffect/eye-pop", &params, "eye-pop2.mp4", OUT);
    assert!(out == again, "deterministic");
}

// ---- liquify ----

/// Per row `rows`, the leftmost (or rightmost) subject pixel's x.
fn side_edges(frame: &[u8], rows: std::ops::Range<usize>, left: bool) -> Vec<f64> {
    rows.map(|y| {
        let mut xs = (BX - 16..BX + BS + 16).filter(|x| is_subject(px(frame, *x, y)));
        let x = if left { xs.next() } else { xs.next_back() };
        x.map_or(f64::NAN, |x| x as f64)
    })
    .collect()
}

/// Per column `cols`, the topmost subject pixel's y.
fn top_edge(frame: &[u8], cols: std::ops::Range<usize>) -> Vec<f64> {
    cols.map(|x| (BY - 16..BY + BS).find(|y| is_subject(px(frame, x, *y))).map_or(f64::NAN, |y| y as f64)).collect()
}

fn mean_f(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn spread(v: &[f64]) -> f64 {
    let m = mean_f(v);
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64).sqrt()
}

#[test]
fn liquify_turns_the_subject_to_flowing_glossy_liquid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path(), false);
    let (source, _, _) = rgb_frames(&clip);
    let params = ["strength=0.8", "flow=1", "viscosity=0.4", "gloss=1", "seed=5"];
    let out = render_effect(dir.path(), &clip, "pikaffect/liquify", &params, "liquify.mp4", OUT);
    assert_common(&source, &out, "liquify");

    // The straight sides turn wavy, both of them (melt only drips down).
    let rows = BY + 12..BY + BS - 4;
    for left in [true, false] {
        let before = side_edges(&source[9], rows.clone(), left);
        let after = side_edges(&out[9], rows.clone(), left);
        assert!(after.iter().all(|x| x.is_finite()), "the subject is still there: {after:?}");
        assert!(spread(&before) < 0.3, "the source's side is straight: {before:?}");
        assert!(spread(&after) > 1.0, "the liquid's side (left: {left}) is wavy: {after:?}");
        let mid = spread(&side_edges(&out[3], rows.clone(), left));
        assert!(mid < spread(&after), "the waves grow with progress (left: {left}): {mid:.2}");
    }
    // Liquid spills sideways past the old box, on both sides.
    let spill = |f: &[u8], left: bool| {
        region(f, |x, y| (BY..BY + BS).contains(&y) && if left { x < BX } else { x >= BX + BS })
            .chunks(3)
            .filter(|p| is_subject(p))
            .count()
    };
    assert!(spill(&out[9], true) > 10 && spill(&out[9], false) > 10, "it spills sideways");
    // It sags: the top comes down.
    let top0 = mean_f(&top_edge(&source[9], BX + 6..BX + BS - 6));
    let top1 = mean_f(&top_edge(&out[9], BX + 6..BX + BS - 6));
    assert!(top1 > top0 + 2.0, "the top sags: {top1:.1} vs {top0:.1}");

    // Glossy highlights: near white (the orange box has no blue, and the
    // blue background is dark).
    let glossy = |f: &[u8]| region(f, in_box(0)).chunks(3).filter(|p| p.iter().all(|c| *c > 190)).count();
    assert!(glossy(&out[9]) > 10, "highlights glint on the liquid: {}", glossy(&out[9]));
    assert_eq!(glossy(&source[9]), 0);
    let matte =
        render_effect(dir.path(), &clip, "pikaffect/liquify", &["strength=0.8", "gloss=0", "seed=5"], "matte.mp4", OUT);
    assert_eq!(glossy(&matte[9]), 0, "gloss=0 has no highlights");

    // It flows: the same progress with the flow stopped is another shape.
    let still = render_effect(
        dir.path(),
        &clip,
        "pikaffect/liquify",
        &["strength=0.8", "flow=0", "gloss=1", "seed=5"],
        "still.mp4",
        OUT,
    );
    let near = |x: usize, y: usize| (BX - 8..BX + BS + 8).contains(&x) && (BY - 8..BY + BS + 8).contains(&y);
    let moved = mean_abs_diff(&region(&out[9], near), &region(&still[9], near));
    assert!(moved > 2.0, "the flow moves the liquid over time: {moved:.2}");

    let again = render_effect(dir.path(), &clip, "pikaffect/liquify", &params, "liquify2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = ["strength=0.8", "flow=1", "viscosity=0.4", "gloss=1", "seed=6"];
    let other = render_effect(dir.path(), &clip, "pikaffect/liquify", &other, "liquify3.mp4", OUT);
    let changed = mean_abs_diff(&region(&out[9], near), &region(&other[9], near));
    assert!(changed > 2.0, "the seed changes the swirls: {changed:.2}");
}

// ---- ripple ----

/// The ring component of the brightness change inside the box (3 px from its
/// edges) at ring spacing `wavelength` px around the box's centre: the sum of
/// (brightness(out) - brightness(source)) e^(-i 2 pi r / wavelength) over the
/// pixels at radius r, divided by their count. Returns (re, im).
fn rings(out: &[u8], source: &[u8], wavelength: f64) -> (f64, f64) {
    let (cx, cy) = ((BX + BS / 2) as f64, (BY + BS / 2) as f64);
    let (mut re, mut im, mut n) = (0.0, 0.0, 0.0);
    for y in BY + 3..BY + BS - 3 {
        for x in BX + 3..BX + BS - 3 {
            let r = (x as f64 + 0.5 - cx).hypot(y as f64 + 0.5 - cy);
            let brightness = |f: &[u8]| px(f, x, y).iter().map(|c| f64::from(*c)).sum::<f64>();
            let dev = brightness(out) - brightness(source);
            let a = 2.0 * PI * r / wavelength;
            re += dev * a.cos();
            im -= dev * a.sin();
            n += 1.0;
        }
    }
    (re / n, im / n)
}

/// The angle from `a` to `b` in -pi..pi.
fn turn(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (re, im) = (b.0 * a.0 + b.1 * a.1, b.1 * a.0 - b.0 * a.1);
    im.atan2(re)
}

#[test]
fn ripple_rings_travel_outward_from_the_subjects_centre() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path(), false);
    let (source, _, _) = rgb_frames(&clip);
    // wavelength 72 at 720p = 12 px here; speed 2.5 rings/s at 10 fps = a
    // quarter ring per frame.
    let params = ["amplitude=0.8", "wavelength=72", "speed=2.5", "damping=0.5", "shine=1"];
    let out = render_effect(dir.path(), &clip, "pikaffect/ripple", &params, "ripple.mp4", OUT);
    assert_common(&source, &out, "ripple");

    // Concentric rings 12 px apart: the strongest ring spacing is 12 +- 2.
    let strength = |f: &[u8], wl: f64| {
        let (re, im) = rings(f, &source[9], wl);
        re.hypot(im)
    };
    let best = (6..=30).max_by(|a, b| strength(&out[9], *a as f64).total_cmp(&strength(&out[9], *b as f64)));
    let best = best.unwrap_or(0);
    assert!((10..=14).contains(&best), "rings {best} px apart, want 12");
    assert!(strength(&out[9], 12.0) > 10.0, "the rings are clearly shaded: {:.1}", strength(&out[9], 12.0));

    // They travel outward: a quarter ring per frame, i.e. the phase at a fixed
    // radius turns by -pi/2 from one frame to the next.
    for i in 6..9 {
        let a = rings(&out[i], &source[i], 12.0);
        let b = rings(&out[i + 1], &source[i + 1], 12.0);
        let step = turn(a, b);
        assert!((step + PI / 2.0).abs() < 0.6, "frame {i}->{}: the rings move outward (phase step {step:.2})", i + 1);
    }

    // They spread from the centre: early on only the middle ripples.
    let (cx, cy) = ((BX + BS / 2) as f64, (BY + BS / 2) as f64);
    let ring = |lo: f64, hi: f64| {
        move |x: usize, y: usize| {
            let r = (x as f64 + 0.5 - cx).hypot(y as f64 + 0.5 - cy);
            in_box(3)(x, y) && r >= lo && r < hi
        }
    };
    let changed = |f: &[u8], s: &[u8], lo, hi| mean_abs_diff(&region(f, ring(lo, hi)), &region(s, ring(lo, hi)));
    assert!(changed(&out[2], &source[2], 0.0, 7.0) > 3.0, "the middle ripples early on");
    assert!(changed(&out[2], &source[2], 15.0, 30.0) < 1.0, "the outside does not yet");
    assert!(changed(&out[9], &source[9], 15.0, 30.0) > 3.0, "by the end the rings reached it");

    let again = render_effect(dir.path(), &clip, "pikaffect/ripple", &params, "ripple2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn ripple_refracts_the_subjects_pixels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path(), true);
    let (source, _, _) = rgb_frames(&clip);
    // No shading: what changes is where the pixels come from.
    let out = render_effect(
        dir.path(),
        &clip,
        "pikaffect/ripple",
        &["amplitude=1", "wavelength=72", "shine=0"],
        "refract.mp4",
        OUT,
    );
    let first = mean_abs_diff(&source[0], &out[0]);
    assert!(first < 0.5, "with progress 0 the frame is unchanged ({first:.2})");
    let inside = |x: usize, y: usize| in_box(2)(x, y);
    let moved = mean_abs_diff(&region(&out[9], inside), &region(&source[9], inside));
    assert!(moved > 4.0, "the stripes bend: {moved:.2}");
    // The stripes bend, they are not recoloured: the inside keeps its colours.
    let dark = |f: &[u8]| region(f, inside).chunks(3).filter(|p| p[0] < 160).count() as f64;
    let ratio = dark(&out[9]) / dark(&source[9]);
    assert!((0.6..1.4).contains(&ratio), "as much stripe as before: {ratio:.2}");
    for (i, (s, o)) in source.iter().zip(&out).enumerate() {
        let diff = border_diff(s, o, 10, Edges::All);
        assert!(diff < 2.0, "frame {i}: the border far from the subject stays (diff {diff:.2})");
    }
}
