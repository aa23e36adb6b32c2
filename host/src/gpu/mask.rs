//! `analysis.subject-mask`: a soft 0..1 mask of the frame's subject, in red
//! (green and blue repeat it), the frame's size, stable from frame to frame.
//!
//! # Method, and why
//!
//! Two estimates, blended per frame by how sure the model is:
//!
//! - **A person-segmentation model** (MediaPipe selfie segmentation, 256x256,
//!   embedded ONNX run by `tract-onnx` on the CPU, see `mask/segment.rs`). It
//!   is the only practical learned segmenter that is small (436 KB), licensed
//!   Apache-2.0 and runs in pure Rust in ~13 ms; nothing comparable for
//!   generic objects fits. It only knows people and invents blobs on scenes
//!   without one, so its output is used only as far as it looks like a
//!   confident person (a compact, sharp, not frame-filling region), smoothed
//!   over frames. While it finds no person it runs on every 8th frame only,
//!   so clips without people pay for it rarely.
//! - **A classical estimate on the GPU** for everything else, which also
//!   handles a textured subject moving over a textured background: a running
//!   per-pixel background model (mean colour and texture energy, learned only
//!   where the frame is still and barely under the current subject), the
//!   frame-to-frame difference (motion), and, for shots where nothing has
//!   moved yet, the previous colour-distance-from-the-border times a centre
//!   prior. Which of these counts is decided by the clip's "motion presence"
//!   (the fraction of the frame that moved recently).
//!
//! Both are computed on a work grid of about 256 pixels on the long side
//! (blocks of `block`x`block` frame pixels; 5x5 for 720p), which also averages
//! away fine texture. Temporal smoothing is an exponential moving average with
//! the previous mask, fast where the frame changes and slow where it does not
//! (no flicker on still shots). The work-grid mask is brought back to the
//! frame's size by a joint-bilateral upsample against the full-resolution
//! frame, so edges follow the picture rather than the grid.
//!
//! The GPU does the per-pixel work (`shaders/subject_mask.wgsl`). The model
//! step needs its 256x256 input read back (256 KB, a flush and a wait) and its
//! output uploaded; frames without that step never leave the GPU.
//!
//! Cost at 1280x720 on lavapipe (2 CPU cores; `tests/subject_mask.rs`):
//! ~30 ms per frame for the GPU passes, ~55 ms on frames that run the model
//! (every frame while a person is found, else every 8th). The earlier
//! border-colour estimate, kept as the still-shot fallback, could not follow
//! a textured subject over a textured background at all.
//!
//! State (background model, previous mask, previous frame) lives in the
//! masker, one per clip; a frame of a new size starts it over.

use super::convert::internal_pipeline;
use super::{FrameRecorder, GpuContext, GpuError, GpuTexture};
use segment::MODEL_SIDE;
use std::sync::{Arc, Mutex};
use wgpu::util::DeviceExt;

mod segment;

const SUBJECT_MASK: &str = include_str!("../../../shaders/subject_mask.wgsl");

/// Longest side of the work grid, in work-grid pixels.
const WORK_SIDE: u32 = 256;
/// While the model finds no person, run it on one frame in this many.
const MODEL_PROBE_INTERVAL: u64 = 8;
/// Model weight below which the model only probes.
const MODEL_IDLE_WEIGHT: f32 = 0.05;

/// Computes subject masks; one per clip, reused for every frame.
pub struct SubjectMasker {
    gpu: Arc<GpuContext>,
    downscale: wgpu::ComputePipeline,
    model_input: wgpu::ComputePipeline,
    stats_pipeline: wgpu::ComputePipeline,
    fuse: wgpu::ComputePipeline,
    upsample: wgpu::ComputePipeline,
    stats: wgpu::Buffer,
    use_model: bool,
    state: Mutex<Option<State>>,
}

