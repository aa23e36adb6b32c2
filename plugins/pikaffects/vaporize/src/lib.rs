//! `pikaffect/vaporize`: the subject (from the host's subject mask) turns
//! into vapour over the layer's time range, top first with a seeded, noisy
//! order: each part warms toward the mist colour, then lifts off as steam
//! that rises in wisps (noise-driven upward displacement that grows with its
//! age, swaying with the turbulence), blurs, brightens toward the mist colour
//! and fades. What it leaves is the background, filled in from the subject's
//! surroundings; at progress 1 only background is left. Unlike `dissolve`
//! (grains vanishing in place), the subject's pixels travel upward. With
//! progress 0 the frame is unchanged. Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct Vaporize;

impl ShaderEffect for Vaporize {
    const WGSL: &'static str = include_str!("../vaporize.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "vaporize".into(),
            name: "Vaporize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns to steam that rises in wisps and fades, leaving the background.".into(),
            params: vec![
                float_param(
                    "rise",
                    "Rise",
                    "How far the vapour rises before it fades, as a fraction of the frame height.",
                    0.02,
                    0.6,
                    0.25,
                    0.01,
                    true,
                ),
                float_param(
                    "turbulence",
                    "Turbulence",
                    "How much the wisps sway sideways as they rise.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                color_param("colour", "Mist colour", "Colour the vapour turns to.", rgba(0.9, 0.94, 1.0, 1.0), true),
                float_param(
                    "wisp",
                    "Wisp size",
                    "Width of the wisps, in pixels at 720p.",
                    4.0,
                    120.0,
                    28.0,
                    0.5,
                    false,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the wisps and the order in which parts lift off.",
                    0,
                    1000,
                    5,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["vaporize".into(), "steam".into(), "mist".into(), "vanish".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 };
        let c = p.color("colour", rgba(0.9, 0.94, 1.0, 1.0));
        vec![
            progress,
            p.float("rise", 0.25),
            p.float("turbulence", 0.5),
            c.r,
            c.g,
            c.b,
            p.float("wisp", 28.0),
            p.int("seed", 5).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Vaporize);
