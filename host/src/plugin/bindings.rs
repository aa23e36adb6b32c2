//! Generated host bindings, one module per supported contract version.
//! Released `wit/<version>/` folders are frozen, so each module's generated
//! code never changes; a new contract version adds a module here.
//!
//! Every version maps the contract's `gpu.texture` and `gpu.shader`
//! resources to the same host types, so all versions share one resource
//! table and one implementation of the imports (see `state.rs`).

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

/// Bindings for `pika:fx@0.2.0` (0.1.0 plus the `angle` parameter kind).
pub mod v0_2_0 {
    wasmtime::component::bindgen!({
        path: "../wit/0.2.0",
        world: "pika:fx/plugin",
        imports: { default: trappable },
        with: {
            "pika:fx/gpu.texture": crate::plugin::state::TextureHandle,
            "pika:fx/gpu.shader": crate::plugin::state::ShaderHandle,
        },
    });
}

/// Bindings for `pika:fx@0.3.0` (0.2.0 plus `gpu.dispatch-region`).
pub mod v0_3_0 {
    wasmtime::component::bindgen!({
        path: "../wit/0.3.0",
        world: "pika:fx/plugin",
        imports: { default: trappable },
        with: {
            "pika:fx/gpu.texture": crate::plugin::state::TextureHandle,
            "pika:fx/gpu.shader": crate::plugin::state::ShaderHandle,
        },
    });
}
