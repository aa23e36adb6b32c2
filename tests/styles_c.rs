//! Property tests of the `vintage-8mm`, `vhs` and `cyberpunk` style presets:
//! each renders small generated clips through the real `pikafx apply` and
//! checks the look's defining behaviour numerically. Renders use `--crf 0`
//! so the encoder adds (almost) no noise of its own.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A static flat grey clip.
fn grey_clip(dir: &Path, size: &str, frames: u32) -> PathBuf {
    lossless_clip(
        dir,
        &format!("grey-{size}.mp4"),
        &format!("color=c=0x808080:s={size}:r=10:d={}", frames as f64 / 10.0),
        "yuv420p",
    )
}

/// Renders `input` through one style with `params` (`NAME=VALUE`, the
/// style id is prefixed) and returns the decoded frames.
fn render(input: &Path, output: &Path, style: &str, params: &[&str]) -> (Vec<Vec<u8>>, u32, u32) {
    let effect = format!("style/{style}");
    let mut args = vec![
        "apply",
        input.to_str().expect("utf-8 path"),
        "-o",
        output.to_str().expect("utf-8 path"),
        "-e",
        &effect,
        "--crf",
        "0",
        "--preset",
        "ultrafast",
        "-q",
    ];
    let params: Vec<String> = params.iter().map(|p| format!("{style}.{p}")).collect();
    for p in &params {
        args.push("-p");
        args.push(p);
    }
    pikafx_ok(&args);
    let decoded = rgb_frames(output);
    assert!(!decoded.0.is_empty(), "{} decoded to no frames", output.display());
    decoded
}

/// Mean of channel `ch` (0 R, 1 G, 2 B) over a rectangle of an RGB24 frame.
fn channel_mean(frame: &[u8], w: u32, ch: usize, x0: u32, y0: u32, x1: u32, y1: u32) -> f64 {
    let mut sum = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            sum += frame[((y * w + x) * 3) as usize + ch] as f64;
        }
    }
    sum / ((x1 - x0) * (y1 - y0)) as f64
}

/// BT.601 luma of pixel (x, y), 0..255.
fn luma_at(frame: &[u8], w: u32, x: u32, y: u32) -> f64 {
    let i = ((y * w + x) * 3) as usize;
    0.299 * frame[i] as f64 + 0.587 * frame[i + 1] as f64 + 0.114 * frame[i + 2] as f64
}

/// Mean luma over a rectangle.
fn luma_mean(frame: &[u8], w: u32, x0: u32, y0: u32, x1: u32, y1: u32) -> f64 {
    let mut sum = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            sum += luma_at(frame, w, x, y);
        }
    }
    sum / ((x1 - x0) * (y1 - y0)) as f64
}

/// Where along row `y`, between `x0` and `x1`, the signal `f(x)` first
/// crosses halfway between its values at `x0` and `x1`, with linear
/// interpolation between pixels.
fn crossing(x0: u32, x1: u32, f: impl Fn(u32) -> f64) -> f64 {
    let (a, b) = (f(x0), f(x1));
    let mid = (a + b) / 2.0;
    let rising = b > a;
    for x in x0..x1 {
        let (v0, v1) = (f(x), f(x + 1));
        let past = |v: f64| if rising { v >= mid } else { v <= mid };
        if !past(v0) && past(v1) {
            return x as f64 + (mid - v0) / (v1 - v0);
        }
    }
    panic!("no crossing between x={x0} and x={x1} ({a:.1} -> {b:.1})");
}

/// Mean and population standard deviation.
fn mean_std(values: &[f64]) -> (f64, f64) {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
    (mean, var.sqrt())
}

fn spread(values: &[f64]) -> f64 {
    let max = values.iter().cloned().fold(f64::MIN, f64::max);
    let min = values.iter().cloned().fold(f64::MAX, f64::min);
    max - min
}

/// Renders `input` twice with the same parameters and asserts identical frames.
fn assert_deterministic(dir: &Path, input: &Path, style: &str, params: &[&str]) {
    let (a, ..) = render(input, &dir.join(format!("{style}-a.mp4")), style, params);
    let (b, ..) = render(input, &dir.join(format!("{style}-b.mp4")), style, params);
    assert_eq!(a.len(), b.len(), "{style}: frame counts differ");
    for (i, (fa, fb)) in a.iter().zip(&b).enumerate() {
        assert!(fa == fb, "{style}: frame {i} differs between two identical renders ({:.3})", mean_abs_diff(fa, fb));
    }
}

