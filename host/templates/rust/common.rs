
/// A float parameter spec (`min..=max`, continuous steps of 0.01).
fn float_param(
    name: &str,
    label: &str,
    description: &str,
    min: f32,
    max: f32,
    default: f32,
) -> ParamSpec {
    ParamSpec {
        name: name.into(),
        label: label.into(),
        description: description.into(),
        kind: ParamKind::Float(FloatRange {
            min,
            max,
            default,
            step: 0.01,
        }),
        animatable: true,
    }
}

/// The value of float parameter `name`, or `default` when it is absent.
fn float(params: &[(String, ParamValue)], name: &str, default: f32) -> f32 {
    params
        .iter()
        .find_map(|(n, v)| match v {
            ParamValue::Float(x) if n == name => Some(*x),
            _ => None,
        })
        .unwrap_or(default)
}

/// A readable message for a GPU error, prefixed with the effect id.
fn gpu_err(err: GpuError) -> String {
    let text = match err {
        GpuError::InvalidShader((message, Some(loc))) => {
            format!("invalid WGSL at {}:{}: {message}", loc.line, loc.column)
        }
        GpuError::InvalidShader((message, None)) => format!("invalid WGSL: {message}"),
        GpuError::InvalidArgument(message) => format!("invalid GPU argument: {message}"),
        GpuError::LimitExceeded(message) => format!("GPU limit exceeded: {message}"),
        GpuError::Device(message) => format!("GPU device error: {message}"),
    };
    format!("{EFFECT_ID}: {text}")
}

