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
//! (no flicker on still shots). What the subject encloses is filled in: a
//! still, uniform part of a subject (a colour bar, a plain shirt) looks like
//! background to every classical cue and would leave a hole, which effects
//! would leave in place and fills would sample. A grid pixel with subject
//! within a quarter of the grid's long side in all four axis directions
//! takes the largest of the nearest of them; a concavity open on any side
//! stays open. The matte is then clipped, 0.3 and below to 0, 0.7 and above
//! to 1, as a compositor clips a key: inside a plainly found subject the
//! estimate sits around 0.7-0.95, and effects that blend by the mask would
//! leave that much short of 1 of the subject behind. The work-grid mask is
//! brought back to the frame's size by a joint-bilateral upsample against
//! the full-resolution frame, so edges follow the picture rather than the
//! grid.
//!
//! The GPU does the per-pixel work (`shaders/subject_mask.wgsl`), except on
//! a software adapter, where the two frame-sized passes run on the CPU with
//! the shaders' maths: the downscale to the work grid
//! (`mask/cpu_downscale.rs`) and the upsample back (`mask/cpu_upsample.rs`).
//! There a shader pays for four texel loads per pixel in the downscale and
//! for the colour weights on every pixel in the upsample; the CPU reads
//! each pixel once and weighs only near the subject's outline, on every
//! core while the software GPU waits. The frame is read back once (a
//! memcpy on lavapipe), the small work-grid passes stay on the GPU. The
//! model step needs its 256x256 input read back (256 KB, a flush and a
//! wait) and its output uploaded.
//!
//! Cost at 1280x720 on lavapipe (`tests/subject_mask.rs`
//! `time_per_720p_frame`, release build, on its textured scene where most
//! pixels are near an edge), pinned to one core with one lavapipe thread,
//! i.e. in CPU time: ~53 ms per frame with the shader passes, ~28 ms with
//! the CPU ones (~30-46 ms with the CPU upsample alone). A model run adds
//! ~23 ms (every frame while a person is found, else every 8th). The
//! earlier border-colour estimate, kept as the still-shot fallback, could
//! not follow a textured subject over a textured background at all.
//!
//! State (background model, previous mask, previous frame) lives in the
//! masker, one per clip; a frame of a new size starts it over.

use super::convert::internal_pipeline;
use super::recorder::{map_and_wait, padded_row_bytes};
use super::texture::work_texture;
use super::{Conversion, FrameRecorder, GpuContext, GpuError, GpuTexture};
use segment::MODEL_SIDE;
use std::sync::{Arc, Mutex};
use wgpu::util::DeviceExt;

mod bands;
mod cpu_downscale;
mod cpu_enclose;
mod cpu_upsample;
mod segment;

const SUBJECT_MASK: &str = include_str!("../../../shaders/subject_mask.wgsl");

/// Longest side of the work grid, in work-grid pixels.
const WORK_SIDE: u32 = 256;
/// Grid rows (or columns) per workgroup of the `enclose_*` passes (their
/// `@workgroup_size`).
const ENCLOSE_LINES: u32 = 8;
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
    enclose_rows: wgpu::ComputePipeline,
    enclose_columns: wgpu::ComputePipeline,
    upsample: wgpu::ComputePipeline,
    stats: wgpu::Buffer,
    use_model: bool,
    /// Where the frame-sized passes (the downscale to the work grid and the
    /// joint-bilateral upsample) run.
    full_res_on: Conversion,
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
    /// `enclose_rows`' output: per texel, the nearest subject value to the
    /// left and to the right.
    sides: GridTexture,
    /// The fused mask with enclosed holes filled: what the upsample shader
    /// reads (the CPU path fills them on the CPU, [`cpu_enclose`]).
    closed: GridTexture,
    /// Where the CPU passes read the frame and the grid back (made on first
    /// use).
    readback: Option<Readback>,
    /// The CPU upsample's output, kept to spare a 4 MB allocation (and its
    /// page faults) per 720p frame.
    upsampled: Vec<u8>,
    /// Which of `bg`/`mask` holds the latest state.
    current: usize,
    /// The previous frame: a texture for the shader downscale, the last
    /// readback (padded rows, empty before the first) for the CPU one.
    prev_frame: Option<GpuTexture>,
    prev_rgba: Vec<u8>,
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

