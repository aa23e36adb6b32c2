//! What a plugin's `Store` holds, and the host side of the imports the
//! contract gives plugins (`gpu`, `analysis`, `log`), for every supported
//! contract version.

use super::bindings::v0_1_0::pika::fx as wit;
use super::sandbox::TrackedLimits;
use crate::gpu::{ComputeShader, FrameRecorder, GpuError, GpuTexture, SubjectMasker};
use std::sync::{Arc, Mutex, MutexGuard};
use wasmtime::component::{Resource, ResourceTable};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// A texture as a plugin holds it.
pub struct TextureHandle {
    texture: GpuTexture,
    /// Whether it was made by `create-texture` and counts against the budget.
    scratch: bool,
}

/// A compiled shader as a plugin holds it.
pub struct ShaderHandle(Arc<ComputeShader>);

/// The GPU state a plugin store shares with the render loop.
#[derive(Clone)]
pub struct GpuSession {
    /// This frame's command recorder, shared with the render loop.
    pub recorder: Arc<Mutex<FrameRecorder>>,
    /// The clip's subject masker.
    pub masker: Arc<SubjectMasker>,
}

impl GpuSession {
    fn recorder(&self) -> MutexGuard<'_, FrameRecorder> {
        // Only this thread records; a poisoned lock still holds a usable encoder.
        self.recorder.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Most log lines one plugin call may write; the rest are dropped.
const MAX_LOG_LINES_PER_CALL: u32 = 64;

/// The GPU session for a host function, or an early `Ok(Err(gpu-error))`
/// return: the plugin gets an error value, not a trap.
macro_rules! session_or_return {
    ($state:expr) => {
        match $state.session() {
            Ok(session) => session.clone(),
            Err(e) => return Ok(Err(e)),
        }
    };
}

/// The data of one plugin `Store`: one per layer per render.
pub struct PluginState {
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) limits: TrackedLimits,
    pub(crate) gpu: Option<GpuSession>,
    pub(crate) plugin: String,
    scratch_bytes: u64,
    dispatches: u32,
    log_lines: u32,
}

impl PluginState {
    pub(crate) fn new(plugin: String, wasi: WasiCtx, limits: TrackedLimits, gpu: Option<GpuSession>) -> Self {
        Self { wasi, table: ResourceTable::new(), limits, gpu, plugin, scratch_bytes: 0, dispatches: 0, log_lines: 0 }
    }

    /// Resets the per-call budgets; called before each call into the plugin.
    pub(crate) fn begin_call(&mut self) {
        self.dispatches = 0;
        self.log_lines = 0;
    }

    /// Lends a host texture to the plugin for one call.
    pub(crate) fn lend(&mut self, texture: &GpuTexture) -> wasmtime::Result<Resource<TextureHandle>> {
        Ok(self.table.push(TextureHandle { texture: texture.clone(), scratch: false })?)
    }

    /// Takes back a texture lent with [`PluginState::lend`].
    pub(crate) fn take_back(&mut self, handle: Resource<TextureHandle>) {
        let _ = self.table.delete(handle);
    }

    fn session(&self) -> Result<&GpuSession, wit::types::GpuError> {
        self.gpu
            .as_ref()
            .ok_or_else(|| wit::types::GpuError::Device("the GPU is not available while describing a plugin".into()))
    }

    fn texture(&self, handle: &Resource<TextureHandle>) -> wasmtime::Result<GpuTexture> {
        Ok(self.table.get(handle)?.texture.clone())
    }

    /// `gpu.dispatch` (every version) and, with a `region`,
    /// `gpu.dispatch-region` (0.3.0 and later), counted against the
    /// per-call dispatch budget.
    pub(crate) fn dispatch_shader(
        &mut self,
        shader: Resource<ShaderHandle>,
        inputs: Vec<Resource<TextureHandle>>,
        output: Resource<TextureHandle>,
        uniforms: Vec<f32>,
        region: Option<Resource<TextureHandle>>,
    ) -> wasmtime::Result<Result<(), wit::types::GpuError>> {
        let session = session_or_return!(self);
        let max = session.recorder().gpu().limits().max_dispatches_per_call;
        if self.dispatches >= max {
            return Ok(Err(wit::types::GpuError::LimitExceeded(format!(
                "more than {max} dispatches in one render call"
            ))));
        }
        self.dispatches += 1;
        let shader = self.table.get(&shader)?.0.clone();
        let inputs = inputs.iter().map(|t| self.texture(t)).collect::<wasmtime::Result<Vec<_>>>()?;
        let output = self.texture(&output)?;
        let region = region.map(|r| self.texture(&r)).transpose()?;
        let input_refs: Vec<&GpuTexture> = inputs.iter().collect();
        let mut recorder = session.recorder();
        let outcome = match &region {
            Some(region) => recorder.dispatch_region(&shader, &input_refs, &output, &uniforms, region),
            None => recorder.dispatch(&shader, &input_refs, &output, &uniforms),
        };
        Ok(outcome.map_err(to_wit_error))
    }
}

impl WasiView for PluginState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// Maps a host GPU error to the contract's error variant.
pub(crate) fn to_wit_error(e: GpuError) -> wit::types::GpuError {
    use wit::types::{GpuError as W, ShaderLocation};
    match e {
        GpuError::InvalidShader { message, location } => {
            W::InvalidShader((message, location.map(|(line, column)| ShaderLocation { line, column })))
        }
        GpuError::InvalidArgument(m) => W::InvalidArgument(m),
        GpuError::LimitExceeded(m) => W::LimitExceeded(m),
        other => W::Device(other.to_string()),
    }
}

