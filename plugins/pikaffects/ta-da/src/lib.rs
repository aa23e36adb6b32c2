//! `pikaffect/ta-da`: a magician's reveal. Sparkles burst around the subject
//! (from the host's subject mask) while it flashes bright and vanishes over
//! the layer's time range; at the end only the background, filled in from
//! its surroundings where the subject was, and a few last sparkles remain.
//! With progress 0 the frame is unchanged. Deterministic for a given seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct TaDa;

const GOLD: (f32, f32, f32) = (1.0, 0.85, 0.45);

impl ShaderEffect for TaDa {
    const WGSL: &'static str = include_str!("../ta-da.wgsl");
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL];
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const REGION: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "ta-da".into(),
            name: "Ta-da".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "Sparkles burst around the subject as it flashes and vanishes, like a magic trick.".into(),
            params: vec![
                float_param(
                    "density",
                    "Sparkle density",
                    "Share of the places around the subject that get a sparkle.",
                    0.0,
                    1.0,
                    0.75,
                    0.01,
                    true,
                ),
                float_param(
                    "size",
                    "Sparkle size",
                    "Radius of a sparkle, in pixels at 720p.",
                    2.0,
                    40.0,
                    18.0,
                    0.5,
                    false,
                ),
                color_param(
                    "colour",
                    "Sparkle colour",
                    "Colour of the sparkles.",
                    rgba(GOLD.0, GOLD.1, GOLD.2, 1.0),
                    true,
                ),
                float_param(
                    "flash",
                    "Flash",
                    "How white the subject flashes before it vanishes.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses where the sparkles appear; the same seed gives the same reveal.",
                    0,
                    1000,
                    7,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["ta-da".into(), "magic".into(), "sparkle".into(), "vanish".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let c = p.color("colour", rgba(GOLD.0, GOLD.1, GOLD.2, 1.0));
        vec![
            progress,
            p.float("density", 0.75),
            p.float("size", 18.0),
            c.r,
            c.g,
            c.b,
            p.float("flash", 0.7),
            p.int("seed", 7).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(TaDa);
