//! Property tests of the `anime`, `sketch` and `pixel-art` style presets: the
//! real `pikafx apply` on clips made with ffmpeg, measured on the decoded
//! pixels.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A clip from a lavfi source graph, encoded at high quality.
fn lavfi_clip(dir: &Path, name: &str, graph: &str) -> PathBuf {
    let path = dir.join(name);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        graph,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "8",
        "-pix_fmt",
        "yuv420p",
        s(&path),
    ]);
    path
}

/// Applies `style/<effect>` with `params` (`name=value`, prefixed with the
/// effect id here) at x264 `crf`, returning the decoded frames and the width.
fn render(input: &Path, out: &Path, effect: &str, params: &[&str], crf: &str) -> (Vec<Vec<u8>>, u32) {
    let style = format!("style/{effect}");
    let params: Vec<String> = params.iter().map(|p| format!("{effect}.{p}")).collect();
    let mut args = vec!["apply", s(input), "-o", s(out), "--effect", &style, "--crf", crf];
    for p in &params {
        args.extend_from_slice(&["--param", p]);
    }
    pikafx_ok(&args);
    let (frames, width, _) = rgb_frames(out);
    assert!(!frames.is_empty(), "{} decoded to no frames", out.display());
    (frames, width)
}

/// Rec. 709 luma of an RGB24 pixel, 0..255.
fn luma(px: &[u8]) -> f64 {
    0.2126 * f64::from(px[0]) + 0.7152 * f64::from(px[1]) + 0.0722 * f64::from(px[2])
}

/// The RGB24 pixel at (x, y).
fn pixel(frame: &[u8], width: u32, x: u32, y: u32) -> &[u8] {
    let i = ((y * width + x) * 3) as usize;
    &frame[i..i + 3]
}

/// The pixels of the rectangle `x0..x1` by `y0..y1`.
fn region(frame: &[u8], width: u32, x0: u32, x1: u32, y0: u32, y1: u32) -> Vec<&[u8]> {
    (y0..y1).flat_map(|y| (x0..x1).map(move |x| (x, y))).map(|(x, y)| pixel(frame, width, x, y)).collect()
}

/// Mean and standard deviation of the luma of `pixels`.
fn luma_stats(pixels: &[&[u8]]) -> (f64, f64) {
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|p| luma(p)).sum::<f64>() / n;
    let var = pixels.iter().map(|p| (luma(p) - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Mean RGB of `pixels`.
fn mean_rgb(pixels: &[&[u8]]) -> [f64; 3] {
    let n = pixels.len() as f64;
    let mut sum = [0.0; 3];
    for p in pixels {
        for c in 0..3 {
            sum[c] += f64::from(p[c]);
        }
    }
    sum.map(|v| v / n)
}

/// HSV hue (degrees) and saturation of an RGB triple.
fn hue_sat(rgb: [f64; 3]) -> (f64, f64) {
    let [r, g, b] = rgb;
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let d = max - min;
    if d <= 0.0 {
        return (0.0, 0.0);
    }
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, d / max)
}

/// Fraction of a frame's pixels whose luma lies within `tolerance` of the
/// centre of one of `levels` equal bands (the anime style's band values).
fn band_fraction(frame: &[u8], levels: u32, tolerance: f64) -> f64 {
    let centres: Vec<f64> = (0..levels).map(|i| (f64::from(i) + 0.5) / f64::from(levels) * 255.0).collect();
    let near = frame.chunks(3).filter(|px| centres.iter().any(|c| (luma(px) - c).abs() <= tolerance)).count();
    near as f64 / (frame.len() / 3) as f64
}

/// A horizontal dark-blue to warm-light ramp: smooth luma from about 0.1 to 0.8.
const RAMP: &str = "gradients=s=256x96:c0=0x102040:c1=0xf0c080:x0=0:y0=48:x1=255:y1=48:d=0.5:r=10";

/// An orange square (x 80..160, y 40..120) on a flat steel-blue ground.
const BOX: &str = "color=c=0x336699:s=240x160:r=10:d=0.5,drawbox=x=80:y=40:w=80:h=80:color=orange:t=fill";

#[test]
fn anime_snaps_luma_to_a_few_bands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ramp = lavfi_clip(dir.path(), "ramp.mp4", RAMP);
    let (src, _, _) = rgb_frames(&ramp);
    let before = band_fraction(&src[0], 3, 6.0);
    assert!(before < 0.35, "the ramp should be smooth, not banded: {before:.2} already near band centres");

    for levels in [3, 5] {
        let out = dir.path().join(format!("anime{levels}.mp4"));
        let lv = format!("levels={levels}");
        let (frames, _) = render(&ramp, &out, "anime", &[&lv, "line_strength=0"], "0");
        for (i, frame) in frames.iter().enumerate() {
            let banded = band_fraction(frame, levels, 6.0);
            assert!(banded > 0.9, "levels={levels} frame {i}: only {banded:.2} of pixels sit on a band");
        }
        // Every band of the ramp's range is used, and no more: each centre
        // holds a real share of the pixels.
        let other = if levels == 3 { 5 } else { 3 };
        let cross = band_fraction(&frames[0], other, 6.0);
        assert!(cross < 0.6, "levels={levels} output also fits {other} bands ({cross:.2}): levels has no effect");
    }
}

