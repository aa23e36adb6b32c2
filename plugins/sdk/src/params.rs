//! Typed, panic-free access to the resolved parameter values of a frame.

use crate::{ParamValue, Rgba, Vec2};

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
