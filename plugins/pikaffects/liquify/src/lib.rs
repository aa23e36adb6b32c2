//! `pikaffect/liquify`: the subject turns to liquid over the layer's time
//! range. A flowing, turbulent warp (domain-warped value noise that drifts
//! with time) carries the subject's pixels, glossy highlights ride on the
//! liquid's surface and the subject sags a little toward its bottom; the
//! background stays intact and fills in where the subject's edge flows
//! inward. Unlike `melt`, which drips straight down, the liquid swirls in
//! every direction and keeps moving. With progress 0 the frame is
//! unchanged; the same seed gives the same flow.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Liquify;

impl ShaderEffect for Liquify {
    const WGSL: &'static str = include_str!("../liquify.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "liquify".into(),
            name: "Liquify".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns to a glossy, flowing liquid; the background stays.".into(),
            params: vec![
                float_param(
                    "strength",
                    "Strength",
                    "How far the liquid carries the subject's pixels by the end (and how much it sags).",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
                float_param(
                    "flow",
                    "Flow speed",
                    "How fast the liquid swirls, in noise cells per second.",
                    0.0,
                    4.0,
                    1.0,
                    0.05,
                    false,
                ),
                float_param(
                    "viscosity",
                    "Viscosity",
                    "Thicker liquid: larger, slower swirls.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    false,
                ),
                float_param("gloss", "Gloss", "Brightness of the liquid's highlights.", 0.0, 1.0, 0.6, 0.01, true),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the swirl pattern; the same seed gives the same flow.",
                    0,
                    1000,
                    11,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["liquify".into(), "liquid".into(), "warp".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let time = if ctx.time_sec.is_finite() { ctx.time_sec.max(0.0) } else { 0.0 };
        let viscosity = p.float("viscosity", 0.4).clamp(0.0, 1.0);
        // Thick liquid flows slower; the offset is in noise cells.
        let flow = time * f64::from(p.float("flow", 1.0).max(0.0)) * f64::from(1.0 - 0.6 * viscosity);
        vec![
            progress,
            p.float("strength", 0.6),
            flow as f32,
            viscosity,
            p.float("gloss", 0.6),
            p.int("seed", 11).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Liquify);
