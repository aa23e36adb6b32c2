//! Decoded YUV frames into RGBA textures: the planes go up as R8 textures
//! and are converted in a shader (swscale would cost ~3 ms per 720p frame
//! on the CPU). On a software adapter the conversion runs on the CPU
//! instead ([`CpuFrameConverter`], see `cpu_convert`), ideally on the decode
//! thread. The way back is in `download`.

use super::cpu_convert::YuvToRgba;
use super::{FrameRecorder, GpuContext, GpuError, GpuTexture};
use crate::media::{PixelLayout, VideoFrame};
use std::sync::Arc;
use wgpu::util::DeviceExt;

const YUV_TO_RGBA: &str = include_str!("../../../shaders/yuv_to_rgba.wgsl");

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
        converter: CpuFrameConverter,
        /// The RGBA frame.
        rgba: Vec<u8>,
    },
}

/// Converts decoded frames to RGBA on the CPU, on any thread: the render
/// loop runs it on the decode thread and hands the result to
/// [`Uploader::upload_rgba`], so that the render thread only copies it up.
#[derive(Default)]
pub struct CpuFrameConverter {
    /// The tables for the last colour spec seen (boxed: ~6 KiB).
    tables: Option<Box<YuvToRgba>>,
}

impl CpuFrameConverter {
    /// Converts a 4:2:0 `frame` into tightly packed RGBA rows in `rgba`
    /// (resized to fit). Returns `false`, leaving `rgba` alone, for a frame
    /// that is RGBA already.
    pub fn convert(&mut self, frame: &VideoFrame, rgba: &mut Vec<u8>) -> Result<bool, GpuError> {
        let PixelLayout::Yuv420 { full_range, bt709 } = frame.layout() else {
            return Ok(false);
        };
        let spec = ColorSpec { bt709, full_range };
        if self.tables.as_ref().is_some_and(|tables| tables.spec() != spec) {
            self.tables = None;
        }
        let tables = self.tables.get_or_insert_with(|| Box::new(YuvToRgba::new(spec)));
        let planes = [0, 1, 2].map(|i| (frame.plane(i), frame.stride(i)));
        tables.convert(planes, frame.width() as usize, frame.height() as usize, rgba)?;
        Ok(true)
    }
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
            Conversion::Cpu => UploadPath::Cpu { converter: CpuFrameConverter::default(), rgba: Vec::new() },
        };
        Self { gpu, path }
    }

    /// Writes a frame already converted to tightly packed RGBA rows (by a
    /// [`CpuFrameConverter`]) into `target`, which must be its size.
    pub fn upload_rgba(&self, rgba: &[u8], target: &GpuTexture) -> Result<(), GpuError> {
        write_rgba_frame(&self.gpu, rgba, target)
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
            UploadPath::Cpu { converter, rgba } => {
                converter.convert(frame, rgba)?;
                write_rgba_frame(&self.gpu, rgba, target)
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
                rec.dispatch_raw("host: YUV to RGBA (upload)", pipeline, &bound.bind_group, groups);
                Ok(())
            }
        }
    }
}

/// Writes tightly packed RGBA rows of `target`'s size into it.
fn write_rgba_frame(gpu: &GpuContext, rgba: &[u8], target: &GpuTexture) -> Result<(), GpuError> {
    write_plane(gpu, target.raw(), rgba, target.width() as usize * 4)
        .map_err(|_| GpuError::InvalidArgument("the converted RGBA frame is smaller than the target".into()))
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
