//! Reads finished frames back as yuv420p planes without holding up the
//! render thread.
//!
//! [`Downloader::submit`] hands over a [`PendingDownload`]: the frame's copy
//! is on the queue and its staging buffer is being mapped. The encode
//! thread waits for it, converts (on a software adapter) and encodes while
//! the render thread already runs the next frame's plugins and GPU work.
//! On lavapipe the GPU is the CPU, so this overlap is what keeps both
//! cores busy: waiting for each frame on the render thread left about a
//! third of the machine idle (DESIGN.md §7: decode, GPU and encode overlap).
//!
//! A few staging buffers ([`IN_FLIGHT`]) go round between the two threads;
//! a [`PendingDownload`] that is dropped unread gives its buffer back.

use super::convert::{Conversion, internal_pipeline};
use super::cpu_convert::{PlaneLayout, RgbaToYuv};
use super::recorder::padded_row_bytes;
use super::{ColorSpec, FrameRecorder, GpuContext, GpuError, GpuTexture};
use crate::media::YuvPlanes;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use wgpu::util::DeviceExt;

const RGBA_TO_YUV: &str = include_str!("../../../shaders/rgba_to_yuv.wgsl");

/// Frames that may be read back at once (submitted, not yet consumed).
/// Three keep the encode thread fed while the render thread works one
/// frame ahead; more only add memory.
const IN_FLIGHT: usize = 3;

/// Converts RGBA frames to yuv420p planes and reads them back.
pub struct Downloader {
    gpu: Arc<GpuContext>,
    layout: PlaneLayout,
    path: DownloadPath,
    /// Staging buffers back from their [`PendingDownload`]s.
    free: Receiver<Staging>,
    give_back: Sender<Staging>,
    /// Staging buffers made so far (at most [`IN_FLIGHT`]).
    made: usize,
    /// The buffer of the frame recorded and not yet submitted.
    recorded: Option<Staging>,
    /// Where [`Downloader::read`] converts on the CPU path.
    scratch: Vec<u8>,
}

/// What each conversion path keeps between frames.
enum DownloadPath {
    /// `shaders/rgba_to_yuv.wgsl` writes the planes into `planes`, which is
    /// copied into a staging buffer.
    Gpu {
        pipeline: wgpu::ComputePipeline,
        planes: wgpu::Buffer,
        uniform: wgpu::Buffer,
        bound: Option<(GpuTexture, wgpu::BindGroup)>,
    },
    /// The RGBA frame is copied into a staging buffer and converted on the
    /// CPU by whoever consumes it.
    Cpu { converter: Arc<RgbaToYuv> },
}

/// One mappable buffer: the packed planes (GPU path) or a copy of the RGBA
/// frame, rows padded to the copy alignment (CPU path).
struct Staging {
    buffer: wgpu::Buffer,
    /// The RGBA frame's size and padded row (CPU path; zero otherwise).
    width: u32,
    height: u32,
    padded_row: u32,
}

/// The three planes of `bytes`, laid out as `l` says.
fn split(bytes: &[u8], l: PlaneLayout) -> YuvPlanes<'_> {
    YuvPlanes {
        y: &bytes[..l.u_offset as usize],
        y_stride: l.y_stride as usize,
        u: &bytes[l.u_offset as usize..l.v_offset as usize],
        v: &bytes[l.v_offset as usize..l.size()],
        uv_stride: l.uv_stride as usize,
    }
}

impl Downloader {
    /// Prepares buffers for `width`x`height` output frames (both even),
    /// converting where it is cheaper for this adapter: on the CPU for a
    /// software one, in a shader otherwise.
    pub fn new(gpu: Arc<GpuContext>, width: u32, height: u32, spec: ColorSpec) -> Self {
        let conversion = Conversion::for_adapter(&gpu);
        Self::with_conversion(gpu, width, height, spec, conversion)
    }

