//! The imports of `pika:fx@0.2.0` and later: the same functions as 0.1.0's
//! on structurally identical types, so each version's traits delegate to
//! the 0.1.0 implementations and convert the types; a version's additions
//! (0.3.0's `dispatch-region`) come in as extra methods.

use super::{PluginState, ShaderHandle, TextureHandle, to_wit_error};
use crate::plugin::bindings::v0_1_0::pika::fx as wit;
use wasmtime::component::Resource;

/// Writes the import implementations of one later contract version, in a
/// module named `$module` for the bindings at `$wit`; `$extra` are further
/// methods of that version's `gpu::Host`.
macro_rules! later_version_imports {
    ($module:ident, $wit:path, { $($extra:item)* }) => {
        mod $module {
            use super::{wit, PluginState, Resource, ShaderHandle, TextureHandle};
            #[allow(unused_imports)]
            use super::to_wit_error;
            use $wit as later;

            /// This version's error variant of a 0.1.0 one.
            #[allow(dead_code)]
            pub(super) fn error(e: wit::types::GpuError) -> later::types::GpuError {
                use later::types::{GpuError as Later, ShaderLocation};
                use wit::types::GpuError as V1;
                match e {
                    V1::InvalidShader((message, location)) => Later::InvalidShader((
                        message,
                        location.map(|l| ShaderLocation { line: l.line, column: l.column }),
                    )),
                    V1::InvalidArgument(m) => Later::InvalidArgument(m),
                    V1::LimitExceeded(m) => Later::LimitExceeded(m),
                    V1::Device(m) => Later::Device(m),
                }
            }

            impl later::types::Host for PluginState {}

            impl later::gpu::HostTexture for PluginState {
                fn width(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<u32> {
                    <Self as wit::gpu::HostTexture>::width(self, this)
                }

                fn height(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<u32> {
                    <Self as wit::gpu::HostTexture>::height(self, this)
                }

                fn read_rgba(&mut self, this: Resource<TextureHandle>) -> wasmtime::Result<Vec<u8>> {
                    <Self as wit::gpu::HostTexture>::read_rgba(self, this)
                }

                fn write_rgba(
                    &mut self,
                    this: Resource<TextureHandle>,
                    pixels: Vec<u8>,
                ) -> wasmtime::Result<Result<(), later::types::GpuError>> {
                    Ok(<Self as wit::gpu::HostTexture>::write_rgba(self, this, pixels)?.map_err(error))
                }

                fn drop(&mut self, rep: Resource<TextureHandle>) -> wasmtime::Result<()> {
                    <Self as wit::gpu::HostTexture>::drop(self, rep)
                }
            }

            impl later::gpu::HostShader for PluginState {
                fn entry_point(&mut self, this: Resource<ShaderHandle>) -> wasmtime::Result<String> {
                    <Self as wit::gpu::HostShader>::entry_point(self, this)
                }

                fn drop(&mut self, rep: Resource<ShaderHandle>) -> wasmtime::Result<()> {
                    <Self as wit::gpu::HostShader>::drop(self, rep)
                }
            }

            impl later::gpu::Host for PluginState {
                fn compile(
                    &mut self,
                    wgsl: String,
                    entry_point: String,
                ) -> wasmtime::Result<Result<Resource<ShaderHandle>, later::types::GpuError>> {
                    Ok(<Self as wit::gpu::Host>::compile(self, wgsl, entry_point)?.map_err(error))
                }

                fn create_texture(
                    &mut self,
                    width: u32,
                    height: u32,
                ) -> wasmtime::Result<Result<Resource<TextureHandle>, later::types::GpuError>> {
                    Ok(<Self as wit::gpu::Host>::create_texture(self, width, height)?.map_err(error))
                }

                fn dispatch(
                    &mut self,
                    shader: Resource<ShaderHandle>,
                    inputs: Vec<Resource<TextureHandle>>,
                    output: Resource<TextureHandle>,
                    uniforms: Vec<f32>,
                ) -> wasmtime::Result<Result<(), later::types::GpuError>> {
                    Ok(<Self as wit::gpu::Host>::dispatch(self, shader, inputs, output, uniforms)?.map_err(error))
                }

                $($extra)*
            }

            impl later::analysis::Host for PluginState {
                fn subject_mask(
                    &mut self,
                    frame: Resource<TextureHandle>,
                ) -> wasmtime::Result<Result<Resource<TextureHandle>, later::types::GpuError>> {
                    Ok(<Self as wit::analysis::Host>::subject_mask(self, frame)?.map_err(error))
                }
            }

            impl later::log::Host for PluginState {
                fn log(&mut self, level: later::log::Level, message: String) -> wasmtime::Result<()> {
                    use later::log::Level as Later;
                    use wit::log::Level as V1;
                    let level = match level {
                        Later::Trace => V1::Trace,
                        Later::Debug => V1::Debug,
                        Later::Info => V1::Info,
                        Later::Warn => V1::Warn,
                        Later::Error => V1::Error,
                    };
                    <Self as wit::log::Host>::log(self, level, message)
                }
            }
        }
    };
}

later_version_imports!(v0_2_0, crate::plugin::bindings::v0_2_0::pika::fx, {});

later_version_imports!(v0_3_0, crate::plugin::bindings::v0_3_0::pika::fx, {
    fn dispatch_region(
        &mut self,
        shader: Resource<ShaderHandle>,
        inputs: Vec<Resource<TextureHandle>>,
        output: Resource<TextureHandle>,
        uniforms: Vec<f32>,
        region: Resource<TextureHandle>,
    ) -> wasmtime::Result<Result<(), later::types::GpuError>> {
        Ok(self.dispatch_shader(shader, inputs, output, uniforms, Some(region))?.map_err(error))
    }
});
