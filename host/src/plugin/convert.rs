//! Conversions between the generated types of every supported contract
//! version and the host's own, and the wording of traps.
//!
//! The versions' types are structurally identical except where a later
//! version added something, so one macro writes each version's module; the
//! additions come in as extra `param-kind` match arms.

use super::PluginError;
use super::info::{ClipInfo, EffectInfo, EffectKind, FrameContext, ParamKind, ParamSpec, ParamValue};
use super::sandbox::SandboxConfig;

/// Writes a module of conversions for the contract types at `$wit`;
/// `$extra` are match arms for `param-kind` cases beyond 0.1.0's.
macro_rules! conversions {
    ($module:ident, $wit:path, { $($extra:tt)* }) => {
        /// Conversions for one contract version.
        pub(crate) mod $module {
            use super::{ClipInfo, EffectInfo, EffectKind, FrameContext, ParamKind, ParamSpec, ParamValue};
            use $wit as wit;

            pub(crate) fn effect_info(i: wit::EffectInfo) -> EffectInfo {
                EffectInfo {
                    id: i.id,
                    name: i.name,
                    version: i.version,
                    kind: match i.kind {
                        wit::EffectKind::Style => EffectKind::Style,
                        wit::EffectKind::Pikaffect => EffectKind::Pikaffect,
                    },
                    description: i.description,
                    params: i.params.into_iter().map(param_spec).collect(),
                    history_frames: i.history_frames,
                    tags: i.tags,
                }
            }

            fn param_spec(p: wit::ParamSpec) -> ParamSpec {
                let kind = match p.kind {
                    wit::ParamKind::Float(r) => {
                        ParamKind::Float { min: r.min, max: r.max, default: r.default, step: r.step }
                    }
                    wit::ParamKind::Int(r) => ParamKind::Int { min: r.min, max: r.max, default: r.default },
                    wit::ParamKind::Toggle(d) => ParamKind::Toggle { default: d },
                    wit::ParamKind::Color(c) => ParamKind::Color { default: [c.r, c.g, c.b, c.a] },
                    wit::ParamKind::Choice(c) => ParamKind::Choice { options: c.options, default: c.default },
                    wit::ParamKind::Point(v) => ParamKind::Point { default: [v.x, v.y] },
                    $($extra)*
                };
                ParamSpec { name: p.name, label: p.label, description: p.description, kind, animatable: p.animatable }
            }

            fn param_value(v: &ParamValue) -> wit::ParamValue {
                match v {
                    ParamValue::Float(x) => wit::ParamValue::Float(*x),
                    ParamValue::Int(x) => wit::ParamValue::Int(*x),
                    ParamValue::Toggle(x) => wit::ParamValue::Toggle(*x),
                    ParamValue::Color([r, g, b, a]) => {
                        wit::ParamValue::Color(wit::Rgba { r: *r, g: *g, b: *b, a: *a })
                    }
                    ParamValue::Choice(s) => wit::ParamValue::Choice(s.clone()),
                    ParamValue::Point([x, y]) => wit::ParamValue::Point(wit::Vec2 { x: *x, y: *y }),
                }
            }

            pub(crate) fn params(values: &[(String, ParamValue)]) -> Vec<(String, wit::ParamValue)> {
                values.iter().map(|(k, v)| (k.clone(), param_value(v))).collect()
            }

            pub(crate) fn clip_info(c: ClipInfo) -> wit::ClipInfo {
                wit::ClipInfo {
                    width: c.width,
                    height: c.height,
                    fps: c.fps,
                    frame_count: c.frame_count,
                    duration_sec: c.duration_sec,
                }
            }

            pub(crate) fn frame_context(c: FrameContext) -> wit::FrameContext {
                wit::FrameContext { index: c.index, time_sec: c.time_sec, progress: c.progress }
            }
        }
    };
}

conversions!(v0_1_0, super::super::bindings::v0_1_0::pika::fx::types, {});
conversions!(v0_2_0, super::super::bindings::v0_2_0::pika::fx::types, {
    wit::ParamKind::Angle(r) => ParamKind::Angle { min: r.min, max: r.max, default: r.default, step: r.step },
});
conversions!(v0_3_0, super::super::bindings::v0_3_0::pika::fx::types, {
    wit::ParamKind::Angle(r) => ParamKind::Angle { min: r.min, max: r.max, default: r.default, step: r.step },
});

/// Words for a trap, timeout or out-of-memory while `call` ran.
pub(crate) fn trap(plugin: &str, call: &'static str, err: &wasmtime::Error, sandbox: &SandboxConfig) -> PluginError {
    let text = format!("{err:?}");
    let reason = match err.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => {
            let budget = if call == "render" { sandbox.render_timeout } else { sandbox.setup_timeout };
            format!("timed out (exceeded its {} ms deadline)", budget.as_millis())
        }
        Some(wasmtime::Trap::UnreachableCodeReached) => {
            "trapped: it panicked or aborted (wasm `unreachable`)".to_owned()
        }
        Some(trap) => format!("trapped: {trap}"),
        None if text.contains("growing memory") || text.contains("memory minimum size") => {
            format!("ran out of memory (its limit is {} MiB)", sandbox.memory_limit >> 20)
        }
        None => format!("failed: {}", super::runtime::root_cause(err)),
    };
    PluginError::Trap { plugin: plugin.to_owned(), call, reason }
}
