//! Runs a stack on generated frames, without ffmpeg: what `pikafx plugin
//! check` and `pikafx plugin bench` use to exercise a plugin quickly and
//! measure it without decode/encode noise.

use super::{RenderError, StackRunner};
use crate::gpu::{FrameRecorder, GpuTexture};
use crate::plugin::ClipInfo;
use crate::stack::PreparedStack;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a synthetic run measured and, when asked, read back.
#[derive(Debug, Default)]
pub struct SyntheticRun {
    /// Frames rendered.
    pub frames: u32,
    /// Calls into plugins' `render`.
    pub plugin_calls: u64,
    /// Time inside those calls (WASM side).
    pub plugin_time: Duration,
    /// Time from submitting a frame's GPU work to its completion.
    pub gpu_time: Duration,
    /// The largest linear memory a plugin grew to, in bytes.
    pub peak_plugin_memory: usize,
    /// Each frame's input and output as RGBA8 (only with `readback`).
    pub pixels: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A test card: a moving, textured orange square (a "subject") over a
/// blue gradient with a strip of colour bars along the top.
pub fn test_card(width: u32, height: u32, index: u32, frames: u32) -> Vec<u8> {
    const BARS: [[u8; 3]; 7] =
        [[192, 192, 192], [192, 192, 0], [0, 192, 192], [0, 192, 0], [192, 0, 192], [192, 0, 0], [0, 0, 192]];
    let bar_rows = height / 12;
    let side = (width.min(height) / 3).max(1);
    let t = if frames > 1 { index as f32 / (frames - 1) as f32 } else { 0.0 };
    let x0 = ((width - side) as f32 * (0.2 + 0.6 * t)) as u32;
    let y0 = (height - side) / 2;
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            let inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
            let rgb = if inside {
                let checker = ((x - x0) / 8 + (y - y0) / 8).is_multiple_of(2);
                if checker { [250, 140, 30] } else { [230, 90, 20] }
            } else if y < bar_rows {
                BARS[(x * 7 / width.max(1)) as usize % 7]
            } else {
                let g = (y * 60 / height.max(1)) as u8;
                [40 + g / 2, 60 + g, 110 + g]
            };
            pixels.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
    }
    pixels
}

impl super::Renderer {
    /// Renders `frames` generated `width`x`height` frames at `fps` through
    /// `stack`, timing the plugin calls and the GPU work separately.
    pub fn run_synthetic(
        &self,
        stack: &PreparedStack,
        width: u32,
        height: u32,
        frames: u32,
        readback: bool,
    ) -> Result<SyntheticRun, RenderError> {
        let fps = 30.0;
        let clip = ClipInfo { width, height, fps, frame_count: frames, duration_sec: f64::from(frames) / fps };
        let recorder = Arc::new(Mutex::new(FrameRecorder::new(self.gpu.clone())));
        let mut runner = StackRunner::new(&self.gpu, &self.runtime, stack, clip, recorder.clone())?;
        let source = GpuTexture::new(&self.gpu, width, height, "test card")?;
        let mut run = SyntheticRun { frames, ..SyntheticRun::default() };
        for i in 0..frames {
            // One card at a time: holding them all would cost 220 MB for 60
            // frames at 720p and inflate the peak RSS `plugin bench` reports.
            let card = test_card(width, height, i, frames);
            recorder.lock().unwrap_or_else(|p| p.into_inner()).write_rgba(&source, &card)?;
            let result = runner.run_frame(&source, u64::from(i), f64::from(i) / fps)?;
            let mut rec = recorder.lock().unwrap_or_else(|p| p.into_inner());
            let submitted = Instant::now();
            rec.flush()?;
            self.gpu.wait_idle()?;
            run.gpu_time += submitted.elapsed();
            if readback {
                run.pixels.push((card, rec.read_rgba(&result)?));
            }
        }
        (run.plugin_calls, run.plugin_time) = runner.plugin_stats();
        run.peak_plugin_memory = runner.peak_plugin_memory();
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::test_card;

    #[test]
    fn the_square_moves_across_frames() {
        let first = test_card(64, 48, 0, 10);
        let last = test_card(64, 48, 9, 10);
        assert_eq!(first.len(), 64 * 48 * 4);
        assert_ne!(first, last);
    }
}
