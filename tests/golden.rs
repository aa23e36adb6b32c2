//! Golden-image tests: every effect in the catalog, rendered on one
//! generated clip, is compared at fixed frames with a committed reference
//! image (`tests/golden/<kind>-<id>.png`, the three frames side by side).
//!
//! The property tests (`tests/styles_*.rs`, `tests/pikaffects_*.rs`) check
//! what each effect must do; these catch what they cannot: any visible
//! change to a look, intended or not. The tolerance is perceptual (SSIM from
//! the `image-compare` crate, plus PSNR), loose enough for another GPU's
//! float rounding and tight enough that a changed colour curve, a moved
//! fragment or a different noise pattern fails.
//!
//! After an intended change, refresh the references and review them like
//! code: `PIKAFX_BLESS=1 cargo test -p pikafx --test golden` rewrites them
//! all (most then differ a little from the committed ones, within the
//! tolerance, from one machine to the next), so name the effects you
//! changed instead: `PIKAFX_BLESS=pikaffect/explode,pikaffect/shatter`.
//! A failing effect's rendered strip is kept under `target/tmp/golden/`
//! for that review.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use image::RgbImage;

/// The clip: 160x120, 1 s at 10 fps; an orange box (the subject, with a
/// white square inside for detail) on a gradient with a faint grid (edges
/// for the styles to work on).
const W: u32 = 160;
const H: u32 = 120;
/// (`gradients` picks a random direction unless its end points and seed are
/// pinned.)
const GRAPH: &str = "gradients=s=160x120:c0=0x183050:c1=0x5a7a90:x0=0:y0=0:x1=40:y1=120:seed=1:r=10:d=1,\
drawgrid=w=20:h=20:t=1:c=0x20304a,\
drawbox=x=56:y=34:w=48:h=48:color=orange:t=fill,\
drawbox=x=66:y=44:w=14:h=14:color=white:t=fill";
/// The frames compared (progress 0.2, 0.5 and 0.9 of a whole-clip layer).
const FRAMES: [usize; 3] = [2, 5, 9];
/// Minimum structural similarity (0..1) with the reference, per frame.
const MIN_SSIM: f64 = 0.97;
/// Minimum PSNR with the reference, per frame, in dB.
const MIN_PSNR: f64 = 34.0;

fn golden_dir() -> PathBuf {
    root().join("tests").join("golden")
}

/// The effects `PIKAFX_BLESS` asks to re-bless: `1` for every one, else a
/// comma-separated list of `kind/id`; none when it is unset.
fn blessing() -> Option<Vec<String>> {
    let value = std::env::var("PIKAFX_BLESS").ok()?;
    Some(if value == "1" { Vec::new() } else { value.split(',').map(|e| e.trim().to_string()).collect() })
}

/// Whether `effect` is to be re-blessed (an empty list means all).
fn blesses(bless: &Option<Vec<String>>, effect: &str) -> bool {
    bless.as_ref().is_some_and(|only| only.is_empty() || only.iter().any(|e| e == effect))
}

/// `(kind, id)` of every effect `pikafx effects` lists from the plugin dir.
fn catalog() -> Vec<(String, String)> {
    let plugins = plugin_dir();
    let json = pikafx_ok(&["effects", "--json", "--plugins", plugins.to_str().expect("utf-8")]);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&json).expect("the catalog is JSON");
    let mut effects: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            let info = &e["info"];
            let field = |name: &str| info[name].as_str().expect("kind and id are strings").to_string();
            (field("kind"), field("id"))
        })
        .collect();
    effects.sort();
    effects
}

/// Renders `kind/id` with its default parameters on `clip`; the compared
/// frames side by side.
fn render_strip(dir: &Path, clip: &Path, kind: &str, id: &str) -> RgbImage {
    let out = dir.join(format!("{kind}-{id}.mp4"));
    let plugins = plugin_dir();
    let effect = format!("{kind}/{id}");
    pikafx_ok(&[
        "apply",
        clip.to_str().expect("utf-8"),
        "--plugins",
        plugins.to_str().expect("utf-8"),
        "--effect",
        &effect,
        "--crf",
        "0",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let (frames, w, h) = rgb_frames(&out);
    assert_eq!((w, h), (W, H), "{effect}: output size");
    assert_eq!(frames.len(), 10, "{effect}: every frame is rendered");
    let mut strip = RgbImage::new(W * FRAMES.len() as u32, H);
    for (slot, &index) in FRAMES.iter().enumerate() {
        let frame = RgbImage::from_raw(W, H, frames[index].clone()).expect("a whole RGB frame");
        image::imageops::replace(&mut strip, &frame, i64::from(W) * slot as i64, 0);
    }
    strip
}

/// The `slot`-th frame of a strip.
fn frame_of(strip: &RgbImage, slot: usize) -> RgbImage {
    image::imageops::crop_imm(strip, W * slot as u32, 0, W, H).to_image()
}

fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
    let mse = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum::<f64>()
        / a.as_raw().len() as f64;
    if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0 * 255.0 / mse).log10() }
}

