//! Property tests of the Pikaffects `spin`, `glitch` and `pixelate-out`: on
//! small lossless clips with a known subject (an orange box with a yellow
//! marker, or a box with a colour ramp, on a dark gradient), each
//! effect's defining behaviour is measured (the marker turns, the width
//! follows |cos|, rows shift and channels split, runs of one colour grow to
//! the block size and blocks drop out) while the first frame is the source,
//! the frame far from the subject stays the source's and renders are
//! deterministic. "The source" is the pipeline's pass-through render, since
//! the RGBA round trip and the 4:2:0 output alone move values.

mod common;

use std::path::{Path, PathBuf};

use common::subject::*;
use common::*;

/// The box of `SUBJECT`, in 4:4:4; `marked_clip` draws the marker over it.
/// The ramp clip has the same size and rate.
const SCENE: Scene = Scene { name: "marked.mp4", pix_fmt: "yuv444p", ..SUBJECT };

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SCENE.expect();

/// `SCENE` with a 12x12 yellow marker inside the box's top-left corner (at
/// 60, 38).
fn marked_clip(dir: &Path) -> PathBuf {
    let marker = format!("drawbox=x={}:y={}:w=12:h=12:color=yellow:t=fill", BX + 4, BY + 4);
    lossless_clip(dir, SCENE.name, &format!("{},{marker}", SCENE.filter()), SCENE.pix_fmt)
}

/// A lossless 160x120, 1 s, 10 fps clip on a still gradient: the box is
/// an orange ramp, green growing 4 per pixel to the right and red 2 per
/// pixel downward, so every pixel differs from its neighbours and blocks
/// of one colour are easy to see.
fn ramp_clip(dir: &Path) -> PathBuf {
    let inside = format!("between(X,{BX},{})*between(Y,{BY},{})", BX + BS - 1, BY + BS - 1);
    let src = format!(
        "color=c=black:s={W}x{H}:r=10:d=1,format=rgb24,\
         geq=r='if({inside},150+2*(Y-{BY}),24+X/8)':g='if({inside},30+4*(X-{BX}),48+Y/4)':b='if({inside},0,80+Y/4)'"
    );
    lossless_clip(dir, "ramp.mp4", &src, "yuv444p")
}