// ---------------------------------------------------------------- vintage-8mm

#[test]
fn vintage_8mm_flickers_and_is_stable_without_its_random_parts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let grey = grey_clip(tmp.path(), "160x120", 10);

    let (frames, w, h) = render(&grey, &tmp.path().join("flicker.mp4"), "vintage-8mm", &["flicker=1"]);
    assert_eq!(frames.len(), 10);
    let means: Vec<f64> = frames.iter().map(|f| luma_mean(f, w, 0, 0, w, h)).collect();
    assert!(spread(&means) > 6.0, "flicker=1 should change the brightness from frame to frame: {means:.1?}");

    // Without flicker the mean brightness holds (grain averages out)...
    let (frames, ..) =
        render(&grey, &tmp.path().join("steady.mp4"), "vintage-8mm", &["flicker=0", "weave=0", "dust=0"]);
    let means: Vec<f64> = frames.iter().map(|f| luma_mean(f, w, 0, 0, w, h)).collect();
    assert!(spread(&means) < 1.0, "flicker=0 should keep the brightness steady: {means:.2?}");

    // ...and without grain too, every frame is the same picture.
    let (frames, ..) =
        render(&grey, &tmp.path().join("still.mp4"), "vintage-8mm", &["flicker=0", "weave=0", "dust=0", "grain=0"]);
    for pair in frames.windows(2) {
        let d = mean_abs_diff(&pair[0], &pair[1]);
        assert!(d < 0.2, "with flicker, weave, dust and grain off the frames should not change (diff {d:.3})");
    }
}

#[test]
fn vintage_8mm_warms_grey_and_darkens_the_corners() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let grey = grey_clip(tmp.path(), "160x120", 3);

    let (frames, w, h) = render(&grey, &tmp.path().join("warm.mp4"), "vintage-8mm", &["flicker=0"]);
    for (i, f) in frames.iter().enumerate() {
        let (r, b) = (channel_mean(f, w, 0, 40, 30, 120, 90), channel_mean(f, w, 2, 40, 30, 120, 90));
        assert!(r > b + 15.0, "frame {i}: the faded film should be warm (mean R {r:.1} vs B {b:.1})");
        let centre = luma_mean(f, w, 60, 45, 100, 75);
        let corners = [(0, 0), (w - 12, 0), (0, h - 12), (w - 12, h - 12)]
            .iter()
            .map(|&(x, y)| luma_mean(f, w, x, y, x + 12, y + 12))
            .fold(0.0, f64::max);
        assert!(corners < centre * 0.6, "frame {i}: vignette: corners {corners:.1} vs centre {centre:.1}");
    }

    // The cast is the `fade`: without it grey stays (nearly) neutral.
    let (frames, w, _) = render(&grey, &tmp.path().join("neutral.mp4"), "vintage-8mm", &["flicker=0", "fade=0"]);
    let f = &frames[0];
    let (r, b) = (channel_mean(f, w, 0, 40, 30, 120, 90), channel_mean(f, w, 2, 40, 30, 120, 90));
    assert!((r - b).abs() < 4.0, "fade=0 should leave grey neutral (R {r:.1}, B {b:.1})");
}

