//! `style/thermal`: a thermal-camera look. Luma (lightly blurred, like a
//! low-resolution sensor) is mapped through an "iron" palette: black, deep
//! blue, magenta, orange, yellow, white; hot = bright.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, choice_param, float_param};

struct Thermal;

/// Palettes, in the order of the `palette` choice.
const PALETTES: [&str; 3] = ["iron", "rainbow", "white-hot"];

impl ShaderEffect for Thermal {
    const WGSL: &'static str = include_str!("../thermal.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "thermal".into(),
            name: "Thermal camera".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Maps brightness to heat colours like an infrared camera.".into(),
            params: vec![
                choice_param("palette", "Palette", "Colour scale from cold to hot.", &PALETTES, "iron"),
                float_param("contrast", "Contrast", "Spreads the temperatures apart.", 0.5, 3.0, 1.4, 0.01, true),
                float_param(
                    "offset",
                    "Offset",
                    "Shifts every pixel hotter (+) or colder (-).",
                    -0.5,
                    0.5,
                    0.0,
                    0.01,
                    true,
                ),
                float_param(
                    "blur",
                    "Sensor blur",
                    "Softness of a low-resolution sensor, in pixels.",
                    0.0,
                    4.0,
                    1.5,
                    0.1,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["thermal".into(), "infrared".into(), "false-colour".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let palette = PALETTES.iter().position(|name| *name == p.choice("palette", "iron")).unwrap_or(0);
        vec![palette as f32, p.float("contrast", 1.4), p.float("offset", 0.0), p.float("blur", 1.5)]
    }
}

pikafx_sdk::export_shader_effect!(Thermal);
