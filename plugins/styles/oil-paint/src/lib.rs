//! `style/oil-paint`: an oil painting. A Kuwahara filter (each pixel takes
//! the mean colour of whichever of its four surrounding quadrants varies
//! least) flattens texture into painterly patches while keeping edges
//! sharp; then brush strokes that follow the edges are embossed into the
//! paint and lit from the top-left (the `relief`), and the colours are
//! made richer. The stroke texture is a hash of the pixel position, so it
//! stays put from frame to frame.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct OilPaint;

impl ShaderEffect for OilPaint {
    const WGSL: &'static str = include_str!("../oil-paint.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "oil-paint".into(),
            name: "Oil paint".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Flat painterly patches with sharp edges and embossed brush strokes, like oil on canvas."
                .into(),
            params: vec![
                int_param("radius", "Brush radius", "Size of the painted patches, in pixels.", 1, 6, 3, false),
                float_param(
                    "relief",
                    "Relief",
                    "Depth of the brush strokes and paint ridges, lit from the top-left.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param("saturation", "Saturation", "Colour richness (1 = unchanged).", 0.0, 2.0, 1.25, 0.01, true),
            ],
            history_frames: 0,
            tags: vec!["painterly".into(), "oil".into(), "kuwahara".into(), "artistic".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![p.int("radius", 3).clamp(1, 6) as f32, p.float("relief", 0.5), p.float("saturation", 1.25)]
    }
}

pikafx_sdk::export_shader_effect!(OilPaint);
