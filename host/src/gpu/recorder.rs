//! Records one frame's GPU work (conversions, plugin dispatches, copies)
//! into a single command encoder and submits it once.

use super::pass_timing::EncoderTimestamps;
use super::shader::{FIRST_INPUT_BINDING, OUTPUT_BINDING, REGION_BINDING, SAMPLER_BINDING, UNIFORMS_BINDING};
use super::{ComputeShader, GpuContext, GpuError, GpuTexture};
use std::borrow::Cow;
use std::sync::Arc;
use wgpu::util::DeviceExt;

/// Most `f32` uniforms one dispatch may pass.
pub const MAX_UNIFORMS: usize = 16 * 1024;

/// Collects GPU commands until [`FrameRecorder::flush`].
pub struct FrameRecorder {
    gpu: Arc<GpuContext>,
    encoder: Option<wgpu::CommandEncoder>,
    /// The current encoder's pass timestamps, when the context times passes.
    timestamps: Option<EncoderTimestamps>,
}

impl FrameRecorder {
    /// A recorder with nothing recorded.
    pub fn new(gpu: Arc<GpuContext>) -> Self {
        Self { gpu, encoder: None, timestamps: None }
    }

    /// The context this recorder submits to.
    pub fn gpu(&self) -> &Arc<GpuContext> {
        &self.gpu
    }

