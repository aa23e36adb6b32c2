//! YUV <-> RGBA on the GPU: decoded planes go up as R8 textures and are
//! converted in a shader; the final RGBA frame is converted back to packed
//! yuv420p in a shader and read back in one copy. (swscale would cost ~3 ms
//! per 720p frame on the CPU.) On a software adapter the upload converts on
//! the CPU instead: see `cpu_convert`.

use super::cpu_convert::{PlaneLayout, RgbaToYuv, YuvToRgba};
use super::recorder::{map_and_wait, padded_row_bytes};
use super::{FrameRecorder, GpuContext, GpuError, GpuTexture};
use crate::media::{PixelLayout, VideoFrame};
use std::sync::Arc;
use wgpu::util::DeviceExt;

const YUV_TO_RGBA: &str = include_str!("../../../shaders/yuv_to_rgba.wgsl");
const RGBA_TO_YUV: &str = include_str!("../../../shaders/rgba_to_yuv.wgsl");

/// The colour matrix and range of a YUV signal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColorSpec {
    /// BT.709 (HD) rather than BT.601 (SD) coefficients.
    pub bt709: bool,
    /// Full (JPEG) range rather than limited 16..235.
    pub full_range: bool,
}

impl ColorSpec {
    pub(crate) fn uniform(self) -> [f32; 4] {
        let (kr, kb) = if self.bt709 { (0.2126, 0.0722) } else { (0.299, 0.114) };
        [kr, kb, if self.full_range { 1.0 } else { 0.0 }, 0.0]
    }

    /// The 8-bit code values' range: (luma offset, luma scale, chroma
    /// scale), i.e. black at `offset`, white at `offset + luma scale`.
    pub(crate) fn code_range(self) -> (f32, f32, f32) {
        if self.full_range { (0.0, 255.0, 255.0) } else { (16.0, 219.0, 224.0) }
    }
}

/// Builds one of the host's own pipelines (no plugin convention checks).
pub(crate) fn internal_pipeline(gpu: &GpuContext, wgsl: &str, entry: &str) -> wgpu::ComputePipeline {
    let module = gpu.device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(entry),
        source: wgpu::ShaderSource::Wgsl(wgsl.into()),
    });
    gpu.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(entry),
        layout: None,
        module: &module,
        entry_point: Some(entry),
        compilation_options: Default::default(),
        cache: None,
    })
}

fn plane_texture(gpu: &GpuContext, width: u32, height: u32, label: &str) -> wgpu::Texture {
    gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::R8Unorm,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

/// Whether a plane of `len` bytes, `stride` bytes per row, holds `width` x
/// `height` bytes.
pub(super) fn plane_fits(len: usize, stride: usize, width: usize, height: usize) -> bool {
    stride >= width && (height == 0 || len >= stride.saturating_mul(height - 1).saturating_add(width))
}

fn write_plane(gpu: &GpuContext, texture: &wgpu::Texture, data: &[u8], stride: usize) -> Result<(), GpuError> {
    let size = texture.size();
    if !plane_fits(data.len(), stride, size.width as usize, size.height as usize) {
        return Err(GpuError::InvalidArgument(format!(
            "decoded plane of {} bytes (stride {stride}) is too small for {}x{}",
            data.len(),
            size.width,
            size.height
        )));
    }
    gpu.queue.write_texture(
        texture.as_image_copy(),
        data,
        wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(stride as u32), rows_per_image: None },
        size,
    );
    Ok(())
}

/// Where a host pass that has both a shader and a CPU version runs: the
/// upload's YUV -> RGBA ([`Uploader`]), the download's RGBA -> YUV
/// ([`Downloader`]) and the subject mask's upsample
/// ([`super::SubjectMasker`]). The two versions agree to within one code
/// value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// In a compute pass: the fast path on a real GPU.
    Gpu,
    /// On the CPU, with the frame copied up or down once: the fast path on
    /// a software adapter, where a compute pass also runs on the CPU, only
    /// slower.
    Cpu,
}

impl Conversion {
    /// The cheaper place for `gpu`'s adapter: the CPU for a software one,
    /// a shader otherwise.
    pub fn for_adapter(gpu: &GpuContext) -> Self {
        if gpu.is_software() { Self::Cpu } else { Self::Gpu }
    }
}

/// Uploads decoded frames into RGBA textures.
pub struct Uploader {
    gpu: Arc<GpuContext>,
    path: UploadPath,
}

/// What each conversion path keeps between frames; the CPU path never
/// builds the shader's pipeline.
enum UploadPath {
    Gpu {
        pipeline: wgpu::ComputePipeline,
        /// The plane textures and the bind group that converts them into
        /// the last target, for the last size and spec (boxed to keep the
        /// two variants alike in size).
        planes: Option<Box<BoundPlanes>>,
    },
    Cpu {
        /// The tables for the last colour spec seen (boxed: ~6 KiB), and
        /// the RGBA frame.
        converted: Option<(Box<YuvToRgba>, Vec<u8>)>,
    },
}