/// The clip through the pipeline with no effect (decode, convert, encode):
/// the reference for "unchanged", as the round trip alone (RGBA, and a
/// 4:2:0 output) moves values.
fn passthrough(dir: &Path, clip: &Path) -> Vec<Vec<u8>> {
    let out = dir.join("passthrough.mp4");
    pikafx_ok(&[
        "apply",
        clip.to_str().expect("utf-8"),
        "--allow-empty",
        "--crf",
        "0",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let (frames, _, _) = rgb_frames(&out);
    let (decoded, _, _) = rgb_frames(clip);
    assert_eq!(frames.len(), decoded.len());
    for (p, d) in frames.iter().zip(&decoded) {
        // The output is 4:2:0: colour edges soften a little.
        assert!(mean_abs_diff(p, d) < 3.0, "the pass-through is the source, up to rounding");
    }
    frames
}

/// Orange or yellow, however dark (the background is blue: red < blue).
fn is_warm(p: &[u8]) -> bool {
    p[0] > 90 && i32::from(p[0]) > i32::from(p[2]) + 60
}

/// The marker, however dark (not the pale edge pixels that 4:2:0 chroma
/// leaves where orange meets blue).
fn is_yellow(p: &[u8]) -> bool {
    is_warm(p) && f64::from(p[1]) > 0.85 * f64::from(p[0]) && f64::from(p[2]) < 0.3 * f64::from(p[0])
}

/// (count, centroid x, centroid y) of the pixels for which `keep` holds.
fn blob(frame: &[u8], keep: impl Fn(&[u8]) -> bool) -> (usize, f64, f64) {
    let (mut n, mut sx, mut sy) = (0, 0.0, 0.0);
    for (i, p) in frame.chunks(3).enumerate() {
        if keep(p) {
            n += 1;
            sx += (i % W) as f64 + 0.5;
            sy += (i / W) as f64 + 0.5;
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

/// The angle (degrees, y down: clockwise on screen is positive) of the
/// yellow marker around the subject's centroid.
fn marker_angle(frame: &[u8]) -> f64 {
    let (n, cx, cy) = blob(frame, is_warm);
    let (m, mx, my) = blob(frame, is_yellow);
    assert!(n > 500 && m > 20, "the subject ({n} px) and its marker ({m} px) are visible");
    (my - cy).atan2(mx - cx).to_degrees()
}

/// `a - b` in degrees, wrapped to -180..180.
fn turned(a: f64, b: f64) -> f64 {
    (a - b + 540.0).rem_euclid(360.0) - 180.0
}

fn max_abs_diff(a: &[u8], b: &[u8]) -> u8 {
    a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0)
}

/// What every Pikaffect here must keep: frame 0 is the source (within
/// 1/255), and pixels for which `far(x, y)` holds (at least the 10-px frame
/// border) are the source's on every frame (within 2/255); `source` is the
/// pipeline's pass-through of the clip.
fn assert_common(source: &[Vec<u8>], out: &[Vec<u8>], far: impl Fn(usize, usize) -> bool, what: &str) {
    let first = max_abs_diff(&source[0], &out[0]);
    assert!(first <= 1, "{what}: with progress 0 the frame is unchanged (max diff {first})");
    let far = |x: usize, y: usize| far(x, y) || on_border(x, y, 10, Edges::All);
    for (i, (s, o)) in source.iter().zip(out).enumerate() {
        let diff = max_abs_diff(&region(s, far), &region(o, far));
        assert!(diff <= 2, "{what}: frame {i}: the frame far from the subject stays (max diff {diff})");
    }
}

/// Width of the warm run through row `y` (first to last warm pixel).
fn warm_width(frame: &[u8], y: usize) -> usize {
    let xs: Vec<usize> = (0..W).filter(|&x| is_warm(px(frame, x, y))).collect();
    xs.last().map_or(0, |last| last + 1 - xs[0])
}

#[test]
fn spin_turns_the_subject_in_the_plane() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = marked_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    let params = ["turns=0.25", "easing=0", "blur=0"];
    let out = render_effect(dir.path(), &clip, "pikaffect/spin", &params, "spin.mp4", OUT);
    // A square turned about its centre stays within its circumcircle.
    let reach = (BS as f64) / 2.0 * 2f64.sqrt() + 4.0;
    let outside = |x: usize, y: usize| {
        let (dx, dy) = (x as f64 + 0.5 - 80.0, y as f64 + 0.5 - 58.0);
        dx.hypot(dy) > reach
    };
    assert_common(&source, &out, outside, "spin");

    // A quarter turn at a constant rate: 10 degrees a frame, clockwise.
    let start = marker_angle(&source[0]);
    for i in [3, 6, 9] {
        let angle = turned(marker_angle(&out[i]), start);
        let expected = 90.0 * i as f64 / 9.0;
        assert!((angle - expected).abs() < 3.0, "frame {i}: the marker turned {angle:.1} deg, not {expected:.1}");
    }
    // It turns in place and keeps its size.
    let (area0, x0, y0) = blob(&source[0], is_warm);
    for i in [4, 9] {
        let (area, x, y) = blob(&out[i], is_warm);
        let ratio = area as f64 / area0 as f64;
        assert!((0.9..1.1).contains(&ratio), "frame {i}: the subject keeps its size: {area} vs {area0}");
        assert!((x - x0).hypot(y - y0) < 3.0, "frame {i}: it turns about its centre: ({x:.1}, {y:.1})");
    }
    // At 40 degrees its corners stick out of the source box, and the box's
    // own corners show background again (filled, not black).
    let in_box = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (BY..BY + BS).contains(&y);
    let sticking_out = region(&out[4], |x, y| !in_box(x, y)).chunks(3).filter(|p| is_warm(p)).count();
    assert!(sticking_out > 150, "the turned corners stick out of the box: {sticking_out} px");
    let corner = |x: usize, y: usize| (BX + BS - 6..BX + BS).contains(&x) && (BY..BY + 6).contains(&y);
    let uncovered = region(&out[4], corner);
    assert!(!uncovered.chunks(3).any(is_warm), "the box's corner is uncovered");
    assert!(mean(&uncovered) > 40.0, "it is filled with background, not black: {:.1}", mean(&uncovered));

    let again = render_effect(dir.path(), &clip, "pikaffect/spin", &params, "spin2.mp4", OUT);
    assert!(out == again, "deterministic");
    let ccw = render_effect(
        dir.path(),
        &clip,
        "pikaffect/spin",
        &[&params[..], &["direction=counterclockwise"]].concat(),
        "ccw.mp4",
        OUT,
    );
    let angle = turned(marker_angle(&ccw[6]), start);
    assert!((angle + 60.0).abs() < 3.0, "counterclockwise turns the other way: {angle:.1} deg");
}

#[test]
fn spin_as_a_turntable_squeezes_and_shows_the_darker_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = marked_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    let params = ["mode=turntable", "turns=0.5", "easing=0", "blur=0"];
    let out = render_effect(dir.path(), &clip, "pikaffect/spin", &params, "turntable.mp4", OUT);
    let outside = |x: usize, y: usize| !(BX - 6..BX + BS + 6).contains(&x) || !(BY - 6..BY + BS + 6).contains(&y);
    assert_common(&source, &out, outside, "spin turntable");

    // Half a turn at a constant rate: 20 degrees a frame; the width is
    // BS * |cos| and the height stays.
    let row = BY + BS / 2;
    for i in [0, 2, 3, 4, 7, 9] {
        let expected = BS as f64 * (std::f64::consts::PI * i as f64 / 9.0).cos().abs();
        let width = warm_width(&out[i], row) as f64;
        assert!((width - expected).abs() <= 4.0, "frame {i}: width {width}, not BS * |cos| = {expected:.1}");
    }
    let tall = |f: &[u8]| (0..H).filter(|&y| warm_width(f, y) > 0).count();
    assert!(tall(&out[3]).abs_diff(BS) <= 2, "the height stays: {} rows", tall(&out[3]));

    // The front: the marker on the left. The back (frame 9): mirrored to
    // the right, and darker.
    let side = |f: &[u8]| blob(f, is_yellow).1 - blob(f, is_warm).1;
    assert!(side(&out[2]) < -8.0, "the front shows the marker on the left: {:.1}", side(&out[2]));
    assert!(side(&out[9]) > 8.0, "the back shows it mirrored, on the right: {:.1}", side(&out[9]));
    let red = |f: &[u8]| mean(&region(f, |x, y| is_warm(px(f, x, y))).chunks(3).map(|p| p[0]).collect::<Vec<_>>());
    assert!(red(&out[9]) < 0.75 * red(&source[9]), "the back is darker: {:.0} vs {:.0}", red(&out[9]), red(&source[9]));

    // Edge-on, the place the subject covered shows background (filled).
    let beside = |x: usize, y: usize| (BX + 2..BX + 14).contains(&x) && (BY + 16..BY + 32).contains(&y);
    let vacated = region(&out[4], beside);
    assert!(!vacated.chunks(3).any(is_warm), "the vacated sides show background");
    assert!(mean(&vacated) > 40.0, "the fill is not a black hole: {:.1}", mean(&vacated));
}

#[test]
fn spin_blurs_along_the_rotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = marked_clip(dir.path());
    let sharp = render_effect(dir.path(), &clip, "pikaffect/spin", &["turns=1", "blur=0"], "sharp.mp4", OUT);
    let blurred = render_effect(dir.path(), &clip, "pikaffect/spin", &["turns=1", "blur=1"], "blurred.mp4", OUT);
    // Part subject, part background: neither the orange's red nor the blue's.
    let smeared = |f: &[u8]| f.chunks(3).filter(|p| (100..220).contains(&p[0])).count();
    for i in [4, 5] {
        let (a, b) = (smeared(&sharp[i]), smeared(&blurred[i]));
        assert!(b > 2 * a + 100, "frame {i}: the blur smears the edges: {b} vs {a} px");
    }
    // The blur trails the subject: it does not grow or shrink it much.
    let (n_sharp, _, _) = blob(&sharp[5], is_warm);
    let (n_blur, _, _) = blob(&blurred[5], |p| p[0] > 100);
    assert!(n_blur as f64 > 0.8 * n_sharp as f64, "still the subject: {n_blur} vs {n_sharp}");
}

/// The first x of the run of pixels in row `y` for which `keep` holds,
/// searching from the left within 20 px of the subject box.
fn left_edge(frame: &[u8], y: usize, keep: impl Fn(&[u8]) -> bool) -> Option<usize> {
    (BX - 20..BX + BS).find(|&x| keep(px(frame, x, y)))
}

#[test]
fn glitch_shifts_slices_and_splits_channels_around_the_subject_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = marked_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    let params = ["intensity=1", "split=40", "flicker=0", "seed=3"];
    let out = render_effect(dir.path(), &clip, "pikaffect/glitch", &params, "glitch.mp4", OUT);
    // Slices shift sideways only; 44 px covers the largest shift (25 px),
    // split (7 px) and a copied block's jump (8 px).
    let far = |x: usize, y: usize| !(BX - 44..BX + BS + 44).contains(&x) || !(BY - 12..BY + BS + 12).contains(&y);
    assert_common(&source, &out, far, "glitch");

    // The glitch ramps up with progress.
    let near = |x: usize, y: usize| !far(x, y);
    let amount: Vec<f64> = (0..10).map(|i| mean_abs_diff(&region(&source[i], near), &region(&out[i], near))).collect();
    let early = amount[1..4].iter().sum::<f64>();
    let late = amount[7..10].iter().sum::<f64>();
    assert!(late > 3.0 && late > 1.5 * early, "the glitch grows: {amount:.1?}");

    // Slices: without the channel split, the subject's left edge (where the
    // background turns orange) jumps sideways in some rows.
    let no_split = ["intensity=1", "split=0", "flicker=0", "seed=3"];
    let no_split = render_effect(dir.path(), &clip, "pikaffect/glitch", &no_split, "nosplit.mp4", OUT);
    let orange = |p: &[u8]| p[0] > 150 && p[1] > 120;
    let rows = BY + 2..BY + BS - 2;
    let edges = |f: &[u8]| rows.clone().map(|y| left_edge(f, y, orange)).collect::<Vec<_>>();
    // Over the last two frames (level 0.9 and 1) about half the bands
    // shift; torn scanlines and corrupted blocks alone move far fewer rows.
    let mut shifted = 0;
    for i in [8, 9] {
        let e = edges(&no_split[i]);
        shifted += e.iter().filter(|x| x.is_none_or(|x| x.abs_diff(BX) >= 2)).count();
        let mut offsets = e.clone();
        offsets.sort_unstable();
        offsets.dedup();
        assert!(offsets.len() >= 3, "frame {i}: slices, not the whole subject, shift: {e:?}");
    }
    assert!(shifted >= rows.len(), "slices of the subject shift sideways: {shifted} of {} rows", 2 * rows.len());
    assert!(edges(&source[9]).iter().all(|x| *x == Some(BX)), "the source's edge is straight");
    // The pattern changes from frame to frame.
    assert_ne!(edges(&no_split[8]), edges(&no_split[9]), "each frame glitches differently");

    // Channel split: the red channel's edge is off the green channel's in
    // most rows, which the render without split does not show.
    let split_rows = |f: &[u8]| {
        rows.clone()
            .filter(|&y| {
                let r = left_edge(f, y, |p| p[0] > 150);
                let g = left_edge(f, y, |p| p[1] > 120);
                matches!((r, g), (Some(r), Some(g)) if r.abs_diff(g) >= 3)
            })
            .count()
    };
    assert!(split_rows(&out[9]) > 20, "the channels split: {} rows", split_rows(&out[9]));
    assert!(split_rows(&no_split[9]) < 8, "without split they stay aligned: {} rows", split_rows(&no_split[9]));

    let again = render_effect(dir.path(), &clip, "pikaffect/glitch", &params, "glitch2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(
        dir.path(),
        &clip,
        "pikaffect/glitch",
        &["intensity=1", "split=40", "flicker=0", "seed=4"],
        "glitch3.mp4",
        OUT,
    );
    assert!(mean_abs_diff(&out[9], &other[9]) > 0.5, "the seed changes the pattern");
}

