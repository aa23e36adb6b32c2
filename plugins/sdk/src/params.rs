//! Typed, panic-free access to the resolved parameter values of a frame.

use crate::{FrameContext, ParamValue, Rgba, Vec2};

/// The layer's progress through its time range, clamped to 0..1; 0 where
/// the host's value is not a finite number (what every effect drives its
/// animation with).
pub fn layer_progress(ctx: &FrameContext) -> f32 {
    if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 }
}

/// A read-only view over `render`'s / `create`'s `params`. Every getter falls
/// back to the given default when the name is missing or has another type,
/// so a plugin never panics on unexpected input.
#[derive(Clone, Copy, Debug)]
pub struct Params<'a> {
    values: &'a [(String, ParamValue)],
}

impl<'a> Params<'a> {
    /// Wraps the `params` list passed by the host.
    pub fn new(values: &'a [(String, ParamValue)]) -> Self {
        Self { values }
    }

    /// The raw value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&'a ParamValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A float parameter (an int value is converted); non-finite values and
    /// anything else give `default`.
    pub fn float(&self, name: &str, default: f32) -> f32 {
        match self.get(name) {
            Some(ParamValue::Float(v)) if v.is_finite() => *v,
            Some(ParamValue::Int(v)) => *v as f32,
            _ => default,
        }
    }

    /// An int parameter (a finite float value is rounded); else `default`.
    pub fn int(&self, name: &str, default: i32) -> i32 {
        match self.get(name) {
            Some(ParamValue::Int(v)) => *v,
            Some(ParamValue::Float(v)) if v.is_finite() => v.round() as i32,
            _ => default,
        }
    }

    /// A toggle parameter, else `default`.
    pub fn toggle(&self, name: &str, default: bool) -> bool {
        match self.get(name) {
            Some(ParamValue::Toggle(v)) => *v,
            _ => default,
        }
    }

    /// A colour parameter, else `default`.
    pub fn color(&self, name: &str, default: Rgba) -> Rgba {
        match self.get(name) {
            Some(ParamValue::Color(v)) => *v,
            _ => default,
        }
    }

    /// A choice parameter's selected option, else `default`.
    pub fn choice<'b>(&self, name: &str, default: &'b str) -> &'b str
    where
        'a: 'b,
    {
        match self.get(name) {
            Some(ParamValue::Choice(v)) => v.as_str(),
            _ => default,
        }
    }

    /// A point parameter (0..1 frame coordinates), else `default`.
    pub fn point(&self, name: &str, default: Vec2) -> Vec2 {
        match self.get(name) {
            Some(ParamValue::Point(v)) => *v,
            _ => default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(progress: f32) -> f32 {
        layer_progress(&FrameContext { index: 0, time_sec: 0.0, progress })
    }

    #[test]
    fn progress_is_clamped_and_a_non_finite_value_is_the_start() {
        assert_eq!(at(0.25), 0.25);
        assert_eq!(at(-0.5), 0.0);
        assert_eq!(at(1.5), 1.0);
        assert_eq!(at(f32::NAN), 0.0);
        assert_eq!(at(f32::INFINITY), 0.0);
    }
}
