//! `pikaffect/poke`: an invisible finger pokes the subject (from the host's
//! subject mask). A shaded dent pushes in at a spot on the subject (by
//! default its centre of mass, found with the subject-bounds pass), then the
//! finger lets go: the dent springs back with a damped overshoot and
//! ripples run outward from it across the subject and fade. The background
//! stays; progress 0 leaves the frame as is. No randomness.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param, point_param, vec2,
};

struct Poke;

impl ShaderEffect for Poke {
    const WGSL: &'static str = include_str!("../poke.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "poke".into(),
            name: "Poke".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "An invisible finger pokes a dent into the subject, which springs back in ripples.".into(),
            params: vec![
                float_param(
                    "depth",
                    "Depth",
                    "How deep the dent goes and how strong the ripples are.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
                float_param(
                    "size",
                    "Dent size",
                    "Radius of the dent, as a fraction of the subject's size.",
                    0.05,
                    0.8,
                    0.3,
                    0.01,
                    true,
                ),
                point_param(
                    "spot",
                    "Spot",
                    "Where the finger pokes, within the subject's box (0..1); 0.5, 0.5 is its centre of mass.",
                    vec2(0.5, 0.5),
                    true,
                ),
                int_param("ripples", "Ripples", "How many ripple crests fit across the subject.", 1, 8, 3, false),
                float_param(
                    "damping",
                    "Damping",
                    "How fast the springing and the ripples die out.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["poke".into(), "dent".into(), "ripple".into(), "jiggle".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let spot = p.point("spot", vec2(0.5, 0.5));
        vec![
            progress,
            p.float("depth", 0.6),
            p.float("size", 0.3),
            spot.x,
            spot.y,
            p.int("ripples", 3).clamp(1, 8) as f32,
            p.float("damping", 0.5),
        ]
    }
}

pikafx_sdk::export_shader_effect!(Poke);
