//! Property tests of the painterly style presets: `style/watercolor`,
//! `style/oil-paint` and `style/claymation`, rendered with the real
//! `pikafx apply` on small synthetic clips and measured on the decoded
//! pixels.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Renders `input` through `style/<id>` with `params` (`NAME=VALUE`),
/// losslessly encoded so that measurements see what the shader wrote.
fn render(input: &Path, out: PathBuf, id: &str, params: &[&str]) -> PathBuf {
    let effect = format!("style/{id}");
    let params: Vec<String> = params.iter().map(|p| format!("{id}.{p}")).collect();
    let mut args = vec!["apply", s(input), "-o", s(&out), "--effect", &effect, "--crf", "0"];
    for p in &params {
        args.extend_from_slice(&["--param", p]);
    }
    pikafx_ok(&args);
    out
}

/// One decoded RGB24 frame.
struct Frame<'a> {
    rgb: &'a [u8],
    w: usize,
}

impl Frame<'_> {
    fn luma(&self, x: usize, y: usize) -> f64 {
        let i = (y * self.w + x) * 3;
        0.2126 * self.rgb[i] as f64 + 0.7152 * self.rgb[i + 1] as f64 + 0.0722 * self.rgb[i + 2] as f64
    }

    /// Luma of every pixel of the rectangle `x0..x1` x `y0..y1`.
    fn lumas(&self, x0: usize, x1: usize, y0: usize, y1: usize) -> Vec<f64> {
        (y0..y1).flat_map(|y| (x0..x1).map(move |x| self.luma(x, y))).collect()
    }

    fn mean_luma(&self, x0: usize, x1: usize, y0: usize, y1: usize) -> f64 {
        mean(&self.lumas(x0, x1, y0, y1))
    }

    /// Standard deviation of the luma over a rectangle.
    fn luma_std(&self, x0: usize, x1: usize, y0: usize, y1: usize) -> f64 {
        variance(&self.lumas(x0, x1, y0, y1)).sqrt()
    }

    /// Mean over the rectangle of the luma variance in the 5x5 window around each pixel.
    fn local_variance(&self, x0: usize, x1: usize, y0: usize, y1: usize) -> f64 {
        let mut total = 0.0;
        for y in y0..y1 {
            for x in x0..x1 {
                total += variance(&self.lumas(x - 2, x + 3, y - 2, y + 3));
            }
        }
        total / ((x1 - x0) * (y1 - y0)) as f64
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn variance(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64
}

/// Distance in pixels over which a step profile goes from 10% to 90% of
/// its rise (the ends of the profile are taken as the two levels).
fn rise_width(profile: &[f64]) -> f64 {
    let lo = mean(&profile[..3]);
    let hi = mean(&profile[profile.len() - 3..]);
    let crossing = |fraction: f64| {
        let level = lo + (hi - lo) * fraction;
        let above = |v: f64| (v - level) * (hi - lo).signum() >= 0.0;
        let i = profile.iter().position(|&v| above(v)).expect("the profile reaches the level");
        if i == 0 {
            return 0.0;
        }
        let (a, b) = (profile[i - 1], profile[i]);
        (i - 1) as f64 + (level - a) / (b - a)
    };
    crossing(0.9) - crossing(0.1)
}

/// Every clip rendered twice with the same parameters decodes to the same frames.
fn assert_deterministic(id: &str, params: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "160x120", 10, 0.5);
    let a = render(&input, dir.path().join("a.mp4"), id, params);
    let b = render(&input, dir.path().join("b.mp4"), id, params);
    let (fa, _, _) = rgb_frames(&a);
    let (fb, _, _) = rgb_frames(&b);
    assert_eq!(fa.len(), 5, "{id}: frames rendered");
    assert_eq!(fa.len(), fb.len(), "{id}: frame counts differ");
    for (i, (x, y)) in fa.iter().zip(&fb).enumerate() {
        assert!(x == y, "{id}: frame {i} differs between two renders (mean diff {})", mean_abs_diff(x, y));
    }
}

// ---------------------------------------------------------------- oil paint

