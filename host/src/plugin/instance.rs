//! One instantiated plugin in its own `Store`: describe, create a renderer,
//! render frames. After a trap the instance refuses further calls; the
//! caller makes a fresh one.

use super::bindings::{v0_1_0, v0_2_0, v0_3_0};
use super::convert;
use super::runtime::ticks;
use super::sandbox::SandboxConfig;
use super::state::PluginState;
use super::{ClipInfo, EffectInfo, FrameContext, ParamValue, PluginError};
use crate::gpu::GpuTexture;
use wasmtime::Store;
use wasmtime::component::{Resource, ResourceAny};

/// The generated bindings of an instance, by contract version.
pub(crate) enum Bindings {
    /// Built against `pika:fx@0.1.0`.
    V0_1_0(v0_1_0::Plugin),
    /// Built against `pika:fx@0.2.0`.
    V0_2_0(v0_2_0::Plugin),
    /// Built against `pika:fx@0.3.0`.
    V0_3_0(v0_3_0::Plugin),
}

/// A plugin instance with its store.
pub struct PluginInstance {
    name: String,
    store: Store<PluginState>,
    bindings: Bindings,
    sandbox: SandboxConfig,
    renderer: Option<ResourceAny>,
    poisoned: bool,
}

impl PluginInstance {
    pub(crate) fn new(name: String, store: Store<PluginState>, bindings: Bindings, sandbox: SandboxConfig) -> Self {
        Self { name, store, bindings, sandbox, renderer: None, poisoned: false }
    }

    /// The plugin's display name (`style/noir@0.1.0 (noir.wasm)`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The largest linear memory the plugin has grown to, in bytes.
    pub fn peak_memory(&self) -> usize {
        self.store.data().limits.peak_memory
    }

    fn begin(&mut self, render: bool) -> Result<(), PluginError> {
        if self.poisoned {
            return Err(PluginError::Poisoned { plugin: self.name.clone() });
        }
        let budget = if render { self.sandbox.render_timeout } else { self.sandbox.setup_timeout };
        self.store.set_epoch_deadline(ticks(budget));
        self.store.data_mut().begin_call();
        Ok(())
    }

    fn trapped(&mut self, call: &'static str, e: &wasmtime::Error) -> PluginError {
        self.poisoned = true;
        convert::trap(&self.name, call, e, &self.sandbox)
    }

    /// Calls `describe`.
    pub fn describe(&mut self) -> Result<EffectInfo, PluginError> {
        self.begin(false)?;
        let result = match &self.bindings {
            Bindings::V0_1_0(b) => b.pika_fx_effect().call_describe(&mut self.store).map(convert::v0_1_0::effect_info),
            Bindings::V0_2_0(b) => b.pika_fx_effect().call_describe(&mut self.store).map(convert::v0_2_0::effect_info),
            Bindings::V0_3_0(b) => b.pika_fx_effect().call_describe(&mut self.store).map(convert::v0_3_0::effect_info),
        };
        result.map_err(|e| self.trapped("describe", &e))
    }

    /// Calls `create` and keeps the renderer for [`PluginInstance::render`].
    pub fn create(&mut self, clip: ClipInfo, params: &[(String, ParamValue)]) -> Result<(), PluginError> {
        self.begin(false)?;
        let result = match &self.bindings {
            Bindings::V0_1_0(b) => b.pika_fx_effect().call_create(
                &mut self.store,
                convert::v0_1_0::clip_info(clip),
                &convert::v0_1_0::params(params),
            ),
            Bindings::V0_2_0(b) => b.pika_fx_effect().call_create(
                &mut self.store,
                convert::v0_2_0::clip_info(clip),
                &convert::v0_2_0::params(params),
            ),
            Bindings::V0_3_0(b) => b.pika_fx_effect().call_create(
                &mut self.store,
                convert::v0_3_0::clip_info(clip),
                &convert::v0_3_0::params(params),
            ),
        };
        match result {
            Ok(Ok(renderer)) => {
                self.renderer = Some(renderer);
                Ok(())
            }
            Ok(Err(message)) => Err(PluginError::Failed { plugin: self.name.clone(), call: "create", message }),
            Err(e) => Err(self.trapped("create", &e)),
        }
    }

    /// Renders one frame from `input` (and `history`) into `output`.
    pub fn render(
        &mut self,
        ctx: FrameContext,
        params: &[(String, ParamValue)],
        input: &GpuTexture,
        history: &[GpuTexture],
        output: &GpuTexture,
    ) -> Result<(), PluginError> {
        let Some(renderer) = self.renderer else {
            return Err(PluginError::Failed {
                plugin: self.name.clone(),
                call: "render",
                message: "render called before create".into(),
            });
        };
        self.begin(true)?;
        let lent = (|| -> wasmtime::Result<_> {
            let state = self.store.data_mut();
            let input = state.lend(input)?;
            let history = history.iter().map(|t| state.lend(t)).collect::<wasmtime::Result<Vec<_>>>()?;
            let output = state.lend(output)?;
            Ok((input, history, output))
        })();
        let (input_h, history_h, output_h) = lent.map_err(|e| self.trapped("render", &e))?;
        let input = || Resource::new_borrow(input_h.rep());
        let output = || Resource::new_borrow(output_h.rep());
        // `history` is owned: the guest drops it (see the contract's `render`).
        let result = match &self.bindings {
            Bindings::V0_1_0(b) => b.pika_fx_effect().renderer().call_render(
                &mut self.store,
                renderer,
                convert::v0_1_0::frame_context(ctx),
                &convert::v0_1_0::params(params),
                input(),
                &history_h,
                output(),
            ),
            Bindings::V0_2_0(b) => b.pika_fx_effect().renderer().call_render(
                &mut self.store,
                renderer,
                convert::v0_2_0::frame_context(ctx),
                &convert::v0_2_0::params(params),
                input(),
                &history_h,
                output(),
            ),
            Bindings::V0_3_0(b) => b.pika_fx_effect().renderer().call_render(
                &mut self.store,
                renderer,
                convert::v0_3_0::frame_context(ctx),
                &convert::v0_3_0::params(params),
                input(),
                &history_h,
                output(),
            ),
        };
        let state = self.store.data_mut();
        state.take_back(input_h);
        state.take_back(output_h);
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(PluginError::Failed { plugin: self.name.clone(), call: "render", message }),
            Err(e) => Err(self.trapped("render", &e)),
        }
    }
}

impl Drop for PluginInstance {
    fn drop(&mut self) {
        if let (Some(renderer), false) = (self.renderer.take(), self.poisoned) {
            self.store.set_epoch_deadline(ticks(self.sandbox.setup_timeout));
            if let Err(e) = renderer.resource_drop(&mut self.store) {
                tracing::debug!("dropping the renderer of {} failed: {e}", self.name);
            }
        }
    }
}
