"""py-sepia: a sepia tone, written in Python.

The guest never touches pixels: it hands one WGSL compute shader to the
host's GPU in `create` (gpu.compile) and queues one dispatch per frame in
`render` (gpu.dispatch) with the frame's parameters as uniforms.
"""
from typing import List, Tuple

import wit_world
from wit_world import exports
from wit_world.exports import effect
from wit_world.imports import gpu, log, types
from componentize_py_types import Err

EFFECT_ID = "py-sepia"
VERSION = "0.1.0"

# Shader binding convention (see the gpu interface in pika-fx.wit):
# binding 0 = uniforms, 1 = output, 3 = the first input texture.
WGSL = """
@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let amount = clamp(u[0], 0.0, 1.0);
    let warmth = u[1];
    let src = textureLoad(input_0, vec2<i32>(id.xy), 0);
    let c = src.rgb;
    // The classic sepia matrix, then a warm push (red up, blue down).
    var sepia = vec3<f32>(
        dot(c, vec3<f32>(0.393, 0.769, 0.189)),
        dot(c, vec3<f32>(0.349, 0.686, 0.168)),
        dot(c, vec3<f32>(0.272, 0.534, 0.131)),
    );
    sepia = sepia + vec3<f32>(warmth, warmth * 0.35, -warmth);
    let rgb = mix(c, clamp(sepia, vec3<f32>(0.0), vec3<f32>(1.0)), amount);
    textureStore(output, vec2<i32>(id.xy), vec4<f32>(rgb, src.a));
}
"""

PARAMS = [
    types.ParamSpec(
        name="amount",
        label="Amount",
        description="How much of the sepia tone replaces the original colours.",
        kind=types.ParamKind_Float(types.FloatRange(min=0.0, max=1.0, default=0.8, step=0.01)),
        animatable=True,
    ),
    types.ParamSpec(
        name="warmth",
        label="Warmth",
        description="Extra warmth: pushes red up and blue down.",
        kind=types.ParamKind_Float(types.FloatRange(min=0.0, max=0.3, default=0.1, step=0.01)),
        animatable=False,
    ),
]
DEFAULTS = {"amount": 0.8, "warmth": 0.1}


def _floats(params: List[Tuple[str, types.ParamValue]]) -> dict:
    """Resolved float params by name, with the spec's defaults for any missing."""
    values = dict(DEFAULTS)
    for name, value in params:
        if isinstance(value, types.ParamValue_Float):
            values[name] = value.value
    return values


def _gpu_error(err: Err) -> str:
    """A readable message for a gpu-error raised as componentize_py_types.Err."""
    e = err.value
    if isinstance(e, types.GpuError_InvalidShader):
        msg, loc = e.value
        where = f" at {loc.line}:{loc.column}" if loc is not None else ""
        return f"invalid shader{where}: {msg}"
    kind = type(e).__name__.split("_", 1)[-1]  # GpuError_LimitExceeded -> LimitExceeded
    kebab = "".join("-" + ch.lower() if ch.isupper() else ch for ch in kind).lstrip("-")
    return f"{kebab}: {e.value}"


class Effect(exports.Effect):
    def describe(self) -> types.EffectInfo:
        return types.EffectInfo(
            id=EFFECT_ID,
            name="Sepia (Python)",
            version=VERSION,
            kind=types.EffectKind.STYLE,
            description="A warm sepia tone; an example plugin written in Python.",
            params=PARAMS,
            history_frames=0,
            tags=["example", "python", "colour", "vintage"],
        )

    def create(self, clip: types.ClipInfo, params: List[Tuple[str, types.ParamValue]]) -> effect.Renderer:
        try:
            shader = gpu.compile(WGSL, "main")
        except Err as e:
            raise Err(f"{EFFECT_ID}: {_gpu_error(e)}")
        log.log(log.Level.DEBUG, f"{EFFECT_ID}: shader compiled for {clip.width}x{clip.height}")
        return Renderer(shader)


class Renderer(effect.Renderer):
    def __init__(self, shader: gpu.Shader) -> None:
        self.shader = shader

    def render(
        self,
        ctx: types.FrameContext,
        params: List[Tuple[str, types.ParamValue]],
        input: gpu.Texture,
        history: List[gpu.Texture],
        output: gpu.Texture,
    ) -> None:
        p = _floats(params)
        try:
            gpu.dispatch(self.shader, [input], output, [p["amount"], p["warmth"]])
        except Err as e:
            raise Err(f"{EFFECT_ID}: {_gpu_error(e)}")
