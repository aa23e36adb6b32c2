//! `pikaffect/explode`: the subject (from the host's subject mask) breaks
//! into fragments that fly outward from a centre point over the layer's time
//! range, pulled down by gravity and fading out late, while the background
//! stays intact; the area the subject leaves is filled from the surrounding
//! background. Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param, point_param, vec2,
};

struct Explode;

impl ShaderEffect for Explode {
    const WGSL: &'static str = include_str!("../explode.wgsl");
    const SUBJECT_MASK: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "explode".into(),
            name: "Explode".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject bursts into fragments that fly apart; the background stays.".into(),
            params: vec![
                float_param(
                    "fragment_size",
                    "Fragment size",
                    "Size of one fragment, in pixels of a 720p frame.",
                    8.0,
                    120.0,
                    36.0,
                    1.0,
                    false,
                ),
                float_param("force", "Force", "How far the fragments fly.", 0.0, 3.0, 1.0, 0.01, true),
                float_param(
                    "gravity",
                    "Gravity",
                    "How strongly the fragments fall while flying.",
                    0.0,
                    3.0,
                    0.6,
                    0.01,
                    true,
                ),
                point_param(
                    "center",
                    "Centre",
                    "Where the blast starts, in frame coordinates (0..1); put it on the subject.",
                    vec2(0.5, 0.5),
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the fragments; the same seed gives the same explosion.",
                    0,
                    1000,
                    5,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["explode".into(), "shatter".into(), "fragments".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 };
        let center = p.point("center", vec2(0.5, 0.5));
        vec![
            progress,
            p.float("fragment_size", 36.0).clamp(3.0, 400.0),
            p.float("force", 1.0).clamp(0.0, 3.0),
            p.float("gravity", 0.6).clamp(0.0, 3.0),
            center.x,
            center.y,
            p.int("seed", 5).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Explode);