fn ssim(a: &RgbImage, b: &RgbImage) -> f64 {
    image_compare::rgb_similarity_structure(&image_compare::Algorithm::MSSIMSimple, a, b)
        .expect("same-size images")
        .score
}

/// Compares a rendered strip with its reference; `Err` says which frame
/// differs and by how much.
fn compare(rendered: &RgbImage, reference: &RgbImage) -> Result<(), String> {
    if rendered.dimensions() != reference.dimensions() {
        return Err(format!("reference is {:?}, rendered {:?}", reference.dimensions(), rendered.dimensions()));
    }
    let mut problems = Vec::new();
    for (slot, index) in FRAMES.iter().enumerate() {
        let (r, g) = (frame_of(rendered, slot), frame_of(reference, slot));
        let (s, p) = (ssim(&r, &g), psnr(&r, &g));
        if s < MIN_SSIM || p < MIN_PSNR {
            problems.push(format!("frame {index}: SSIM {s:.4} (min {MIN_SSIM}), PSNR {p:.1} dB (min {MIN_PSNR})"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

#[test]
fn every_effect_matches_its_golden_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = lossless_clip(dir.path(), "golden.mp4", GRAPH, "yuv420p");
    let effects = catalog();
    assert!(effects.len() >= 25, "the catalog lists the first-party effects: {effects:?}");
    let bless = blessing();
    if let Some(only) = &bless {
        let unknown: Vec<&String> =
            only.iter().filter(|e| !effects.iter().any(|(k, i)| format!("{k}/{i}") == **e)).collect();
        assert!(unknown.is_empty(), "PIKAFX_BLESS names effects the catalog does not list: {unknown:?}");
    }
    // Rendered strips of failing effects, kept for review after the test.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden");
    let mut failures = Vec::new();
    for (kind, id) in &effects {
        let rendered = render_strip(dir.path(), &clip, kind, id);
        let path = golden_dir().join(format!("{kind}-{id}.png"));
        if blesses(&bless, &format!("{kind}/{id}")) {
            std::fs::create_dir_all(golden_dir()).expect("golden dir");
            rendered.save(&path).expect("reference written");
            continue;
        }
        match image::open(&path) {
            Ok(reference) => {
                if let Err(why) = compare(&rendered, &reference.to_rgb8()) {
                    std::fs::create_dir_all(&kept).expect("kept dir");
                    let seen = kept.join(format!("{kind}-{id}.rendered.png"));
                    rendered.save(&seen).expect("rendered strip written");
                    failures.push(format!("{kind}/{id}: {why} (rendered: {})", seen.display()));
                }
            }
            Err(e) => failures.push(format!(
                "{kind}/{id}: no reference at {} ({e}); run `PIKAFX_BLESS={kind}/{id} cargo test -p pikafx --test \
                 golden` and review the new image",
                path.display()
            )),
        }
    }
    // References of effects that no longer exist would silently stop
    // guarding anything.
    let known: Vec<String> = effects.iter().map(|(k, i)| format!("{k}-{i}.png")).collect();
    let stale: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".png") && !known.contains(name))
        .collect();
    assert!(stale.is_empty(), "references without an effect (delete them): {stale:?}");
    assert!(
        failures.is_empty(),
        "{} of {} effects differ from their golden frames:\n{}",
        failures.len(),
        effects.len(),
        failures.join("\n")
    );
}

/// The comparison itself must be able to fail: a visibly different frame
/// (a brighter subject, the effect of a changed colour curve) is caught,
/// while a one-level rounding difference everywhere is not.
#[test]
fn the_tolerance_catches_visible_changes_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = lossless_clip(dir.path(), "golden.mp4", GRAPH, "yuv420p");
    let strip = render_strip(dir.path(), &clip, "style", "noir");

    let mut rounding = strip.clone();
    for (i, v) in rounding.iter_mut().enumerate() {
        *v = if i % 2 == 0 { v.saturating_add(1) } else { v.saturating_sub(1) };
    }
    assert!(compare(&rounding, &strip).is_ok(), "±1 rounding passes");

    let mut brighter = strip.clone();
    for (x, y, px) in brighter.enumerate_pixels_mut() {
        if (56..104).contains(&(x % W)) && (34..82).contains(&y) {
            px.0 = px.0.map(|v| v.saturating_add(40));
        }
    }
    let err = compare(&brighter, &strip).expect_err("a brighter subject fails");
    assert!(err.contains("frame 2") && err.contains("frame 9"), "every frame is reported: {err}");

    let mut shifted = RgbImage::new(strip.width(), strip.height());
    image::imageops::replace(&mut shifted, &strip, 3, 0);
    assert!(compare(&shifted, &strip).is_err(), "a 3-pixel shift fails");
}
