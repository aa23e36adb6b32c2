//! `style/posterize`: quantises each colour channel to a few levels. It runs
//! on the CPU (`read-rgba` / `write-rgba`) to exercise the host's slow path.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Texture,
    gpu_err, int_param, toggle_param,
};

struct Posterize;

struct PosterizeRenderer;

/// The lookup table mapping a channel value to its quantised value.
fn table(levels: i32) -> [u8; 256] {
    let steps = (levels.clamp(2, 256) - 1) as f32;
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        let q = (v as f32 / 255.0 * steps).round() / steps;
        *out = (q * 255.0).round() as u8;
    }
    lut
}

/// Quantises `pixels` (RGBA8) in place; alpha is kept unless `alpha` is set.
fn posterize(pixels: &mut [u8], lut: &[u8; 256], alpha: bool) {
    for px in pixels.chunks_exact_mut(4) {
        px[0] = lut[px[0] as usize];
        px[1] = lut[px[1] as usize];
        px[2] = lut[px[2] as usize];
        if alpha {
            px[3] = lut[px[3] as usize];
        }
    }
}

impl Guest for Posterize {
    type Renderer = PosterizeRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "posterize".into(),
            name: "Posterize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Reduces every colour channel to a few flat levels (CPU).".into(),
            params: vec![
                int_param("levels", "Levels", "Number of distinct values kept per colour channel.", 2, 32, 5, true),
                toggle_param("alpha", "Posterize alpha", "Also quantise the alpha channel.", false),
            ],
            history_frames: 0,
            tags: vec!["posterize".into(), "graphic".into(), "cpu".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        Ok(Renderer::new(PosterizeRenderer))
    }
}

impl GuestRenderer for PosterizeRenderer {
    fn render(
        &self,
        _ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let (w, h) = (input.width(), input.height());
        if (w, h) != (output.width(), output.height()) {
            return Err(format!("posterize: input is {w}x{h} but output is {}x{}", output.width(), output.height()));
        }
        let p = Params::new(&params);
        let lut = table(p.int("levels", 5));
        let mut pixels = input.read_rgba();
        let expected = w as usize * h as usize * 4;
        if pixels.len() != expected {
            return Err(format!("posterize: read {} bytes, expected {expected}", pixels.len()));
        }
        posterize(&mut pixels, &lut, p.toggle("alpha", false));
        output.write_rgba(&pixels).map_err(gpu_err)
    }
}

pikafx_sdk::export_effect!(Posterize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_levels_are_black_and_white() {
        let lut = table(2);
        assert_eq!(lut[0], 0);
        assert_eq!(lut[127], 0);
        assert_eq!(lut[128], 255);
        assert_eq!(lut[255], 255);
    }

    #[test]
    fn five_levels() {
        let lut = table(5);
        let mut values: Vec<u8> = lut.to_vec();
        values.dedup();
        assert_eq!(values, vec![0, 64, 128, 191, 255]);
    }
}
