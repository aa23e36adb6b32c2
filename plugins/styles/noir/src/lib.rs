//! `style/noir`: a black-and-white film-noir look (Rec.709 luma, contrast,
//! vignette, per-frame grain). The output is exactly grey (R = G = B).

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, compile, dispatch, float_param,
};

const WGSL: &str = include_str!("../noir.wgsl");

struct Noir;

struct NoirRenderer {
    shader: Shader,
}

impl Guest for Noir {
    type Renderer = NoirRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "noir".into(),
            name: "Film noir".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "High-contrast black and white with a vignette and film grain.".into(),
            params: vec![
                float_param(
                    "contrast",
                    "Contrast",
                    "How strongly tones are pushed away from mid-grey.",
                    0.5,
                    2.0,
                    1.3,
                    0.01,
                    true,
                ),
                float_param(
                    "vignette",
                    "Vignette",
                    "How much the corners of the frame are darkened.",
                    0.0,
                    1.0,
                    0.4,
                    0.01,
                    true,
                ),
                float_param(
                    "grain",
                    "Grain",
                    "Amount of film grain, different on every frame.",
                    0.0,
                    1.0,
                    0.15,
                    0.01,
                    true,
                ),
                float_param(
                    "brightness",
                    "Brightness",
                    "Lifts or lowers the image before the contrast is applied.",
                    -0.5,
                    0.5,
                    0.0,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["black-and-white".into(), "film".into(), "classic".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let shader = compile(WGSL, "main")?;
        Ok(Renderer::new(NoirRenderer { shader }))
    }
}

impl GuestRenderer for NoirRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let p = Params::new(&params);
        let uniforms = [
            p.float("contrast", 1.3),
            p.float("vignette", 0.4),
            p.float("grain", 0.15),
            (ctx.index & 0x00ff_ffff) as f32,
            p.float("brightness", 0.0),
        ];
        dispatch(&self.shader, &[input], output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Noir);