#[test]
fn anime_inks_edges_and_keeps_flat_hue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = lavfi_clip(dir.path(), "box.mp4", BOX);
    let (src, _, _) = rgb_frames(&input);
    let (inked, width) = render(&input, &dir.path().join("anime.mp4"), "anime", &[], "14");
    let (plain, _) = render(&input, &dir.path().join("plain.mp4"), "anime", &["line_strength=0"], "14");

    // The darkest pixel across the box's left and right borders, per row,
    // and across its top and bottom borders, per column.
    let border_darkness = |frame: &[u8]| {
        let mut darkest = Vec::new();
        for t in 50..110 {
            for edge in [80, 160] {
                darkest.push((edge - 3..edge + 3).map(|x| luma(pixel(frame, width, x, t))).fold(f64::MAX, f64::min));
                let y_edge = edge - 40;
                darkest.push(
                    (y_edge - 3..y_edge + 3).map(|y| luma(pixel(frame, width, t + 40, y))).fold(f64::MAX, f64::min),
                );
            }
        }
        darkest.iter().sum::<f64>() / darkest.len() as f64
    };
    let ink = border_darkness(&inked[0]);
    let no_ink = border_darkness(&plain[0]);
    assert!(ink < 45.0, "the square's outline should be dark ink, mean darkest luma {ink:.1}");
    assert!(no_ink > 80.0, "with line_strength=0 there is no outline, mean darkest luma {no_ink:.1}");

    // Inside the square: one flat colour with the source's hue, no less saturated.
    let inside = region(&inked[0], width, 95, 145, 55, 105);
    let (_, spread) = luma_stats(&inside);
    assert!(spread < 2.0, "the square's inside should be flat, luma std {spread:.2}");
    let (h_out, s_out) = hue_sat(mean_rgb(&inside));
    let (h_src, s_src) = hue_sat(mean_rgb(&region(&src[0], width, 95, 145, 55, 105)));
    assert!((h_out - h_src).abs() < 8.0, "hue drifted: source {h_src:.1}°, anime {h_out:.1}°");
    assert!(s_out > s_src - 0.03, "saturation dropped: source {s_src:.2}, anime {s_out:.2}");
    // The ground away from the square is flat and not inked.
    let ground = region(&inked[0], width, 10, 60, 10, 150);
    let (g_mean, g_spread) = luma_stats(&ground);
    assert!(g_mean > 60.0 && g_spread < 2.0, "ground should stay a flat mid tone: mean {g_mean:.1}, std {g_spread:.2}");
    let (h_ground, _) = hue_sat(mean_rgb(&ground));
    assert!((h_ground - 210.0).abs() < 12.0, "the ground should stay steel blue, hue {h_ground:.1}°");

    let (again, _) = render(&input, &dir.path().join("again.mp4"), "anime", &[], "14");
    assert!(again == inked, "anime: two renders of the same clip differ");
}

