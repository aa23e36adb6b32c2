//! `pikaffect/glitch`: the subject glitches like a broken digital stream:
//! seeded horizontal slices of it jump sideways, its colour channels split
//! apart, macroblocks are corrupted (copied from elsewhere or flattened to
//! one posterised colour) and thin scanlines tear away; all of it confined
//! to the subject and a small halo around it. The glitch level ramps up
//! with progress and flickers from frame to frame; the flicker and every
//! pattern are hashes of the frame index and the seed (never the clock), so
//! a render is reproducible. With progress 0 the frame is unchanged.
//!
//! The flicker is computed here, once per frame, so that the shader only
//! sees the frame's glitch level and a per-frame pattern seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, hash_combine, hash_u32,
    hash_unit, int_param,
};

struct Glitch;

impl ShaderEffect for Glitch {
    const WGSL: &'static str = include_str!("../glitch.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "glitch".into(),
            name: "Glitch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject breaks up like a corrupted video stream; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How strongly the subject glitches at the end.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param(
                    "block",
                    "Block size",
                    "Size of the corrupted macroblocks and slices, in pixels at 720p.",
                    4.0,
                    64.0,
                    24.0,
                    1.0,
                    false,
                ),
                float_param(
                    "split",
                    "Colour split",
                    "How far the red and blue channels drift apart, in pixels at 720p.",
                    0.0,
                    40.0,
                    12.0,
                    0.5,
                    true,
                ),
                float_param(
                    "flicker",
                    "Flicker",
                    "How much the glitch level jumps from frame to frame (0 = steady).",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the glitch pattern; the same seed gives the same glitch.",
                    0,
                    1000,
                    7,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["glitch".into(), "digital".into(), "datamosh".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let seed = p.int("seed", 7).clamp(0, 1 << 20) as u32;
        let frame = hash_combine(hash_u32(seed), ctx.index);
        let flicker = p.float("flicker", 0.6).clamp(0.0, 1.0);
        // Each frame draws its own level: steady at flicker 0, anywhere from
        // calm to full at flicker 1.
        let level = p.float("intensity", 0.7).clamp(0.0, 1.0) * progress * (1.0 - flicker * hash_unit(frame));
        vec![
            progress,
            level,
            p.float("block", 24.0),
            p.float("split", 12.0),
            // 24 bits: an f32 holds them exactly.
            (hash_u32(frame) >> 8) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Glitch);
