//! `pikaffect/squish`: the subject (from the host's subject mask) is
//! squashed vertically toward its bottom over the layer's time range, as if
//! pressed from above, and bulges a little sideways. Its bottom stays put;
//! the background it uncovers above is filled from the background around
//! it. Deterministic (no randomness); progress 0 leaves the frame as is.
//!
//! Two passes a frame after the SDK's bounds and coarse fill: `runs.wgsl`
//! finds, column by column, the bottom of the subject run below each pixel
//! of the reach box; `squish.wgsl` then presses each pixel toward it. Both
//! run only over where the subject can reach (`dispatch-region`).

use pikafx_sdk::wgsl::{BOUNDS, COARSE_FILL, REGION, RINGS, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Subject, SubjectPasses, Texture, compile, create_texture, dispatch_in_region, float_param,
};

const WGSL: &str = include_str!("../squish.wgsl");
const RUNS_WGSL: &str = include_str!("../runs.wgsl");
/// What the two passes share: the reach box and the amount.
const REACH_WGSL: &str = include_str!("../reach.wgsl");

struct Squish;

struct SquishRenderer {
    main: Shader,
    main_region: Shader,
    runs: Shader,
    runs_region: Shader,
    subject: SubjectPasses,
}

impl Guest for Squish {
    type Renderer = SquishRenderer;

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

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let main = with_prelude(WGSL, &[REACH_WGSL, RINGS, COARSE_FILL, BOUNDS, REGION]);
        let runs = with_prelude(RUNS_WGSL, &[REACH_WGSL, RINGS, BOUNDS, REGION]);
        Ok(Renderer::new(SquishRenderer {
            main: compile(&main, "main")?,
            main_region: compile(&main, "region_main")?,
            runs: compile(&runs, "main")?,
            runs_region: compile(&runs, "region_main")?,
            subject: SubjectPasses::new(&clip)?,
        }))
    }
}

impl GuestRenderer for SquishRenderer {
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
        let uniforms = [progress, p.float("intensity", 0.7), p.float("bulge", 0.5), p.float("easing", 0.5)];
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        let runs = create_texture(input.width(), input.height())?;
        dispatch_in_region(&self.runs_region, &self.runs, &[input, &mask, &bounds], &runs, &uniforms)
            .map_err(|e| format!("runs: {e}"))?;
        let inputs = [input, &mask, &bounds, &fill, &runs];
        dispatch_in_region(&self.main_region, &self.main, &inputs, output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Squish);
