//! `pikaffect/deflate`: the subject (from the host's subject mask) shrinks
//! and sags like a balloon losing its air over the layer's time range: each
//! pixel is sampled from a position pushed outward toward the subject's
//! edge (more at the top than at the bottom), so the subject occupies less
//! area. Where it no longer is, the frame is filled from the background
//! around it. Deterministic for a given seed; progress 0 leaves the frame
//! as is.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Deflate;

impl ShaderEffect for Deflate {
    const WGSL: &'static str = include_str!("../deflate.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const COARSE_FILL: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::RINGS, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "deflate".into(),
            name: "Deflate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject shrinks and sags like a deflating balloon; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How much the subject shrinks by the end of the effect.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param("sag", "Sag", "How much more the top drops than the bottom.", 0.0, 1.0, 0.6, 0.01, true),
                float_param(
                    "wrinkles",
                    "Wrinkles",
                    "Unevenness of the shrink around the outline.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the wrinkle pattern; the same seed gives the same result.",
                    0,
                    1000,
                    7,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["deflate".into(), "shrink".into(), "balloon".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        vec![
            progress,
            p.float("intensity", 0.7),
            p.float("sag", 0.6),
            p.float("wrinkles", 0.4),
            p.int("seed", 7).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Deflate);
