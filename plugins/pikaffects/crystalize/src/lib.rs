//! `pikaffect/crystalize`: the subject (from the host's subject mask) turns
//! into faceted glass over the layer's time range while the background stays
//! intact. Voronoi facets take their centre's colour, tinted and lit by a
//! per-facet normal, with bright edges and a refraction-like offset of the
//! frame seen through; the crystal grows up from the bottom of the frame.
//! Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct Crystalize;

impl ShaderEffect for Crystalize {
    const WGSL: &'static str = include_str!("../crystalize.wgsl");
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::MASK_SUPPORT];
    const SUBJECT_MASK: bool = true;
    const REGION: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "crystalize".into(),
            name: "Crystalize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns into faceted, tinted glass; the background stays.".into(),
            params: vec![
                float_param(
                    "facet_size",
                    "Facet size",
                    "Size of one glass facet, in pixels of a 720p frame.",
                    6.0,
                    120.0,
                    28.0,
                    1.0,
                    false,
                ),
                color_param("tint", "Tint", "Colour of the glass.", rgba(0.55, 0.85, 1.0, 1.0), true),
                float_param(
                    "tint_strength",
                    "Tint strength",
                    "How much of the glass colour replaces the subject's own colour.",
                    0.0,
                    1.0,
                    0.45,
                    0.01,
                    true,
                ),
                float_param(
                    "refraction",
                    "Refraction",
                    "How far the view through each facet is shifted, in facets.",
                    0.0,
                    1.0,
                    0.35,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the facet pattern; the same seed gives the same crystal.",
                    0,
                    1000,
                    3,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["crystal".into(), "glass".into(), "facets".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let tint = p.color("tint", rgba(0.55, 0.85, 1.0, 1.0));
        vec![
            progress,
            p.float("facet_size", 28.0).clamp(2.0, 400.0),
            tint.r,
            tint.g,
            tint.b,
            p.float("tint_strength", 0.45).clamp(0.0, 1.0),
            p.float("refraction", 0.35).clamp(0.0, 2.0),
            p.int("seed", 3).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Crystalize);
