//! `pikaffect/inflate`: the subject (from the host's subject mask) balloons
//! over the layer's time range: pixels around it are sampled from positions
//! pulled toward its interior, so it grows and its rim is magnified, with a
//! glossy balloon highlight. The background outside the grown subject stays
//! intact. Deterministic (no randomness); progress 0 leaves the frame as is.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Inflate;

impl ShaderEffect for Inflate {
    const WGSL: &'static str = include_str!("../inflate.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[pikafx_sdk::wgsl::RINGS, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "inflate".into(),
            name: "Inflate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject puffs up like a balloon; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How much the subject swells by the end of the effect.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param(
                    "easing",
                    "Easing",
                    "0 grows at a steady rate; 1 starts slowly, speeds up and settles.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    false,
                ),
                float_param(
                    "glossiness",
                    "Glossiness",
                    "Strength of the shiny balloon highlight.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["inflate".into(), "balloon".into(), "bulge".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        vec![progress, p.float("intensity", 0.7), p.float("easing", 0.5), p.float("glossiness", 0.5)]
    }
}

pikafx_sdk::export_shader_effect!(Inflate);
