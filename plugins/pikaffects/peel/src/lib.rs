//! `pikaffect/peel`: the subject (from the host's subject mask) peels off
//! like a sticker. Starting from the chosen side or corner, a curl rolls
//! across it over the layer's time range; the lifted part curls over and
//! lies back on the rest, showing its back in a pale backing colour with
//! shading along the curl and a soft shadow, and where it has come off the
//! background is filled in from the subject's surroundings. With progress 0
//! the frame is unchanged.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, choice_param, color_param, float_param, rgba,
};

struct Peel;

/// Where the peel starts; it travels toward the opposite side.
const SIDES: [&str; 8] = ["left", "right", "top", "bottom", "top-left", "top-right", "bottom-left", "bottom-right"];

/// The unit vector the peel travels along when it starts at `side`.
fn travel(side: &str) -> (f32, f32) {
    let d = std::f32::consts::FRAC_1_SQRT_2;
    match side {
        "left" => (1.0, 0.0),
        "right" => (-1.0, 0.0),
        "top" => (0.0, 1.0),
        "bottom" => (0.0, -1.0),
        "top-left" => (d, d),
        "bottom-left" => (d, -d),
        "bottom-right" => (-d, -d),
        _ => (-d, d),
    }
}

impl ShaderEffect for Peel {
    const WGSL: &'static str = include_str!("../peel.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "peel".into(),
            name: "Peel".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject peels off like a sticker, curling over to show its back; the background shows."
                .into(),
            params: vec![
                choice_param("from", "From", "The side or corner the peel starts at.", &SIDES, "top-right"),
                float_param(
                    "radius",
                    "Curl radius",
                    "Radius of the curl, as a fraction of the subject's length along the peel.",
                    0.03,
                    0.4,
                    0.12,
                    0.01,
                    true,
                ),
                color_param(
                    "backing",
                    "Backing colour",
                    "Colour of the sticker's back, seen where it curls over.",
                    rgba(0.94, 0.93, 0.88, 1.0),
                    true,
                ),
                float_param(
                    "amount",
                    "Amount",
                    "How much of the subject has peeled off at the end.",
                    0.1,
                    1.0,
                    1.0,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["peel".into(), "sticker".into(), "curl".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let (dx, dy) = travel(p.choice("from", "top-right"));
        let c = p.color("backing", rgba(0.94, 0.93, 0.88, 1.0));
        vec![progress, dx, dy, p.float("radius", 0.12), c.r, c.g, c.b, p.float("amount", 1.0)]
    }
}

pikafx_sdk::export_shader_effect!(Peel);