#[test]
fn glitch_flickers_from_frame_to_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = marked_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    let amount = |out: &[Vec<u8>]| (3..10).map(|i| mean_abs_diff(&source[i], &out[i])).collect::<Vec<_>>();
    let steady =
        amount(&render_effect(dir.path(), &clip, "pikaffect/glitch", &["flicker=0", "seed=5"], "steady.mp4", OUT));
    let flicker = render_effect(dir.path(), &clip, "pikaffect/glitch", &["flicker=1", "seed=5"], "flicker.mp4", OUT);
    assert_common(&source, &flicker, |_, _| false, "glitch flicker");
    // With flicker, the level jumps per frame: relative to the steady ramp,
    // some frames are much calmer than others.
    let ratios: Vec<f64> = amount(&flicker).iter().zip(&steady).map(|(f, s)| f / s.max(1e-3)).collect();
    let (lo, hi) = ratios.iter().fold((f64::MAX, 0.0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    assert!(hi > 1.5 * lo, "the glitch level flickers: {ratios:.2?}");
    assert!(steady.iter().all(|a| *a > 0.05), "it never stops without flicker: {steady:.2?}");
}

/// The ramp subject (the background is blue: little red, much blue).
fn is_ramp(p: &[u8]) -> bool {
    p[0] > 120 && p[2] < 60
}

/// Median length of the runs of one colour inside the subject box, along
/// rows (green) and along columns (red): the size of the blocks (1 for the
/// ramp itself). The median ignores the odd runs at the box's edges.
fn runs(frame: &[u8]) -> (usize, usize) {
    let (xs, ys) = (BX + 2..BX + BS - 2, BY + 2..BY + BS - 2);
    fn lengths(line: impl Iterator<Item = u8>, out: &mut Vec<usize>) {
        let mut run: Option<(u8, usize)> = None;
        for v in line {
            run = match run {
                Some((last, n)) if last == v => Some((v, n + 1)),
                Some((_, n)) => {
                    out.push(n);
                    Some((v, 1))
                }
                None => Some((v, 1)),
            };
        }
    }
    let (mut across, mut down) = (Vec::new(), Vec::new());
    for y in ys.clone() {
        lengths(xs.clone().map(|x| px(frame, x, y)[1]), &mut across);
    }
    for x in xs {
        lengths(ys.clone().map(|y| px(frame, x, y)[0]), &mut down);
    }
    let median = |mut v: Vec<usize>| {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    };
    (median(across), median(down))
}

#[test]
fn pixelate_out_grows_blocks_then_drops_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = ramp_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    // 48 px at 720p: 8-px blocks here; pixelating until progress 0.5.
    let params = ["block=48", "growth=0.5", "fall=0", "seed=3"];
    let out = render_effect(dir.path(), &clip, "pikaffect/pixelate-out", &params, "pixelate.mp4", OUT);
    let outside = |x: usize, y: usize| !(BX - 10..BX + BS + 10).contains(&x) || !(BY - 10..BY + BS + 10).contains(&y);
    assert_common(&source, &out, outside, "pixelate-out");

    // Growing square blocks: runs of one colour get longer, as long down as
    // across, up to the block size (8 px at progress 0.44).
    let sizes: Vec<(usize, usize)> = out.iter().map(|f| runs(f)).collect();
    assert!(sizes[0].0 <= 1 && sizes[0].1 <= 1, "the source is a smooth ramp: {sizes:?}");
    assert!(sizes[1..5].windows(2).all(|w| w[1].0 > w[0].0 && w[1].1 > w[0].1), "the blocks grow: {sizes:?}");
    assert!(sizes[4].0 >= 7 && sizes[4].0 <= 9 && sizes[4].0 == sizes[4].1, "square 8-px blocks: {sizes:?}");
    // ... still the subject's colours, and all of it is there.
    let (area0, _, _) = blob(&source[0], is_ramp);
    let counts: Vec<usize> = out.iter().map(|f| blob(f, is_ramp).0).collect();
    assert!(counts[4] * 4 > area0 * 3, "pixelated, the subject is whole: {counts:?} of {area0}");

    // Then the blocks drop out until none is left.
    assert!(counts[5..].windows(2).all(|w| w[1] <= w[0] + area0 / 50), "blocks only drop out: {counts:?}");
    assert!(counts[7] * 10 > area0 && counts[7] * 10 < area0 * 9, "some blocks are left mid-way: {counts:?}");
    assert!(counts[9] * 100 < area0, "no block is left at progress 1: {counts:?} of {area0}");
    let inside = |x: usize, y: usize| (BX + 4..BX + BS - 4).contains(&x) && (BY + 4..BY + BS - 4).contains(&y);
    let hole = region(&out[9], inside);
    assert!(mean(&hole) > 40.0 && mean(&hole) < 140.0, "the background is filled in: {:.1}", mean(&hole));

    let again = render_effect(dir.path(), &clip, "pikaffect/pixelate-out", &params, "pixelate2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(
        dir.path(),
        &clip,
        "pikaffect/pixelate-out",
        &["block=48", "growth=0.5", "fall=0", "seed=4"],
        "pixelate3.mp4",
        OUT,
    );
    assert!(mean_abs_diff(&out[7], &other[7]) > 0.5, "the seed changes the order the blocks drop in");
    assert!(mean_abs_diff(&out[4], &other[4]) < 0.01, "but not the pixelation before");
}

#[test]
fn pixelate_out_blocks_fall_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = ramp_clip(dir.path());
    let source = passthrough(dir.path(), &clip);
    let falling =
        render_effect(dir.path(), &clip, "pikaffect/pixelate-out", &["block=48", "fall=1"], "falling.mp4", OUT);
    let standing =
        render_effect(dir.path(), &clip, "pikaffect/pixelate-out", &["block=48", "fall=0"], "standing.mp4", OUT);
    assert_common(&source, &falling, |_, _| false, "pixelate-out fall");
    // Below the subject (and the half-covered blocks of its bottom row).
    let below = |f: &[u8]| region(f, |_, y| y >= BY + BS + 8).chunks(3).filter(|p| is_ramp(p)).count();
    let fallen: usize = falling.iter().map(|f| below(f)).sum();
    let stayed: usize = standing.iter().map(|f| below(f)).sum();
    assert!(fallen > 20, "falling blocks pass below the subject: {fallen} px");
    assert_eq!(stayed, 0, "without fall no block leaves the subject's place");
    let gone = |f: &[Vec<u8>]| blob(&f[9], is_ramp).0;
    assert!(gone(&falling) < 20 && gone(&standing) < 20, "either way, all are gone at the end");
}
