//! `style/cyberpunk`: a neon-noir grade, teal shadows and magenta highlights.
//!
//! One GPU pass: the frame is read with a slight chromatic aberration that
//! grows towards the edges (red pushed outwards, blue inwards); hues are
//! bent towards the neon palette (greens to teal, yellows and reds to
//! orange-pink, blues to violet), contrast (an S-curve) and saturation are
//! boosted, and the colour is pulled towards a ramp by brightness, so
//! shadows lean teal and highlights magenta-pink. Bright areas bloom: 16
//! texels on a golden-angle spiral (2 to 14 pixels away at 720p, i.e. two
//! sparse rings with every tap at its own radius, so thin lights glow as a
//! haze rather than as copies) gather the over-threshold light, which takes
//! the grade's hues, is saturated and screened on top. Nothing varies from
//! frame to frame.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Cyberpunk;

impl ShaderEffect for Cyberpunk {
    const WGSL: &'static str = include_str!("../cyberpunk.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "cyberpunk".into(),
            name: "Cyberpunk neon".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Neon grade: teal shadows, magenta highlights, glowing lights, punchy colour, fringed edges."
                .into(),
            params: vec![
                float_param(
                    "tone",
                    "Split tone",
                    "How strongly shadows go teal and highlights magenta.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param("glow", "Neon glow", "Bloom around bright areas.", 0.0, 2.0, 0.8, 0.01, true),
                float_param(
                    "punch",
                    "Punch",
                    "Extra contrast and saturation (0 = as shot).",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param(
                    "aberration",
                    "Chromatic aberration",
                    "Colour fringing at the frame corners, in pixels at 720p (none at the centre).",
                    0.0,
                    12.0,
                    3.0,
                    0.1,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["cyberpunk".into(), "neon".into(), "grade".into(), "teal-orange".into(), "glow".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![
            p.float("tone", 0.7).clamp(0.0, 1.0),
            p.float("glow", 0.8).clamp(0.0, 2.0),
            p.float("punch", 0.5).clamp(0.0, 1.0),
            p.float("aberration", 3.0).clamp(0.0, 12.0),
        ]
    }
}

pikafx_sdk::export_shader_effect!(Cyberpunk);
