//! `style/pixel-art`: the frame as low-resolution pixel art. The picture is
//! cut into square cells of `pixel_size` output pixels (anchored at the
//! top-left corner), each filled with the box average of the source under
//! it; every colour channel is then reduced to `colors` levels, optionally
//! with ordered 4x4 Bayer dithering applied per cell (so cells stay solid).
//! An optional dark 1-pixel grid outlines the cells. With the grid off,
//! every pixel of a cell has exactly the same colour.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, int_param, toggle_param};

struct PixelArt;

impl ShaderEffect for PixelArt {
    const WGSL: &'static str = include_str!("../pixel-art.wgsl");

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "pixel-art".into(),
            name: "Pixel art".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Chunky square pixels and a small colour palette, like an old video game.".into(),
            params: vec![
                int_param("pixel_size", "Pixel size", "Size of one big pixel, in output pixels.", 2, 64, 8, true),
                int_param(
                    "colors",
                    "Colours per channel",
                    "Levels kept for each of red, green and blue.",
                    2,
                    16,
                    6,
                    true,
                ),
                toggle_param("dither", "Dithering", "Ordered (Bayer) dithering between the colour levels.", false),
                toggle_param("grid", "Grid", "A dark one-pixel outline around every big pixel.", false),
            ],
            history_frames: 0,
            tags: vec!["pixel-art".into(), "pixelate".into(), "retro".into(), "8-bit".into(), "mosaic".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, _ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        vec![
            p.int("pixel_size", 8) as f32,
            p.int("colors", 6) as f32,
            if p.toggle("dither", false) { 1.0 } else { 0.0 },
            if p.toggle("grid", false) { 1.0 } else { 0.0 },
        ]
    }
}

pikafx_sdk::export_shader_effect!(PixelArt);
