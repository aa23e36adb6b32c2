//! `GET /v1/styles` and `GET /v1/effects`: the loaded plugins with a JSON
//! Schema of each one's parameters, generated from the plugins' own specs
//! so the documentation can never drift from what is validated.

use super::ServeState;
use super::auth::Caller;
use crate::plugin::{EffectInfo, EffectKind, ParamKind};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// One effect in the catalog.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    /// The id to use in requests (`noir`).
    pub id: String,
    /// `kind/id@version`, what jobs record.
    pub reference: String,
    /// Human name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// `style` or `pikaffect`.
    pub kind: String,
    /// What it does.
    pub description: String,
    /// Search tags.
    pub tags: Vec<String>,
    /// JSON Schema (2020-12) of the `params` object.
    #[schema(value_type = Object)]
    pub params_schema: Value,
}

/// A list of catalog entries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogList {
    /// The entries, by id.
    pub data: Vec<CatalogEntry>,
}

/// `GET /v1/styles`: the style presets.
#[utoipa::path(get, path = "/v1/styles", operation_id = "list_styles", tag = "catalog", responses((status = 200, body = CatalogList)), security(("api_key" = [])))]
pub async fn styles(State(state): State<Arc<ServeState>>, _caller: Caller) -> Json<CatalogList> {
    Json(list(&state, EffectKind::Style))
}

/// `GET /v1/effects`: the Pikaffects.
#[utoipa::path(get, path = "/v1/effects", operation_id = "list_effects", tag = "catalog", responses((status = 200, body = CatalogList)), security(("api_key" = [])))]
pub async fn effects(State(state): State<Arc<ServeState>>, _caller: Caller) -> Json<CatalogList> {
    Json(list(&state, EffectKind::Pikaffect))
}

fn list(state: &ServeState, kind: EffectKind) -> CatalogList {
    let catalog = state.catalog.current();
    let mut data: Vec<CatalogEntry> =
        catalog.plugins().iter().map(|p| p.info()).filter(|info| info.kind == kind).map(entry).collect();
    data.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.version.cmp(&b.version)));
    CatalogList { data }
}

fn entry(info: &EffectInfo) -> CatalogEntry {
    CatalogEntry {
        id: info.id.clone(),
        reference: info.reference(),
        name: info.name.clone(),
        version: info.version.clone(),
        kind: info.kind.to_string(),
        description: info.description.clone(),
        tags: info.tags.clone(),
        params_schema: params_schema(info),
    }
}

/// The JSON Schema of an effect's `params` object.
pub fn params_schema(info: &EffectInfo) -> Value {
    let properties: serde_json::Map<String, Value> = info
        .params
        .iter()
        .map(|p| {
            let mut schema = kind_schema(&p.kind);
            if let Some(object) = schema.as_object_mut() {
                object.insert("title".into(), json!(p.label));
                object.insert("description".into(), json!(p.description));
                object.insert("x-animatable".into(), json!(p.animatable));
            }
            (p.name.clone(), schema)
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The shortest decimal that reads back as the same `f32` (so `1.2`, not
/// `1.2000000476837158`).
fn tidy(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

fn kind_schema(kind: &ParamKind) -> Value {
    let unit = json!({"type": "number", "minimum": 0.0, "maximum": 1.0});
    match kind {
        ParamKind::Float { min, max, default, step } => json!({
            "type": "number", "minimum": tidy(*min), "maximum": tidy(*max), "default": tidy(*default), "x-step": tidy(*step)
        }),
        ParamKind::Angle { min, max, default, step } => json!({
            "type": "number", "minimum": tidy(*min), "maximum": tidy(*max), "default": tidy(*default),
            "x-step": tidy(*step), "x-unit": "degrees"
        }),
        ParamKind::Int { min, max, default } => {
            json!({"type": "integer", "minimum": min, "maximum": max, "default": default})
        }
        ParamKind::Toggle { default } => json!({"type": "boolean", "default": default}),
        ParamKind::Color { default } => json!({
            "oneOf": [
                {"type": "string", "pattern": "^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"},
                {"type": "array", "items": unit, "minItems": 3, "maxItems": 4}
            ],
            "default": default.map(tidy),
        }),
        ParamKind::Choice { options, default } => json!({"type": "string", "enum": options, "default": default}),
        ParamKind::Point { default } => {
            json!({"type": "array", "items": unit, "minItems": 2, "maxItems": 2, "default": default.map(tidy)})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::ParamSpec;

    #[test]
    fn schemas_carry_ranges_and_choices() {
        let info = EffectInfo {
            id: "x".into(),
            name: "X".into(),
            version: "1.0.0".into(),
            kind: EffectKind::Style,
            description: String::new(),
            params: vec![
                ParamSpec {
                    name: "amount".into(),
                    label: "Amount".into(),
                    description: "how much".into(),
                    kind: ParamKind::Float { min: 0.0, max: 2.0, default: 1.0, step: 0.1 },
                    animatable: true,
                },
                ParamSpec {
                    name: "mode".into(),
                    label: "Mode".into(),
                    description: String::new(),
                    kind: ParamKind::Choice { options: vec!["a".into(), "b".into()], default: "a".into() },
                    animatable: false,
                },
            ],
            history_frames: 0,
            tags: vec![],
        };
        let schema = params_schema(&info);
        assert_eq!(schema["properties"]["amount"]["maximum"], json!(2.0));
        assert_eq!(schema["properties"]["mode"]["enum"], json!(["a", "b"]));
        assert_eq!(schema["additionalProperties"], json!(false));
    }
}
