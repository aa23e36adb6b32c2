//! `pikaffect/crumble`: the subject (from the host's subject mask) crumbles
//! into small pieces that fall with gravity over the layer's time range, top
//! pieces first, fading out as they fall, while the background stays intact;
//! the area the subject leaves is filled from the surrounding background.
//! Deterministic for a given seed.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Crumble;

impl ShaderEffect for Crumble {
    const WGSL: &'static str = include_str!("../crumble.wgsl");
    const SUBJECT_MASK: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "crumble".into(),
            name: "Crumble".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject crumbles into pieces that fall away, top first; the background stays.".into(),
            params: vec![
                float_param(
                    "piece_size",
                    "Piece size",
                    "Size of one crumb, in pixels of a 720p frame.",
                    4.0,
                    64.0,
                    16.0,
                    1.0,
                    false,
                ),
                float_param("gravity", "Gravity", "How fast the pieces fall.", 1.0, 12.0, 5.0, 0.1, true),
                float_param(
                    "spread",
                    "Spread",
                    "Delay between the top and the bottom of the frame starting to crumble.",
                    0.1,
                    0.8,
                    0.55,
                    0.01,
                    false,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the crumbs; the same seed gives the same crumble.",
                    0,
                    1000,
                    11,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["crumble".into(), "fall".into(), "gravity".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 };
        vec![
            progress,
            p.float("piece_size", 16.0).clamp(2.0, 400.0),
            p.float("gravity", 5.0).clamp(0.1, 20.0),
            p.float("spread", 0.55).clamp(0.01, 1.0),
            p.int("seed", 11).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Crumble);
