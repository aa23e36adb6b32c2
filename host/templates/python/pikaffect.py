"""pikaffect/{{id}}: the subject turns to gold over time, as a pikafx plugin.

Python (componentize-py) targeting the `plugin` world of pika:fx@0.1.0
(vendored in wit/). The guest never touches pixels: `create` compiles one WGSL
compute shader on the host's GPU (gpu.compile); `render` asks the host for the
frame's subject mask (analysis.subject_mask) and queues one dispatch per frame
(gpu.dispatch) with the parameters and `ctx.progress` as uniforms.

Built with --stub-wasi: the component has no WASI, so `print` and clocks
trap. Use `log.log(...)` for messages.
"""
import math
from typing import List, Tuple

from wit_world import exports
from wit_world.exports import effect
from wit_world.imports import analysis, gpu, log, types
from componentize_py_types import Err

EFFECT_ID = "{{id}}"
VERSION = "0.1.0"
DEFAULTS = {"intensity": 1.0, "shine": 0.3}

# Binding convention (interface `gpu` in wit/pika-fx.wit): binding 0 =
# uniforms, 1 = output, 3 = the first input (frame), 4 = the second (mask).
WGSL = """
{{wgsl}}"""
{{common}}

class Effect(exports.Effect):
    def describe(self) -> types.EffectInfo:
        return types.EffectInfo(
            id=EFFECT_ID,
            name="{{title}}",
            version=VERSION,
            kind=types.EffectKind.PIKAFFECT,
            description="The subject turns to gold over time; the background stays.",
            params=[
                _float_param("intensity", "Intensity", "How golden the subject is by the end of the effect.", 0.0, 1.0),
                _float_param("shine", "Shine", "How much the gold is brightened.", 0.0, 1.0),
            ],
            history_frames=0,
            tags=["subject", "gold"],
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
        progress = min(max(ctx.progress, 0.0), 1.0) if math.isfinite(ctx.progress) else 0.0
        try:
            # `with` drops the mask texture when the dispatch is queued.
            with analysis.subject_mask(input) as mask:
                gpu.dispatch(self.shader, [input, mask], output, [p["intensity"], p["shine"], progress])
        except Err as e:
            raise Err(_gpu_error(e))
