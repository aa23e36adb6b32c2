//! `pikaffect/freeze`: the subject (from the host's subject mask) freezes
//! into ice over the layer's time range. Frost creeps in from the subject's
//! outline toward its centre, crystal by crystal (the distance to the mask's
//! edge is estimated with a ring of mask taps at the front's current depth);
//! frozen parts turn desaturated, brighter and tinted like ice, with Voronoi
//! frost crystals, fine rime and twinkling specular glints. The subject's
//! shading is kept, so it stays recognisable; at progress 1 it is frozen
//! through. The background is untouched. Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct Freeze;

impl ShaderEffect for Freeze {
    const WGSL: &'static str = include_str!("../freeze.wgsl");
    const SUBJECT_MASK: bool = true;
    const REGION: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "freeze".into(),
            name: "Freeze".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "Frost creeps over the subject from its outline until it is frozen solid in ice.".into(),
            params: vec![
                color_param("tint", "Ice tint", "Colour of the ice.", rgba(0.62, 0.85, 1.0, 1.0), true),
                float_param(
                    "frost",
                    "Frost amount",
                    "How far frozen parts turn to ice: 0 keeps their colours, 1 is pale ice.",
                    0.0,
                    1.0,
                    0.85,
                    0.01,
                    true,
                ),
                float_param(
                    "crystal",
                    "Crystal size",
                    "Size of the frost crystals, in pixels at 720p.",
                    4.0,
                    80.0,
                    24.0,
                    0.5,
                    false,
                ),
                float_param(
                    "glint",
                    "Glints",
                    "How many specular glints sparkle on the ice.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                int_param("seed", "Seed", "Chooses the crystal pattern and where the glints are.", 0, 1000, 3, false),
            ],
            history_frames: 0,
            tags: vec!["freeze".into(), "ice".into(), "frost".into(), "cold".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let tint = p.color("tint", rgba(0.62, 0.85, 1.0, 1.0));
        vec![
            progress,
            tint.r,
            tint.g,
            tint.b,
            p.float("frost", 0.85),
            p.float("crystal", 24.0),
            p.float("glint", 0.5),
            p.int("seed", 3).clamp(0, 1 << 24) as f32,
            // The glints' twinkle clock: frame indices, exact in f32 up to 2^24.
            (ctx.index % (1 << 24)) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Freeze);
