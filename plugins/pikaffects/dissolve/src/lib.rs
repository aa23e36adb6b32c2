//! `pikaffect/dissolve`: the subject (from the host's subject mask) breaks up
//! into grains and disappears over the layer's time range, with a glowing
//! edge at the dissolve front; the background behind it is filled in from
//! its surroundings. With progress 0 the frame is unchanged, at progress 1
//! the subject is gone. Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct Dissolve;

impl ShaderEffect for Dissolve {
    const WGSL: &'static str = include_str!("../dissolve.wgsl");
    const PRELUDE: &'static [&'static str] = &[
        pikafx_sdk::wgsl::NOISE,
        pikafx_sdk::wgsl::SUBJECT,
        pikafx_sdk::wgsl::MASK_SUPPORT,
        pikafx_sdk::wgsl::COARSE_FILL,
    ];
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const REGION: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "dissolve".into(),
            name: "Dissolve".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject breaks into glowing grains and vanishes; the background stays.".into(),
            params: vec![
                float_param(
                    "grain",
                    "Grain size",
                    "Size of the grains the subject breaks into, in pixels at 720p.",
                    1.0,
                    40.0,
                    8.0,
                    0.5,
                    false,
                ),
                float_param("edge", "Edge width", "Width of the glowing dissolve front.", 0.01, 0.3, 0.08, 0.01, true),
                color_param(
                    "colour",
                    "Edge colour",
                    "Colour of the glow at the dissolve front.",
                    rgba(0.35, 0.8, 1.0, 1.0),
                    true,
                ),
                float_param("glow", "Glow", "Brightness of the glowing edge.", 0.0, 2.0, 1.0, 0.01, true),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the grain pattern; the same seed gives the same dissolve.",
                    0,
                    1000,
                    7,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["dissolve".into(), "disintegrate".into(), "vanish".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let c = p.color("colour", rgba(0.35, 0.8, 1.0, 1.0));
        vec![
            progress,
            p.float("grain", 8.0),
            p.float("edge", 0.08),
            c.r,
            c.g,
            c.b,
            p.float("glow", 1.0),
            p.int("seed", 7).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Dissolve);