#[test]
fn oil_paint_flattens_texture_and_keeps_edges_sharp() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Left: light grey with strong static noise; right: a flat dark blue.
    let input = lossless_clip(
        dir.path(),
        "in.mp4",
        "color=c=0xb4b4b4:s=240x160:r=10:d=0.3,noise=alls=30:allf=u,\
         drawbox=x=120:y=0:w=120:h=160:color=0x283c8c:t=fill",
        "yuv420p",
    );
    let output = render(&input, dir.path().join("oil.mp4"), "oil-paint", &["relief=0"]);
    let (src, w, _) = rgb_frames(&input);
    let (out, _, _) = rgb_frames(&output);
    let src = Frame { rgb: &src[0], w: w as usize };
    let out = Frame { rgb: &out[0], w: w as usize };

    let before = src.local_variance(10, 100, 10, 150);
    let after = out.local_variance(10, 100, 10, 150);
    eprintln!("local variance {before:.1} -> {after:.1}");
    assert!(before > 50.0, "the noise should be strong: {before}");
    assert!(after < before * 0.3, "texture should flatten: local variance {before:.1} -> {after:.1}");

    // The edge profile, averaged over the rows (the noise averages out).
    let width = |f: &Frame| {
        let profile: Vec<f64> = (108..132).map(|x| f.mean_luma(x, x + 1, 10, 150)).collect();
        rise_width(&profile)
    };
    let (edge_before, edge_after) = (width(&src), width(&out));
    eprintln!("edge 10-90% width {edge_before:.2} -> {edge_after:.2}");
    assert!(edge_after < edge_before + 1.0 && edge_after < 2.5, "edge blurred: {edge_before:.2} -> {edge_after:.2} px");
}

#[test]
fn oil_paint_relief_embosses_static_brush_strokes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = lossless_clip(dir.path(), "flat.mp4", "color=c=0x906040:s=200x150:r=10:d=0.5", "yuv420p");
    let (src, w, h) = rgb_frames(&input);
    let (w, h) = (w as usize, h as usize);
    let strokes = render(&input, dir.path().join("strokes.mp4"), "oil-paint", &["relief=1"]);
    let smooth = render(&input, dir.path().join("smooth.mp4"), "oil-paint", &["relief=0"]);
    let (strokes, _, _) = rgb_frames(&strokes);
    let (smooth, _, _) = rgb_frames(&smooth);

    let flat = Frame { rgb: &src[0], w }.luma_std(8, w - 8, 8, h - 8);
    let textured = Frame { rgb: &strokes[0], w }.luma_std(8, w - 8, 8, h - 8);
    let plain = Frame { rgb: &smooth[0], w }.luma_std(8, w - 8, 8, h - 8);
    eprintln!("luma std: source {flat:.2}, relief=1 {textured:.2}, relief=0 {plain:.2}");
    assert!(flat < 0.6 && plain < 0.6, "a flat frame stays flat without relief: {flat:.2} / {plain:.2}");
    assert!(textured > 3.0, "relief should paint visible strokes: luma std {textured:.2}");
    // The canvas does not crawl: every frame has the same strokes.
    let last = strokes.last().expect("frames");
    assert_eq!(mean_abs_diff(&strokes[0], last), 0.0, "the brush strokes move between frames");
}

#[test]
fn oil_paint_is_deterministic() {
    assert_deterministic("oil-paint", &["radius=5", "relief=0.8"]);
}

// --------------------------------------------------------------- watercolor

#[test]
fn watercolor_is_lighter_and_less_saturated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = testsrc(dir.path(), "in.mp4", "192x108", 10, 0.5);
    let output = render(&input, dir.path().join("wc.mp4"), "watercolor", &[]);
    let (src, w, h) = rgb_frames(&input);
    let (out, _, _) = rgb_frames(&output);
    let (w, h) = (w as usize, h as usize);
    let avg =
        |frames: &[Vec<u8>], f: &dyn Fn(&[u8]) -> f64| frames.iter().map(|x| f(x)).sum::<f64>() / frames.len() as f64;
    let luma = |rgb: &[u8]| Frame { rgb, w }.mean_luma(0, w, 0, h);
    let (luma_before, luma_after) = (avg(&src, &luma), avg(&out, &luma));
    let (sat_before, sat_after) = (avg(&src, &|f| mean_saturation(f)), avg(&out, &|f| mean_saturation(f)));
    eprintln!("luma {luma_before:.1} -> {luma_after:.1}, saturation {sat_before:.3} -> {sat_after:.3}");
    assert!(luma_after > luma_before + 15.0, "washes should be lighter: {luma_before:.1} -> {luma_after:.1}");
    assert!(sat_after < sat_before * 0.8, "washes should be paler: {sat_before:.3} -> {sat_after:.3}");
}