impl wit::types::Host for PluginState {}

impl wit::gpu::HostTexture for PluginState {
    fn width(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<u32> {
        Ok(self.table.get(&this)?.texture.width())
    }

    fn height(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<u32> {
        Ok(self.table.get(&this)?.texture.height())
    }

    fn read_rgba(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<Vec<u8>> {
        let texture = self.texture(&this)?;
        let session = self.session().map_err(|e| wasmtime::format_err!("{e:?}"))?;
        // A plugin cannot recover from a failed readback: trap.
        Ok(session.recorder().read_rgba(&texture)?)
    }

    fn write_rgba(
        &mut self,
        this: Resource<TextureHandle>,
        pixels: Vec<u8>,
    ) -> wasmtime::Result<Result<(), wit::types::GpuError>> {
        let texture = self.texture(&this)?;
        let session = session_or_return!(self);
        Ok(session.recorder().write_rgba(&texture, &pixels).map_err(to_wit_error))
    }

    fn drop(&mut self, rep: Resource<TextureHandle>) -> wasmtime::Result<()> {
        let handle = self.table.delete(rep)?;
        if handle.scratch {
            self.scratch_bytes = self.scratch_bytes.saturating_sub(handle.texture.byte_size());
        }
        Ok(())
    }
}

impl wit::gpu::HostShader for PluginState {
    fn entry_point(&mut self, this: Resource<ShaderHandle>) -> wasmtime::Result<String> {
        Ok(self.table.get(&this)?.0.entry_point().to_owned())
    }

    fn drop(&mut self, rep: Resource<ShaderHandle>) -> wasmtime::Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl wit::gpu::Host for PluginState {
    fn compile(
        &mut self,
        wgsl: String,
        entry_point: String,
    ) -> wasmtime::Result<Result<Resource<ShaderHandle>, wit::types::GpuError>> {
        let session = session_or_return!(self);
        let gpu = session.recorder().gpu().clone();
        match gpu.compile(&wgsl, &entry_point) {
            Ok(shader) => Ok(Ok(self.table.push(ShaderHandle(shader))?)),
            Err(e) => Ok(Err(to_wit_error(e))),
        }
    }

    fn create_texture(
        &mut self,
        width: u32,
        height: u32,
    ) -> wasmtime::Result<Result<Resource<TextureHandle>, wit::types::GpuError>> {
        let session = session_or_return!(self);
        let gpu = session.recorder().gpu().clone();
        let bytes = u64::from(width) * u64::from(height) * 4;
        let budget = gpu.limits().max_texture_bytes;
        if self.scratch_bytes + bytes > budget {
            return Ok(Err(wit::types::GpuError::LimitExceeded(format!(
                "a {width}x{height} texture needs {} MiB; this plugin already holds {} MiB of its {} MiB texture budget",
                bytes >> 20,
                self.scratch_bytes >> 20,
                budget >> 20
            ))));
        }
        match GpuTexture::new(&gpu, width, height, "plugin scratch") {
            Ok(texture) => {
                self.scratch_bytes += bytes;
                Ok(Ok(self.table.push(TextureHandle { texture, scratch: true })?))
            }
            Err(e) => Ok(Err(to_wit_error(e))),
        }
    }

    fn dispatch(
        &mut self,
        shader: Resource<ShaderHandle>,
        inputs: Vec<Resource<TextureHandle>>,
        output: Resource<TextureHandle>,
        uniforms: Vec<f32>,
    ) -> wasmtime::Result<Result<(), wit::types::GpuError>> {
        self.dispatch_shader(shader, inputs, output, uniforms, None)
    }
}

impl wit::analysis::Host for PluginState {
    fn subject_mask(
        &mut self,
        frame: Resource<TextureHandle>,
    ) -> wasmtime::Result<Result<Resource<TextureHandle>, wit::types::GpuError>> {
        let session = session_or_return!(self);
        let frame = self.texture(&frame)?;
        let mut recorder = session.recorder();
        let mask = match GpuTexture::new(recorder.gpu(), frame.width(), frame.height(), "subject mask") {
            Ok(m) => m,
            Err(e) => return Ok(Err(to_wit_error(e))),
        };
        if let Err(e) = session.masker.record(&mut recorder, &frame, &mask) {
            return Ok(Err(to_wit_error(e)));
        }
        drop(recorder);
        // Host-made masks are not counted against the scratch budget: the
        // plugin did not ask for the memory, and it is freed when dropped.
        Ok(Ok(self.table.push(TextureHandle { texture: mask, scratch: false })?))
    }
}

impl wit::log::Host for PluginState {
    fn log(&mut self, level: wit::log::Level, message: String) -> wasmtime::Result<()> {
        self.log_lines += 1;
        if self.log_lines > MAX_LOG_LINES_PER_CALL {
            return Ok(());
        }
        let plugin = &self.plugin;
        match level {
            wit::log::Level::Trace => tracing::trace!(plugin, "{message}"),
            wit::log::Level::Debug => tracing::debug!(plugin, "{message}"),
            wit::log::Level::Info => tracing::info!(plugin, "{message}"),
            wit::log::Level::Warn => tracing::warn!(plugin, "{message}"),
            wit::log::Level::Error => tracing::error!(plugin, "{message}"),
        }
        Ok(())
    }
}

// The imports of later contract versions delegate to the 0.1.0
// implementations above (see `state/versions.rs`).
mod versions;
