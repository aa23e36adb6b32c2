//! Constructors for [`ParamSpec`]s and the small records they use.

use crate::{ChoiceList, FloatRange, IntRange, ParamKind, ParamSpec, Rgba, Vec2};

fn spec(name: &str, label: &str, description: &str, kind: ParamKind, animatable: bool) -> ParamSpec {
    ParamSpec {
        name: name.to_string(),
        label: label.to_string(),
        description: description.to_string(),
        kind,
        animatable,
    }
}

/// A colour with straight alpha, each channel 0..1.
pub fn rgba(r: f32, g: f32, b: f32, a: f32) -> Rgba {
    Rgba { r, g, b, a }
}

/// A point in 0..1 frame coordinates.
pub fn vec2(x: f32, y: f32) -> Vec2 {
    Vec2 { x, y }
}

/// A float parameter in `min..=max`; `step` is a UI hint (0 = continuous).
#[allow(clippy::too_many_arguments)]
pub fn float_param(
    name: &str,
    label: &str,
    description: &str,
    min: f32,
    max: f32,
    default: f32,
    step: f32,
    animatable: bool,
) -> ParamSpec {
    let kind = ParamKind::Float(FloatRange { min, max, default, step });
    spec(name, label, description, kind, animatable)
}

/// An integer parameter in `min..=max`.
pub fn int_param(
    name: &str,
    label: &str,
    description: &str,
    min: i32,
    max: i32,
    default: i32,
    animatable: bool,
) -> ParamSpec {
    let kind = ParamKind::Int(IntRange { min, max, default });
    spec(name, label, description, kind, animatable)
}

/// An on/off parameter (never animatable).
pub fn toggle_param(name: &str, label: &str, description: &str, default: bool) -> ParamSpec {
    spec(name, label, description, ParamKind::Toggle(default), false)
}

/// A colour parameter.
pub fn color_param(name: &str, label: &str, description: &str, default: Rgba, animatable: bool) -> ParamSpec {
    spec(name, label, description, ParamKind::Color(default), animatable)
}

/// A choice among `options`; `default` should be one of them (never
/// animatable).
pub fn choice_param(name: &str, label: &str, description: &str, options: &[&str], default: &str) -> ParamSpec {
    let kind = ParamKind::Choice(ChoiceList {
        options: options.iter().map(|o| o.to_string()).collect(),
        default: default.to_string(),
    });
    spec(name, label, description, kind, false)
}

/// A point parameter in 0..1 frame coordinates.
pub fn point_param(name: &str, label: &str, description: &str, default: Vec2, animatable: bool) -> ParamSpec {
    spec(name, label, description, ParamKind::Point(default), animatable)
}
