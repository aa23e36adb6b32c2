//! `pikaffect/eye-pop`: cartoon eyes pop out of the subject over the layer's
//! time range. Two eye positions are estimated from the subject's box (a
//! fraction of its height down from the top, a fraction of its width
//! apart); at each, a bulging magnifying lens swells on the subject and a
//! cartoon eyeball (white, shaded as a sphere, with an iris, a dark pupil
//! and a catchlight) springs out of it with an overshoot, then settles. The
//! background stays intact. With progress 0 the frame is unchanged; there
//! is no randomness.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, color_param, float_param, rgba,
};

struct EyePop;

/// A damped spring from 0 toward 1 over `t` in 0..1: one and a half
/// swings, the first overshooting by `overshoot` (a fraction).
fn spring(t: f32, overshoot: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    let omega = 3.0 * std::f32::consts::PI;
    // The first peak is at omega t = pi; decay so that it reaches 1 + overshoot.
    let decay = -overshoot.clamp(0.01, 0.9).ln() * omega / std::f32::consts::PI;
    1.0 - (-decay * t).exp() * (omega * t).cos()
}

/// (lens scale, eyeball scale) at `progress`: the lenses swell first, then
/// the eyeballs pop out of them and keep growing a little to the end.
fn pop_scales(progress: f32, pop: f32) -> (f32, f32) {
    let overshoot = 0.05 + 0.4 * pop.clamp(0.0, 1.0);
    let lens = spring(progress * 1.4, overshoot * 0.6);
    let eye = spring(progress, overshoot) * (0.75 + 0.25 * progress);
    (lens, eye)
}

impl ShaderEffect for EyePop {
    const WGSL: &'static str = include_str!("../eye-pop.wgsl");
    const SUBJECT_MASK: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] = &[pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "eye-pop".into(),
            name: "Eye Pop".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "Cartoon eyes bulge and pop out of the subject with a springy bounce.".into(),
            params: vec![
                float_param(
                    "size",
                    "Eye size",
                    "Radius of each eyeball at rest, as a fraction of the subject's width.",
                    0.05,
                    0.35,
                    0.16,
                    0.01,
                    true,
                ),
                float_param(
                    "pop",
                    "Pop",
                    "How far the eyes overshoot as they spring out (0: no bounce).",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    false,
                ),
                float_param(
                    "height",
                    "Eye height",
                    "How far down from the top of the subject the eyes sit, as a fraction of its height.",
                    0.0,
                    0.8,
                    0.28,
                    0.01,
                    true,
                ),
                float_param(
                    "spacing",
                    "Spacing",
                    "Distance between the eyes' centres, as a fraction of the subject's width.",
                    0.1,
                    0.9,
                    0.42,
                    0.01,
                    true,
                ),
                color_param(
                    "pupil",
                    "Iris colour",
                    "Colour of the irises (the pupils are a dark shade of it).",
                    rgba(0.16, 0.1, 0.05, 1.0),
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["eye-pop".into(), "eyes".into(), "cartoon".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let (lens, eye) = pop_scales(progress, p.float("pop", 0.6));
        let c = p.color("pupil", rgba(0.16, 0.1, 0.05, 1.0));
        vec![lens, eye, p.float("size", 0.16), p.float("height", 0.28), p.float("spacing", 0.42), c.r, c.g, c.b]
    }
}

pikafx_sdk::export_shader_effect!(EyePop);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spring_starts_at_zero_overshoots_and_settles() {
        assert_eq!(pop_scales(0.0, 0.6), (0.0, 0.0));
        let (_, peak) = pop_scales(1.0 / 3.0, 1.0);
        let (_, end) = pop_scales(1.0, 1.0);
        assert!(peak > end * 1.05, "{peak} vs {end}");
        let calm: Vec<f32> = (0..=9).map(|i| pop_scales(i as f32 / 9.0, 0.0).1).collect();
        assert!(calm.windows(2).all(|w| w[1] >= w[0] - 0.02), "{calm:?}");
    }
}