    pub(crate) fn encoder(&mut self) -> &mut wgpu::CommandEncoder {
        let gpu = &self.gpu;
        self.encoder.get_or_insert_with(|| {
            gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("pikafx frame") })
        })
    }

    /// Begins a compute pass, with timestamps at its start and end when the
    /// context times passes (`label` names it in the sums).
    fn begin_pass(&mut self, label: &str) -> wgpu::ComputePass<'_> {
        let timed = match &self.gpu.pass_timing {
            Some(_) => {
                let device = &self.gpu.device;
                self.timestamps.get_or_insert_with(|| EncoderTimestamps::new(device)).next_pass(label)
            }
            None => None,
        };
        let timestamp_writes = timed.as_ref().map(|(query_set, first)| wgpu::ComputePassTimestampWrites {
            query_set,
            beginning_of_pass_write_index: Some(*first),
            end_of_pass_write_index: Some(first + 1),
        });
        self.encoder().begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes })
    }

    /// Records `shader` over `output`, following the plugin binding convention.
    pub fn dispatch(
        &mut self,
        shader: &ComputeShader,
        inputs: &[&GpuTexture],
        output: &GpuTexture,
        uniforms: &[f32],
    ) -> Result<(), GpuError> {
        self.dispatch_over(shader, inputs, output, uniforms, None)
    }

    /// Records `dispatch-region` (pika:fx@0.3.0): a copy of `inputs[0]` into
    /// `output`, then `shader` over only the workgroups that cover the
    /// rectangle `region` holds (texels 0 and 1, see `wit/0.3.0`), as an
    /// indirect dispatch whose size a one-invocation pass works out on the
    /// GPU (`shaders/region_args.wgsl`), so nothing is read back.
    pub fn dispatch_region(
        &mut self,
        shader: &ComputeShader,
        inputs: &[&GpuTexture],
        output: &GpuTexture,
        uniforms: &[f32],
        region: &GpuTexture,
    ) -> Result<(), GpuError> {
        let Some(first) = inputs.first() else {
            return Err(GpuError::InvalidArgument(
                "dispatch-region copies inputs[0] into the output, but no input was passed".into(),
            ));
        };
        if first.width() != output.width() || first.height() != output.height() {
            return Err(GpuError::InvalidArgument(format!(
                "dispatch-region needs inputs[0] the output's size: {}x{} is not {}x{}",
                first.width(),
                first.height(),
                output.width(),
                output.height()
            )));
        }
        if region.width() < 2 {
            return Err(GpuError::InvalidArgument(format!(
                "the region texture holds two corners, so it must be at least 2x1 texels (it is {}x{})",
                region.width(),
                region.height()
            )));
        }
        if region.same_as(output) {
            return Err(GpuError::InvalidArgument("the region texture is the output itself".into()));
        }
        self.dispatch_over(shader, inputs, output, uniforms, Some(region))
    }

    fn dispatch_over(
        &mut self,
        shader: &ComputeShader,
        inputs: &[&GpuTexture],
        output: &GpuTexture,
        uniforms: &[f32],
        region: Option<&GpuTexture>,
    ) -> Result<(), GpuError> {
        let layout = shader.layout();
        if !layout.uses_output {
            return Err(GpuError::InvalidArgument(
                "the shader never writes its output (`texture_storage_2d<rgba8unorm, write>` at @binding(1))".into(),
            ));
        }
        if inputs.iter().any(|t| t.same_as(output)) {
            return Err(GpuError::InvalidArgument("the output texture is also one of the inputs".into()));
        }
        if let Some(&missing) = layout.inputs.iter().find(|&&i| i as usize >= inputs.len()) {
            return Err(GpuError::InvalidArgument(format!(
                "the shader reads input {missing} (@binding({})) but only {} input(s) were passed",
                missing + FIRST_INPUT_BINDING,
                inputs.len()
            )));
        }
        if uniforms.len() > MAX_UNIFORMS {
            return Err(GpuError::LimitExceeded(format!(
                "{} uniforms passed; at most {MAX_UNIFORMS} are allowed",
                uniforms.len()
            )));
        }
        let [wx, wy, _] = layout.workgroup_size;
        let groups_x = output.width().div_ceil(wx.max(1));
        let groups_y = output.height().div_ceil(wy.max(1));
        let max_groups = self.gpu.device.limits().max_compute_workgroups_per_dimension;
        if groups_x > max_groups || groups_y > max_groups {
            return Err(GpuError::LimitExceeded(format!(
                "{groups_x}x{groups_y} workgroups exceed the device limit of {max_groups} per dimension"
            )));
        }

        // Only a uniform block needs a copy (padded to its size); a storage
        // array takes the uniforms as passed.
        let (data, usage): (Cow<'_, [f32]>, _) = match layout.uniform_block {
            Some(bytes) => {
                let floats = bytes as usize / 4;
                if uniforms.len() > floats {
                    return Err(GpuError::InvalidArgument(format!(
                        "{} uniforms passed; the shader's `var<uniform>` block holds {floats}",
                        uniforms.len()
                    )));
                }
                let mut block = uniforms.to_vec();
                block.resize(floats, 0.0);
                (Cow::Owned(block), wgpu::BufferUsages::UNIFORM)
            }
            None if uniforms.is_empty() => (Cow::Borrowed(&[0.0]), wgpu::BufferUsages::STORAGE),
            None => (Cow::Borrowed(uniforms), wgpu::BufferUsages::STORAGE),
        };
        let uniform_buffer = layout.uses_uniforms.then(|| {
            self.gpu.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("plugin uniforms"),
                contents: bytemuck::cast_slice(&data),
                usage,
            })
        });
        let mut entries = Vec::with_capacity(3 + layout.inputs.len());
        if let Some(buffer) = &uniform_buffer {
            entries.push(wgpu::BindGroupEntry { binding: UNIFORMS_BINDING, resource: buffer.as_entire_binding() });
        }
        entries.push(wgpu::BindGroupEntry {
            binding: OUTPUT_BINDING,
            resource: wgpu::BindingResource::TextureView(output.view()),
        });
        if layout.uses_sampler {
            entries.push(wgpu::BindGroupEntry {
                binding: SAMPLER_BINDING,
                resource: wgpu::BindingResource::Sampler(&self.gpu.linear_sampler),
            });
        }
        for &i in &layout.inputs {
            entries.push(wgpu::BindGroupEntry {
                binding: FIRST_INPUT_BINDING + i,
                resource: wgpu::BindingResource::TextureView(inputs[i as usize].view()),
            });
        }
        let device = &self.gpu.device;
        let Some(region) = region else {
            // The whole output: the region binding, if read, says so.
            let whole = layout.uses_region.then(|| {
                device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("plugin region (whole output)"),
                    contents: bytemuck::cast_slice(&[0, 0, output.width(), output.height()]),
                    usage: wgpu::BufferUsages::UNIFORM,
                })
            });
            if let Some(buffer) = &whole {
                entries.push(wgpu::BindGroupEntry { binding: REGION_BINDING, resource: buffer.as_entire_binding() });
            }
            let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("plugin dispatch"),
                layout: &shader.pipeline.get_bind_group_layout(0),
                entries: &entries,
            });
            self.dispatch_raw(shader.label(), &shader.pipeline, &bind_group, [groups_x, groups_y, 1]);
            return Ok(());
        };

        // The region: the workgroup counts and the origin are written on
        // the GPU, then read by the indirect dispatch and the shader.
        let groups = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("plugin region groups"),
            size: 12,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::INDIRECT,
            mapped_at_creation: false,
        });
        let origin = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("plugin region origin"),
            size: 16,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::UNIFORM,
            mapped_at_creation: false,
        });
        let params = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("plugin region params"),
            contents: bytemuck::cast_slice(&[output.width(), output.height(), wx.max(1), wy.max(1)]),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let args_pipeline = self.gpu.region_args_pipeline();
        let args_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("plugin region args"),
            layout: &args_pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: params.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(region.view()) },
                wgpu::BindGroupEntry { binding: 2, resource: groups.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: origin.as_entire_binding() },
            ],
        });
        if layout.uses_region {
            entries.push(wgpu::BindGroupEntry { binding: REGION_BINDING, resource: origin.as_entire_binding() });
        }
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("plugin dispatch (region)"),
            layout: &shader.pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        let args_pipeline = args_pipeline.clone();
        let first = inputs.first().ok_or_else(|| GpuError::InvalidArgument("dispatch-region needs an input".into()))?;
        self.copy(first, output)?;
        self.dispatch_raw("host: dispatch-region size", &args_pipeline, &args_group, [1, 1, 1]);
        let mut pass = self.begin_pass(shader.label());
        pass.set_pipeline(&shader.pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.dispatch_workgroups_indirect(&groups, 0);
        Ok(())
    }

    /// Records a dispatch of one of the host's own pipelines (`label` names
    /// it in the pass timing).
    pub(crate) fn dispatch_raw(
        &mut self,
        label: &str,
        pipeline: &wgpu::ComputePipeline,
        bind_group: &wgpu::BindGroup,
        groups: [u32; 3],
    ) {
        let mut pass = self.begin_pass(label);
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, bind_group, &[]);
        pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
    }

    /// Records a copy of `src` into `dst` (same size).
    pub fn copy(&mut self, src: &GpuTexture, dst: &GpuTexture) -> Result<(), GpuError> {
        if src.width() != dst.width() || src.height() != dst.height() {
            return Err(GpuError::InvalidArgument(format!(
                "cannot copy a {}x{} texture into a {}x{} one",
                src.width(),
                src.height(),
                dst.width(),
                dst.height()
            )));
        }
        self.encoder().copy_texture_to_texture(src.raw().as_image_copy(), dst.raw().as_image_copy(), src.extent());
        Ok(())
    }

    /// Submits everything recorded so far. Fails when the recorded commands
    /// do not validate; the frame's work is then dropped whole, not half
    /// done, and the render stops with the error instead of going on with
    /// garbage.
    pub fn flush(&mut self) -> Result<(), GpuError> {
        self.submit().map(|_| ())
    }

    /// Submits everything recorded so far; returns the submission, or
    /// `None` when nothing was recorded since the last one. Fails as
    /// [`FrameRecorder::flush`] does.
    pub(crate) fn submit(&mut self) -> Result<Option<wgpu::SubmissionIndex>, GpuError> {
        let Some(mut encoder) = self.encoder.take() else { return Ok(None) };
        // Plugin calls are checked before they are recorded, so an error
        // here is a host bug. wgpu reports an encoder's errors when it is
        // finished; without a scope they would reach the uncaptured-error
        // handler, which can only log them (it cannot tell whose frame they
        // belong to: scopes are per thread, the handler is per device).
        let scope = self.gpu.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let timestamps = self.timestamps.take().map(|t| t.resolve(&self.gpu.device, &mut encoder));
        let submission = self.gpu.queue.submit([encoder.finish()]);
        if let Some(error) = pollster::block_on(scope.pop()) {
            return Err(GpuError::InvalidCommands(error.to_string()));
        }
        if let (Some(timing), Some(timestamps)) = (&self.gpu.pass_timing, timestamps)
            && let Err(e) = timing.submitted(&self.gpu, timestamps)
        {
            // Only the timing is lost: the frame itself was submitted.
            tracing::warn!("pass timing: {e}");
        }
        Ok(Some(submission))
    }

    /// Reads `texture` back as tightly packed RGBA8 rows. Flushes and waits:
    /// this is the slow CPU path.
    pub fn read_rgba(&mut self, texture: &GpuTexture) -> Result<Vec<u8>, GpuError> {
        let width = texture.width() as usize;
        let height = texture.height() as usize;
        let row = width * 4;
        let padded_row = padded_row_bytes(texture.width() * 4);
        let buffer = self.gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("rgba readback"),
            size: u64::from(padded_row) * height as u64,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        self.copy_to_buffer(texture.raw(), &buffer, 0, padded_row);
        let padded_row = padded_row as usize;
        self.flush()?;
        let mapped = map_and_wait(&self.gpu, &buffer)?;
        let mut pixels = Vec::with_capacity(row * height);
        for y in 0..height {
            pixels.extend_from_slice(&mapped[y * padded_row..y * padded_row + row]);
        }
        drop(mapped);
        buffer.unmap();
        Ok(pixels)
    }

    /// Records a copy of the whole of `texture` into `buffer` at `offset`,
    /// `bytes_per_row` apart (a multiple of the copy alignment: see
    /// [`padded_row_bytes`]).
    pub(crate) fn copy_to_buffer(
        &mut self,
        texture: &wgpu::Texture,
        buffer: &wgpu::Buffer,
        offset: u64,
        bytes_per_row: u32,
    ) {
        self.encoder().copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset,
                    bytes_per_row: Some(bytes_per_row),
                    rows_per_image: None,
                },
            },
            texture.size(),
        );
    }

    /// Replaces the pixels of `texture` with tightly packed RGBA8 rows.
    /// Work recorded before is submitted first so that ordering holds.
    pub fn write_rgba(&mut self, texture: &GpuTexture, pixels: &[u8]) -> Result<(), GpuError> {
        let expected = texture.byte_size();
        if pixels.len() as u64 != expected {
            return Err(GpuError::InvalidArgument(format!(
                "write-rgba got {} bytes; a {}x{} texture needs {expected}",
                pixels.len(),
                texture.width(),
                texture.height()
            )));
        }
        self.flush()?;
        self.gpu.queue.write_texture(
            texture.raw().as_image_copy(),
            pixels,
            wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(texture.width() * 4), rows_per_image: None },
            texture.extent(),
        );
        Ok(())
    }
}