#[test]
fn vintage_8mm_weave_jitters_the_picture_and_dust_leaves_sparse_marks() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A bright square on grey: its centroid tracks the gate weave.
    let clip = lossless_clip(
        tmp.path(),
        "square.mp4",
        "color=c=0x404040:s=320x240:r=10:d=1,drawbox=x=130:y=90:w=60:h=60:color=white:t=fill",
        "yuv420p",
    );
    let centroids = |frames: &[Vec<u8>], w: u32, h: u32| -> Vec<(f64, f64)> {
        frames
            .iter()
            .map(|f| {
                let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
                for y in 60..h - 60 {
                    for x in 100..w - 100 {
                        let v = (luma_at(f, w, x, y) - 120.0).max(0.0);
                        sx += v * x as f64;
                        sy += v * y as f64;
                        n += v;
                    }
                }
                assert!(n > 0.0, "the square is missing");
                (sx / n, sy / n)
            })
            .collect()
    };
    let quiet = ["flicker=0", "dust=0", "grain=0"];

    let (frames, w, h) =
        render(&clip, &tmp.path().join("weave.mp4"), "vintage-8mm", &[&quiet[..], &["weave=1"]].concat());
    let c = centroids(&frames, w, h);
    let xs: Vec<f64> = c.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = c.iter().map(|p| p.1).collect();
    assert!(spread(&xs) + spread(&ys) > 1.0, "weave=1 should move the picture: x {xs:.2?}, y {ys:.2?}");
    assert!(spread(&xs).max(spread(&ys)) < 8.0, "the weave should stay small: x {xs:.2?}, y {ys:.2?}");

    let (still, ..) = render(&clip, &tmp.path().join("still.mp4"), "vintage-8mm", &[&quiet[..], &["weave=0"]].concat());
    let c = centroids(&still, w, h);
    let xs: Vec<f64> = c.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = c.iter().map(|p| p.1).collect();
    assert!(spread(&xs) + spread(&ys) < 0.1, "weave=0 should hold the picture still: x {xs:.2?}, y {ys:.2?}");

    // Dust: against the clean render, some frames gain small marks, and
    // they cover only a small part of the picture.
    let (dusty, ..) =
        render(&clip, &tmp.path().join("dust.mp4"), "vintage-8mm", &[&quiet[..], &["weave=0", "dust=1"]].concat());
    let marked: Vec<f64> = dusty
        .iter()
        .zip(&still)
        .map(|(a, b)| {
            let px = (w * h) as usize;
            (0..px).filter(|&i| (0..3).any(|c| (a[i * 3 + c] as i32 - b[i * 3 + c] as i32).abs() > 25)).count() as f64
                / px as f64
        })
        .collect();
    assert!(marked.iter().filter(|&&m| m > 0.0).count() >= 3, "dust=1 should mark several frames: {marked:.4?}");
    assert!(marked.iter().all(|&m| m < 0.05), "dust marks should be specks, not a wash: {marked:.4?}");
}

#[test]
fn vintage_8mm_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clip = testsrc(tmp.path(), "src.mp4", "160x120", 10, 1.0);
    assert_deterministic(tmp.path(), &clip, "vintage-8mm", &["dust=1", "flicker=1", "weave=1"]);
}

// ------------------------------------------------------------------------ vhs

#[test]
fn vhs_scanlines_darken_every_other_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let grey = grey_clip(tmp.path(), "160x120", 3);
    // Rows above the head-switching band at the bottom.
    let row_means = |f: &[u8], w: u32, parity: u32| -> f64 {
        let rows: Vec<u32> = (4..100).filter(|y| y % 2 == parity).collect();
        rows.iter().map(|&y| luma_mean(f, w, 0, y, w, y + 1)).sum::<f64>() / rows.len() as f64
    };

    let (frames, w, _) = render(&grey, &tmp.path().join("lines.mp4"), "vhs", &["scanlines=0.5"]);
    for (i, f) in frames.iter().enumerate() {
        let (even, odd) = (row_means(f, w, 0), row_means(f, w, 1));
        assert!(even - odd > 20.0, "frame {i}: odd rows should be darker (even {even:.1}, odd {odd:.1})");
    }
    let (frames, w, _) = render(&grey, &tmp.path().join("flat.mp4"), "vhs", &["scanlines=0"]);
    let (even, odd) = (row_means(&frames[0], w, 0), row_means(&frames[0], w, 1));
    assert!((even - odd).abs() < 3.0, "scanlines=0: rows should match (even {even:.1}, odd {odd:.1})");
}

