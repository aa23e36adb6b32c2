//! `pikaffect/ripple`: water-like concentric ripples spread out from the
//! subject's centroid across the subject over the layer's time range. Ring
//! waves travel outward with time, refract (displace) the subject's pixels
//! and shade them like a water surface, fading with distance from the
//! centre; the background stays intact, and where the subject's edge
//! ripples inward the background around it fills in. With progress 0 the
//! frame is unchanged. No randomness: the same input gives the same output.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param};

struct Ripple;

impl ShaderEffect for Ripple {
    const WGSL: &'static str = include_str!("../ripple.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "ripple".into(),
            name: "Ripple".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "Water-like rings spread out from the subject's centre and ripple through it.".into(),
            params: vec![
                float_param(
                    "amplitude",
                    "Amplitude",
                    "How strongly the rings bend the subject's pixels (1: as far as they can without folding over).",
                    0.0,
                    1.0,
                    0.8,
                    0.01,
                    true,
                ),
                float_param(
                    "wavelength",
                    "Wavelength",
                    "Distance between two rings, in pixels at 720p.",
                    8.0,
                    240.0,
                    64.0,
                    1.0,
                    true,
                ),
                float_param(
                    "speed",
                    "Speed",
                    "Rings that pass a point per second (negative values run them inward).",
                    -4.0,
                    4.0,
                    1.5,
                    0.05,
                    false,
                ),
                float_param(
                    "damping",
                    "Damping",
                    "How quickly the rings fade as they spread from the centre.",
                    0.0,
                    4.0,
                    1.0,
                    0.05,
                    true,
                ),
                float_param(
                    "shine",
                    "Shine",
                    "Light and shade of the rings, and the glint on their slopes.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["ripple".into(), "water".into(), "waves".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        // The rings' travel as a fraction of one ring, computed in f64 so that
        // a long clip's time does not lose the phase to f32 rounding.
        let time = if ctx.time_sec.is_finite() { ctx.time_sec } else { 0.0 };
        let cycles = (f64::from(p.float("speed", 1.5)) * time).rem_euclid(1.0) as f32;
        vec![
            progress,
            p.float("amplitude", 0.8),
            p.float("wavelength", 64.0),
            cycles,
            p.float("damping", 1.0),
            p.float("shine", 0.6),
        ]
    }
}

pikafx_sdk::export_shader_effect!(Ripple);
