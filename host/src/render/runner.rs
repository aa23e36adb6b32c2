//! Runs a prepared stack over GPU frames: every layer's plugin in its own
//! sandboxed instance, ping-ponging between textures, with no readback.

use crate::gpu::{ComputeShader, FrameRecorder, GpuContext, GpuError, GpuTexture, SubjectMasker};
use crate::plugin::{ClipInfo, FrameContext, GpuSession, PluginError, PluginInstance, PluginRuntime};
use crate::stack::PreparedStack;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BLEND_WGSL: &str = include_str!("../../../shaders/blend.wgsl");
const OVERLAY_WGSL: &str = include_str!("../../../shaders/overlay.wgsl");

/// A layer's plugin failed on a frame.
#[derive(Debug, thiserror::Error)]
#[error("layer {layer} ({effect}), frame {frame}: {error}")]
pub struct LayerError {
    /// 1-based layer number.
    pub layer: usize,
    /// The effect reference.
    pub effect: String,
    /// 0-based frame index (`None` while creating the renderer).
    pub frame: FrameLabel,
    /// What the plugin did.
    pub error: PluginError,
}

/// Which frame an error happened on.
#[derive(Debug, Clone, Copy)]
pub enum FrameLabel {
    /// While creating the layer's renderer, before any frame.
    Setup,
    /// On this 0-based frame.
    Frame(u64),
}

impl std::fmt::Display for FrameLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameLabel::Setup => f.write_str("setup"),
            FrameLabel::Frame(i) => write!(f, "{i}"),
        }
    }
}

/// Why a frame could not go through the stack.
#[derive(Debug, thiserror::Error)]
pub enum StackRunError {
    /// A plugin failed.
    #[error(transparent)]
    Layer(#[from] LayerError),
    /// The host's GPU work failed.
    #[error(transparent)]
    Gpu(#[from] GpuError),
}

/// The time spans in which a stack changes frames ([`StackRunner::active_frames`]).
#[derive(Clone, Debug)]
pub struct ActiveFrames {
    /// Start and end (exclusive, `None`: to the end) in seconds.
    spans: Vec<(f64, Option<f64>)>,
}

impl ActiveFrames {
    /// Whether some layer or overlay changes the frame at `time_sec`.
    pub fn touches(&self, time_sec: f64) -> bool {
        self.spans.iter().any(|&(start, end)| time_sec >= start && end.is_none_or(|end| time_sec < end))
    }
}

struct LayerSlot {
    instance: PluginInstance,
    /// Previous inputs, most recent first.
    history: VecDeque<GpuTexture>,
    history_len: usize,
}

/// The per-clip state of a render: plugin instances and frame textures.
pub struct StackRunner<'s> {
    stack: &'s PreparedStack,
    slots: Vec<Option<LayerSlot>>,
    recorder: Arc<Mutex<FrameRecorder>>,
    pool: [GpuTexture; 3],
    blend: Arc<ComputeShader>,
    /// The compositing shader and each overlay's image, uploaded once.
    overlays: Option<(Arc<ComputeShader>, Vec<GpuTexture>)>,
    clip_end_sec: f64,
    plugin_calls: u64,
    plugin_time: Duration,
}

impl<'s> StackRunner<'s> {
    /// Instantiates every enabled layer's plugin (a fresh store each) and
    /// creates its renderer with the parameters at the layer's start.
    pub fn new(
        gpu: &Arc<GpuContext>,
        runtime: &PluginRuntime,
        stack: &'s PreparedStack,
        clip: ClipInfo,
        recorder: Arc<Mutex<FrameRecorder>>,
    ) -> Result<Self, StackRunError> {
        let session = GpuSession { recorder: recorder.clone(), masker: Arc::new(SubjectMasker::new(gpu.clone())) };
        let mut slots = Vec::with_capacity(stack.layers.len());
        for layer in &stack.layers {
            if !layer.enabled {
                slots.push(None);
                continue;
            }
            let fail = |error| LayerError {
                layer: layer.number,
                effect: layer.plugin.info().reference(),
                frame: FrameLabel::Setup,
                error,
            };
            let mut instance =
                runtime.instantiate(&layer.plugin, Some(session.clone()), layer.number as u64).map_err(fail)?;
            instance.create(clip, &layer.params_at(layer.start_sec)).map_err(fail)?;
            slots.push(Some(LayerSlot {
                instance,
                history: VecDeque::new(),
                history_len: layer.plugin.info().history_frames as usize,
            }));
        }
        let texture = |label| GpuTexture::new(gpu, clip.width, clip.height, label);
        let pool = [texture("layer ping")?, texture("layer pong")?, texture("layer mix")?];
        let blend = gpu.compile(BLEND_WGSL, "main")?;
        let overlays = if stack.overlays.is_empty() {
            None
        } else {
            let mut images = Vec::with_capacity(stack.overlays.len());
            let mut rec = recorder.lock().unwrap_or_else(|p| p.into_inner());
            for overlay in &stack.overlays {
                let image = GpuTexture::new(gpu, overlay.width, overlay.height, "overlay image")?;
                rec.write_rgba(&image, &overlay.pixels)?;
                images.push(image);
            }
            Some((gpu.compile(OVERLAY_WGSL, "main")?, images))
        };
        let clip_end_sec =
            if clip.fps > 0.0 { (clip.duration_sec - 1.0 / clip.fps).max(0.0) } else { clip.duration_sec };
        Ok(Self {
            stack,
            slots,
            recorder,
            pool,
            blend,
            overlays,
            clip_end_sec,
            plugin_calls: 0,
            plugin_time: Duration::ZERO,
        })
    }

