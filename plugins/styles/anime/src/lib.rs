//! `style/anime`: an anime / cel-shaded look. Each pixel is first smoothed
//! with an edge-aware (bilateral) filter so regions go flat without their
//! borders bleeding; its luma then snaps to one of a few bands (`levels`)
//! while its chroma is kept and boosted (`saturation`), fitted back into
//! gamut so the hue never shifts. Dark ink outlines are drawn where a Sobel
//! edge on luma exceeds `line_threshold`, with `line_strength` opacity and a
//! `line_width` that spreads the Sobel taps. One compute pass, 17 samples.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Anime;

impl ShaderEffect for Anime {
    const WGSL: &'static str = include_str!("../anime.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "anime".into(),
            name: "Anime / cel shading".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Flat cel-shaded colour bands with dark ink outlines, like a frame of anime.".into(),
            params: vec![
                int_param("levels", "Shading bands", "Number of flat brightness bands.", 2, 8, 4, true),
                float_param("saturation", "Saturation boost", "Extra colour intensity.", 0.0, 1.0, 0.35, 0.01, true),
                float_param(
                    "line_strength",
                    "Line strength",
                    "Opacity of the ink outlines.",
                    0.0,
                    1.0,
                    0.9,
                    0.01,
                    true,
                ),
                float_param(
                    "line_threshold",
                    "Line threshold",
                    "Edge contrast needed for an outline; lower draws more lines.",
                    0.02,
                    0.8,
                    0.18,
                    0.01,
                    true,
                ),
                float_param(
                    "line_width",
                    "Line width",
                    "Thickness of the outlines, in pixels.",
                    0.5,
                    3.0,
                    1.0,
                    0.1,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["anime".into(), "cartoon".into(), "cel-shading".into(), "toon".into(), "outline".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![
            p.int("levels", 4) as f32,
            p.float("saturation", 0.35),
            p.float("line_strength", 0.9),
            p.float("line_threshold", 0.18),
            p.float("line_width", 1.0),
        ]
    }
}

pikafx_sdk::export_shader_effect!(Anime);