#[test]
fn vhs_chroma_sits_right_of_the_luma_by_the_shift() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A red box on black: its left edge is at x = 120.
    let clip = lossless_clip(
        tmp.path(),
        "red.mp4",
        "color=c=black:s=320x240:r=10:d=0.3,drawbox=x=120:y=60:w=100:h=120:color=0xff0000:t=fill",
        "yuv420p",
    );
    let quiet = ["tracking=0", "noise=0", "head_switch=false", "scanlines=0"];
    // Mean crossing positions of the red channel and of luma over the rows.
    let edges = |shift: &str| -> (f64, f64) {
        let out = tmp.path().join(format!("shift-{shift}.mp4"));
        let (frames, w, _) = render(&clip, &out, "vhs", &[&quiet[..], &[&format!("chroma_shift={shift}")]].concat());
        let f = &frames[0];
        let rows: Vec<u32> = (80..160).collect();
        let red: f64 = rows.iter().map(|&y| crossing(95, 160, |x| f[((y * w + x) * 3) as usize] as f64)).sum::<f64>()
            / rows.len() as f64;
        let luma: f64 =
            rows.iter().map(|&y| crossing(95, 160, |x| luma_at(f, w, x, y))).sum::<f64>() / rows.len() as f64;
        (red, luma)
    };

    let (red0, luma0) = edges("0");
    let (red8, luma8) = edges("8");
    assert!((red0 - 120.0).abs() < 2.5, "without shift the red edge should stay near x=120 (at {red0:.2})");
    assert!(((red8 - red0) - 8.0).abs() < 2.0, "chroma_shift=8 should move red by ~8 px ({red0:.2} -> {red8:.2})");
    assert!((luma8 - luma0).abs() < 1.0, "the luma edge should not move ({luma0:.2} -> {luma8:.2})");
}

#[test]
fn vhs_tracking_wobbles_rows_differently_each_frame() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A white box on black: its left edge is at x = 160.
    let clip = lossless_clip(
        tmp.path(),
        "edge.mp4",
        "color=c=black:s=320x240:r=10:d=0.5,drawbox=x=160:y=0:w=100:h=240:color=white:t=fill",
        "yuv420p",
    );
    let quiet = ["noise=0", "head_switch=false", "scanlines=0", "chroma_shift=0"];
    let edge_rows = |frame: &[u8], w: u32| -> Vec<f64> {
        (10..220).map(|y| crossing(130, 200, |x| luma_at(frame, w, x, y))).collect()
    };

    let (frames, w, _) = render(&clip, &tmp.path().join("wobble.mp4"), "vhs", &[&quiet[..], &["tracking=1"]].concat());
    let per_frame: Vec<Vec<f64>> = frames.iter().map(|f| edge_rows(f, w)).collect();
    for (i, rows) in per_frame.iter().enumerate() {
        let (_, std) = mean_std(rows);
        assert!(std > 0.3, "frame {i}: tracking=1 should offset rows differently (std {std:.3} px)");
    }
    let change: f64 =
        per_frame[0].iter().zip(&per_frame[1]).map(|(a, b)| (a - b).abs()).sum::<f64>() / per_frame[0].len() as f64;
    assert!(change > 0.3, "the wobble should change from frame to frame (mean row change {change:.3} px)");

    let (frames, w, _) = render(&clip, &tmp.path().join("steady.mp4"), "vhs", &[&quiet[..], &["tracking=0"]].concat());
    for (i, f) in frames.iter().enumerate() {
        let (_, std) = mean_std(&edge_rows(f, w));
        assert!(std < 0.1, "frame {i}: tracking=0 should keep the rows aligned (std {std:.3} px)");
    }
}

#[test]
fn vhs_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clip = testsrc(tmp.path(), "src.mp4", "160x120", 10, 1.0);
    assert_deterministic(tmp.path(), &clip, "vhs", &["tracking=1", "noise=1"]);
}

// ------------------------------------------------------------------ cyberpunk

#[test]
fn cyberpunk_tones_shadows_teal_and_highlights_magenta() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A horizontal grey ramp, black at the left to white at the right.
    let ramp = lossless_clip(
        tmp.path(),
        "ramp.mp4",
        "color=c=black:s=256x64:r=10:d=0.3,format=gray,geq=lum='X',format=yuv420p",
        "yuv420p",
    );
    let (frames, w, _) = render(&ramp, &tmp.path().join("toned.mp4"), "cyberpunk", &["glow=0"]);
    let f = &frames[0];
    let mean = |ch: usize, x0: u32, x1: u32| channel_mean(f, w, ch, x0, 16, x1, 48);
    let (r, g, b) = (mean(0, 30, 80), mean(1, 30, 80), mean(2, 30, 80));
    assert!(g > r + 10.0 && b > r + 10.0, "shadows should lean teal: R {r:.1} G {g:.1} B {b:.1}");
    let (r, g, b) = (mean(0, 180, 230), mean(1, 180, 230), mean(2, 180, 230));
    assert!(r > g + 10.0 && b > g + 10.0, "highlights should lean magenta: R {r:.1} G {g:.1} B {b:.1}");

    let (frames, w, _) = render(&ramp, &tmp.path().join("plain.mp4"), "cyberpunk", &["glow=0", "tone=0"]);
    let f = &frames[0];
    for (x0, x1) in [(30, 80), (180, 230)] {
        let [r, g, b] = [0, 1, 2].map(|ch| channel_mean(f, w, ch, x0, 16, x1, 48));
        assert!(
            (r - g).abs() < 4.0 && (b - g).abs() < 4.0,
            "tone=0 should keep grey neutral at x {x0}..{x1}: R {r:.1} G {g:.1} B {b:.1}"
        );
    }
}

