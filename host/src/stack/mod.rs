//! Stacks: the non-destructive description of a render (DESIGN.md §4).
//!
//! A [`Stack`] is what users write (JSON or CLI flags); [`PreparedStack`] is
//! the same stack checked against the plugins' parameter specs, ready to
//! resolve every parameter for any frame time.

mod keyframes;
mod overlay;
mod params;

pub use keyframes::{Easing, Keyframe};
pub use overlay::{MAX_OVERLAY_BYTES, MAX_OVERLAY_SIDE, Overlay, PreparedOverlay, decode_png};
pub use params::parse_cli_value;

use crate::plugin::{Catalog, CatalogError, EffectRef, LoadedPlugin, ParamKind, ParamValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A stack of layers, applied in order to the source clip.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    /// Layers, first applied first.
    #[serde(default)]
    pub layers: Vec<Layer>,
    /// Images drawn over the result, first drawn first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<Overlay>,
}

/// One effect in a stack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// `[kind/]id[@version]`, e.g. `style/noir@0.1`.
    pub effect: String,
    /// Parameter values by name; missing ones take the spec's default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, serde_json::Value>,
    /// 0..1 blend of the layer's output with its input (default 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub mix: f32,
    /// Layer starts at this clip time (seconds, default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_sec: Option<f64>,
    /// Layer ends before this clip time (seconds, default: end of clip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_sec: Option<f64>,
    /// Whether the layer runs at all (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Per-parameter keyframes: `[[time_sec, value, easing?], ...]`,
    /// times in clip seconds; the easing shapes the segment that starts at
    /// that keyframe.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keyframes: BTreeMap<String, Vec<Keyframe>>,
}

fn one() -> f32 {
    1.0
}
fn is_one(v: &f32) -> bool {
    *v == 1.0
}
fn yes() -> bool {
    true
}
fn is_true(v: &bool) -> bool {
    *v
}

impl Layer {
    /// A layer with defaults for everything but the effect.
    pub fn new(effect: impl Into<String>) -> Self {
        Self {
            effect: effect.into(),
            params: BTreeMap::new(),
            mix: 1.0,
            start_sec: None,
            end_sec: None,
            enabled: true,
            keyframes: BTreeMap::new(),
        }
    }
}

/// Why a stack is not usable.
#[derive(Debug, thiserror::Error)]
pub enum StackError {
    /// The JSON does not parse or has unknown fields.
    #[error("invalid stack JSON: {0}")]
    Json(String),
    /// The stack has no layers and no overlays (a pass-through must be
    /// asked for explicitly).
    #[error("the stack has no layers")]
    Empty,
    /// An overlay's image or settings are not usable.
    #[error("overlay {overlay}: {message}")]
    Overlay {
        /// 1-based overlay number.
        overlay: usize,
        /// What is wrong.
        message: String,
    },
    /// A layer's effect is unknown or its reference malformed.
    #[error("layer {layer}: {error}")]
    Effect {
        /// 1-based layer number.
        layer: usize,
        /// What went wrong.
        error: CatalogError,
    },
    /// A layer's settings or parameters do not fit the plugin's spec.
    #[error("layer {layer} ({effect}): {message}")]
    Invalid {
        /// 1-based layer number.
        layer: usize,
        /// The effect reference.
        effect: String,
        /// What is wrong, naming the valid choices.
        message: String,
    },
}

impl Stack {
    /// Parses stack JSON.
    pub fn from_json(text: &str) -> Result<Self, StackError> {
        serde_json::from_str(text).map_err(|e| StackError::Json(e.to_string()))
    }

    /// Checks every layer against its plugin and prepares parameter
    /// resolution. Nothing runs yet.
    /// Overlay images are file paths, relative to the working directory.
    pub fn prepare(&self, catalog: &Catalog) -> Result<PreparedStack, StackError> {
        self.prepare_with(catalog, |image| Ok(std::path::PathBuf::from(image)))
    }

