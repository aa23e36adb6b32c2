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
//! The GPU does the per-pixel work (`shaders/subject_mask.wgsl`), except on
//! a software adapter, where the last pass (the upsample to the frame's
//! size) runs on the CPU (`mask/cpu_upsample.rs`, same maths): there the
//! shader pays for its colour weights on every pixel, the CPU only near the
//! subject's outline. The model step needs its 256x256 input read back
//! (256 KB, a flush and a wait) and its output uploaded.
//!
//! Cost at 1280x720 on lavapipe (2 CPU cores, `tests/subject_mask.rs`
//! `time_per_720p_frame`, release build, on its textured scene where most
//! pixels are near an edge): ~30 ms per frame with either upsample; with one
//! lavapipe thread, ~57 ms with the shader upsample and ~40 ms with the CPU
//! one, which is what counts while x264 keeps the other core busy. A model
//! run adds ~23 ms (every frame while a person is found, else every 8th).
//! The earlier border-colour estimate, kept as the still-shot fallback,
//! could not follow a textured subject over a textured background at all.
//!
//! State (background model, previous mask, previous frame) lives in the
//! masker, one per clip; a frame of a new size starts it over.

use super::convert::internal_pipeline;
use super::recorder::{map_and_wait, padded_row_bytes};
use super::{Conversion, FrameRecorder, GpuContext, GpuError, GpuTexture};
use segment::MODEL_SIDE;
use std::sync::{Arc, Mutex};
use wgpu::util::DeviceExt;

mod cpu_upsample;
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
    /// Where the last pass (the joint-bilateral upsample) runs.
    upsample_on: Conversion,
    state: Mutex<Option<State>>,
}

/// Per-clip state, sized for one frame size.
struct State {
    width: u32,
    height: u32,
    block: u32,
    small: GridTexture,
    motion: GridTexture,
    bg: [GridTexture; 2],
    mask: [GridTexture; 2],
    /// Where the CPU upsample reads the frame and the grid back (made on
    /// first use).
    readback: Option<Readback>,
    /// The CPU upsample's output, kept to spare a 4 MB allocation (and its
    /// page faults) per 720p frame.
    upsampled: Vec<u8>,
    /// Which of `bg`/`mask` holds the latest state.
    current: usize,
    prev_frame: GpuTexture,
    model_in: GpuTexture,
    model_prob: GpuTexture,
    frames: u64,
    model_weight: f32,
}

/// A work-grid texture (`Rgba16Float`) and its view.
struct GridTexture {
    texture: wgpu::Texture,
    view: wgpu::TextureView,
}

