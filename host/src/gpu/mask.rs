//! `analysis.subject-mask`: a soft mask of the frame's subject.
//!
//! For now a classical estimate on the GPU (colour distance from the border's
//! mean colour times a centre prior, see `shaders/subject_mask.wgsl`); the
//! effect-catalog issue replaces it with a segmentation model plus temporal
//! smoothing. The interface stays the same.

use super::convert::internal_pipeline;
use super::{FrameRecorder, GpuContext, GpuError, GpuTexture};
use std::sync::Arc;

const SUBJECT_MASK: &str = include_str!("../../../shaders/subject_mask.wgsl");

/// Computes subject masks; one per clip, reused for every frame.
pub struct SubjectMasker {
    gpu: Arc<GpuContext>,
    stats_pipeline: wgpu::ComputePipeline,
    mask_pipeline: wgpu::ComputePipeline,
    stats: wgpu::Buffer,
}

impl SubjectMasker {
    /// Builds the two passes.
    pub fn new(gpu: Arc<GpuContext>) -> Self {
        let stats_pipeline = internal_pipeline(&gpu, SUBJECT_MASK, "border_stats");
        let mask_pipeline = internal_pipeline(&gpu, SUBJECT_MASK, "mask");
        let stats = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("mask stats"),
            size: 16,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        Self { gpu, stats_pipeline, mask_pipeline, stats }
    }

    /// Records the mask of `frame` into `mask` (same size).
    pub fn record(&self, rec: &mut FrameRecorder, frame: &GpuTexture, mask: &GpuTexture) -> Result<(), GpuError> {
        if frame.width() != mask.width() || frame.height() != mask.height() {
            return Err(GpuError::InvalidArgument("mask and frame sizes differ".into()));
        }
        let stats_group = self.gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("mask stats"),
            layout: &self.stats_pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: self.stats.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: wgpu::BindingResource::TextureView(frame.view()) },
            ],
        });
        let mask_group = self.gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("mask"),
            layout: &self.mask_pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: self.stats.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(mask.view()) },
                wgpu::BindGroupEntry { binding: 3, resource: wgpu::BindingResource::TextureView(frame.view()) },
            ],
        });
        rec.dispatch_raw(&self.stats_pipeline, &stats_group, [1, 1, 1]);
        rec.dispatch_raw(&self.mask_pipeline, &mask_group, [mask.width().div_ceil(16), mask.height().div_ceil(8), 1]);
        Ok(())
    }
}