#[test]
fn watercolor_paper_grain_is_visible_and_static() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = lossless_clip(dir.path(), "flat.mp4", "color=c=0x3070b0:s=200x150:r=10:d=0.6", "yuv420p");
    let (src, w, h) = rgb_frames(&input);
    let (w, h) = (w as usize, h as usize);
    let paper = render(&input, dir.path().join("paper.mp4"), "watercolor", &[]);
    let bare = render(&input, dir.path().join("bare.mp4"), "watercolor", &["paper=0", "bleed=0"]);
    let (paper, _, _) = rgb_frames(&paper);
    let (bare, _, _) = rgb_frames(&bare);

    let flat = Frame { rgb: &src[0], w }.luma_std(8, w - 8, 8, h - 8);
    let grain = Frame { rgb: &paper[0], w }.luma_std(8, w - 8, 8, h - 8);
    let smooth = Frame { rgb: &bare[0], w }.luma_std(8, w - 8, 8, h - 8);
    eprintln!("luma std: source {flat:.2}, paper {grain:.2}, no paper {smooth:.2}");
    assert!(flat < 0.6, "the source should be flat: {flat:.2}");
    assert!(grain > 2.5, "the paper grain should show on a flat wash: luma std {grain:.2}");
    assert!(smooth < 0.6, "without paper and bleed a flat wash stays flat: {smooth:.2}");
    // The same sheet of paper under every frame.
    assert_eq!(paper.len(), 6, "frames rendered");
    for (i, frame) in paper.iter().enumerate().skip(1) {
        assert_eq!(mean_abs_diff(&paper[0], frame), 0.0, "the paper moved at frame {i}");
    }
}

#[test]
fn watercolor_pools_pigment_at_the_edges_of_washes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A mid-blue wash on light paper, edges at x = 60, 180 and y = 40, 120.
    let input = lossless_clip(
        dir.path(),
        "box.mp4",
        "color=c=0xe8e8e8:s=240x160:r=10:d=0.3,drawbox=x=60:y=40:w=120:h=80:color=0x4a8ac8:t=fill",
        "yuv420p",
    );
    let pooled = render(&input, dir.path().join("pooled.mp4"), "watercolor", &["bleed=0", "paper=0", "pooling=1"]);
    let plain = render(&input, dir.path().join("plain.mp4"), "watercolor", &["bleed=0", "paper=0", "pooling=0"]);
    let (pooled, w, _) = rgb_frames(&pooled);
    let (plain, _, _) = rgb_frames(&plain);
    let darkening = |rgb: &[u8]| {
        let f = Frame { rgb, w: w as usize };
        let centre = f.mean_luma(100, 140, 65, 95);
        // A band just inside the left and top edges of the wash.
        let rim = (f.mean_luma(61, 64, 50, 110) + f.mean_luma(70, 170, 41, 44)) / 2.0;
        centre - rim
    };
    let (with, without) = (darkening(&pooled[0]), darkening(&plain[0]));
    eprintln!("rim darker than centre by {with:.1} (pooling=1), {without:.1} (pooling=0)");
    assert!(with > 12.0, "pigment should pool at the edge: rim only {with:.1} darker");
    assert!(without.abs() < 4.0, "without pooling the wash should be even: {without:.1}");
}

#[test]
fn watercolor_is_deterministic() {
    assert_deterministic("watercolor", &["bleed=1", "paper=1"]);
}

// --------------------------------------------------------------- claymation

