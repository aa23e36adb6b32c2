//! The GPU side of the pipeline: one wgpu device, RGBA frame textures,
//! naga-validated compute shaders, YUV<->RGBA conversion and the host's own
//! analysis passes.
//!
//! Everything here is recorded into a [`FrameRecorder`] and submitted once
//! per frame, so a stack of layers runs with no CPU readback in between.

mod convert;
mod cpu_convert;
mod download;
mod mask;
mod pass_timing;
mod recorder;
mod shader;
mod texture;

pub use convert::{ColorSpec, Conversion, CpuFrameConverter, Uploader};
pub use download::{Downloader, PendingDownload};
pub use mask::SubjectMasker;
pub use pass_timing::{PassTime, PassTimes};
pub use recorder::FrameRecorder;
pub use shader::{ComputeShader, ShaderDiagnostic, ShaderLayout};
pub use texture::GpuTexture;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why a GPU operation failed.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter (not even a software one such as lavapipe) was found.
    #[error("no GPU adapter found (install mesa-vulkan-drivers for the lavapipe software GPU): {0}")]
    NoAdapter(String),
    /// The adapter refused to create a device.
    #[error("could not open the GPU device: {0}")]
    Device(String),
    /// WGSL that does not parse or validate; `location` points into the source.
    #[error("invalid WGSL{}: {message}", location.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default())]
    InvalidShader {
        /// naga's message.
        message: String,
        /// 1-based line and column, when naga knows them.
        location: Option<(u32, u32)>,
    },
    /// A call whose arguments do not fit (wrong sizes, missing bindings, ...).
    #[error("{0}")]
    InvalidArgument(String),
    /// A sandbox limit was hit.
    #[error("{0}")]
    LimitExceeded(String),
    /// GPU work did not finish within the per-frame budget.
    #[error("GPU work did not finish within {0:?}")]
    Timeout(Duration),
    /// The GPU commands recorded for a frame did not validate: a pikafx bug,
    /// since plugin calls are checked before they are recorded.
    #[error("the frame's GPU commands are invalid (a pikafx bug, please report it): {0}")]
    InvalidCommands(String),
    /// Mapping a readback buffer failed.
    #[error("reading back from the GPU failed: {0}")]
    Readback(String),
}

/// Limits that keep plugins (and hostile input) from exhausting the GPU.
#[derive(Clone, Debug)]
pub struct GpuLimits {
    /// Largest texture side a plugin may create.
    pub max_texture_dimension: u32,
    /// Scratch texture memory one plugin instance may hold, in bytes.
    pub max_texture_bytes: u64,
    /// Dispatches one `render` call may record.
    pub max_dispatches_per_call: u32,
    /// How long one frame's GPU work may take before the render fails.
    pub frame_timeout: Duration,
}

impl Default for GpuLimits {
    fn default() -> Self {
        Self {
            max_texture_dimension: 8192,
            max_texture_bytes: 512 << 20,
            max_dispatches_per_call: 256,
            frame_timeout: Duration::from_secs(20),
        }
    }
}

/// The device, its queue and the caches shared by every render in a process.
pub struct GpuContext {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    adapter_name: String,
    /// The adapter runs on the CPU (lavapipe / llvmpipe).
    software: bool,
    limits: GpuLimits,
    shader_cache: Mutex<HashMap<(String, String), Arc<ComputeShader>>>,
    pub(crate) linear_sampler: wgpu::Sampler,
    /// The step of `dispatch-region` that turns a region texture into an
    /// indirect dispatch (made on first use).
    region_args: std::sync::OnceLock<wgpu::ComputePipeline>,
    /// GPU time per pass, when asked for ([`GpuContext::with_pass_timing`]).
    pub(crate) pass_timing: Option<pass_timing::PassTiming>,
}

impl GpuContext {
    /// Opens the default adapter (on a machine without a GPU: Mesa's lavapipe).
    pub fn new(limits: GpuLimits) -> Result<Arc<Self>, GpuError> {
        Self::open(limits, false)
    }

    /// Like [`GpuContext::new`], and times every compute pass on the GPU
    /// (read the sums with [`GpuContext::take_pass_times`]). Fails on an
    /// adapter without timestamp queries.
    pub fn with_pass_timing(limits: GpuLimits) -> Result<Arc<Self>, GpuError> {
        Self::open(limits, true)
    }