    /// Like [`Stack::prepare`], with `locate` turning each overlay's
    /// `image` into a file path (the API maps asset ids to files) or an
    /// error message.
    pub fn prepare_with(
        &self,
        catalog: &Catalog,
        locate: impl Fn(&str) -> Result<std::path::PathBuf, String>,
    ) -> Result<PreparedStack, StackError> {
        if self.layers.is_empty() && self.overlays.is_empty() {
            return Err(StackError::Empty);
        }
        let layers = self
            .layers
            .iter()
            .enumerate()
            .map(|(i, layer)| PreparedLayer::new(i + 1, layer, catalog))
            .collect::<Result<Vec<_>, _>>()?;
        let overlays = self
            .overlays
            .iter()
            .enumerate()
            .map(|(i, overlay)| {
                let path = locate(&overlay.image).map_err(|message| StackError::Overlay { overlay: i + 1, message })?;
                PreparedOverlay::load(overlay, &path).map_err(|message| StackError::Overlay { overlay: i + 1, message })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PreparedStack { layers, overlays })
    }
}

/// A stack whose layers are bound to plugins and validated.
#[derive(Default)]
pub struct PreparedStack {
    /// Layers in order.
    pub layers: Vec<PreparedLayer>,
    /// Overlays in drawing order, composited after the layers.
    pub overlays: Vec<PreparedOverlay>,
}

impl PreparedStack {
    /// The stack with exact effect references and every parameter spelled
    /// out, for provenance.
    pub fn canonical(&self) -> serde_json::Value {
        let mut canonical = serde_json::json!({
            "layers": self.layers.iter().map(PreparedLayer::canonical).collect::<Vec<_>>()
        });
        if !self.overlays.is_empty()
            && let Some(object) = canonical.as_object_mut()
        {
            object.insert("overlays".into(), self.overlays.iter().map(PreparedOverlay::canonical).collect());
        }
        canonical
    }
}

/// One validated layer.
pub struct PreparedLayer {
    /// 1-based position in the stack.
    pub number: usize,
    /// The plugin that renders it.
    pub plugin: Arc<LoadedPlugin>,
    /// Blend with the input.
    pub mix: f32,
    /// Active from this time (seconds).
    pub start_sec: f64,
    /// Active until before this time, when set.
    pub end_sec: Option<f64>,
    /// Whether it runs.
    pub enabled: bool,
    base: Vec<(String, ParamValue)>,
    keyframes: BTreeMap<String, Vec<(f64, ParamValue, Easing)>>,
}

impl PreparedLayer {
    fn new(number: usize, layer: &Layer, catalog: &Catalog) -> Result<Self, StackError> {
        let reference: EffectRef = layer.effect.parse().map_err(|error| StackError::Effect { layer: number, error })?;
        let plugin = catalog.resolve(&reference).map_err(|error| StackError::Effect { layer: number, error })?;
        let info = plugin.info();
        let invalid = |message: String| StackError::Invalid { layer: number, effect: info.reference(), message };
        if !(0.0..=1.0).contains(&layer.mix) {
            return Err(invalid(format!("mix {} is outside 0..1", layer.mix)));
        }
        let start_sec = layer.start_sec.unwrap_or(0.0);
        if !start_sec.is_finite() || start_sec < 0.0 {
            return Err(invalid(format!("start_sec {start_sec} must be a time >= 0")));
        }
        if let Some(end) = layer.end_sec
            && !(end.is_finite() && end > start_sec)
        {
            return Err(invalid(format!("end_sec {end} must be after start_sec {start_sec}")));
        }
        let valid_names = || info.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
        for name in layer.params.keys().chain(layer.keyframes.keys()) {
            if info.param(name).is_none() {
                return Err(invalid(format!("unknown parameter `{name}`; valid: {}", valid_names())));
            }
        }
        let mut base = Vec::with_capacity(info.params.len());
        for spec in &info.params {
            let value = match layer.params.get(&spec.name) {
                Some(json) => params::from_json(&spec.kind, json).map_err(|e| {
                    invalid(format!("parameter `{}`: {e}; expected {}", spec.name, spec.kind.describe_range()))
                })?,
                None => spec.kind.default_value(),
            };
            base.push((spec.name.clone(), value));
        }
        let mut keyframes = BTreeMap::new();
        for (name, frames) in &layer.keyframes {
            let Some(spec) = info.param(name) else { continue };
            if !spec.animatable {
                return Err(invalid(format!("parameter `{name}` is not animatable")));
            }
            let resolved = keyframes::resolve(&spec.kind, frames)
                .map_err(|e| invalid(format!("keyframes of `{name}`: {e}; values: {}", spec.kind.describe_range())))?;
            keyframes.insert(name.clone(), resolved);
        }
        Ok(Self {
            number,
            plugin,
            mix: layer.mix,
            start_sec,
            end_sec: layer.end_sec,
            enabled: layer.enabled,
            base,
            keyframes,
        })
    }

    /// Whether the layer applies to a frame at `time_sec`.
    pub fn active_at(&self, time_sec: f64) -> bool {
        self.enabled && time_sec >= self.start_sec && self.end_sec.is_none_or(|end| time_sec < end)
    }

    /// 0..1 through the layer's range; `clip_end_sec` is the last frame's time.
    pub fn progress_at(&self, time_sec: f64, clip_end_sec: f64) -> f32 {
        let end = self.end_sec.unwrap_or(clip_end_sec);
        let span = end - self.start_sec;
        if span <= 0.0 {
            return 1.0;
        }
        ((time_sec - self.start_sec) / span).clamp(0.0, 1.0) as f32
    }

    /// Every parameter's value at `time_sec` (keyframes evaluated).
    pub fn params_at(&self, time_sec: f64) -> Vec<(String, ParamValue)> {
        self.base
            .iter()
            .map(|(name, value)| match self.keyframes.get(name) {
                Some(frames) => (name.clone(), keyframes::evaluate(frames, time_sec)),
                None => (name.clone(), value.clone()),
            })
            .collect()
    }

    fn canonical(&self) -> serde_json::Value {
        let params: serde_json::Map<String, serde_json::Value> = self
            .base
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or(serde_json::Value::Null)))
            .collect();
        let keyframes: serde_json::Map<String, serde_json::Value> = self
            .keyframes
            .iter()
            .map(|(k, frames)| {
                let list = frames.iter().map(|(t, v, e)| serde_json::json!([t, v, e])).collect::<Vec<_>>();
                (k.clone(), serde_json::Value::Array(list))
            })
            .collect();
        serde_json::json!({
            "effect": self.plugin.info().reference(),
            "plugin_sha256": self.plugin.hash(),
            "params": params,
            "mix": self.mix,
            "start_sec": self.start_sec,
            "end_sec": self.end_sec,
            "enabled": self.enabled,
            "keyframes": keyframes,
        })
    }
}

/// Whether values of this kind can be interpolated by keyframes.
pub(crate) fn interpolatable(kind: &ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::Float { .. }
            | ParamKind::Angle { .. }
            | ParamKind::Int { .. }
            | ParamKind::Color { .. }
            | ParamKind::Point { .. }
    )
}
