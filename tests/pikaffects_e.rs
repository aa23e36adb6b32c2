//! Property tests of the Pikaffects `levitate`, `dissolve` and `ta-da`: on a
//! clip with a known subject (an orange box on a dark gradient), the subject
//! rises / dissolves / vanishes while the frame border stays the source's,
//! the first frame is the source and renders are deterministic.

mod common;

use std::path::Path;

use common::*;

const W: usize = 160;
const H: usize = 120;
/// The subject: an orange box at (BX, BY), BS x BS pixels.
const BX: usize = 56;
const BY: usize = 34;
const BS: usize = 48;

/// A lossless 160x120, 1 s, 10 fps clip of an orange box on a dark gradient.
fn subject_clip(dir: &Path) -> std::path::PathBuf {
    let src = format!(
        "gradients=s={W}x{H}:c0=0x183050:c1=0x406080:x0=0:y0=0:x1=0:y1={H}:seed=1:r=10:d=1,drawbox=x={BX}:y={BY}:w={BS}:h={BS}:color=orange:t=fill"
    );
    lossless_clip(dir, "subject.mp4", &src, "yuv420p")
}

/// Renders `effect` with `params` (`NAME=VALUE`) losslessly; returns the frames.
fn render(dir: &Path, clip: &Path, effect: &str, params: &[&str], name: &str) -> Vec<Vec<u8>> {
    let out = dir.join(name);
    let mut args = vec!["apply", clip.to_str().expect("utf-8"), "--effect", effect, "--crf", "0"];
    let params: Vec<String> =
        params.iter().map(|p| format!("{}.{p}", effect.trim_start_matches("pikaffect/"))).collect();
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

/// (count, centroid x, centroid y) of the orange pixels.
fn orange(frame: &[u8]) -> (usize, f64, f64) {
    let (mut n, mut sx, mut sy) = (0, 0.0, 0.0);
    for (i, px) in frame.chunks(3).enumerate() {
        if is_orange(px) {
            n += 1;
            sx += (i % W) as f64;
            sy += (i / W) as f64;
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

/// The RGB values of the pixels of `frame` for which `keep(x, y)` holds.
fn region(frame: &[u8], keep: impl Fn(usize, usize) -> bool) -> Vec<u8> {
    frame.chunks(3).enumerate().filter(|(i, _)| keep(i % W, i / W)).flat_map(|(_, px)| px.to_vec()).collect()
}

fn border(frame: &[u8]) -> Vec<u8> {
    region(frame, |x, y| x < 10 || y < 10 || x >= W - 10 || y >= H - 10)
}

fn mean(values: &[u8]) -> f64 {
    values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64
}

/// What every Pikaffect here must keep: frame 0 is the source, the border is
/// the source's on every frame, the source's orange box is found.
fn assert_common(source: &[Vec<u8>], out: &[Vec<u8>], what: &str) {
    let (area, _, _) = orange(&source[0]);
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    assert!(first < 1.0, "{what}: with progress 0 the frame is unchanged (diff {first:.2})");
    for (i, (s, o)) in source.iter().zip(out).enumerate() {
        let diff = mean_abs_diff(&border(s), &border(o));
        assert!(diff < 2.0, "{what}: frame {i}: the border far from the subject stays (diff {diff:.2})");
    }
}

#[test]
fn levitate_lifts_the_subject_and_leaves_a_shadow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render(dir.path(), &clip, "pikaffect/levitate", &["height=0.15", "shadow=0.8"], "levitate.mp4");
    assert_common(&source, &out, "levitate");

    let (area0, _, y0) = orange(&source[9]);
    let (area1, _, y1) = orange(&out[9]);
    let rise = y0 - y1;
    assert!((rise - 18.0).abs() < 4.0, "the subject rises by height * H = 18 px: {rise:.1}");
    let ratio = area1 as f64 / area0 as f64;
    assert!((0.85..1.15).contains(&ratio), "the subject keeps its size: {area1} vs {area0}");
    let (_, _, y_mid) = orange(&out[5]);
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

    let again = render(dir.path(), &clip, "pikaffect/levitate", &["height=0.15", "shadow=0.8"], "levitate2.mp4");
    assert!(out == again, "deterministic");
}

#[test]
fn dissolve_removes_the_subject_with_a_glowing_front() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["colour=#00ffff", "seed=3"];
    let out = render(dir.path(), &clip, "pikaffect/dissolve", &params, "dissolve.mp4");
    assert_common(&source, &out, "dissolve");

    let (area0, _, _) = orange(&source[0]);
    let counts: Vec<usize> = out.iter().map(|f| orange(f).0).collect();
    assert!(counts[0] * 10 >= area0 * 9, "the subject is whole at the start: {counts:?} of {area0}");
    assert!(counts[9] * 20 < area0, "the subject is gone at progress 1: {counts:?} of {area0}");
    assert!(counts[4] * 10 > area0 && counts[4] * 10 < area0 * 9, "part of it is left mid-way: {counts:?}");
    assert!(counts.windows(2).all(|w| w[1] <= w[0] + area0 / 50), "it only ever dissolves: {counts:?}");

    // The front glows in the edge colour (cyan: blue and green high, red low).
    let inside = |x: usize, y: usize| (BX..BX + BS).contains(&x) && (BY..BY + BS).contains(&y);
    let glowing = |f: &[u8]| region(f, inside).chunks(3).filter(|p| p[2] > 170 && p[1] > 150 && p[0] < 200).count();
    assert!(glowing(&out[4]) > 20, "the dissolve front glows: {}", glowing(&out[4]));
    assert_eq!(glowing(&source[4]), 0);

    let again = render(dir.path(), &clip, "pikaffect/dissolve", &params, "dissolve2.mp4");
    assert!(out == again, "deterministic");
    let other = render(dir.path(), &clip, "pikaffect/dissolve", &["colour=#00ffff", "seed=4"], "dissolve3.mp4");
    assert!(mean_abs_diff(&out[4], &other[4]) > 0.5, "the seed changes the pattern");
}

#[test]
fn ta_da_sparkles_and_the_subject_vanishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = subject_clip(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["size=40", "density=1"];
    let out = render(dir.path(), &clip, "pikaffect/ta-da", &params, "ta-da.mp4");
    assert_common(&source, &out, "ta-da");

    let (area0, _, _) = orange(&source[0]);
    let (area_end, _, _) = orange(&out[9]);
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

    let again = render(dir.path(), &clip, "pikaffect/ta-da", &params, "ta-da2.mp4");
    assert!(out == again, "deterministic");
}
