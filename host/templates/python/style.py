"""style/{{id}}: a warm/cool tint and a contrast curve, as a pikafx plugin.

Python (componentize-py) targeting the `plugin` world of pika:fx@0.1.0
(vendored in wit/). The guest never touches pixels: `create` compiles one WGSL
compute shader on the host's GPU (gpu.compile) and `render` queues one
dispatch per frame (gpu.dispatch) with the parameters as uniforms.

Built with --stub-wasi: the component has no WASI, so `print` and clocks
trap. Use `log.log(...)` for messages.
"""
from typing import List, Tuple

from wit_world import exports
from wit_world.exports import effect
from wit_world.imports import gpu, log, types
from componentize_py_types import Err

EFFECT_ID = "{{id}}"
VERSION = "0.1.0"
DEFAULTS = {"warmth": 0.5, "contrast": 1.25}

# Binding convention (interface `gpu` in wit/pika-fx.wit): binding 0 =
# uniforms, 1 = output, 3 = the first input texture.
WGSL = """
{{wgsl}}"""
{{common}}

class Effect(exports.Effect):
    def describe(self) -> types.EffectInfo:
        return types.EffectInfo(
            id=EFFECT_ID,
            name="{{title}}",
            version=VERSION,
            kind=types.EffectKind.STYLE,
            description="A warm or cool tint with a contrast curve.",
            params=[
                _float_param("warmth", "Warmth", "Above 0 pushes red up and blue down; below 0 the reverse.", -1.0, 1.0),
                _float_param("contrast", "Contrast", "How strongly tones are pushed away from mid-grey.", 0.5, 2.0),
            ],
            history_frames=0,
            tags=["colour", "tint"],
        )

    def create(self, clip: types.ClipInfo, params: List[Tuple[str, types.ParamValue]]) -> effect.Renderer:
        try:
            shader = gpu.compile(WGSL, "main")
        except Err as e:
            raise Err(_gpu_error(e))
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
            gpu.dispatch(self.shader, [input], output, [p["warmth"], p["contrast"]])
        except Err as e:
            raise Err(_gpu_error(e))
