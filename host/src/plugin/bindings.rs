//! Generated host bindings, one module per supported contract version.
//! Released `wit/<version>/` folders are frozen, so each module's generated
//! code never changes; a new contract version adds a module here.

/// Bindings for `pika:fx@0.1.0`.
pub mod v0_1_0 {
    wasmtime::component::bindgen!({
        path: "../wit/0.1.0",
        world: "pika:fx/plugin",
        imports: { default: trappable },
        with: {
            "pika:fx/gpu.texture": crate::plugin::state::TextureHandle,
            "pika:fx/gpu.shader": crate::plugin::state::ShaderHandle,
        },
    });
}