impl Uploader {
    /// Builds an uploader that converts where it is cheaper for this
    /// adapter: on the CPU for a software one, in a shader otherwise.
    pub fn new(gpu: Arc<GpuContext>) -> Self {
        let conversion = Conversion::for_adapter(&gpu);
        Self::with_conversion(gpu, conversion)
    }

    /// Builds an uploader that converts YUV frames where `conversion` says.
    pub fn with_conversion(gpu: Arc<GpuContext>, conversion: Conversion) -> Self {
        let path = match conversion {
            Conversion::Gpu => UploadPath::Gpu { pipeline: internal_pipeline(&gpu, YUV_TO_RGBA, "main"), planes: None },
            Conversion::Cpu => UploadPath::Cpu { converted: None },
        };
        Self { gpu, path }
    }

    /// Uploads `frame` and records its conversion into `target` (same size).
    pub fn upload(&mut self, rec: &mut FrameRecorder, frame: &VideoFrame, target: &GpuTexture) -> Result<(), GpuError> {
        if frame.width() != target.width() || frame.height() != target.height() {
            return Err(GpuError::InvalidArgument(format!(
                "frame size changed mid-clip: {}x{} after {}x{}",
                frame.width(),
                frame.height(),
                target.width(),
                target.height()
            )));
        }
        let (full_range, bt709) = match frame.layout() {
            PixelLayout::Rgba => {
                return write_plane(&self.gpu, target.raw(), frame.plane(0), frame.stride(0))
                    .map_err(|_| GpuError::InvalidArgument("decoded RGBA frame is smaller than its size".into()));
            }
            PixelLayout::Yuv420 { full_range, bt709 } => (full_range, bt709),
        };
        let spec = ColorSpec { bt709, full_range };
        match &mut self.path {
            UploadPath::Cpu { converted } => {
                if converted.as_ref().is_some_and(|(tables, _)| tables.spec() != spec) {
                    *converted = None;
                }
                let (tables, rgba) = converted.get_or_insert_with(|| (Box::new(YuvToRgba::new(spec)), Vec::new()));
                let planes = [0, 1, 2].map(|i| (frame.plane(i), frame.stride(i)));
                let (width, height) = (frame.width() as usize, frame.height() as usize);
                tables.convert(planes, width, height, rgba)?;
                write_plane(&self.gpu, target.raw(), rgba, width * 4)
            }
            UploadPath::Gpu { pipeline, planes } => {
                // The target is compared too: a bind group made for another
                // texture of the same size would write the frame there.
                if planes.as_deref().is_some_and(|bound| bound.spec != spec || !bound.target.same_as(target)) {
                    *planes = None;
                }
                let bound = planes.get_or_insert_with(|| Box::new(BoundPlanes::new(&self.gpu, pipeline, spec, target)));
                for (i, plane) in bound.textures.iter().enumerate() {
                    write_plane(&self.gpu, plane, frame.plane(i), frame.stride(i))?;
                }
                let groups = [target.width().div_ceil(16), target.height().div_ceil(8), 1];
                rec.dispatch_raw(pipeline, &bound.bind_group, groups);
                Ok(())
            }
        }
    }
}

/// The shader path's plane textures for one target, and the bind group
/// that converts them into it.
struct BoundPlanes {
    textures: [wgpu::Texture; 3],
    bind_group: wgpu::BindGroup,
    spec: ColorSpec,
    target: GpuTexture,
}

impl BoundPlanes {
    fn new(gpu: &GpuContext, pipeline: &wgpu::ComputePipeline, spec: ColorSpec, target: &GpuTexture) -> Self {
        let (width, height) = (target.width(), target.height());
        let (cw, ch) = (width.div_ceil(2), height.div_ceil(2));
        let textures = [
            plane_texture(gpu, width, height, "plane y"),
            plane_texture(gpu, cw, ch, "plane u"),
            plane_texture(gpu, cw, ch, "plane v"),
        ];
        let uniform = gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("yuv->rgba"),
            contents: bytemuck::cast_slice(&spec.uniform()),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let views: Vec<wgpu::TextureView> = textures.iter().map(|p| p.create_view(&Default::default())).collect();
        let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("yuv->rgba"),
            layout: &pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: uniform.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(target.view()) },
                wgpu::BindGroupEntry { binding: 2, resource: wgpu::BindingResource::TextureView(&views[0]) },
                wgpu::BindGroupEntry { binding: 3, resource: wgpu::BindingResource::TextureView(&views[1]) },
                wgpu::BindGroupEntry { binding: 4, resource: wgpu::BindingResource::TextureView(&views[2]) },
            ],
        });
        Self { textures, bind_group, spec, target: target.clone() }
    }
}

/// Converts RGBA frames to yuv420p planes and reads them back.
pub struct Downloader {
    gpu: Arc<GpuContext>,
    layout: PlaneLayout,
    path: DownloadPath,
}

