//! `pikaffect/tear`: the subject (from the host's subject mask) tears in two
//! like paper along a jagged, seeded line through its centroid (vertical by
//! default). Over the layer's time range the halves swing open about the
//! foot of the tear and then pull apart sideways; the torn edges are
//! paper-white with loose fibres, and the widening gap shows the background
//! filled in from the subject's surroundings. With progress 0 the frame is
//! unchanged; the same seed gives the same tear.

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, float_param, int_param};

struct Tear;

impl ShaderEffect for Tear {
    const WGSL: &'static str = include_str!("../tear.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "tear".into(),
            name: "Tear".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject tears in two like paper and the halves pull apart; the background shows between."
                .into(),
            params: vec![
                float_param(
                    "gap",
                    "Gap",
                    "How far the halves are pulled apart at the end, as a fraction of the subject's width.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                float_param("jagged", "Jaggedness", "How far the tear line zigzags.", 0.0, 1.0, 0.5, 0.01, false),
                float_param(
                    "angle",
                    "Angle",
                    "Tilt of the tear from vertical, in degrees (clockwise).",
                    -60.0,
                    60.0,
                    0.0,
                    1.0,
                    false,
                ),
                float_param(
                    "fibres",
                    "Fibres",
                    "Width of the white torn edges and length of the loose fibres.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the tear line; the same seed gives the same tear.",
                    0,
                    1000,
                    11,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["tear".into(), "rip".into(), "paper".into(), "split".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let angle = p.float("angle", 0.0).clamp(-60.0, 60.0).to_radians();
        vec![
            progress,
            p.float("gap", 0.4),
            p.float("jagged", 0.5),
            angle.cos(),
            angle.sin(),
            p.float("fibres", 0.5),
            p.int("seed", 11).clamp(0, 1 << 24) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Tear);
