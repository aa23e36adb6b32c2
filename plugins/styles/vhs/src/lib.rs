//! `style/vhs`: a worn VHS tape played back on a CRT.
//!
//! One GPU pass over the frame, built like the tape format: each row is read
//! with a per-frame tracking wobble (a smooth sway plus jitter, and now and
//! then a torn band that drifts down the picture); luma is low-passed
//! horizontally (about 330 TV lines) with the ringing of a VCR's edge
//! enhancement, while the colour-under chroma is blurred far more, averaged
//! with the line above and shifted to the right of the luma; colours are
//! washed (lifted blacks, dim whites, less saturation); tape noise streaks
//! along the rows with occasional white dropouts; every other row is
//! darkened like scanlines, and the head-switching noise tears the bottom
//! rows. Random choices are hashes of the frame index (and row/pixel), so a
//! render is reproducible.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, hash_combine, hash_unit,
    toggle_param,
};

struct Vhs;

const SEED_PHASE: u32 = 0x3c6e_f372;
const SEED_BAND: u32 = 0x6a09_e667;
/// Frames a torn tracking band takes to travel down the picture.
const BAND_FRAMES: u32 = 45;

impl ShaderEffect for Vhs {
    const WGSL: &'static str = include_str!("../vhs.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "vhs".into(),
            name: "VHS".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Worn videotape: smeared, offset colour, soft detail, tracking wobble, noise and scanlines."
                .into(),
            params: vec![
                float_param(
                    "chroma_shift",
                    "Chroma shift",
                    "How far the colour sits to the right of the picture, in pixels.",
                    0.0,
                    20.0,
                    4.0,
                    0.5,
                    true,
                ),
                float_param(
                    "tracking",
                    "Tracking error",
                    "Horizontal wobble of the rows, varying by row and frame, and torn bands.",
                    0.0,
                    1.0,
                    0.3,
                    0.01,
                    true,
                ),
                float_param(
                    "scanlines",
                    "Scanlines",
                    "How much every other row is darkened.",
                    0.0,
                    1.0,
                    0.35,
                    0.01,
                    true,
                ),
                float_param("noise", "Tape noise", "Streaky luma noise and white dropouts.", 0.0, 1.0, 0.3, 0.01, true),
                toggle_param(
                    "head_switch",
                    "Head-switching noise",
                    "A torn, noisy band along the bottom of the picture.",
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["vhs".into(), "retro".into(), "tape".into(), "analog".into(), "glitch".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let frame = ctx.index;
        // The torn band: one pass down the frame every BAND_FRAMES frames,
        // present on some passes only.
        let pass = frame / BAND_FRAMES;
        let band_y = (frame % BAND_FRAMES) as f32 / BAND_FRAMES as f32 * 1.3 - 0.15;
        let band = if hash_unit(hash_combine(SEED_BAND, pass)) < 0.6 {
            0.6 + 0.4 * hash_unit(hash_combine(SEED_BAND ^ 1, frame))
        } else {
            0.0
        };
        vec![
            p.float("chroma_shift", 4.0).clamp(0.0, 20.0),
            p.float("tracking", 0.3).clamp(0.0, 1.0),
            p.float("scanlines", 0.35).clamp(0.0, 1.0),
            p.float("noise", 0.3).clamp(0.0, 1.0),
            if p.toggle("head_switch", true) { 1.0 } else { 0.0 },
            (frame & 0x00ff_ffff) as f32,
            hash_unit(hash_combine(SEED_PHASE, frame)) * std::f32::consts::TAU,
            band_y,
            band,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Vhs);
