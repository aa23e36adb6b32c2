//! Parameter values from JSON and from `--param name=value`, checked
//! against the plugin's spec.

use crate::plugin::{ParamKind, ParamValue};
use serde_json::Value;

/// Reads `json` as a value of `kind`, enforcing its range.
pub(crate) fn from_json(kind: &ParamKind, json: &Value) -> Result<ParamValue, String> {
    match kind {
        ParamKind::Float { min, max, .. } | ParamKind::Angle { min, max, .. } => {
            let v = json.as_f64().ok_or_else(|| format!("`{json}` is not a number"))? as f32;
            if !v.is_finite() || v < *min || v > *max {
                return Err(format!("{v} is out of range"));
            }
            Ok(ParamValue::Float(v))
        }
        ParamKind::Int { min, max, .. } => {
            let v = json
                .as_i64()
                .or_else(|| json.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| format!("`{json}` is not an integer"))?;
            if v < i64::from(*min) || v > i64::from(*max) {
                return Err(format!("{v} is out of range"));
            }
            Ok(ParamValue::Int(v as i32))
        }
        ParamKind::Toggle { .. } => {
            json.as_bool().map(ParamValue::Toggle).ok_or_else(|| format!("`{json}` is not true or false"))
        }
        ParamKind::Color { .. } => color(json).map(ParamValue::Color),
        ParamKind::Choice { options, .. } => match json.as_str() {
            Some(s) if options.iter().any(|o| o == s) => Ok(ParamValue::Choice(s.to_owned())),
            _ => Err(format!("`{json}` is not one of the options")),
        },
        ParamKind::Point { .. } => {
            let list = json.as_array().filter(|a| a.len() == 2).ok_or_else(|| format!("`{json}` is not [x, y]"))?;
            let mut p = [0.0f32; 2];
            for (slot, v) in p.iter_mut().zip(list) {
                let f = v.as_f64().ok_or_else(|| format!("`{json}` is not [x, y]"))? as f32;
                if !(0.0..=1.0).contains(&f) {
                    return Err(format!("{f} is outside 0..1"));
                }
                *slot = f;
            }
            Ok(ParamValue::Point(p))
        }
    }
}

fn color(json: &Value) -> Result<[f32; 4], String> {
    if let Some(s) = json.as_str() {
        let hex = s.strip_prefix('#').filter(|h| (h.len() == 6 || h.len() == 8) && h.is_ascii());
        let hex = hex.ok_or_else(|| format!("`{s}` is not #rrggbb or #rrggbbaa"))?;
        let mut c = [0.0, 0.0, 0.0, 1.0];
        for (i, slot) in c.iter_mut().enumerate().take(hex.len() / 2) {
            let byte = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).map_err(|_| format!("`{s}` is not hex"))?;
            *slot = f32::from(byte) / 255.0;
        }
        return Ok(c);
    }
    let list =
        json.as_array().filter(|a| a.len() == 3 || a.len() == 4).ok_or_else(|| format!("`{json}` is not a colour"))?;
    let mut c = [0.0, 0.0, 0.0, 1.0];
    for (slot, v) in c.iter_mut().zip(list) {
        let f = v.as_f64().ok_or_else(|| format!("`{json}` is not a colour"))? as f32;
        if !(0.0..=1.0).contains(&f) {
            return Err(format!("colour channel {f} is outside 0..1"));
        }
        *slot = f;
    }
    Ok(c)
}

/// Reads a command-line value: JSON when it parses (numbers, `true`,
/// `[0.5, 0.5]`), otherwise the raw text as a string (`#ff0000`, `drip`).
pub fn parse_cli_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_are_range_checked() {
        let kind = ParamKind::Float { min: 0.0, max: 1.0, default: 0.5, step: 0.0 };
        assert_eq!(from_json(&kind, &json!(0.25)), Ok(ParamValue::Float(0.25)));
        assert!(from_json(&kind, &json!(1.5)).is_err());
        assert!(from_json(&kind, &json!("high")).is_err());
    }

    #[test]
    fn angles_are_floats_with_a_range() {
        let kind = ParamKind::Angle { min: 0.0, max: 360.0, default: 90.0, step: 1.0 };
        assert_eq!(from_json(&kind, &json!(180)), Ok(ParamValue::Float(180.0)));
        assert_eq!(from_json(&kind, &json!(400)), Err("400 is out of range".into()));
        assert_eq!(kind.default_value(), ParamValue::Float(90.0));
    }

    #[test]
    fn colours_parse_from_hex_and_lists() {
        let kind = ParamKind::Color { default: [0.0; 4] };
        assert_eq!(from_json(&kind, &json!("#ff000080")), Ok(ParamValue::Color([1.0, 0.0, 0.0, 128.0 / 255.0])));
        assert_eq!(from_json(&kind, &json!([0.0, 1.0, 0.0])), Ok(ParamValue::Color([0.0, 1.0, 0.0, 1.0])));
        assert!(from_json(&kind, &json!("#zzzzzz")).is_err());
        assert!(from_json(&kind, &json!([2.0, 0.0, 0.0])).is_err());
    }

    #[test]
    fn cli_values_fall_back_to_strings() {
        assert_eq!(parse_cli_value("0.8"), json!(0.8));
        assert_eq!(parse_cli_value("drip"), json!("drip"));
        assert_eq!(parse_cli_value("[0.1,0.2]"), json!([0.1, 0.2]));
    }
}
