//! `pikaffect/levitate`: the subject (from the host's subject mask) rises off
//! the ground over the layer's time range with a gentle bob, leaving a soft
//! elliptical shadow where its bottom was; the place it vacated is filled
//! from the surrounding background. With progress 0 the frame is unchanged.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Levitate;

impl ShaderEffect for Levitate {
    const WGSL: &'static str = include_str!("../levitate.wgsl");
    const PRELUDE: &'static [&'static str] = &[
        pikafx_sdk::wgsl::NOISE,
        pikafx_sdk::wgsl::SUBJECT,
        pikafx_sdk::wgsl::MASK_SUPPORT,
        pikafx_sdk::wgsl::COARSE_FILL,
    ];
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const REGION: bool = true;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "levitate".into(),
            name: "Levitate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject floats up off the ground and leaves a soft shadow below.".into(),
            params: vec![
                float_param(
                    "height",
                    "Height",
                    "How far the subject rises by the end, as a fraction of the frame height.",
                    0.0,
                    0.6,
                    0.2,
                    0.01,
                    true,
                ),
                float_param("bob", "Bob", "How strongly the subject bobs while it rises.", 0.0, 1.0, 0.3, 0.01, true),
                float_param(
                    "shadow",
                    "Shadow",
                    "Darkness of the shadow left on the ground.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["levitate".into(), "float".into(), "subject".into(), "shadow".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        vec![progress, p.float("height", 0.2), p.float("bob", 0.3), p.float("shadow", 0.6)]
    }
}

pikafx_sdk::export_shader_effect!(Levitate);
