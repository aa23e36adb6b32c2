//! `pikaffect/crush`: an invisible press comes down on the subject (from the
//! host's subject mask) in three violent crunches over the layer's time
//! range. The subject is flattened toward its base, which stays put, buckles
//! into crumpled folds with dark creases that deepen as it is pressed, and
//! bulges sideways; the background it uncovers above is filled from the
//! background around it. Unlike `squish` (a smooth, springy squash) it ends
//! much flatter and visibly crumpled. Progress 0 leaves the frame as is; the
//! crumple pattern is fixed by the seed.
//!
//! Two passes per frame (plus the SDK's subject-bounds pass): the SDK's
//! `wgsl::COARSE_FILL_PASS` evaluates the background fill on a coarse grid,
//! and `crush.wgsl` maps every pixel the crushed subject can reach back to
//! where it comes from in the uncrushed frame (a `dispatch-region` over
//! its `effect_region`, worked out on the GPU by a tiny pass first). The coarse fill is what keeps the effect cheap on
//! lavapipe (see the SDK's docs of that pass).

use pikafx_sdk::wgsl::{BOUNDS, NOISE, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Subject, SubjectPasses, Texture, compile, dispatch_in_region, float_param, int_param,
};

const WGSL: &str = include_str!("../crush.wgsl");

struct Crush;

/// The compiled passes and the size of the coarse fill.
struct CrushRenderer {
    main: Shader,
    /// `crush.wgsl`'s `effect_region` (see `pikafx_sdk::wgsl::REGION`).
    region: Shader,
    subject: SubjectPasses,
}

impl Guest for Crush {
    type Renderer = CrushRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "crush".into(),
            name: "Crush".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "An invisible press crushes the subject flat and crumples it; the background stays.".into(),
            params: vec![
                float_param(
                    "flatness",
                    "Flatness",
                    "How much of the subject's height is pressed away by the end.",
                    0.3,
                    0.95,
                    0.8,
                    0.01,
                    true,
                ),
                float_param(
                    "crumple",
                    "Crumple",
                    "Strength of the folds, dark creases and ragged outline.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param(
                    "bulge",
                    "Bulge",
                    "How much the crushed subject spreads sideways.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the crumple pattern; the same seed gives the same crush.",
                    0,
                    1000,
                    5,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["crush".into(), "crumple".into(), "press".into(), "flatten".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, SUBJECT, BOUNDS, REGION]);
        let main = compile(&source, "main")?;
        let region = compile(&source, "region_main")?;
        let subject = SubjectPasses::new(&clip)?;
        Ok(Renderer::new(CrushRenderer { main, region, subject }))
    }
}

impl GuestRenderer for CrushRenderer {
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
        let uniforms = [
            progress,
            p.float("flatness", 0.8),
            p.float("crumple", 0.7),
            p.float("bulge", 0.4),
            p.int("seed", 5).clamp(0, 1 << 24) as f32,
        ];
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        // Only the rectangle the crushed subject and the fill can reach is
        // dispatched; the rest of the output is the frame.
        let inputs = [input, &mask, &bounds, &fill];
        dispatch_in_region(&self.region, &self.main, &inputs, output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Crush);
