//! Property tests of the Pikaffect `shatter`: on a clip with a known subject
//! (an orange box on a dark gradient, rendered losslessly), cracks spread
//! from the impact point while the subject stays in place, then the shards
//! fall and the box's place shows the background; the first frame is the
//! source, the border beside and above the subject stays the source's, and
//! renders are deterministic for a seed.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const W: usize = 160;
const H: usize = 120;
/// The subject: an orange box at (BX, BY), BS x BS pixels.
const BX: usize = 56;
const BY: usize = 34;
const BS: usize = 48;
/// The crack phase ends at progress 0.35: frames 1..=3 of 10.
const CRACK_FRAMES: std::ops::RangeInclusive<usize> = 1..=3;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient
/// (a fixed one: the gradient's `seed` is random by default; the measures
/// below hold for the others tried too).
fn subject_clip(dir: &Path) -> PathBuf {
    let src = format!(
        "gradients=s={W}x{H}:c0=0x183050:c1=0x406080:r=10:d=1:seed=1,\
         drawbox=x={BX}:y={BY}:w={BS}:h={BS}:color=orange:t=fill"
    );
    lossless_clip(dir, "subject.mp4", &src, "yuv420p")
}

/// Renders shatter with `params` (`NAME=VALUE`) losslessly; returns the frames.
fn render(dir: &Path, clip: &Path, params: &[&str], name: &str) -> Vec<Vec<u8>> {
    let out = dir.join(name);
    let mut args = vec!["apply", clip.to_str().expect("utf-8"), "--effect", "pikaffect/shatter", "--crf", "0"];
    let params: Vec<String> = params.iter().map(|p| format!("shatter.{p}")).collect();
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

/// Whitened by a crack: the orange box has almost no blue.
fn is_cracked(px: &[u8]) -> bool {
    px[2] > 100 && px[0] > 150
}

/// Background-like: bluer than red (the gradient is, the orange box is not).
fn is_background(px: &[u8]) -> bool {
    px[2] > px[0]
}

fn in_box(x: usize, y: usize) -> bool {
    (BX..BX + BS).contains(&x) && (BY..BY + BS).contains(&y)
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

/// The RGB values of the pixels within 10 px of the left, top and right
/// edges (and the bottom one with `bottom`).
fn border(frame: &[u8], bottom: bool) -> Vec<u8> {
    frame
        .chunks(3)
        .enumerate()
        .filter(|(i, _)| {
            let (x, y) = (i % W, i / W);
            x < 10 || y < 10 || x >= W - 10 || (bottom && y >= H - 10)
        })
        .flat_map(|(_, px)| px.to_vec())
        .collect()
}

#[test]
fn shatter_cracks_from_the_impact_then_the_shards_fall_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render(dir.path(), &clip, &["seed=3"], "shatter.mp4");

    // What every Pikaffect keeps: the first frame is the source, and the
    // border beside and above the subject is the source's on every frame
    // (the shards fall through the bottom edge, so that one only until
    // they start to fall).
    let area = pixels(&source[0], in_box, is_orange).len();
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    assert!(first < 1.0, "with progress 0 the frame is unchanged (diff {first:.2})");
    for (i, (s, o)) in source.iter().zip(&out).enumerate() {
        let bottom = i <= *CRACK_FRAMES.end();
        let diff = mean_abs_diff(&border(s, bottom), &border(o, bottom));
        assert!(diff < 2.0, "frame {i}: the border far from the subject stays (diff {diff:.2})");
    }

    // Crack phase: white cracks spread from the impact (by default the
    // subject's centre) while the subject stays where it is.
    let (cx, cy) = centroid(&pixels(&source[0], in_box, is_orange));
    let cracks: Vec<Vec<(f64, f64)>> = out.iter().map(|f| pixels(f, in_box, is_cracked)).collect();
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
        let moved = pixels(&out[i], |x, y| !in_box(x, y), is_orange).len();
        let holes = pixels(&out[i], in_box, is_background).len();
        assert!(moved == 0 && holes < area / 30, "frame {i}: the cracked subject stays in place ({moved}, {holes})");
    }

    // Fall phase: the shards fall (the orange moves down and leaves the
    // box), the box's place shows the background, and bright glassy edges
    // catch the light on the way down.
    let (_, y_mid) = centroid(&pixels(&out[7], |_, _| true, is_orange));
    assert!(y_mid > cy + 15.0, "the shards fall: orange centroid y {y_mid:.1} vs {cy:.1}");
    let left = pixels(&out[8], in_box, is_orange).len();
    assert!(left * 10 < area, "the box empties: {left} of {area}");
    let bright_outside =
        (5..9).map(|i| pixels(&out[i], |x, y| !in_box(x, y), |p| p.iter().all(|c| *c > 190)).len()).max().unwrap_or(0);
    assert!(bright_outside > 20, "the falling shards have bright edges: {bright_outside}");
    let last = pixels(&out[9], |_, _| true, is_orange).len();
    assert!(last * 20 < area, "the shards are gone by the end: {last}");
    let hole = pixels(&out[9], in_box, is_background).len();
    assert!(hole * 10 > area * 9, "the vacated box looks like the background: {hole} of {area}");

    let again = render(dir.path(), &clip, &["seed=3"], "shatter-again.mp4");
    assert!(out == again, "deterministic");
    let other = render(dir.path(), &clip, &["seed=4"], "shatter-seed.mp4");
    let diff = mean_abs_diff(&out[2], &other[2]);
    assert!(diff > 0.5, "the seed changes the shards (diff {diff:.2})");
}

#[test]
fn shatter_impact_offset_moves_where_the_cracks_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let centred = render(dir.path(), &clip, &[], "centred.mp4");
    // (0.4, 0.4): 16 px left of and 12 px above the subject's centre.
    let offset = render(dir.path(), &clip, &["impact=[0.4,0.4]"], "offset.mp4");
    let (x0, y0) = centroid(&pixels(&centred[1], in_box, is_cracked));
    let (x1, y1) = centroid(&pixels(&offset[1], in_box, is_cracked));
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
