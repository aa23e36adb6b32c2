//! `pikaffect/squish`: the subject (from the host's subject mask) is
//! squashed vertically toward its bottom over the layer's time range, as if
//! pressed from above, and bulges a little sideways. Its bottom stays put;
//! the background it uncovers above is filled from the background around
//! it. Deterministic (no randomness); progress 0 leaves the frame as is.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Squish;

impl ShaderEffect for Squish {
    const WGSL: &'static str = include_str!("../squish.wgsl");
    const SUBJECT_MASK: bool = true;
    const REGION: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const COARSE_FILL: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::RINGS, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "squish".into(),
            name: "Squish".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject is squashed flat from above and bulges sideways; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How flat the subject gets by the end of the effect.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param("bulge", "Bulge", "How much the subject spreads sideways.", 0.0, 1.0, 0.5, 0.01, true),
                float_param(
                    "easing",
                    "Easing",
                    "0 presses at a steady rate; 1 starts slowly, speeds up and settles.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["squish".into(), "squash".into(), "press".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 };
        vec![progress, p.float("intensity", 0.7), p.float("bulge", 0.5), p.float("easing", 0.5)]
    }
}

pikafx_sdk::export_shader_effect!(Squish);