/// Per-clip state, sized for one frame size.
struct State {
    width: u32,
    height: u32,
    block: u32,
    small: wgpu::TextureView,
    motion: wgpu::TextureView,
    bg: [wgpu::TextureView; 2],
    mask: [wgpu::TextureView; 2],
    /// Which of `bg`/`mask` holds the latest state.
    current: usize,
    prev_frame: GpuTexture,
    model_in: GpuTexture,
    model_prob: GpuTexture,
    frames: u64,
    model_weight: f32,
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Params {
    block: u32,
    first: u32,
    model_weight: f32,
    _pad: f32,
}

impl SubjectMasker {
    /// Builds the passes; the segmentation model is loaded once per process.
    pub fn new(gpu: Arc<GpuContext>) -> Self {
        Self::with_model(gpu, true)
    }

    /// Like [`SubjectMasker::new`], but `use_model: false` leaves the
    /// segmentation model out (classical estimate only).
    pub fn with_model(gpu: Arc<GpuContext>, use_model: bool) -> Self {
        let stats = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("mask stats"),
            size: 32,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        Self {
            downscale: internal_pipeline(&gpu, SUBJECT_MASK, "downscale"),
            model_input: internal_pipeline(&gpu, SUBJECT_MASK, "model_input"),
            stats_pipeline: internal_pipeline(&gpu, SUBJECT_MASK, "stats_pass"),
            fuse: internal_pipeline(&gpu, SUBJECT_MASK, "fuse"),
            upsample: internal_pipeline(&gpu, SUBJECT_MASK, "upsample"),
            stats,
            use_model: use_model && segment::available(),
            state: Mutex::new(None),
            gpu,
        }
    }

