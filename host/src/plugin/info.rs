//! The host's own, version-independent view of what a plugin describes.
//! Bindings of every supported contract version convert into these types,
//! so the stack, the CLI and (later) the API never see generated code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Style preset or Pikaffect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EffectKind {
    /// A look applied to the whole frame.
    Style,
    /// A transformation of the subject over time.
    Pikaffect,
}

impl EffectKind {
    /// The prefix used in effect references (`style/noir`).
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Style => "style",
            EffectKind::Pikaffect => "pikaffect",
        }
    }
}

impl fmt::Display for EffectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type, range and default of a parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ParamKind {
    /// A float in `min..=max`.
    Float { min: f32, max: f32, default: f32, step: f32 },
    /// An integer in `min..=max`.
    Int { min: i32, max: i32, default: i32 },
    /// On/off.
    Toggle { default: bool },
    /// RGBA colour, channels 0..1.
    Color { default: [f32; 4] },
    /// One of `options`.
    Choice { options: Vec<String>, default: String },
    /// A point in 0..1 frame coordinates.
    Point { default: [f32; 2] },
    /// An angle in degrees in `min..=max` (contract 0.2.0 and later). The
    /// host treats it as a float: values are [`ParamValue::Float`].
    Angle { min: f32, max: f32, default: f32, step: f32 },
}

impl ParamKind {
    /// The default value.
    pub fn default_value(&self) -> ParamValue {
        match self {
            ParamKind::Float { default, .. } | ParamKind::Angle { default, .. } => ParamValue::Float(*default),
            ParamKind::Int { default, .. } => ParamValue::Int(*default),
            ParamKind::Toggle { default } => ParamValue::Toggle(*default),
            ParamKind::Color { default } => ParamValue::Color(*default),
            ParamKind::Choice { default, .. } => ParamValue::Choice(default.clone()),
            ParamKind::Point { default } => ParamValue::Point(*default),
        }
    }

    /// A short description of the accepted values, for error messages and help.
    pub fn describe_range(&self) -> String {
        match self {
            ParamKind::Float { min, max, default, .. } => format!("float {min}..{max} (default {default})"),
            ParamKind::Int { min, max, default } => format!("int {min}..{max} (default {default})"),
            ParamKind::Toggle { default } => format!("true|false (default {default})"),
            ParamKind::Color { default } => {
                format!("colour #rrggbb[aa] or [r,g,b,a] (default {})", ParamValue::Color(*default))
            }
            ParamKind::Choice { options, default } => format!("one of {} (default {default})", options.join("|")),
            ParamKind::Point { default } => format!("point [x,y] in 0..1 (default [{}, {}])", default[0], default[1]),
            ParamKind::Angle { min, max, default, .. } => {
                format!("angle {min}..{max} degrees (default {default})")
            }
        }
    }
}

/// One parameter of an effect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    /// Machine name.
    pub name: String,
    /// Human name.
    pub label: String,
    /// What it changes.
    pub description: String,
    /// Type, range, default.
    pub kind: ParamKind,
    /// Whether keyframes may animate it.
    pub animatable: bool,
}

/// A parameter value resolved for one frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A float.
    Float(f32),
    /// An integer.
    Int(i32),
    /// A switch.
    Toggle(bool),
    /// RGBA.
    Color([f32; 4]),
    /// A choice.
    Choice(String),
    /// A point.
    Point([f32; 2]),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Float(v) => write!(f, "{v}"),
            ParamValue::Int(v) => write!(f, "{v}"),
            ParamValue::Toggle(v) => write!(f, "{v}"),
            ParamValue::Color(c) => {
                let byte = |x: f32| (x.clamp(0.0, 1.0) * 255.0).round() as u8;
                write!(f, "#{:02x}{:02x}{:02x}{:02x}", byte(c[0]), byte(c[1]), byte(c[2]), byte(c[3]))
            }
            ParamValue::Choice(s) => f.write_str(s),
            ParamValue::Point(p) => write!(f, "[{}, {}]", p[0], p[1]),
        }
    }
}

/// What a plugin says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectInfo {
    /// Id without kind or version (`noir`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// The plugin's own semantic version.
    pub version: String,
    /// Style or Pikaffect.
    pub kind: EffectKind,
    /// What it does.
    pub description: String,
    /// Its parameters.
    pub params: Vec<ParamSpec>,
    /// Previous input frames it wants.
    pub history_frames: u32,
    /// Search tags.
    pub tags: Vec<String>,
}

impl EffectInfo {
    /// `kind/id@version`, the reference stacks use.
    pub fn reference(&self) -> String {
        format!("{}/{}@{}", self.kind, self.id, self.version)
    }

    /// The spec of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Checks what the host relies on: unique names, sane ranges, defaults
    /// in range, at most 8 history frames. Returns every problem found.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.id.is_empty() || !self.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            problems.push(format!("id `{}` must be non-empty lower-case kebab-case", self.id));
        }
        if self.history_frames > 8 {
            problems.push(format!("history-frames is {}; at most 8 are supported", self.history_frames));
        }
        for (i, p) in self.params.iter().enumerate() {
            if self.params[..i].iter().any(|q| q.name == p.name) {
                problems.push(format!("parameter `{}` is declared twice", p.name));
            }
            match &p.kind {
                ParamKind::Float { min, max, default, step } | ParamKind::Angle { min, max, default, step } => {
                    if !(min.is_finite() && max.is_finite() && min <= max) {
                        problems.push(format!("`{}`: range {min}..{max} is not a finite, ordered range", p.name));
                    } else if !(min..=max).contains(&default) {
                        problems.push(format!("`{}`: default {default} is outside {min}..{max}", p.name));
                    }
                    if !(step.is_finite() && *step >= 0.0) {
                        problems.push(format!("`{}`: step {step} must be finite and >= 0", p.name));
                    }
                }
                ParamKind::Int { min, max, default } => {
                    if min > max || !(min..=max).contains(&default) {
                        problems.push(format!("`{}`: default {default} is outside {min}..{max}", p.name));
                    }
                }
                ParamKind::Choice { options, default } => {
                    if !options.contains(default) {
                        problems.push(format!("`{}`: default `{default}` is not one of its options", p.name));
                    }
                }
                ParamKind::Toggle { .. } | ParamKind::Color { .. } | ParamKind::Point { .. } => {}
            }
            if p.animatable && matches!(p.kind, ParamKind::Toggle { .. } | ParamKind::Choice { .. }) {
                problems.push(format!("`{}`: toggles and choices cannot be animatable", p.name));
            }
        }
        problems
    }
}

/// The clip a renderer is made for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipInfo {
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Average frame rate.
    pub fps: f64,
    /// Frames, when known (0 otherwise).
    pub frame_count: u32,
    /// Duration in seconds.
    pub duration_sec: f64,
}

/// Where a frame is in time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameContext {
    /// 0-based frame index.
    pub index: u32,
    /// Presentation time in seconds.
    pub time_sec: f64,
    /// 0..1 through the layer's time range.
    pub progress: f32,
}