    /// Prepares buffers for `width`x`height` output frames (both even),
    /// converting where `conversion` says.
    pub fn with_conversion(
        gpu: Arc<GpuContext>,
        width: u32,
        height: u32,
        spec: ColorSpec,
        conversion: Conversion,
    ) -> Self {
        let (cw, ch) = (width / 2, height / 2);
        let uv_stride = cw.next_multiple_of(4);
        let y_stride = uv_stride * 2;
        let u_offset = y_stride * height;
        let v_offset = u_offset + uv_stride * ch;
        let layout = PlaneLayout { width, height, y_stride, uv_stride, u_offset, v_offset };
        let path = match conversion {
            Conversion::Cpu => DownloadPath::Cpu { converter: Arc::new(RgbaToYuv::new(spec)) },
            Conversion::Gpu => {
                let planes = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("yuv planes"),
                    size: layout.size() as u64,
                    usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                });
                let [kr, kb, full, _] = spec.uniform();
                let words: [u32; 12] = [
                    kr.to_bits(),
                    kb.to_bits(),
                    full.to_bits(),
                    0,
                    cw,
                    ch,
                    y_stride,
                    uv_stride,
                    u_offset,
                    v_offset,
                    0,
                    0,
                ];
                let uniform = gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("rgba->yuv"),
                    contents: bytemuck::cast_slice(&words),
                    usage: wgpu::BufferUsages::UNIFORM,
                });
                let pipeline = internal_pipeline(&gpu, RGBA_TO_YUV, "main");
                DownloadPath::Gpu { pipeline, planes, uniform, bound: None }
            }
        };
        let (give_back, free) = channel();
        Self { gpu, layout, path, free, give_back, made: 0, recorded: None, scratch: Vec::new() }
    }

    /// Output frame width.
    pub fn width(&self) -> u32 {
        self.layout.width
    }

    /// Output frame height.
    pub fn height(&self) -> u32 {
        self.layout.height
    }

    /// Records the conversion of `rgba` (the output size, or one less in
    /// either dimension: the last row and column are repeated) and the copy
    /// into a staging buffer. Waits (up to the frame timeout) while
    /// all its staging buffers are still being read back.
    pub fn record(&mut self, rec: &mut FrameRecorder, rgba: &GpuTexture) -> Result<(), GpuError> {
        let (width, height) = match self.path {
            DownloadPath::Gpu { .. } => (0, 0),
            DownloadPath::Cpu { .. } => (rgba.width(), rgba.height()),
        };
        let staging = self.staging(width, height)?;
        match &mut self.path {
            DownloadPath::Gpu { pipeline, planes, uniform, bound } => {
                if !bound.as_ref().is_some_and(|(t, _)| t.same_as(rgba)) {
                    let bind_group = self.gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
                        label: Some("rgba->yuv"),
                        layout: &pipeline.get_bind_group_layout(0),
                        entries: &[
                            wgpu::BindGroupEntry { binding: 0, resource: uniform.as_entire_binding() },
                            wgpu::BindGroupEntry { binding: 1, resource: planes.as_entire_binding() },
                            wgpu::BindGroupEntry {
                                binding: 2,
                                resource: wgpu::BindingResource::TextureView(rgba.view()),
                            },
                        ],
                    });
                    *bound = Some((rgba.clone(), bind_group));
                }
                if let Some((_, bind_group)) = bound {
                    let l = self.layout;
                    let groups = [(l.width / 2).div_ceil(4).div_ceil(16), (l.height / 2).div_ceil(8), 1];
                    rec.dispatch_raw("host: RGBA to YUV (download)", pipeline, bind_group, groups);
                }
                rec.encoder().copy_buffer_to_buffer(planes, 0, &staging.buffer, 0, planes.size());
            }
            DownloadPath::Cpu { .. } => rec.copy_to_buffer(rgba.raw(), &staging.buffer, 0, staging.padded_row),
        }
        self.recorded = Some(staging);
        Ok(())
    }

    /// A staging buffer for an RGBA frame of `width`x`height` (CPU path) or
    /// for the planes (GPU path, both zero): the one already recorded into,
    /// a free one, a new one while fewer than [`IN_FLIGHT`] exist, or the
    /// next one given back.
    fn staging(&mut self, width: u32, height: u32) -> Result<Staging, GpuError> {
        let reused = match self.recorded.take() {
            Some(staging) => Some(staging),
            None => match self.free.try_recv() {
                Ok(staging) => Some(staging),
                Err(_) if self.made < IN_FLIGHT => None,
                Err(_) => {
                    let timeout = self.gpu.limits().frame_timeout;
                    Some(self.free.recv_timeout(timeout).map_err(|_| GpuError::Timeout(timeout))?)
                }
            },
        };
        if let Some(staging) = reused {
            if staging.width == width && staging.height == height {
                return Ok(staging);
            }
            // A frame of another size (only in tests): replace the buffer.
            self.made -= 1;
        }
        let (size, padded_row) = if width == 0 {
            (self.layout.size() as u64, 0)
        } else {
            let padded_row = padded_row_bytes(width * 4);
            (u64::from(padded_row) * u64::from(height), padded_row)
        };
        let buffer = self.gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("download staging"),
            size,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        self.made += 1;
        Ok(Staging { buffer, width, height, padded_row })
    }

    /// Submits what `rec` holds (the frame recorded last included) and
    /// starts reading it back; the result can be waited for on any thread.
    pub fn submit(&mut self, rec: &mut FrameRecorder) -> Result<PendingDownload, GpuError> {
        let staging = self
            .recorded
            .take()
            .ok_or_else(|| GpuError::InvalidArgument("read before any frame was recorded".into()))?;
        let submission = rec.submit()?;
        let (tx, mapped) = channel();
        staging.buffer.map_async(wgpu::MapMode::Read, .., move |result| {
            let _ = tx.send(result);
        });
        let converter = match &self.path {
            DownloadPath::Gpu { .. } => None,
            DownloadPath::Cpu { converter } => Some(converter.clone()),
        };
        Ok(PendingDownload {
            gpu: self.gpu.clone(),
            staging: Some(staging),
            layout: self.layout,
            converter,
            mapped,
            submission,
            give_back: self.give_back.clone(),
        })
    }

    /// Submits what `rec` holds, waits, and hands the planes to `consume`.
    pub fn read<R>(
        &mut self,
        rec: &mut FrameRecorder,
        consume: impl FnOnce(YuvPlanes<'_>) -> R,
    ) -> Result<R, GpuError> {
        let pending = self.submit(rec)?;
        pending.wait(&mut self.scratch, consume)
    }
}

