//! `pikaffect/vaporize`: the subject (from the host's subject mask) turns
//! into vapour over the layer's time range, top first with a seeded, noisy
//! order: each part warms toward the mist colour, then lifts off as steam
//! that rises in wisps (noise-driven upward displacement that grows with its
//! age, swaying with the turbulence), blurs, brightens toward the mist colour
//! and fades. What it leaves is the background, filled in from the subject's
//! surroundings; at progress 1 only background is left. Unlike `dissolve`
//! (grains vanishing in place), the subject's pixels travel upward. With
//! progress 0 the frame is unchanged. Deterministic for a given seed.
//!
//! Passes per frame, after the SDK's subject passes: `fields_main` puts the
//! noise fields that depend on the output position alone on a grid of one
//! texel per few pixels; `main` runs over the region the vapour can reach
//! (`dispatch-region`) and samples them.

use pikafx_sdk::wgsl::{BOUNDS, COARSE_FILL, NOISE, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Subject, SubjectPasses, Texture, color_param, compile, create_texture, dispatch, dispatch_in_region, float_param,
    int_param, rgba,
};

const WGSL: &str = include_str!("../vaporize.wgsl");

struct Vaporize;

struct VaporizeRenderer {
    main: Shader,
    region: Shader,
    fields: Shader,
    subject: SubjectPasses,
}

/// Pixels per texel of the noise fields for wisps `wisp` pixels wide at
/// 720p on a frame `height` pixels high: a fifth of the narrowest streak
/// cell (0.6 of the wisp size), where bilinear interpolation of value noise
/// is within ~3% of the noise itself; the finer lift-off octave (0.35 of
/// the wisp size, a third of its weight) sees a third of its cell. 3 pixels
/// at the defaults at 720p; 1 (the pixels' centres) for small wisps.
fn field_spacing(wisp: f32, height: u32) -> f32 {
    let wisp_px = (wisp * height as f32 / 720.0).max(2.0);
    (0.12 * wisp_px).floor().clamp(1.0, 8.0)
}

impl Guest for Vaporize {
    type Renderer = VaporizeRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "vaporize".into(),
            name: "Vaporize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns to steam that rises in wisps and fades, leaving the background.".into(),
            params: vec![
                float_param(
                    "rise",
                    "Rise",
                    "How far the vapour rises before it fades, as a fraction of the frame height.",
                    0.02,
                    0.6,
                    0.25,
                    0.01,
                    true,
                ),
                float_param(
                    "turbulence",
                    "Turbulence",
                    "How much the wisps sway sideways as they rise.",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                color_param("colour", "Mist colour", "Colour the vapour turns to.", rgba(0.9, 0.94, 1.0, 1.0), true),
                float_param(
                    "wisp",
                    "Wisp size",
                    "Width of the wisps, in pixels at 720p.",
                    4.0,
                    120.0,
                    28.0,
                    0.5,
                    false,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the wisps and the order in which parts lift off.",
                    0,
                    1000,
                    5,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["vaporize".into(), "steam".into(), "mist".into(), "vanish".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, SUBJECT, COARSE_FILL, BOUNDS, REGION]);
        Ok(Renderer::new(VaporizeRenderer {
            main: compile(&source, "main")?,
            region: compile(&source, "region_main")?,
            fields: compile(&source, "fields_main")?,
            subject: SubjectPasses::new(&clip)?,
        }))
    }
}

impl GuestRenderer for VaporizeRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let p = Params::new(&params);
        let progress = pikafx_sdk::layer_progress(&ctx);
        let c = p.color("colour", rgba(0.9, 0.94, 1.0, 1.0));
        let wisp = p.float("wisp", 28.0);
        let spacing = field_spacing(wisp, input.height());
        let uniforms = [
            progress,
            p.float("rise", 0.25),
            p.float("turbulence", 0.5),
            c.r,
            c.g,
            c.b,
            wisp,
            p.int("seed", 5).clamp(0, 1 << 24) as f32,
            spacing,
        ];
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        // Texel i at (i + 0.5) * spacing, one beyond the last pixel.
        let side = |pixels: u32| (pixels as f32 / spacing).ceil() as u32 + 2;
        let fields = create_texture(side(input.width()), side(input.height()))?;
        dispatch(&self.fields, &[input, &mask, &bounds], &fields, &uniforms).map_err(|e| format!("fields: {e}"))?;
        dispatch_in_region(&self.region, &self.main, &[input, &mask, &bounds, &fill, &fields], output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Vaporize);
