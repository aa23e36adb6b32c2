//! `style/watercolor`: a watercolour painting. The frame becomes soft,
//! lightened washes of slightly muted colour (a few bilinear taps, a gentle
//! Kuwahara over them); pigment pools and darkens along the edges of the
//! washes (from the luma gradient); borders wobble and run as if the paint
//! bled into wet paper (a position-hash offset of the sampling point); and a
//! paper grain, with pigment granulating in its pits, is multiplied in.
//! Every texture is a hash of the pixel position, so the paper is static.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Watercolor;

impl ShaderEffect for Watercolor {
    const WGSL: &'static str = include_str!("../watercolor.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "watercolor".into(),
            name: "Watercolor".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Soft pastel washes with pooled pigment at their edges, bleeding borders and paper grain."
                .into(),
            params: vec![
                float_param(
                    "bleed",
                    "Bleed",
                    "How far the colours run and wobble at their borders.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param("paper", "Paper", "Strength of the paper grain.", 0.0, 1.0, 0.6, 0.01, true),
                float_param(
                    "lightness",
                    "Lightness",
                    "How thin the washes are: more paper shows through.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                float_param(
                    "pooling",
                    "Edge pooling",
                    "Darkening of pigment pooled at the edges of washes.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["painterly".into(), "watercolor".into(), "pastel".into(), "artistic".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![p.float("bleed", 0.5), p.float("paper", 0.6), p.float("lightness", 0.4), p.float("pooling", 0.6)]
    }
}

pikafx_sdk::export_shader_effect!(Watercolor);
