//! `pikaffect/cake-ify`: the subject (from the host's subject mask) turns
//! out to be a cake. Over the first part of the layer's time range a knife
//! cuts down through it along a straight line through its centroid
//! (vertical by default) and lifts out; then the halves part and their cut
//! faces show a cake cross-section (sponge layers with cream between them,
//! crumb texture, a frosting rim and a fondant shell in the subject's own
//! colour along its outline), with the background filled in between them.
//! With progress 0 the frame is unchanged.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, int_param, rgba,
};

struct CakeIfy;

const SPONGE: (f32, f32, f32) = (0.86, 0.64, 0.34);
const CREAM: (f32, f32, f32) = (0.98, 0.95, 0.9);

impl ShaderEffect for CakeIfy {
    const WGSL: &'static str = include_str!("../cake-ify.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "cake-ify".into(),
            name: "Cake-ify".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "A knife cuts the subject and it turns out to be a cake: sponge and cream inside.".into(),
            params: vec![
                color_param(
                    "sponge",
                    "Sponge colour",
                    "Colour of the cake's sponge layers.",
                    rgba(SPONGE.0, SPONGE.1, SPONGE.2, 1.0),
                    true,
                ),
                color_param(
                    "cream",
                    "Cream colour",
                    "Colour of the cream between the layers and of the frosting.",
                    rgba(CREAM.0, CREAM.1, CREAM.2, 1.0),
                    true,
                ),
                int_param("layers", "Layers", "Number of sponge layers in the cross-section.", 2, 8, 3, false),
                float_param(
                    "angle",
                    "Cut angle",
                    "Tilt of the cut from vertical, in degrees (clockwise).",
                    -60.0,
                    60.0,
                    0.0,
                    1.0,
                    false,
                ),
                float_param(
                    "gap",
                    "Gap",
                    "How far the halves part at the end, as a fraction of the subject's width.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["cake".into(), "cut".into(), "knife".into(), "food".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let sponge = p.color("sponge", rgba(SPONGE.0, SPONGE.1, SPONGE.2, 1.0));
        let cream = p.color("cream", rgba(CREAM.0, CREAM.1, CREAM.2, 1.0));
        let angle = p.float("angle", 0.0).clamp(-60.0, 60.0).to_radians();
        vec![
            progress,
            sponge.r,
            sponge.g,
            sponge.b,
            cream.r,
            cream.g,
            cream.b,
            p.int("layers", 3).clamp(2, 8) as f32,
            angle.cos(),
            angle.sin(),
            p.float("gap", 0.5),
        ]
    }
}

pikafx_sdk::export_shader_effect!(CakeIfy);
