//! RGBA frame textures shared between the host and plugins.

use super::{GpuContext, GpuError};
use std::sync::Arc;

/// The format of every texture a plugin sees.
pub const FRAME_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// An RGBA8 texture on the GPU. Cheap to clone (the texture is shared).
#[derive(Clone, Debug)]
pub struct GpuTexture {
    inner: Arc<TextureInner>,
}

#[derive(Debug)]
struct TextureInner {
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    width: u32,
    height: u32,
}

/// A 2D texture of `format` usable as shader input, storage output and copy
/// source and destination, with its default view: the frames, and the
/// subject mask's work grid. No size checks: callers make them.
pub(crate) fn work_texture(
    gpu: &GpuContext,
    width: u32,
    height: u32,
    format: wgpu::TextureFormat,
    label: &str,
) -> (wgpu::Texture, wgpu::TextureView) {
    let texture = gpu.device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::STORAGE_BINDING
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    (texture, view)
}

impl GpuTexture {
    /// Makes an RGBA8 texture usable as shader input, storage output and
    /// copy source/destination.
    pub fn new(gpu: &GpuContext, width: u32, height: u32, label: &str) -> Result<Self, GpuError> {
        let max = gpu.limits().max_texture_dimension.min(gpu.device.limits().max_texture_dimension_2d);
        if width == 0 || height == 0 || width > max || height > max {
            return Err(GpuError::LimitExceeded(format!(
                "texture size {width}x{height} is outside 1..={max} pixels per side"
            )));
        }
        let (texture, view) = work_texture(gpu, width, height, FRAME_FORMAT, label);
        Ok(Self { inner: Arc::new(TextureInner { texture, view, width, height }) })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.inner.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.inner.height
    }

    /// Bytes the texture occupies (RGBA8).
    pub fn byte_size(&self) -> u64 {
        u64::from(self.inner.width) * u64::from(self.inner.height) * 4
    }

    /// Whether two handles name the same GPU texture.
    pub fn same_as(&self, other: &GpuTexture) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub(crate) fn raw(&self) -> &wgpu::Texture {
        &self.inner.texture
    }

    pub(crate) fn view(&self) -> &wgpu::TextureView {
        &self.inner.view
    }

    pub(crate) fn extent(&self) -> wgpu::Extent3d {
        wgpu::Extent3d { width: self.inner.width, height: self.inner.height, depth_or_array_layers: 1 }
    }
}