/// What each conversion path keeps between frames.
enum DownloadPath {
    /// `shaders/rgba_to_yuv.wgsl` writes the planes into `planes`, which is
    /// copied into `staging` and mapped.
    Gpu {
        pipeline: wgpu::ComputePipeline,
        planes: wgpu::Buffer,
        staging: wgpu::Buffer,
        uniform: wgpu::Buffer,
        bound: Option<(GpuTexture, wgpu::BindGroup)>,
    },
    /// The RGBA frame is copied into `staging` and converted on the CPU
    /// into `planes`.
    Cpu {
        converter: RgbaToYuv,
        /// The staging buffer, for the size of the last frame recorded.
        staging: Option<RgbaStaging>,
        planes: Vec<u8>,
    },
}

/// A mappable copy of one RGBA texture, rows padded to the copy alignment.
struct RgbaStaging {
    buffer: wgpu::Buffer,
    width: u32,
    height: u32,
    padded_row: u32,
}

/// One frame's yuv420p planes, read back from the GPU.
pub struct YuvReadback<'a> {
    /// Luma plane, `y_stride` bytes per row.
    pub y: &'a [u8],
    /// Bytes per luma row.
    pub y_stride: usize,
    /// Cb plane, `uv_stride` bytes per row.
    pub u: &'a [u8],
    /// Cr plane, `uv_stride` bytes per row.
    pub v: &'a [u8],
    /// Bytes per chroma row.
    pub uv_stride: usize,
}

impl<'a> YuvReadback<'a> {
    /// The three planes of `bytes`, laid out as `l` says.
    fn split(bytes: &'a [u8], l: PlaneLayout) -> Self {
        YuvReadback {
            y: &bytes[..l.u_offset as usize],
            y_stride: l.y_stride as usize,
            u: &bytes[l.u_offset as usize..l.v_offset as usize],
            v: &bytes[l.v_offset as usize..l.size()],
            uv_stride: l.uv_stride as usize,
        }
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
            Conversion::Cpu => {
                DownloadPath::Cpu { converter: RgbaToYuv::new(spec), staging: None, planes: vec![0; layout.size()] }
            }
            Conversion::Gpu => {
                let size = layout.size() as u64;
                let planes = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("yuv planes"),
                    size,
                    usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                });
                let staging = gpu.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("yuv staging"),
                    size,
                    usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
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
                DownloadPath::Gpu { pipeline, planes, staging, uniform, bound: None }
            }
        };
        Self { gpu, layout, path }
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
    /// into the staging buffer.
    pub fn record(&mut self, rec: &mut FrameRecorder, rgba: &GpuTexture) {
        match &mut self.path {
            DownloadPath::Gpu { pipeline, planes, staging, uniform, bound } => {
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
                    rec.dispatch_raw(pipeline, bind_group, groups);
                }
                rec.encoder().copy_buffer_to_buffer(planes, 0, staging, 0, planes.size());
            }
            DownloadPath::Cpu { staging, .. } => {
                let (width, height) = (rgba.width(), rgba.height());
                if !staging.as_ref().is_some_and(|s| s.width == width && s.height == height) {
                    let padded_row = padded_row_bytes(width * 4);
                    let buffer = self.gpu.device.create_buffer(&wgpu::BufferDescriptor {
                        label: Some("rgba staging"),
                        size: u64::from(padded_row) * u64::from(height),
                        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                        mapped_at_creation: false,
                    });
                    *staging = Some(RgbaStaging { buffer, width, height, padded_row });
                }
                if let Some(s) = staging {
                    rec.copy_to_buffer(rgba.raw(), &s.buffer, 0, s.padded_row);
                }
            }
        }
    }

    /// Submits what `rec` holds, waits, and hands the planes to `consume`.
    pub fn read<R>(
        &mut self,
        rec: &mut FrameRecorder,
        consume: impl FnOnce(YuvReadback<'_>) -> R,
    ) -> Result<R, GpuError> {
        rec.flush();
        let layout = self.layout;
        match &mut self.path {
            DownloadPath::Gpu { staging, .. } => {
                let mapped = map_and_wait(&self.gpu, staging)?;
                let result = consume(YuvReadback::split(&mapped, layout));
                drop(mapped);
                staging.unmap();
                Ok(result)
            }
            DownloadPath::Cpu { converter, staging, planes } => {
                let s = staging
                    .as_ref()
                    .ok_or_else(|| GpuError::InvalidArgument("read before any frame was recorded".into()))?;
                let mapped = map_and_wait(&self.gpu, &s.buffer)?;
                let converted = converter.convert(
                    &mapped,
                    s.padded_row as usize,
                    s.width as usize,
                    s.height as usize,
                    layout,
                    planes,
                );
                drop(mapped);
                s.buffer.unmap();
                converted?;
                Ok(consume(YuvReadback::split(planes, layout)))
            }
        }
    }
}