/// `bytes` rounded up to what a texture-to-buffer copy needs between rows.
pub(crate) fn padded_row_bytes(bytes: u32) -> u32 {
    bytes.next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
}

/// Maps `buffer` for reading and waits (bounded by the frame timeout).
pub(crate) fn map_and_wait(gpu: &GpuContext, buffer: &wgpu::Buffer) -> Result<wgpu::BufferView, GpuError> {
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |result| {
        let _ = tx.send(result);
    });
    gpu.wait_idle()?;
    // The callback runs in whichever thread polled the device: another
    // render's or the encode thread's poll may have seen the work finish
    // and still be on its way to calling it, so wait for it a little.
    match rx.recv_timeout(gpu.limits().frame_timeout) {
        Ok(Ok(())) => buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string())),
        Ok(Err(e)) => Err(GpuError::Readback(e.to_string())),
        Err(_) => Err(GpuError::Readback("the map callback never ran".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::GpuLimits;

    #[test]
    fn flush_fails_on_commands_that_do_not_validate_and_the_recorder_goes_on() {
        let gpu = GpuContext::new(GpuLimits::default()).expect("a GPU adapter (lavapipe)");
        let mut rec = FrameRecorder::new(gpu.clone());
        let big = GpuTexture::new(&gpu, 8, 8, "big").expect("texture");
        let small = GpuTexture::new(&gpu, 4, 4, "small").expect("texture");
        // A copy past the edge of `small`: `copy` refuses it, so record it
        // raw, as a host bug would.
        rec.encoder().copy_texture_to_texture(big.raw().as_image_copy(), small.raw().as_image_copy(), big.extent());
        let error = rec.flush().expect_err("an invalid copy must not flush");
        assert!(matches!(error, GpuError::InvalidCommands(_)), "{error:?}");
        assert!(error.to_string().contains("pikafx bug"), "{error}");

        // The next frame records and reads back normally.
        let pixels: Vec<u8> = (0..4 * 4 * 4).map(|i| i as u8).collect();
        rec.write_rgba(&small, &pixels).expect("write");
        let other = GpuTexture::new(&gpu, 4, 4, "other").expect("texture");
        rec.copy(&small, &other).expect("same-size copy");
        assert_eq!(rec.read_rgba(&other).expect("read back"), pixels);
    }
}
