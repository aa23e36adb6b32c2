

def _floats(params: List[Tuple[str, types.ParamValue]]) -> dict:
    """Resolved float params by name, with the defaults for any missing."""
    values = dict(DEFAULTS)
    for name, value in params:
        if isinstance(value, types.ParamValue_Float):
            values[name] = value.value
    return values


def _float_param(name: str, label: str, description: str, lo: float, hi: float) -> types.ParamSpec:
    """A float parameter spec (`lo..=hi`, continuous steps of 0.01)."""
    return types.ParamSpec(
        name=name,
        label=label,
        description=description,
        kind=types.ParamKind_Float(types.FloatRange(min=lo, max=hi, default=DEFAULTS[name], step=0.01)),
        animatable=True,
    )


def _gpu_error(err: Err) -> str:
    """A readable message for a gpu-error raised as componentize_py_types.Err."""
    e = err.value
    if isinstance(e, types.GpuError_InvalidShader):
        msg, loc = e.value
        where = f" at {loc.line}:{loc.column}" if loc is not None else ""
        return f"{EFFECT_ID}: invalid WGSL{where}: {msg}"
    return f"{EFFECT_ID}: {type(e).__name__}: {e.value}"
