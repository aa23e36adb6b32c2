//! `style/sketch`: a grey pencil drawing on paper. Strokes come from luma
//! edges: a Sobel on a 3x3 neighbourhood plus a difference of means (the
//! local mean against a 3-pixel ring, a cheap difference of Gaussians) that
//! darkens the shadow side of each edge. Dark areas get diagonal hatching,
//! crossed in the deepest shadows. The sheet is near-white with a fibrous
//! grain and tooth hashed from the pixel position, so it is deterministic and
//! stays still between frames. Output is pure grey unless `tint` warms the
//! paper.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Sketch;

impl ShaderEffect for Sketch {
    const WGSL: &'static str = include_str!("../sketch.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "sketch".into(),
            name: "Pencil sketch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "A grey pencil drawing on paper: outlines along edges, hatching in the shadows.".into(),
            params: vec![
                float_param(
                    "pencil",
                    "Pencil pressure",
                    "How dark and how many the strokes are.",
                    0.2,
                    3.0,
                    1.0,
                    0.01,
                    true,
                ),
                float_param("hatching", "Hatching", "Diagonal shading lines in dark areas.", 0.0, 1.0, 0.7, 0.01, true),
                float_param(
                    "paper",
                    "Paper grain",
                    "Texture of the sheet and of the strokes.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param("tint", "Paper tint", "Warms the paper from white to cream.", 0.0, 1.0, 0.0, 0.01, true),
            ],
            history_frames: 0,
            tags: vec!["sketch".into(), "pencil".into(), "drawing".into(), "black-and-white".into(), "hatching".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![p.float("pencil", 1.0), p.float("hatching", 0.7), p.float("paper", 0.5), p.float("tint", 0.0)]
    }
}

pikafx_sdk::export_shader_effect!(Sketch);
