//! The person-segmentation model behind `analysis.subject-mask`.
//!
//! MediaPipe selfie segmentation (general, 256x256), converted to ONNX and
//! embedded in the binary (`models/selfie_segmentation_256.onnx`, Apache-2.0,
//! see `models/NOTICE`), run on the CPU by `tract-onnx` (~13 ms per call on
//! this project's machines). Input: 1x256x256x3 NHWC RGB in 0..1; output:
//! 1x256x256x1 person probability.

use std::sync::{Arc, OnceLock};
use tract_onnx::prelude::*;

/// Side of the model's square input and output.
pub(crate) const MODEL_SIDE: usize = 256;

const MODEL: &[u8] = include_bytes!("../../../../models/selfie_segmentation_256.onnx");

type Plan = Arc<TypedRunnableModel>;

/// The optimised model, loaded once per process; `None` if it failed to load
/// (the mask then uses the classical estimate only).
fn plan() -> Option<&'static Plan> {
    static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
    PLAN.get_or_init(|| match load() {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::warn!("subject mask: segmentation model unavailable, using the classical estimate: {e:#}");
            None
        }
    })
    .as_ref()
}

fn load() -> TractResult<Plan> {
    // The ONNX file declares a concrete 1x256x256x3 input.
    tract_onnx::onnx().model_for_read(&mut &MODEL[..])?.into_optimized()?.into_runnable()
}

/// Whether the model can run in this process (loads it on first call).
pub(crate) fn available() -> bool {
    plan().is_some()
}

/// Runs the model on a 256x256 RGBA8 image; returns 256x256 probabilities.
pub(crate) fn person_probability(rgba: &[u8]) -> Option<Vec<f32>> {
    let plan = plan()?;
    if rgba.len() != MODEL_SIDE * MODEL_SIDE * 4 {
        return None;
    }
    let input: Vec<f32> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).map(|v| f32::from(v) / 255.0).collect();
    let run = || -> TractResult<Vec<f32>> {
        let tensor = Tensor::from_shape(&[1, MODEL_SIDE, MODEL_SIDE, 3], &input)?;
        let out = plan.run(tvec!(tensor.into()));
        clear_upper_vector_state();
        let out = out?;
        let view = out[0].to_plain_array_view::<f32>()?;
        Ok(view.iter().copied().collect())
    };
    match run() {
        Ok(p) if p.len() == MODEL_SIDE * MODEL_SIDE => Some(p),
        Ok(p) => {
            tracing::warn!("subject mask: the model returned {} values", p.len());
            None
        }
        Err(e) => {
            tracing::warn!("subject mask: the model failed: {e:#}");
            None
        }
    }
}

/// Clears the upper halves of the AVX registers after tract has run.
///
/// tract's AVX kernels return with them dirty (no `vzeroupper`), and until
/// something clears them every SSE instruction this thread runs pays a
/// transition penalty: measured here, glibc's `expf` in a loop ran 40x
/// slower after one model call (12 ms -> 520 ms), and the render thread runs
/// the CPU colour conversions and the mask's CPU upsample right after the
/// model.
fn clear_upper_vector_state() {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        #[target_feature(enable = "avx")]
        fn zero_upper() {
            std::arch::x86_64::_mm256_zeroupper();
        }
        // SAFETY: the CPU supports AVX (checked just above), the one
        // requirement of `zero_upper`'s target feature; `vzeroupper` only
        // clears register state no live value is kept in across this call.
        unsafe { zero_upper() }
    }
}

/// How much to trust the model on this output, 0..1: a person the model is
/// sure of gives a compact, confident region (most pixels near 0 or 1, a
/// foreground covering a few percent to most of the frame); scenes without a
/// person give low, hazy probabilities or no foreground at all.
pub(crate) fn confidence(prob: &[f32]) -> f32 {
    if prob.is_empty() {
        return 0.0;
    }
    let n = prob.len() as f32;
    let area = prob.iter().filter(|&&p| p > 0.5).count() as f32 / n;
    let fg: Vec<f32> = prob.iter().copied().filter(|&p| p > 0.5).collect();
    // Certainty inside the foreground: a real person is mostly > 0.9.
    let fg_certainty = if fg.is_empty() { 0.0 } else { fg.iter().sum::<f32>() / fg.len() as f32 };
    // Haze: pixels neither clearly in nor out.
    let haze = prob.iter().filter(|&&p| p > 0.2 && p < 0.8).count() as f32 / n;
    smoothstep(0.02, 0.06, area)
        * (1.0 - smoothstep(0.85, 0.97, area))
        * smoothstep(0.8, 0.92, fg_certainty)
        * (1.0 - smoothstep(0.04, 0.12, haze))
}

fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}
