//! `style/film`: a warm film grade in one GPU pass, equivalent to the ffmpeg
//! chain `eq=contrast=1.2:saturation=1.3,colorbalance=rs=0.1,vignette,
//! noise=alls=10:allf=t` at its default parameters.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, compile, dispatch, float_param,
};

const WGSL: &str = include_str!("../film.wgsl");

struct Film;

struct FilmRenderer {
    shader: Shader,
}

impl Guest for Film {
    type Renderer = FilmRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "film".into(),
            name: "Film".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Film grade: contrast, saturation, warm shadows, vignette and grain.".into(),
            params: vec![
                float_param(
                    "contrast",
                    "Contrast",
                    "Luma contrast around mid-grey (1 = unchanged).",
                    0.5,
                    2.0,
                    1.2,
                    0.01,
                    true,
                ),
                float_param(
                    "saturation",
                    "Saturation",
                    "Colour intensity (0 = grey, 1 = unchanged).",
                    0.0,
                    3.0,
                    1.3,
                    0.01,
                    true,
                ),
                float_param(
                    "warmth",
                    "Warmth",
                    "Shifts the shadows towards red (positive) or cyan (negative).",
                    -0.5,
                    0.5,
                    0.1,
                    0.01,
                    true,
                ),
                float_param(
                    "vignette",
                    "Vignette",
                    "How much the corners are darkened (0.5 = ffmpeg's default).",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    true,
                ),
                float_param(
                    "grain",
                    "Grain",
                    "Amount of per-frame film grain (0.1 = ffmpeg noise strength 10).",
                    0.0,
                    1.0,
                    0.1,
                    0.01,
                    true,
                ),
            ],
            history_frames: 0,
            tags: vec!["film".into(), "grade".into(), "warm".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let shader = compile(WGSL, "main")?;
        Ok(Renderer::new(FilmRenderer { shader }))
    }
}

impl GuestRenderer for FilmRenderer {
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
            p.float("contrast", 1.2),
            p.float("saturation", 1.3),
            p.float("warmth", 0.1),
            p.float("vignette", 0.5),
            p.float("grain", 0.1),
            (ctx.index & 0x00ff_ffff) as f32,
        ];
        dispatch(&self.shader, &[input], output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Film);
