//! pikafx: runs video effects as sandboxed WebAssembly components.
//!
//! A clip is decoded with ffmpeg ([`media`]), uploaded to the GPU and
//! converted to RGBA in a shader ([`gpu`]), run through a stack of effect
//! plugins ([`stack`], [`plugin`]) and converted back, downloaded and
//! encoded ([`render`]). The source is never modified: a render is a pure
//! function of (source, stack).

pub mod cli;
pub mod gpu;
pub mod mcp;
pub mod media;
pub mod plugin;
pub mod preview_web;
pub mod render;
pub mod serve;
pub mod stack;

/// The host's version, recorded in every output's provenance.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
