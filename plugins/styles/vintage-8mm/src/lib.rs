//! `style/vintage-8mm`: a home movie projected from 8 mm reversal film.
//!
//! One GPU pass: the frame is sampled through a per-frame gate weave (a slow
//! drift plus a small jitter, so the picture wobbles in the projector gate)
//! with a slight softness, then faded (lifted warm blacks, creamy highlights,
//! less saturation, a yellow/orange cast), brightness-flickered per frame,
//! spotted with dust specks and, now and then, a vertical scratch that stays
//! for a few dozen frames; coarse dye-cloud grain and a strong rounded
//! vignette finish it. Every random choice is a hash of the frame index (and
//! the pixel position on the GPU), so a render is reproducible.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, hash_combine, hash_u32,
    hash_unit,
};

struct Vintage8mm;

/// Dust speck slots per frame (each is present or not from a hash).
const SPECKS: u32 = 6;
/// Frames a scratch lasts before a new one may appear elsewhere.
const SCRATCH_FRAMES: u32 = 36;
/// Frames between the control points of the slow weave drift.
const DRIFT_FRAMES: u32 = 6;

// Seeds that keep the different random streams apart.
const SEED_FLICKER: u32 = 0x1f1c_4e72;
const SEED_WEAVE_X: u32 = 0x7a3b_9d01;
const SEED_WEAVE_Y: u32 = 0x42c8_16e5;
const SEED_DUST: u32 = 0x5d0f_a3c9;
const SEED_SCRATCH: u32 = 0x2b6e_7f14;

/// A value in -1..1 from a hash of (seed, n).
fn signed(seed: u32, n: u32) -> f32 {
    hash_unit(hash_combine(seed, n)) * 2.0 - 1.0
}

/// Smooth 1-D value noise over frames in -1..1: control points every
/// `period` frames, cosine-interpolated.
fn drift(seed: u32, frame: u32, period: u32) -> f32 {
    let k = frame / period;
    let t = (frame % period) as f32 / period as f32;
    let w = 0.5 - 0.5 * (t * std::f32::consts::PI).cos();
    signed(seed, k) * (1.0 - w) + signed(seed, k + 1) * w
}

impl ShaderEffect for Vintage8mm {
    const WGSL: &'static str = include_str!("../vintage-8mm.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "vintage-8mm".into(),
            name: "Vintage 8 mm".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Faded, flickering home-movie film with gate weave, grain, dust, scratches and a vignette."
                .into(),
            params: vec![
                float_param(
                    "fade",
                    "Fade",
                    "How aged the colour is: lifted warm blacks, a yellow-orange cast, less saturation.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
                float_param(
                    "flicker",
                    "Flicker",
                    "Per-frame brightness flicker of the projector.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                float_param(
                    "weave",
                    "Gate weave",
                    "Per-frame wobble of the picture in the film gate.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                float_param(
                    "dust",
                    "Dust & scratches",
                    "How often dust specks and vertical scratches appear.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param("grain", "Grain", "Strength of the coarse film grain.", 0.0, 1.0, 0.5, 0.01, true),
            ],
            history_frames: 0,
            tags: vec!["film".into(), "vintage".into(), "retro".into(), "home-movie".into(), "8mm".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let fade = p.float("fade", 0.6).clamp(0.0, 1.0);
        let flicker = p.float("flicker", 0.4).clamp(0.0, 1.0);
        let weave = p.float("weave", 0.4).clamp(0.0, 1.0);
        let dust = p.float("dust", 0.5).clamp(0.0, 1.0);
        let grain = p.float("grain", 0.5).clamp(0.0, 1.0);
        let frame = ctx.index;

        // Flicker: a fast per-frame jump plus a slower breathing.
        let gain = 1.0 + flicker * (0.13 * signed(SEED_FLICKER, frame) + 0.06 * drift(SEED_FLICKER ^ 1, frame, 4));
        // Weave, in fractions of the frame height: slow drift + jitter; the
        // vertical (claw) registration is the looser one.
        let wx = weave * (0.0035 * drift(SEED_WEAVE_X, frame, DRIFT_FRAMES) + 0.0015 * signed(SEED_WEAVE_X, frame));
        let wy = weave * (0.0045 * drift(SEED_WEAVE_Y, frame, DRIFT_FRAMES) + 0.0025 * signed(SEED_WEAVE_Y, frame));

        // A scratch lives for SCRATCH_FRAMES frames at a slowly wandering x.
        let epoch = frame / SCRATCH_FRAMES;
        let (scratch_x, scratch) = if hash_unit(hash_combine(SEED_SCRATCH, epoch)) < dust * 0.7 {
            let x = 0.08 + 0.84 * hash_unit(hash_combine(SEED_SCRATCH ^ 2, epoch));
            let wander = 0.004 * drift(SEED_SCRATCH ^ 3, frame, 5) + 0.0008 * signed(SEED_SCRATCH ^ 4, frame);
            // Brightness varies from frame to frame; it rarely vanishes.
            let s = 0.35 + 0.3 * hash_unit(hash_combine(SEED_SCRATCH ^ 5, frame));
            (x + wander, s)
        } else {
            (0.0, 0.0)
        };

        let mut u = vec![fade, gain, wx, wy, grain, (frame & 0x00ff_ffff) as f32, scratch_x, scratch];
        // Dust specks present this frame: x, y, radius (fraction of
        // height), elongation, cos/sin of the angle, strength (< 0 dark dirt,
        // > 0 light), outline phase.
        let mut specks = Vec::new();
        for i in 0..SPECKS {
            let h = hash_combine(hash_combine(SEED_DUST, frame), i);
            if hash_unit(h) >= dust * 0.3 {
                continue;
            }
            let r = |k: u32| hash_unit(hash_u32(h ^ k.wrapping_mul(0x9e37_79b9)));
            let strength = if r(5) < 0.75 { -(0.55 + 0.4 * r(6)) } else { 0.45 + 0.4 * r(6) };
            let hair = r(7) < 0.25;
            let angle = r(8) * std::f32::consts::PI;
            specks.extend_from_slice(&[
                r(1),
                r(2),
                if hair { 0.0012 + 0.0008 * r(3) } else { 0.003 + 0.011 * r(3) * r(3) },
                if hair { 10.0 + 25.0 * r(4) } else { 1.0 + 1.5 * r(4) },
                angle.cos(),
                angle.sin(),
                strength,
                r(9) * std::f32::consts::TAU,
            ]);
        }
        u.push((specks.len() / 8) as f32);
        u.extend_from_slice(&specks);
        u
    }
}

pikafx_sdk::export_shader_effect!(Vintage8mm);
