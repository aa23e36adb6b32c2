//! `pikaffect/spin`: the subject spins over the layer's time range, either
//! in the image plane around its centroid or as a turntable around its
//! vertical axis (squeezed horizontally by |cos| of the angle, its back side
//! shown mirrored and darker), with a light motion blur along the rotation;
//! the background it uncovers is filled from its surroundings. With
//! progress 0 the frame is unchanged.
//!
//! The angle and the blur arc are computed here rather than in the shader:
//! the arc is the angle swept since the previous frame, which needs the
//! eased angle at two progress values.

use std::f32::consts::TAU;

use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, choice_param, float_param};

const MODES: [&str; 2] = ["plane", "turntable"];
const DIRECTIONS: [&str; 2] = ["clockwise", "counterclockwise"];
/// The largest blur arc, in radians: the blur stays "light" even for many
/// turns on a short clip.
const MAX_ARC: f32 = 0.5;

struct Spin;

/// `t` eased: 0 is linear, 1 is smoothstep (ease in and out).
fn ease(t: f32, easing: f32) -> f32 {
    let smooth = t * t * (3.0 - 2.0 * t);
    t + (smooth - t) * easing
}

impl ShaderEffect for Spin {
    const WGSL: &'static str = include_str!("../spin.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[
        pikafx_sdk::wgsl::NOISE,
        pikafx_sdk::wgsl::SUBJECT,
        pikafx_sdk::wgsl::MASK_SUPPORT,
        pikafx_sdk::wgsl::COARSE_FILL,
        pikafx_sdk::wgsl::BOUNDS,
    ];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "spin".into(),
            name: "Spin".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject spins in place, flat or like a turntable; the background fills in.".into(),
            params: vec![
                float_param("turns", "Turns", "How many full turns the subject makes.", 0.0, 5.0, 1.0, 0.05, false),
                choice_param(
                    "mode",
                    "Mode",
                    "plane: turns in the picture around its centre; turntable: turns around its vertical axis.",
                    &MODES,
                    "plane",
                ),
                choice_param("direction", "Direction", "Which way the subject turns.", &DIRECTIONS, "clockwise"),
                float_param(
                    "easing",
                    "Easing",
                    "0 spins at a constant rate, 1 speeds up and slows down.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    false,
                ),
                float_param(
                    "blur",
                    "Motion blur",
                    "Strength of the blur along the rotation.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["spin".into(), "rotate".into(), "turn".into(), "subject".into()],
        }
    }

    fn uniforms(clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let turns = p.float("turns", 1.0).clamp(0.0, 5.0);
        let easing = p.float("easing", 0.5).clamp(0.0, 1.0);
        let blur = p.float("blur", 0.5).clamp(0.0, 1.0);
        let sign = if p.choice("direction", "clockwise") == "counterclockwise" { -1.0 } else { 1.0 };
        let mode = if p.choice("mode", "plane") == "turntable" { 1.0 } else { 0.0 };
        let angle = |t: f32| sign * turns * TAU * ease(t, easing);
        // One frame's step in progress for a layer over the whole clip; the
        // backward difference is 0 at progress 0, so the first frame is exact.
        let step = 1.0 / (clip.frame_count.max(2) - 1) as f32;
        let swept = angle(progress) - angle((progress - step).max(0.0));
        // Half the swept angle: a 180-degree shutter.
        let arc = (0.5 * blur * swept).clamp(-MAX_ARC, MAX_ARC);
        vec![progress, angle(progress), arc, mode]
    }
}

pikafx_sdk::export_shader_effect!(Spin);