#[test]
fn cyberpunk_glow_blooms_around_a_bright_square() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clip = lossless_clip(
        tmp.path(),
        "light.mp4",
        "color=c=black:s=320x240:r=10:d=0.3,drawbox=x=150:y=110:w=20:h=20:color=white:t=fill",
        "yuv420p",
    );
    // Mean luma of the band 1..4 px outside the square, and of a far corner.
    let around = |f: &[u8], w: u32| -> (f64, f64) {
        let (mut sum, mut n) = (0.0, 0.0);
        for y in 105..135 {
            for x in 145..175 {
                let inside_outer = (146..174).contains(&x) && (106..134).contains(&y);
                let inside_square = (149..171).contains(&x) && (109..131).contains(&y);
                if inside_outer && !inside_square {
                    sum += luma_at(f, w, x, y);
                    n += 1.0;
                }
            }
        }
        (sum / n, luma_mean(f, w, 10, 10, 60, 60))
    };
    let (on, w, _) = render(&clip, &tmp.path().join("glow.mp4"), "cyberpunk", &["glow=1"]);
    let (off, ..) = render(&clip, &tmp.path().join("noglow.mp4"), "cyberpunk", &["glow=0"]);
    let (halo_on, far_on) = around(&on[0], w);
    let (halo_off, far_off) = around(&off[0], w);
    assert!(halo_on > halo_off + 15.0, "glow should light the dark around the square ({halo_off:.1} -> {halo_on:.1})");
    assert!((far_on - far_off).abs() < 2.0, "glow should not reach far away ({far_off:.1} -> {far_on:.1})");
}

#[test]
fn cyberpunk_aberration_fringes_the_edges_not_the_centre() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // White vertical bars on black, 4 px wide every 16 px.
    let clip = lossless_clip(
        tmp.path(),
        "bars.mp4",
        "color=c=black:s=320x240:r=10:d=0.3,drawgrid=w=16:h=1000:t=4:color=white",
        "yuv420p",
    );
    // Mean |R - B| over a column band: grey content has none.
    let fringe = |f: &[u8], w: u32, x0: u32, x1: u32| -> f64 {
        let mut sum = 0.0;
        for y in 100..140 {
            for x in x0..x1 {
                let i = ((y * w + x) * 3) as usize;
                sum += (f[i] as f64 - f[i + 2] as f64).abs();
            }
        }
        sum / (40 * (x1 - x0)) as f64
    };
    let plain = ["tone=0", "glow=0", "punch=0"];
    let (on, w, _) = render(&clip, &tmp.path().join("ab.mp4"), "cyberpunk", &[&plain[..], &["aberration=12"]].concat());
    let (off, ..) = render(&clip, &tmp.path().join("noab.mp4"), "cyberpunk", &[&plain[..], &["aberration=0"]].concat());
    let (edge_on, centre_on) = (fringe(&on[0], w, 272, 316), fringe(&on[0], w, 144, 176));
    let (edge_off, centre_off) = (fringe(&off[0], w, 272, 316), fringe(&off[0], w, 144, 176));
    assert!(edge_off < 3.0 && centre_off < 3.0, "aberration=0 should not fringe ({edge_off:.1}, {centre_off:.1})");
    assert!(edge_on > 20.0, "aberration=12 should fringe the edge of the frame ({edge_on:.1})");
    assert!(centre_on < edge_on / 3.0, "the centre should stay nearly clean ({centre_on:.1} vs {edge_on:.1})");
}

#[test]
fn cyberpunk_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clip = testsrc(tmp.path(), "src.mp4", "160x120", 10, 0.5);
    assert_deterministic(tmp.path(), &clip, "cyberpunk", &[]);
}
