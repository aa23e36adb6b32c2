//! `pikaffect/burn`: the subject (from the host's subject mask) burns away
//! over the layer's time range. A ragged, seeded fire front crosses the
//! subject's bounding box in the chosen direction (bottom to top by
//! default): ahead of it the subject scorches brown, shimmers in the heat
//! and darkens under smoke; on the front a line of flame glows in the ember
//! colour; behind it a band of black char with flickering embers crumbles
//! away and leaves only the background, filled in from the subject's
//! surroundings. Unlike `dissolve` (grains vanishing everywhere at once),
//! this is one directional front. With progress 0 the frame is unchanged;
//! the flicker depends only on the frame index and the seed.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Params, ShaderEffect, choice_param, color_param, float_param,
    int_param, rgba,
};

struct Burn;

/// The front's travel directions, as unit vectors in frame pixels (y down).
const DIRECTIONS: [(&str, f32, f32); 4] =
    [("up", 0.0, -1.0), ("down", 0.0, 1.0), ("left", -1.0, 0.0), ("right", 1.0, 0.0)];

impl ShaderEffect for Burn {
    const WGSL: &'static str = include_str!("../burn.wgsl");
    const SUBJECT_MASK: bool = true;
    const COARSE_FILL: bool = true;
    const SUBJECT_BOUNDS: bool = true;
    const REGION: bool = true;
    const PRELUDE: &'static [&'static str] =
        &[pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::COARSE_FILL, pikafx_sdk::wgsl::BOUNDS];

    fn describe() -> EffectInfo {
        let options: Vec<&str> = DIRECTIONS.iter().map(|(name, _, _)| *name).collect();
        EffectInfo {
            id: "burn".into(),
            name: "Burn".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "A fire front sweeps across the subject, leaving char and embers, until only the background \
                          is left."
                .into(),
            params: vec![
                choice_param(
                    "direction",
                    "Direction",
                    "Where the fire front travels: up starts at the subject's bottom.",
                    &options,
                    "up",
                ),
                float_param(
                    "char",
                    "Char width",
                    "Depth of the blackened band behind the front, as a fraction of the subject.",
                    0.02,
                    0.5,
                    0.15,
                    0.01,
                    true,
                ),
                color_param(
                    "colour",
                    "Ember colour",
                    "Colour of the flames on the front and of the embers in the char.",
                    rgba(1.0, 0.42, 0.06, 1.0),
                    true,
                ),
                float_param("glow", "Glow", "Brightness of the flames and embers.", 0.0, 2.0, 1.0, 0.01, true),
                int_param("seed", "Seed", "Chooses the shape of the front and the embers.", 0, 1000, 1, false),
            ],
            history_frames: 0,
            tags: vec!["burn".into(), "fire".into(), "char".into(), "vanish".into(), "subject".into()],
        }
    }

    fn uniforms(_clip: &ClipInfo, ctx: &FrameContext, p: &Params<'_>) -> Vec<f32> {
        let progress = pikafx_sdk::layer_progress(ctx);
        let direction = p.choice("direction", "up");
        let (_, dx, dy) = DIRECTIONS.iter().find(|(name, _, _)| *name == direction).copied().unwrap_or(DIRECTIONS[0]);
        let c = p.color("colour", rgba(1.0, 0.42, 0.06, 1.0));
        vec![
            progress,
            dx,
            dy,
            p.float("char", 0.15),
            c.r,
            c.g,
            c.b,
            p.float("glow", 1.0),
            p.int("seed", 1).clamp(0, 1 << 24) as f32,
            // The flicker's clock: frame indices, exact in f32 up to 2^24.
            (ctx.index % (1 << 24)) as f32,
        ]
    }
}

pikafx_sdk::export_shader_effect!(Burn);