    /// Whether the stack leaves a frame at `time_sec` untouched: no layer is
    /// active and none keeps a history that would need this frame.
    pub fn is_identity_at(&self, time_sec: f64) -> bool {
        !self.active_frames().touches(time_sec)
    }

    /// Which frames the stack touches, as data another thread (the
    /// decoder) can keep.
    pub fn active_frames(&self) -> ActiveFrames {
        let mut spans: Vec<(f64, Option<f64>)> = self.stack.overlays.iter().map(|o| (o.start_sec, o.end_sec)).collect();
        for (layer, slot) in self.stack.layers.iter().zip(&self.slots) {
            match slot {
                // A history needs every frame, active or not.
                Some(slot) if slot.history_len > 0 => spans.push((f64::NEG_INFINITY, None)),
                Some(_) if layer.enabled => spans.push((layer.start_sec, layer.end_sec)),
                _ => {}
            }
        }
        ActiveFrames { spans }
    }

    /// The largest linear memory any layer's plugin has grown to, in bytes.
    pub fn peak_plugin_memory(&self) -> usize {
        self.slots.iter().flatten().map(|s| s.instance.peak_memory()).max().unwrap_or(0)
    }

    /// Number of `render` calls into plugins so far, and the wall time spent
    /// inside them (the WASM side: the GPU work they record runs later).
    pub fn plugin_stats(&self) -> (u64, Duration) {
        (self.plugin_calls, self.plugin_time)
    }

    /// Records every active layer for one frame whose pixels are in
    /// `source`; returns the texture that holds the result (possibly
    /// `source` itself when no layer is active). Nothing is submitted.
    pub fn run_frame(&mut self, source: &GpuTexture, index: u64, time_sec: f64) -> Result<GpuTexture, StackRunError> {
        let mut current = source.clone();
        for (layer, slot) in self.stack.layers.iter().zip(self.slots.iter_mut()) {
            let Some(slot) = slot else { continue };
            let is_active = layer.active_at(time_sec);
            if is_active {
                let output = pick(&self.pool, &[&current]);
                let ctx = FrameContext {
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    time_sec,
                    progress: layer.progress_at(time_sec, self.clip_end_sec),
                };
                let history: Vec<GpuTexture> = slot.history.iter().cloned().collect();
                let started = Instant::now();
                let rendered = slot
                    .instance
                    .render(ctx, &layer.params_at(time_sec), &current, &history, &output)
                    .map_err(|error| LayerError {
                        layer: layer.number,
                        effect: layer.plugin.info().reference(),
                        frame: FrameLabel::Frame(index),
                        error,
                    });
                self.plugin_time += started.elapsed();
                self.plugin_calls += 1;
                rendered?;
                let result = if layer.mix < 1.0 {
                    let mixed = pick(&self.pool, &[&current, &output]);
                    let mut rec = self.recorder.lock().unwrap_or_else(|p| p.into_inner());
                    rec.dispatch(&self.blend, &[&current, &output], &mixed, &[layer.mix])?;
                    mixed
                } else {
                    output
                };
                remember(&self.recorder, slot, &current)?;
                current = result;
            } else {
                remember(&self.recorder, slot, &current)?;
            }
        }
        if let Some((shader, images)) = &self.overlays {
            for (overlay, image) in self.stack.overlays.iter().zip(images) {
                if !overlay.active_at(time_sec) {
                    continue;
                }
                let output = pick(&self.pool, &[&current]);
                let uniforms = overlay.uniforms(current.width(), current.height());
                let mut rec = self.recorder.lock().unwrap_or_else(|p| p.into_inner());
                rec.dispatch(shader, &[&current, image], &output, &uniforms)?;
                current = output;
            }
        }
        Ok(current)
    }
}

/// A pool texture that is none of `busy`.
fn pick(pool: &[GpuTexture; 3], busy: &[&GpuTexture]) -> GpuTexture {
    pool.iter().find(|t| !busy.iter().any(|b| b.same_as(t))).unwrap_or(&pool[0]).clone()
}

/// Keeps a copy of this frame's layer input for the layer's history.
fn remember(recorder: &Mutex<FrameRecorder>, slot: &mut LayerSlot, input: &GpuTexture) -> Result<(), GpuError> {
    if slot.history_len == 0 {
        return Ok(());
    }
    let mut rec = recorder.lock().unwrap_or_else(|p| p.into_inner());
    let target = if slot.history.len() < slot.history_len {
        GpuTexture::new(rec.gpu(), input.width(), input.height(), "layer history")?
    } else {
        match slot.history.pop_back() {
            Some(t) => t,
            None => return Ok(()),
        }
    };
    rec.copy(input, &target)?;
    slot.history.push_front(target);
    Ok(())
}