/// Mappable buffers for the CPU passes: a copy of the frame (RGBA8) and of
/// the fused work-grid mask (`Rgba16Float`), rows padded to the copy
/// alignment.
struct Readback {
    frame: wgpu::Buffer,
    frame_row: u32,
    grid: wgpu::Buffer,
    grid_row: u32,
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
        let full_res_on = Conversion::for_adapter(&gpu);
        Self::with_options(gpu, use_model, full_res_on)
    }

    /// Like [`SubjectMasker::with_model`], with the frame-sized passes (the
    /// downscale to the work grid and the upsample back) run where
    /// `full_res_on` says (by default on the CPU for a software adapter,
    /// where they are the mask's costliest part as shaders, and in shaders
    /// otherwise).
    pub fn with_options(gpu: Arc<GpuContext>, use_model: bool, full_res_on: Conversion) -> Self {
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
            enclose_rows: internal_pipeline(&gpu, SUBJECT_MASK, "enclose_rows"),
            enclose_columns: internal_pipeline(&gpu, SUBJECT_MASK, "enclose_columns"),
            upsample: internal_pipeline(&gpu, SUBJECT_MASK, "upsample"),
            stats,
            use_model: use_model && segment::available(),
            full_res_on,
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
            *guard = Some(State::new(&self.gpu, frame.width(), frame.height(), self.full_res_on)?);
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
        match self.full_res_on {
            Conversion::Gpu => {
                self.dispatch_downscale(rec, frame, state, first, &params);
                self.dispatch_stats_and_fuse(rec, state, &params);
                self.dispatch_enclose(rec, state);
                self.dispatch_upsample(rec, frame, state, &params, mask);
                if let Some(prev_frame) = &state.prev_frame {
                    rec.copy(frame, prev_frame)?;
                }
            }
            Conversion::Cpu => self.record_on_cpu(rec, frame, mask, state, first, &params)?,
        }
        state.current = 1 - state.current;
        state.frames += 1;
        Ok(())
    }

    /// `downscale`: the frame's block means into `state.small` and
    /// `state.motion`.
    fn dispatch_downscale(
        &self,
        rec: &mut FrameRecorder,
        frame: &GpuTexture,
        state: &State,
        first: bool,
        params: &wgpu::Buffer,
    ) {
        let prev_frame = match &state.prev_frame {
            Some(prev) if !first => prev,
            _ => frame,
        };
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
        rec.dispatch_raw("host: subject mask, downscale", &self.downscale, &group, state.grid_groups());
    }

    /// `stats_pass` and `fuse`: the work-grid mask of this frame into
    /// `state.mask[next]`, the background model into `state.bg[next]`.
    fn dispatch_stats_and_fuse(&self, rec: &mut FrameRecorder, state: &State, params: &wgpu::Buffer) {
        let (cur, next) = (state.current, 1 - state.current);
        let group = self.group(
            &self.stats_pipeline,
            &[
                entry(0, self.stats.as_entire_binding()),
                entry(5, tex(&state.small.view)),
                entry(6, tex(&state.motion.view)),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw("host: subject mask, statistics", &self.stats_pipeline, &group, [1, 1, 1]);
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
        rec.dispatch_raw("host: subject mask, fuse", &self.fuse, &group, state.grid_groups());
    }

    /// `enclose_rows` and `enclose_columns`: the fused mask with the holes
    /// the subject encloses filled, into `state.closed`.
    fn dispatch_enclose(&self, rec: &mut FrameRecorder, state: &State) {
        let fused = &state.mask[1 - state.current].view;
        let (sw, sh) = small_size(state.width, state.height, state.block);
        let group = self.group(&self.enclose_rows, &[entry(9, tex(fused)), entry(16, tex(&state.sides.view))]);
        rec.dispatch_raw(
            "host: subject mask, enclosed rows",
            &self.enclose_rows,
            &group,
            [sh.div_ceil(ENCLOSE_LINES), 1, 1],
        );
        let group = self.group(
            &self.enclose_columns,
            &[entry(9, tex(fused)), entry(17, tex(&state.sides.view)), entry(10, tex(&state.closed.view))],
        );
        rec.dispatch_raw(
            "host: subject mask, enclosed columns",
            &self.enclose_columns,
            &group,
            [sw.div_ceil(ENCLOSE_LINES), 1, 1],
        );
    }

    /// `upsample`: the closed work-grid mask to the frame's size, into `mask`.
    fn dispatch_upsample(
        &self,
        rec: &mut FrameRecorder,
        frame: &GpuTexture,
        state: &State,
        params: &wgpu::Buffer,
        mask: &GpuTexture,
    ) {
        let group = self.group(
            &self.upsample,
            &[
                entry(1, tex(frame.view())),
                entry(5, tex(&state.small.view)),
                entry(9, tex(&state.closed.view)),
                entry(13, tex(mask.view())),
                entry(15, params.as_entire_binding()),
            ],
        );
        rec.dispatch_raw(
            "host: subject mask, upsample",
            &self.upsample,
            &group,
            [mask.width().div_ceil(16), mask.height().div_ceil(8), 1],
        );
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
        rec.dispatch_raw(
            "host: subject mask, model input",
            &self.model_input,
            &group,
            [side.div_ceil(8), side.div_ceil(8), 1],
        );
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

    /// The frame-sized passes on the CPU ([`cpu_downscale`],
    /// [`cpu_upsample`]) around the work-grid passes on the GPU: reads the
    /// frame back, downscales it, uploads the work grid, fuses, reads the
    /// fused grid back, fills its enclosed holes ([`cpu_enclose`]),
    /// upsamples and uploads the mask.
    fn record_on_cpu(
        &self,
        rec: &mut FrameRecorder,
        frame: &GpuTexture,
        mask: &GpuTexture,
        state: &mut State,
        first: bool,
        params: &wgpu::Buffer,
    ) -> Result<(), GpuError> {
        let gpu = &self.gpu;
        let readback = match state.readback.take() {
            Some(readback) => readback,
            None => Readback::new(gpu, state),
        };
        rec.copy_to_buffer(frame.raw(), &readback.frame, 0, readback.frame_row);
        rec.flush()?;
        let outcome = match map_and_wait(gpu, &readback.frame) {
            Ok(mapped) => {
                let outcome = self.cpu_passes(rec, &mapped, &readback, state, first, params);
                drop(mapped);
                readback.frame.unmap();
                outcome
            }
            Err(e) => Err(e),
        };
        state.readback = Some(readback);
        outcome?;
        rec.write_rgba(mask, &state.upsampled)
    }

    /// [`SubjectMasker::record_on_cpu`] once the frame is read back into
    /// `bytes`; leaves the mask in `state.upsampled` and the frame in
    /// `state.prev_rgba`.
    fn cpu_passes(
        &self,
        rec: &mut FrameRecorder,
        bytes: &[u8],
        readback: &Readback,
        state: &mut State,
        first: bool,
        params: &wgpu::Buffer,
    ) -> Result<(), GpuError> {
        let (width, height) = (state.width as usize, state.height as usize);
        let (sw, sh) = small_size(state.width, state.height, state.block);
        let (sw, sh) = (sw as usize, sh as usize);
        let stride = readback.frame_row as usize;
        let current = cpu_downscale::Frame { bytes, stride, width, height };
        if !current.is_complete() {
            return Err(GpuError::Readback("the frame read back for the mask is short".into()));
        }
        let prev = if first || state.prev_rgba.len() != bytes.len() {
            current
        } else {
            cpu_downscale::Frame { bytes: &state.prev_rgba, ..current }
        };
        let work = cpu_downscale::downscale(current, prev, state.block as usize, (sw, sh));
        // Uploaded as the shader would have stored them (rgba16float).
        let small: Vec<[f32; 4]> = work.small.iter().map(|t| t.map(round_to_half)).collect();
        let motion: Vec<[f32; 4]> = work.motion.iter().map(|&m| [round_to_half(m), 0.0, 0.0, 1.0]).collect();
        write_grid(&self.gpu.queue, &state.small.texture, &small);
        write_grid(&self.gpu.queue, &state.motion.texture, &motion);
        self.dispatch_stats_and_fuse(rec, state, params);

        let fused = &state.mask[1 - state.current].texture;
        rec.copy_to_buffer(fused, &readback.grid, 0, readback.grid_row);
        rec.flush()?;
        let mapped = map_and_wait(&self.gpu, &readback.grid)?;
        let row_bytes = readback.grid_row as usize;
        let mask: Vec<f32> = (0..sh)
            .flat_map(|y| mapped[y * row_bytes..][..sw * 8].chunks_exact(8))
            .map(|texel| half::f16::from_le_bytes([texel[0], texel[1]]).to_f32())
            .collect();
        drop(mapped);
        readback.grid.unmap();
        let mask = cpu_enclose::enclose(&mask, sw, sh);

        let grid = cpu_upsample::Grid {
            width: sw,
            height: sh,
            mask,
            colour: small.iter().map(|t| [t[0], t[1], t[2]]).collect(),
        };
        cpu_upsample::upsample(&grid, state.block, current, &mut state.upsampled)?;
        state.prev_rgba.clear();
        state.prev_rgba.extend_from_slice(bytes);
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

fn tex(view: &wgpu::TextureView) -> wgpu::BindingResource<'_> {
    wgpu::BindingResource::TextureView(view)
}

fn entry(binding: u32, resource: wgpu::BindingResource<'_>) -> wgpu::BindGroupEntry<'_> {
    wgpu::BindGroupEntry { binding, resource }
}

/// `v` as an `rgba16float` texel keeps it.
fn round_to_half(v: f32) -> f32 {
    half::f16::from_f32(v).to_f32()
}

/// Replaces the texels of the work-grid texture `texture` with `texels`.
fn write_grid(queue: &wgpu::Queue, texture: &wgpu::Texture, texels: &[[f32; 4]]) {
    let halves: Vec<u16> = texels.iter().flatten().map(|&v| half::f16::from_f32(v).to_bits()).collect();
    let size = texture.size();
    queue.write_texture(
        texture.as_image_copy(),
        bytemuck::cast_slice(&halves),
        wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(size.width * 8), rows_per_image: None },
        size,
    );
}

/// Work-grid size for a frame, with `block` frame pixels per grid pixel.
fn small_size(width: u32, height: u32, block: u32) -> (u32, u32) {
    (width.div_ceil(block), height.div_ceil(block))
}

impl State {
    fn new(gpu: &GpuContext, width: u32, height: u32, full_res_on: Conversion) -> Result<Self, GpuError> {
        let block = width.max(height).div_ceil(WORK_SIDE).max(1);
        let (sw, sh) = small_size(width, height, block);
        let grid = |label: &str| {
            let (texture, view) = work_texture(gpu, sw, sh, wgpu::TextureFormat::Rgba16Float, label);
            GridTexture { texture, view }
        };
        let side = MODEL_SIDE as u32;
        let prev_frame = match full_res_on {
            Conversion::Gpu => Some(GpuTexture::new(gpu, width, height, "mask previous frame")?),
            Conversion::Cpu => None,
        };
        Ok(Self {
            width,
            height,
            block,
            small: grid("mask work frame"),
            motion: grid("mask motion"),
            bg: [grid("mask background a"), grid("mask background b")],
            mask: [grid("mask state a"), grid("mask state b")],
            sides: grid("mask enclosure sides"),
            closed: grid("mask closed"),
            readback: None,
            upsampled: Vec::new(),
            current: 0,
            prev_frame,
            prev_rgba: Vec::new(),
            model_in: GpuTexture::new(gpu, side, side, "mask model input")?,
            model_prob: GpuTexture::new(gpu, side, side, "mask model output")?,
            frames: 0,
            model_weight: 0.0,
        })
    }

    /// Workgroups of the work-grid passes (8x8 invocations each).
    fn grid_groups(&self) -> [u32; 3] {
        let (sw, sh) = small_size(self.width, self.height, self.block);
        [sw.div_ceil(8), sh.div_ceil(8), 1]
    }
}

impl Readback {
    fn new(gpu: &GpuContext, state: &State) -> Self {
        let (grid_width, grid_height) = small_size(state.width, state.height, state.block);
        let frame_row = padded_row_bytes(state.width * 4);
        let grid_row = padded_row_bytes(grid_width * 8);
        let buffer = |label, size| {
            gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                mapped_at_creation: false,
            })
        };
        Self {
            frame: buffer("mask frame readback", u64::from(frame_row) * u64::from(state.height)),
            frame_row,
            grid: buffer("mask grid readback", u64::from(grid_row) * u64::from(grid_height)),
            grid_row,
        }
    }
}