#[test]
fn sketch_is_grey_pencil_on_white_paper() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "192x144", 10, 0.5);
    let (src, _, _) = rgb_frames(&input);
    assert!(mean_saturation(&src[0]) > 0.3, "the test clip should be colourful");
    let (frames, _) = render(&input, &dir.path().join("sketch.mp4"), "sketch", &[], "14");
    for (i, frame) in frames.iter().enumerate() {
        let spreads: Vec<u8> = frame
            .chunks(3)
            .map(|px| px.iter().max().expect("3 channels") - px.iter().min().expect("3 channels"))
            .collect();
        let worst = spreads.iter().max().copied().unwrap_or(0);
        let mean = spreads.iter().map(|v| f64::from(*v)).sum::<f64>() / spreads.len() as f64;
        assert!(worst <= 4 && mean < 0.5, "frame {i} is not grey: channel spread max {worst}, mean {mean:.2}");
        let lumas: Vec<f64> = frame.chunks(3).map(luma).collect();
        let paper = lumas.iter().filter(|l| **l > 200.0).count() as f64 / lumas.len() as f64;
        let dark = lumas.iter().filter(|l| **l < 120.0).count() as f64 / lumas.len() as f64;
        assert!(paper > 0.5, "frame {i}: mostly paper expected, only {paper:.2} is bright");
        assert!(dark > 0.01, "frame {i}: there should be pencil strokes, only {dark:.3} is dark");
    }

    // The paper tint is the only source of colour: warm when asked for.
    let (tinted, _) = render(&input, &dir.path().join("tint.mp4"), "sketch", &["tint=1"], "14");
    let warm =
        tinted[0].chunks(3).map(|px| f64::from(px[0]) - f64::from(px[2])).sum::<f64>() / (tinted[0].len() / 3) as f64;
    assert!(warm > 12.0, "tint=1 should warm the paper (R - B = {warm:.1})");

    let (again, _) = render(&input, &dir.path().join("again.mp4"), "sketch", &[], "14");
    assert!(again == frames, "sketch: two renders of the same clip differ");
}

#[test]
fn sketch_strokes_follow_edges_and_hatch_shadows() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A dark square (x 80..160, y 40..120) on a light, flat ground.
    let input = lavfi_clip(
        dir.path(),
        "box.mp4",
        "color=c=0xd0d0d0:s=240x160:r=10:d=0.5,drawbox=x=80:y=40:w=80:h=80:color=0x303030:t=fill",
    );
    let (hatched, width) = render(&input, &dir.path().join("hatched.mp4"), "sketch", &[], "14");
    let (bare, _) = render(&input, &dir.path().join("bare.mp4"), "sketch", &["hatching=0"], "14");

    for frame in [&hatched[0], &bare[0]] {
        // Along the left and right borders the darkest pixel of each row is graphite.
        let mut darkest = Vec::new();
        for y in 50..110 {
            for edge in [80, 160] {
                darkest.push((edge - 3..edge + 3).map(|x| luma(pixel(frame, width, x, y))).fold(f64::MAX, f64::min));
            }
        }
        let edge = darkest.iter().sum::<f64>() / darkest.len() as f64;
        let (ground, _) = luma_stats(&region(frame, width, 10, 60, 10, 150));
        assert!(edge < 110.0, "the square's outline should be drawn, mean darkest luma {edge:.1}");
        assert!(ground > 215.0, "flat light ground should be bare paper, mean luma {ground:.1}");
    }
    // The dark inside is shaded by hatching, and only when hatching is on.
    let (shaded, shaded_spread) = luma_stats(&region(&hatched[0], width, 95, 145, 55, 105));
    let (plain, _) = luma_stats(&region(&bare[0], width, 95, 145, 55, 105));
    assert!(plain > 215.0, "with hatching=0 the flat inside is paper, mean luma {plain:.1}");
    assert!(plain - shaded > 25.0, "hatching should darken the shadow: {shaded:.1} vs paper {plain:.1}");
    assert!(shaded_spread > 10.0, "hatching is lines, not a flat fill: luma std {shaded_spread:.1}");
}

