//! `pikaffect/decapitate`: a cartoon slice, no gore. The top part of the
//! subject (from the host's subject mask; the part above a horizontal cut at
//! a fraction of its box height, found with the subject-bounds pass) is cut
//! off cleanly, hops off to one side spinning and falls to the ground line,
//! while the rest of the subject stays standing. Where the head was, the
//! background is filled in from around it; both cut faces get a flat light
//! band. Progress 0 leaves the frame as is. No randomness.
//!
//! Two passes per frame (plus the SDK's subject-bounds pass): the SDK's
//! `wgsl::COARSE_FILL_PASS` evaluates the background fill on a coarse grid
//! (cheap on lavapipe, see there), and `decapitate.wgsl` draws the standing body,
//! the filled hole and the flying head, dispatched only over where the head
//! was and where it flies now (worked out on the GPU by its `effect_region`
//! pass, see [`pikafx_sdk::wgsl::REGION`]); the rest of the output is a copy
//! of the input.

use pikafx_sdk::wgsl::{BOUNDS, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Subject, SubjectPasses, Texture, choice_param, compile, dispatch_in_region, float_param,
};

const WGSL: &str = include_str!("../decapitate.wgsl");

struct Decapitate;

/// The compiled passes and the size of the coarse fill.
struct DecapitateRenderer {
    main: Shader,
    region: Shader,
    subject: SubjectPasses,
}

impl Guest for Decapitate {
    type Renderer = DecapitateRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "decapitate".into(),
            name: "Decapitate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject's top is sliced off cleanly and tumbles away; the rest stays standing.".into(),
            params: vec![
                float_param(
                    "cut",
                    "Cut height",
                    "Where the cut is, as a fraction of the subject's height from its top.",
                    0.1,
                    0.9,
                    0.3,
                    0.01,
                    false,
                ),
                choice_param(
                    "direction",
                    "Direction",
                    "Which side the head flies off to.",
                    &["left", "right"],
                    "right",
                ),
                float_param("spin", "Spin", "How many turns the head makes while it flies.", 0.0, 2.0, 0.3, 0.01, true),
                float_param(
                    "distance",
                    "Distance",
                    "How far sideways the head flies, in subject widths.",
                    0.0,
                    3.0,
                    1.0,
                    0.01,
                    true,
                ),
                float_param(
                    "fall",
                    "Fall",
                    "How far the head drops: 0 keeps its height, 1 lands on the ground line.",
                    0.0,
                    1.0,
                    1.0,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["decapitate".into(), "slice".into(), "cut".into(), "cartoon".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[SUBJECT, BOUNDS, REGION]);
        let main = compile(&source, "main")?;
        let region = compile(&source, "region_main")?;
        let subject = SubjectPasses::new(&clip)?;
        Ok(Renderer::new(DecapitateRenderer { main, region, subject }))
    }
}

impl GuestRenderer for DecapitateRenderer {
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
        let direction = if p.choice("direction", "right") == "left" { -1.0 } else { 1.0 };
        let uniforms = [
            progress,
            p.float("cut", 0.3),
            direction,
            p.float("spin", 0.3),
            p.float("distance", 1.0),
            p.float("fall", 1.0),
        ];
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        let inputs = [input, &mask, &bounds, &fill];
        dispatch_in_region(&self.region, &self.main, &inputs, output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Decapitate);
