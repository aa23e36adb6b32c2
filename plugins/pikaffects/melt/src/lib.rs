//! `pikaffect/melt`: the subject (from the host's subject mask) drips
//! downward over the layer's time range while the background stays intact.
//! Deterministic for a given seed.
//!
//! Three passes a frame: `columns_main` finds where the mask is non-zero
//! column by column, `region_main` (pikafx_sdk::wgsl::REGION) grows that
//! by the drip, and `main` runs over that rectangle only (`dispatch-region`;
//! the rest of the output is the frame).

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, compile, create_texture, dispatch, dispatch_in_region, float_param, int_param, subject_mask,
};

const WGSL: &str = include_str!("../melt.wgsl");

struct Melt;

struct MeltRenderer {
    shader: Shader,
    columns: Shader,
    region: Shader,
    width: u32,
}

impl Guest for Melt {
    type Renderer = MeltRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "melt".into(),
            name: "Melt".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject melts and drips downward; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How far the subject drips by the end of the effect.",
                    0.0,
                    1.0,
                    0.7,
                    0.01,
                    true,
                ),
                float_param(
                    "frequency",
                    "Drip frequency",
                    "How many separate drips run across the frame width.",
                    1.0,
                    40.0,
                    12.0,
                    0.5,
                    false,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the drip pattern; the same seed gives the same melt.",
                    0,
                    1000,
                    7,
                    false,
                ),
                float_param(
                    "glossiness",
                    "Glossiness",
                    "Strength of the wet highlight on the drips.",
                    0.0,
                    1.0,
                    0.3,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["melt".into(), "drip".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = pikafx_sdk::wgsl::with_prelude(WGSL, &[pikafx_sdk::wgsl::REGION]);
        let shader = compile(&source, "main")?;
        let columns = compile(&source, "columns_main")?;
        let region = compile(&source, "region_main")?;
        Ok(Renderer::new(MeltRenderer { shader, columns, region, width: clip.width.max(1) }))
    }
}

impl GuestRenderer for MeltRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let p = Params::new(&params);
        let mask = subject_mask(input)?;
        let progress = pikafx_sdk::layer_progress(&ctx);
        let uniforms = [
            progress,
            p.float("intensity", 0.7),
            p.float("frequency", 12.0),
            p.int("seed", 7).clamp(0, 1 << 24) as f32,
            p.float("glossiness", 0.3),
        ];
        let columns = create_texture(self.width, 1)?;
        dispatch(&self.columns, &[input, &mask], &columns, &uniforms).map_err(|e| format!("mask columns: {e}"))?;
        dispatch_in_region(&self.region, &self.shader, &[input, &mask, &columns], output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Melt);