#[test]
fn claymation_posterizes_a_gradient_into_bands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = lossless_clip(
        dir.path(),
        "ramp.mp4",
        "color=c=black:s=320x160:r=10:d=0.3,geq=lum='X*255/W':cb=128:cr=128",
        "yuv420p",
    );
    let output = render(&input, dir.path().join("clay.mp4"), "claymation", &["bands=4"]);
    let (src, w, h) = rgb_frames(&input);
    let (out, _, _) = rgb_frames(&output);
    let (w, h) = (w as usize, h as usize);
    // How many luma levels (bins 4 wide) it takes to hold 80% of the ramp's pixels.
    let levels = |rgb: &[u8]| {
        let mut histogram = [0usize; 64];
        let values = Frame { rgb, w }.lumas(20, w - 20, 20, h - 20);
        for v in &values {
            histogram[(v / 4.0).clamp(0.0, 63.0) as usize] += 1;
        }
        histogram.sort_unstable_by(|a, b| b.cmp(a));
        let (mut held, mut bins) = (0, 0);
        for n in histogram {
            if held * 5 >= values.len() * 4 {
                break;
            }
            held += n;
            bins += 1;
        }
        bins
    };
    // Columns (averaged over the rows) where the brightness hardly changes.
    let plateau = |rgb: &[u8]| {
        let f = Frame { rgb, w };
        let columns: Vec<f64> = (0..w).map(|x| f.mean_luma(x, x + 1, 20, h - 20)).collect();
        let flat = (24..w - 24).filter(|&x| (columns[x + 2] - columns[x - 2]).abs() < 1.0).count();
        flat as f64 / (w - 48) as f64
    };
    let (levels_before, levels_after) = (levels(&src[0]), levels(&out[0]));
    let (plateau_before, plateau_after) = (plateau(&src[0]), plateau(&out[0]));
    eprintln!("levels {levels_before} -> {levels_after}, plateau {plateau_before:.2} -> {plateau_after:.2}");
    assert!(levels_before > 40, "the ramp should be smooth: {levels_before} levels");
    assert!(levels_after * 3 < levels_before, "the ramp should be banded: {levels_before} -> {levels_after} levels");
    assert!(plateau_before < 0.05 && plateau_after > 0.45, "most of the ramp should be flat bands: {plateau_after:.2}");
}

#[test]
fn claymation_lights_shapes_from_the_top_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    // An orange block (x 80..240, y 60..180) on a dark blue ground.
    let input = lossless_clip(
        dir.path(),
        "block.mp4",
        "color=c=0x203050:s=320x240:r=10:d=0.3,drawbox=x=80:y=60:w=160:h=120:color=0xe08020:t=fill",
        "yuv420p",
    );
    let (src, w, _) = rgb_frames(&input);
    let w = w as usize;
    let measure = |shine: &str| {
        let out =
            render(&input, dir.path().join(format!("clay-{shine}.mp4")), "claymation", &[&format!("shine={shine}")]);
        let (frames, _, _) = rgb_frames(&out);
        let f = Frame { rgb: &frames[0], w };
        let centre = f.mean_luma(140, 180, 100, 140);
        // Bands just inside the block's edges.
        let lit = (f.mean_luma(82, 86, 80, 160) + f.mean_luma(100, 220, 62, 66)) / 2.0;
        let shaded = (f.mean_luma(234, 238, 80, 160) + f.mean_luma(100, 220, 174, 178)) / 2.0;
        let brightest_lit = f.lumas(80, 240, 60, 68).into_iter().fold(0.0, f64::max);
        (centre, lit, shaded, brightest_lit)
    };
    let source = Frame { rgb: &src[0], w }.luma(160, 62);
    let (centre, lit, shaded, brightest) = measure("1");
    let (_, lit_dull, _, _) = measure("0");
    eprintln!(
        "source {source:.1}; centre {centre:.1}, lit {lit:.1} (shine 0: {lit_dull:.1}), shaded {shaded:.1}, brightest {brightest:.1}"
    );
    assert!(brightest > source + 20.0, "a highlight should outshine the source: {brightest:.1} vs {source:.1}");
    assert!(lit > centre + 8.0, "the top-left edges should catch the light: {lit:.1} vs centre {centre:.1}");
    assert!(shaded < centre - 8.0, "the bottom-right edges should be in shade: {shaded:.1} vs centre {centre:.1}");
    assert!(lit > lit_dull + 4.0, "shine should strengthen the highlights: {lit_dull:.1} -> {lit:.1}");
}

#[test]
fn claymation_is_deterministic() {
    assert_deterministic("claymation", &["smoothness=0.8", "bands=6"]);
}