/// A frame on its way back from the GPU ([`Downloader::submit`]).
pub struct PendingDownload {
    gpu: Arc<GpuContext>,
    /// Taken when the frame has been consumed and the buffer given back.
    staging: Option<Staging>,
    layout: PlaneLayout,
    /// Set on the CPU path: the staging buffer holds RGBA.
    converter: Option<Arc<RgbaToYuv>>,
    mapped: Receiver<Result<(), wgpu::BufferAsyncError>>,
    submission: Option<wgpu::SubmissionIndex>,
    give_back: Sender<Staging>,
}

impl PendingDownload {
    /// Waits for the frame (up to the frame timeout), converts it when the
    /// GPU did not (into `scratch`, reused between frames) and hands the
    /// planes to `consume`.
    pub fn wait<R>(mut self, scratch: &mut Vec<u8>, consume: impl FnOnce(YuvPlanes<'_>) -> R) -> Result<R, GpuError> {
        let timeout = self.gpu.limits().frame_timeout;
        self.gpu.wait_for(self.submission.take())?;
        // The map callback runs in whichever thread polled the device: it
        // may still be on its way from another thread's poll.
        match self.mapped.recv_timeout(timeout) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(GpuError::Readback(e.to_string())),
            Err(_) => return Err(GpuError::Readback("the map callback never ran".into())),
        }
        let staging = self.staging.as_ref().ok_or_else(|| GpuError::Readback("frame already consumed".into()))?;
        let mapped = staging.buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
        let layout = self.layout;
        let result = match &self.converter {
            None => Ok(consume(split(&mapped, layout))),
            Some(converter) => {
                scratch.resize(layout.size(), 0);
                let (width, height) = (staging.width as usize, staging.height as usize);
                converter
                    .convert(&mapped, staging.padded_row as usize, width, height, layout, scratch)
                    .map(|()| consume(split(scratch, layout)))
            }
        };
        drop(mapped);
        result
    }
}

impl Drop for PendingDownload {
    /// Unmaps the buffer (which also cancels a map still pending) and gives
    /// it back to its downloader.
    fn drop(&mut self) {
        if let Some(staging) = self.staging.take() {
            staging.buffer.unmap();
            let _ = self.give_back.send(staging);
        }
    }
}
