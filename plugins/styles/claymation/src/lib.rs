//! `style/claymation`: a stop-motion plasticine look. The colour is
//! smoothed (a small Kuwahara that keeps edges), posterized into a few
//! brightness bands with rounded steps, and pushed towards saturated, warm
//! tones; a pseudo-normal from the luma gradient, lit from the top-left,
//! gives every shape soft specular highlights and darker rims, and faint
//! fingerprints and dents (a hash of the pixel position, so they never
//! crawl) make the surface look hand-made.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Claymation;

impl ShaderEffect for Claymation {
    const WGSL: &'static str = include_str!("../claymation.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "claymation".into(),
            name: "Claymation".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Smooth, banded, warm plasticine with soft highlights, dark rims and fingerprints.".into(),
            params: vec![
                float_param(
                    "smoothness",
                    "Smoothness",
                    "How much detail is smoothed away; also the size of the rounded bevels.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                int_param("bands", "Bands", "Brightness levels of the clay colours.", 2, 12, 5, false),
                float_param("shine", "Shine", "Strength of the soft specular highlights.", 0.0, 1.0, 0.5, 0.01, true),
            ],
            history_frames: 0,
            tags: vec!["claymation".into(), "plasticine".into(), "stop-motion".into(), "cartoon".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![p.float("smoothness", 0.5), p.int("bands", 5).clamp(2, 12) as f32, p.float("shine", 0.5)]
    }
}

pikafx_sdk::export_shader_effect!(Claymation);