    /// Records the mask of `frame` into `mask` (same size). Updates the
    /// clip's state: call once per frame, in order.
    pub fn record(&self, rec: &mut FrameRecorder, frame: &GpuTexture, mask: &GpuTexture) -> Result<(), GpuError> {
        if frame.width() != mask.width() || frame.height() != mask.height() {
            return Err(GpuError::InvalidArgument("mask and frame sizes differ".into()));
        }
        if frame.same_as(mask) {
            return Err(GpuError::InvalidArgument("the mask texture is the frame itself".into()));
        }
        // A poisoned lock only means a panic mid-frame; the state is then
        // rebuilt from scratch.
        let mut guard = self.state.lock().unwrap_or_else(|p| {
            let mut g = p.into_inner();
            *g = None;
            g
        });
        let first = match &*guard {
            Some(s) => s.width != frame.width() || s.height != frame.height(),
            None => true,
        };
        if first {
            *guard = Some(State::new(&self.gpu, frame.width(), frame.height())?);
        }
        let Some(state) = guard.as_mut() else {
            return Err(GpuError::InvalidArgument("subject mask state missing".into()));
        };

        if self.use_model {
            self.run_model(rec, frame, state)?;
        }

        let params = Params {
            block: state.block,
            first: u32::from(first),
            model_weight: if self.use_model { state.model_weight } else { 0.0 },
            _pad: 0.0,
        };
        let params = self.gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("mask params"),
            contents: bytemuck::bytes_of(&params),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let tex = wgpu::BindingResource::TextureView;
        let entry = |binding: u32, resource| wgpu::BindGroupEntry { binding, resource };
        let prev_frame = if first { frame } else { &state.prev_frame };
        let (cur, next) = (state.current, 1 - state.current);
        let (sw, sh) = small_size(frame.width(), frame.height(), state.block);
        let grid = [sw.div_ceil(8), sh.div_ceil(8), 1];

        let group = self.group(
            &self.downscale,
            &[
                entry(1, tex(frame.view())),
                entry(2, tex(prev_frame.view())),
                entry(3, tex(&state.small)),
                entry(4, tex(&state.motion)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.downscale, &group, grid);

        let group = self.group(
            &self.stats_pipeline,
            &[
                entry(0, self.stats.as_entire_binding()),
                entry(5, tex(&state.small)),
                entry(6, tex(&state.motion)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.stats_pipeline, &group, [1, 1, 1]);

        let group = self.group(
            &self.fuse,
            &[
                entry(0, self.stats.as_entire_binding()),
                entry(5, tex(&state.small)),
                entry(6, tex(&state.motion)),
                entry(7, tex(&state.bg[cur])),
                entry(8, tex(&state.bg[next])),
                entry(9, tex(&state.mask[cur])),
                entry(10, tex(&state.mask[next])),
                entry(11, tex(state.model_prob.view())),
                entry(12, wgpu::BindingResource::Sampler(&self.gpu.linear_sampler)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.fuse, &group, grid);

        let group = self.group(
            &self.upsample,
            &[
                entry(1, tex(frame.view())),
                entry(5, tex(&state.small)),
                entry(9, tex(&state.mask[next])),
                entry(13, tex(mask.view())),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.upsample, &group, [mask.width().div_ceil(16), mask.height().div_ceil(8), 1]);

        rec.copy(frame, &state.prev_frame)?;
        state.current = next;
        state.frames += 1;
        Ok(())
    }

    /// Runs the segmentation model on this frame when due, updating the
    /// model's probability texture and its weight.
    fn run_model(&self, rec: &mut FrameRecorder, frame: &GpuTexture, state: &mut State) -> Result<(), GpuError> {
        let due = state.model_weight > MODEL_IDLE_WEIGHT || state.frames.is_multiple_of(MODEL_PROBE_INTERVAL);
        if !due {
            return Ok(());
        }
        let side = MODEL_SIDE as u32;
        let group = self.group(
            &self.model_input,
            &[
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(frame.view()) },
                wgpu::BindGroupEntry {
                    binding: 14,
                    resource: wgpu::BindingResource::TextureView(state.model_in.view()),
                },
            ],
        );
        rec.dispatch_raw(&self.model_input, &group, [side.div_ceil(8), side.div_ceil(8), 1]);
        let input = rec.read_rgba(&state.model_in)?;
        let Some(prob) = segment::person_probability(&input) else {
            state.model_weight = 0.0;
            return Ok(());
        };
        let confidence = segment::confidence(&prob);
        // Smooth the weight so that the blend never jumps between frames.
        state.model_weight += (confidence - state.model_weight) * if state.frames == 0 { 1.0 } else { 0.3 };
        if state.model_weight > MODEL_IDLE_WEIGHT {
            let rgba: Vec<u8> = prob
                .iter()
                .flat_map(|&p| {
                    let v = (p.clamp(0.0, 1.0) * 255.0).round() as u8;
                    [v, v, v, 255]
                })
                .collect();
            rec.write_rgba(&state.model_prob, &rgba)?;
        }
        Ok(())
    }

    fn group(&self, pipeline: &wgpu::ComputePipeline, entries: &[wgpu::BindGroupEntry<'_>]) -> wgpu::BindGroup {
        self.gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("subject mask"),
            layout: &pipeline.get_bind_group_layout(0),
            entries,
        })
    }
}

/// Work-grid size for a frame, with `block` frame pixels per grid pixel.
fn small_size(width: u32, height: u32, block: u32) -> (u32, u32) {
    (width.div_ceil(block), height.div_ceil(block))
}

impl State {
    fn new(gpu: &GpuContext, width: u32, height: u32) -> Result<Self, GpuError> {
        let block = width.max(height).div_ceil(WORK_SIDE).max(1);
        let (sw, sh) = small_size(width, height, block);
        let grid = |label: &str| {
            gpu.device
                .create_texture(&wgpu::TextureDescriptor {
                    label: Some(label),
                    size: wgpu::Extent3d { width: sw, height: sh, depth_or_array_layers: 1 },
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format: wgpu::TextureFormat::Rgba16Float,
                    usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::STORAGE_BINDING,
                    view_formats: &[],
                })
                .create_view(&wgpu::TextureViewDescriptor::default())
        };
        let side = MODEL_SIDE as u32;
        Ok(Self {
            width,
            height,
            block,
            small: grid("mask work frame"),
            motion: grid("mask motion"),
            bg: [grid("mask background a"), grid("mask background b")],
            mask: [grid("mask state a"), grid("mask state b")],
            current: 0,
            prev_frame: GpuTexture::new(gpu, width, height, "mask previous frame")?,
            model_in: GpuTexture::new(gpu, side, side, "mask model input")?,
            model_prob: GpuTexture::new(gpu, side, side, "mask model output")?,
            frames: 0,
            model_weight: 0.0,
        })
    }
}