/// One mappable buffer holding a copy of the frame (RGBA8), the work-grid
/// colours and the work-grid mask (both `Rgba16Float`), rows padded to the
/// copy alignment, each part at an offset aligned the same way.
struct Readback {
    buffer: wgpu::Buffer,
    frame_row: u32,
    grid_row: u32,
    small_offset: u64,
    mask_offset: u64,
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
        let upsample_on = Conversion::for_adapter(&gpu);
        Self::with_options(gpu, use_model, upsample_on)
    }

    /// Like [`SubjectMasker::with_model`], with the upsample to the frame's
    /// size run where `upsample_on` says (by default on the CPU for a
    /// software adapter, where the shader pass is the mask's costliest part,
    /// and in the shader otherwise).
    pub fn with_options(gpu: Arc<GpuContext>, use_model: bool, upsample_on: Conversion) -> Self {
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
            upsample_on,
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
                entry(3, tex(&state.small.view)),
                entry(4, tex(&state.motion.view)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.downscale, &group, grid);

        let group = self.group(
            &self.stats_pipeline,
            &[
                entry(0, self.stats.as_entire_binding()),
                entry(5, tex(&state.small.view)),
                entry(6, tex(&state.motion.view)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.stats_pipeline, &group, [1, 1, 1]);

        let group = self.group(
            &self.fuse,
            &[
                entry(0, self.stats.as_entire_binding()),
                entry(5, tex(&state.small.view)),
                entry(6, tex(&state.motion.view)),
                entry(7, tex(&state.bg[cur].view)),
                entry(8, tex(&state.bg[next].view)),
                entry(9, tex(&state.mask[cur].view)),
                entry(10, tex(&state.mask[next].view)),
                entry(11, tex(state.model_prob.view())),
                entry(12, wgpu::BindingResource::Sampler(&self.gpu.linear_sampler)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(&self.fuse, &group, grid);

        match self.upsample_on {
            Conversion::Gpu => {
                let group = self.group(
                    &self.upsample,
                    &[
                        entry(1, tex(frame.view())),
                        entry(5, tex(&state.small.view)),
                        entry(9, tex(&state.mask[next].view)),
                        entry(13, tex(mask.view())),
                        entry(15, params.as_entire_binding()),
                    ],
                );
                rec.dispatch_raw(&self.upsample, &group, [mask.width().div_ceil(16), mask.height().div_ceil(8), 1]);
            }
            Conversion::Cpu => Self::upsample_on_cpu(&self.gpu, rec, frame, state, next, mask)?,
        }

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

    /// The upsample of [`cpu_upsample`]: reads the frame and the fused grid
    /// (`state.mask[next]`) back, upsamples, uploads the mask.
    fn upsample_on_cpu(
        gpu: &GpuContext,
        rec: &mut FrameRecorder,
        frame: &GpuTexture,
        state: &mut State,
        next: usize,
        mask: &GpuTexture,
    ) -> Result<(), GpuError> {
        let (sw, sh) = small_size(state.width, state.height, state.block);
        let readback: &Readback =
            state.readback.get_or_insert_with(|| Readback::new(gpu, state.width, state.height, sw, sh));
        let buffer = &readback.buffer;
        rec.copy_to_buffer(frame.raw(), buffer, 0, readback.frame_row);
        rec.copy_to_buffer(&state.small.texture, buffer, readback.small_offset, readback.grid_row);
        rec.copy_to_buffer(&state.mask[next].texture, buffer, readback.mask_offset, readback.grid_row);
        rec.flush();
        let mapped = map_and_wait(gpu, &readback.buffer)?;
        let bytes: &[u8] = &mapped;
        let grid_texels = |offset: u64| {
            let start = offset as usize;
            (0..sh as usize).flat_map(move |y| {
                let row = &bytes[start + y * readback.grid_row as usize..][..sw as usize * 8];
                row.chunks_exact(8).map(|t| {
                    let half = |i: usize| half::f16::from_le_bytes([t[2 * i], t[2 * i + 1]]).to_f32();
                    [half(0), half(1), half(2)]
                })
            })
        };
        let grid = cpu_upsample::Grid {
            width: sw as usize,
            height: sh as usize,
            mask: grid_texels(readback.mask_offset).map(|t| t[0]).collect(),
            colour: grid_texels(readback.small_offset).collect(),
        };
        let out = &mut state.upsampled;
        let result = cpu_upsample::upsample(
            &grid,
            state.block,
            bytes,
            readback.frame_row as usize,
            (state.width as usize, state.height as usize),
            out,
        );
        drop(mapped);
        readback.buffer.unmap();
        result?;
        rec.write_rgba(mask, out)
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
            let texture = gpu.device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d { width: sw, height: sh, depth_or_array_layers: 1 },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::Rgba16Float,
                usage: wgpu::TextureUsages::TEXTURE_BINDING
                    | wgpu::TextureUsages::STORAGE_BINDING
                    | wgpu::TextureUsages::COPY_SRC,
                view_formats: &[],
            });
            let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
            GridTexture { texture, view }
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
            readback: None,
            upsampled: Vec::new(),
            current: 0,
            prev_frame: GpuTexture::new(gpu, width, height, "mask previous frame")?,
            model_in: GpuTexture::new(gpu, side, side, "mask model input")?,
            model_prob: GpuTexture::new(gpu, side, side, "mask model output")?,
            frames: 0,
            model_weight: 0.0,
        })
    }
}

impl Readback {
    fn new(gpu: &GpuContext, width: u32, height: u32, grid_width: u32, grid_height: u32) -> Self {
        let align = u64::from(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT);
        let frame_row = padded_row_bytes(width * 4);
        let grid_row = padded_row_bytes(grid_width * 8);
        let small_offset = (u64::from(frame_row) * u64::from(height)).next_multiple_of(align);
        let grid_bytes = (u64::from(grid_row) * u64::from(grid_height)).next_multiple_of(align);
        let mask_offset = small_offset + grid_bytes;
        let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("mask readback"),
            size: mask_offset + grid_bytes,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        Self { buffer, frame_row, grid_row, small_offset, mask_offset }
    }
}
