//! `pikaffect/pixelate-out`: the subject breaks into square blocks that grow
//! to a chosen size, then the blocks drop out one by one in a seeded order
//! (shrinking away, and falling if asked) until only the background is
//! left at the end; where the subject was, the background around it is
//! filled in. With progress 0 the frame is unchanged; the same seed gives
//! the same order.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct PixelateOut;

impl ShaderEffect for PixelateOut {
    const WGSL: &'static str = include_str!("../pixelate-out.wgsl");
    const SUBJECT_MASK: bool = true;
    const REGION: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const COARSE_FILL: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS, pikafx_sdk::wgsl::COARSE_FILL];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "pixelate-out".into(),
            name: "Pixelate Out".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns into big pixels that drop out one by one; the background fills in.".into(),
            params: vec![
                float_param(
                    "block",
                    "Block size",
                    "The blocks' largest size, in pixels at 720p.",
                    4.0,
                    120.0,
                    40.0,
                    1.0,
                    false,
                ),
                float_param(
                    "growth",
                    "Pixelate time",
                    "Fraction of the time spent pixelating before the blocks start to drop out.",
                    0.1,
                    0.9,
                    0.4,
                    0.01,
                    false,
                ),
                float_param(
                    "fall",
                    "Fall",
                    "How far the blocks fall as they drop out (0 = they shrink away in place).",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                int_param("seed", "Seed", "Chooses the order the blocks drop out in.", 0, 1000, 7, false),
            ],
            history_frames: 0,
            tags: vec!["pixelate".into(), "pixels".into(), "vanish".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        vec![
            progress,
            p.float("block", 40.0),
            p.float("fall", 0.5),
            p.float("growth", 0.4),
            p.int("seed", 7).clamp(0, 1 << 20) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(PixelateOut);