    fn open(limits: GpuLimits, time_passes: bool) -> Result<Arc<Self>, GpuError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        }))
        .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        let adapter_name = info.name;
        let software = info.device_type == wgpu::DeviceType::Cpu;
        let required_features = if time_passes {
            if !adapter.features().contains(wgpu::Features::TIMESTAMP_QUERY) {
                return Err(GpuError::Device(format!("{adapter_name} cannot time passes (no timestamp queries)")));
            }
            wgpu::Features::TIMESTAMP_QUERY
        } else {
            wgpu::Features::empty()
        };
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("pikafx"),
            required_features,
            required_limits: adapter.limits(),
            ..Default::default()
        }))
        .map_err(|e| GpuError::Device(e.to_string()))?;
        let pass_timing = time_passes.then(|| pass_timing::PassTiming::new(queue.get_timestamp_period()));
        // Validation errors are caught with error scopes where they can
        // happen; anything else is a host bug and is logged rather than
        // aborting the process (wgpu's default handler panics).
        device.on_uncaptured_error(Arc::new(|e| {
            tracing::error!("uncaptured GPU error: {e}");
        }));
        let linear_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("pikafx linear clamp"),
            address_mode_u: wgpu::AddressMode::ClampToEdge,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        Ok(Arc::new(Self {
            device,
            queue,
            adapter_name,
            software,
            limits,
            shader_cache: Mutex::new(HashMap::new()),
            linear_sampler,
            region_args: std::sync::OnceLock::new(),
            pass_timing,
        }))
    }

    /// Human name of the adapter in use (e.g. `llvmpipe (LLVM 15.0.6, 256 bits)`).
    pub fn adapter_name(&self) -> &str {
        &self.adapter_name
    }

    /// Whether the adapter is a software rasterizer running on the CPU
    /// (Mesa's lavapipe when there is no GPU). There, some work is cheaper
    /// on the CPU than as a compute pass: see [`Uploader`].
    pub fn is_software(&self) -> bool {
        self.software
    }

    /// The sandbox limits in force.
    pub fn limits(&self) -> &GpuLimits {
        &self.limits
    }

    /// Validates and compiles `wgsl`, reusing an earlier compile of the same
    /// source and entry point.
    pub fn compile(&self, wgsl: &str, entry_point: &str) -> Result<Arc<ComputeShader>, GpuError> {
        let key = (wgsl.to_owned(), entry_point.to_owned());
        if let Some(hit) = self.lock_cache().get(&key) {
            return Ok(hit.clone());
        }
        let shader = Arc::new(ComputeShader::new(self, wgsl, entry_point)?);
        self.lock_cache().insert(key, shader.clone());
        Ok(shader)
    }

    /// The pipeline of `shaders/region_args.wgsl` (see
    /// [`FrameRecorder::dispatch_region`]).
    pub(crate) fn region_args_pipeline(&self) -> &wgpu::ComputePipeline {
        self.region_args
            .get_or_init(|| convert::internal_pipeline(self, include_str!("../../../shaders/region_args.wgsl"), "main"))
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Arc<ComputeShader>>> {
        // A poisoned cache only means another thread panicked mid-insert;
        // the map itself is still consistent.
        self.shader_cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The GPU time per pass since the last call (waiting for submitted
    /// work), the most expensive first. Fails unless the context was made
    /// with [`GpuContext::with_pass_timing`].
    pub fn take_pass_times(&self) -> Result<PassTimes, GpuError> {
        let timing = self
            .pass_timing
            .as_ref()
            .ok_or_else(|| GpuError::InvalidArgument("pass timing is off for this GPU context".into()))?;
        timing.take(self)
    }

    /// Blocks until all submitted work is done, or fails after the frame timeout.
    pub fn wait_idle(&self) -> Result<(), GpuError> {
        self.wait_for(None)
    }

    /// Blocks until `submission` (all submitted work when `None`) is done,
    /// or fails after the frame timeout. Any thread may wait.
    pub(crate) fn wait_for(&self, submission: Option<wgpu::SubmissionIndex>) -> Result<(), GpuError> {
        let timeout = self.limits.frame_timeout;
        self.device
            .poll(wgpu::PollType::Wait { submission_index: submission, timeout: Some(timeout) })
            .map(|_| ())
            .map_err(|_| GpuError::Timeout(timeout))
    }
}
