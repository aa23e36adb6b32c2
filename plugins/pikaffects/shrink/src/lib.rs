//! `pikaffect/shrink`: the subject shrinks toward its centroid (or its feet)
//! over the layer's time range, keeping its shape, and the place it leaves
//! is filled with the background around it. With progress 0 the frame is
//! unchanged. The reference example of `ShaderEffect::SUBJECT_BOUNDS`.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Shrink;

impl ShaderEffect for Shrink {
    const WGSL: &'static str = include_str!("../shrink.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[
        pikafx_sdk::wgsl::SUBJECT,
        pikafx_sdk::wgsl::MASK_SUPPORT,
        pikafx_sdk::wgsl::COARSE_FILL,
        pikafx_sdk::wgsl::BOUNDS,
    ];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "shrink".into(),
            name: "Shrink".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject shrinks away to a fraction of its size; the background fills in.".into(),
            params: vec![
                float_param(
                    "scale",
                    "End size",
                    "The subject's size at the end, as a fraction.",
                    0.05,
                    1.0,
                    0.25,
                    0.01,
                    true,
                ),
                float_param(
                    "anchor",
                    "Anchor",
                    "0 shrinks toward the subject's centre, 1 toward its feet (it stays standing).",
                    0.0,
                    1.0,
                    1.0,
                    0.01,
                    false,
                ),
                float_param(
                    "easing",
                    "Easing",
                    "0 shrinks at a constant rate, 1 eases in and out.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["shrink".into(), "tiny".into(), "scale".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        vec![progress, p.float("scale", 0.25), p.float("anchor", 1.0), p.float("easing", 0.5)]
    }
}

pikafx_sdk::export_shader_effect!(Shrink);
