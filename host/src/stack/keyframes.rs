//! Keyframes and easing: the host owns time, plugins get resolved values.

use super::params::from_json;
use crate::plugin::{ParamKind, ParamValue};
use serde::{Deserialize, Serialize};

/// How a segment between two keyframes is traversed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Easing {
    /// Constant speed.
    #[default]
    Linear,
    /// Slow start (quadratic).
    EaseIn,
    /// Slow end (quadratic).
    EaseOut,
    /// Slow start and end (smoothstep).
    EaseInOut,
    /// Keep this keyframe's value until the next one.
    Hold,
}

impl Easing {
    fn apply(self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            Easing::Linear => u,
            Easing::EaseIn => u * u,
            Easing::EaseOut => 1.0 - (1.0 - u) * (1.0 - u),
            Easing::EaseInOut => u * u * (3.0 - 2.0 * u),
            Easing::Hold => 0.0,
        }
    }
}

/// `[time_sec, value]` or `[time_sec, value, easing]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Keyframe {
    /// With an explicit easing.
    Eased(f64, serde_json::Value, Easing),
    /// Linear.
    Plain(f64, serde_json::Value),
}

/// Checks keyframes against `kind` and sorts them by time.
pub(crate) fn resolve(kind: &ParamKind, frames: &[Keyframe]) -> Result<Vec<(f64, ParamValue, Easing)>, String> {
    if !super::interpolatable(kind) {
        return Err("only float, angle, int, colour and point parameters can have keyframes".into());
    }
    if frames.is_empty() {
        return Err("no keyframes given".into());
    }
    let mut out = Vec::with_capacity(frames.len());
    for frame in frames {
        let (t, v, e) = match frame {
            Keyframe::Eased(t, v, e) => (*t, v, *e),
            Keyframe::Plain(t, v) => (*t, v, Easing::Linear),
        };
        if !t.is_finite() || t < 0.0 {
            return Err(format!("time {t} must be >= 0 seconds"));
        }
        out.push((t, from_json(kind, v).map_err(|m| format!("at {t}s: {m}"))?, e));
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    if out.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err("two keyframes at the same time".into());
    }
    Ok(out)
}

/// The value at `time` (held before the first and after the last keyframe).
pub(crate) fn evaluate(frames: &[(f64, ParamValue, Easing)], time: f64) -> ParamValue {
    let Some(first) = frames.first() else { return ParamValue::Float(0.0) };
    if time <= first.0 {
        return first.1.clone();
    }
    for w in frames.windows(2) {
        let (t0, v0, easing) = &w[0];
        let (t1, v1, _) = &w[1];
        if time < *t1 {
            let u = easing.apply((time - t0) / (t1 - t0)) as f32;
            return lerp(v0, v1, u);
        }
    }
    frames.last().map(|f| f.1.clone()).unwrap_or(ParamValue::Float(0.0))
}

fn lerp(a: &ParamValue, b: &ParamValue, u: f32) -> ParamValue {
    let mix = |x: f32, y: f32| x + (y - x) * u;
    match (a, b) {
        (ParamValue::Float(x), ParamValue::Float(y)) => ParamValue::Float(mix(*x, *y)),
        (ParamValue::Int(x), ParamValue::Int(y)) => ParamValue::Int(mix(*x as f32, *y as f32).round() as i32),
        (ParamValue::Color(x), ParamValue::Color(y)) => {
            ParamValue::Color([mix(x[0], y[0]), mix(x[1], y[1]), mix(x[2], y[2]), mix(x[3], y[3])])
        }
        (ParamValue::Point(x), ParamValue::Point(y)) => ParamValue::Point([mix(x[0], y[0]), mix(x[1], y[1])]),
        _ => a.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn float_kind() -> ParamKind {
        ParamKind::Float { min: 0.0, max: 10.0, default: 0.0, step: 0.0 }
    }

    #[test]
    fn linear_and_eased_segments() {
        let frames: Vec<Keyframe> =
            serde_json::from_value(json!([[1.0, 0.0, "ease-in"], [3.0, 4.0], [5.0, 8.0, "hold"]]))
                .expect("keyframes parse");
        let resolved = resolve(&float_kind(), &frames).expect("valid keyframes");
        assert_eq!(evaluate(&resolved, 0.0), ParamValue::Float(0.0));
        // ease-in at the segment's middle: 0.25 of the way.
        assert_eq!(evaluate(&resolved, 2.0), ParamValue::Float(1.0));
        // linear second segment.
        assert_eq!(evaluate(&resolved, 4.0), ParamValue::Float(6.0));
        assert_eq!(evaluate(&resolved, 9.0), ParamValue::Float(8.0));
    }

    #[test]
    fn rejects_out_of_range_and_duplicate_times() {
        let frames: Vec<Keyframe> = serde_json::from_value(json!([[0.0, 20.0]])).expect("parse");
        assert!(resolve(&float_kind(), &frames).is_err());
        let frames: Vec<Keyframe> = serde_json::from_value(json!([[1.0, 1.0], [1.0, 2.0]])).expect("parse");
        assert!(resolve(&float_kind(), &frames).is_err());
        let choice = ParamKind::Choice { options: vec!["a".into()], default: "a".into() };
        let frames: Vec<Keyframe> = serde_json::from_value(json!([[1.0, "a"]])).expect("parse");
        assert!(resolve(&choice, &frames).is_err());
    }
}