/// The largest per-channel range within any `size`-square cell (anchored at
/// the top-left corner), over the cells that fit entirely in the frame.
fn worst_cell_range(frame: &[u8], width: u32, height: u32, size: u32) -> (u8, f64) {
    let mut worst = 0u8;
    let mut total = 0.0;
    let mut cells = 0.0;
    for cy in 0..height / size {
        for cx in 0..width / size {
            let pixels = region(frame, width, cx * size, cx * size + size, cy * size, cy * size + size);
            for c in 0..3 {
                let max = pixels.iter().map(|p| p[c]).max().unwrap_or(0);
                let min = pixels.iter().map(|p| p[c]).min().unwrap_or(0);
                worst = worst.max(max - min);
                total += f64::from(max - min);
                cells += 1.0;
            }
        }
    }
    (worst, total / cells)
}

#[test]
fn pixel_art_cells_are_solid_and_the_palette_is_small() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "192x144", 10, 0.5);
    let (src, width, height) = rgb_frames(&input);
    for (size, colors) in [(8, 4), (12, 3)] {
        let out = dir.path().join(format!("pixel{size}.mp4"));
        let ps = format!("pixel_size={size}");
        let cs = format!("colors={colors}");
        // Lossless x264: identical YUV in a cell decodes to identical RGB.
        let (frames, _) = render(&input, &out, "pixel-art", &[&ps, &cs], "0");
        let (_, src_mean) = worst_cell_range(&src[0], width, height, size);
        assert!(src_mean > 15.0, "the source should have detail inside {size}px cells ({src_mean:.1})");
        let levels: Vec<f64> = (0..colors).map(|k| f64::from(k) * 255.0 / f64::from(colors - 1)).collect();
        for (i, frame) in frames.iter().enumerate() {
            let (worst, mean) = worst_cell_range(frame, width, height, size);
            assert!(worst <= 2, "size {size} frame {i}: a cell spans {worst} levels in one channel (mean {mean:.2})");
            let on_palette =
                frame.iter().filter(|v| levels.iter().any(|l| (f64::from(**v) - l).abs() <= 6.0)).count() as f64;
            let share = on_palette / frame.len() as f64;
            assert!(
                share > 0.99,
                "size {size} colors {colors} frame {i}: only {share:.3} of values are on the palette"
            );
        }
    }
}

#[test]
fn pixel_art_dithers_per_cell_and_draws_a_grid() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Flat 40% grey: with two levels it rounds to black unless dithered.
    let input = lavfi_clip(dir.path(), "grey.mp4", "color=c=0x666666:s=128x96:r=10:d=0.5");
    let white_share =
        |frame: &[u8]| frame.chunks(3).filter(|px| luma(px) > 128.0).count() as f64 / (frame.len() / 3) as f64;

    let (flat, width) = render(&input, &dir.path().join("flat.mp4"), "pixel-art", &["colors=2"], "0");
    let (dithered, _) = render(&input, &dir.path().join("dither.mp4"), "pixel-art", &["colors=2", "dither=true"], "0");
    assert!(white_share(&flat[0]) < 0.01, "undithered 40% grey with 2 colours should be black");
    let share = white_share(&dithered[0]);
    assert!((0.25..0.5).contains(&share), "a Bayer dither of 40% grey lights about 6/16 of the cells, got {share:.2}");
    let (worst, _) = worst_cell_range(&dithered[0], width, 96, 8);
    assert!(worst <= 2, "dithering is per big pixel: a cell spans {worst} levels");

    let (grid, _) = render(&input, &dir.path().join("grid.mp4"), "pixel-art", &["colors=16", "grid=true"], "0");
    let (mut on_lines, mut inside) = (Vec::new(), Vec::new());
    for (i, px) in grid[0].chunks(3).enumerate() {
        let (x, y) = (i as u32 % width, i as u32 / width);
        if x % 8 == 0 || y % 8 == 0 { on_lines.push(luma(px)) } else { inside.push(luma(px)) }
    }
    let line = on_lines.iter().sum::<f64>() / on_lines.len() as f64;
    let cell = inside.iter().sum::<f64>() / inside.len() as f64;
    assert!(cell > 80.0 && line < cell * 0.5, "grid lines should be dark: lines {line:.1}, cells {cell:.1}");

    let (again, _) = render(&input, &dir.path().join("again.mp4"), "pixel-art", &["colors=2", "dither=true"], "0");
    assert!(again == dithered, "pixel-art: two renders of the same clip differ");
}
