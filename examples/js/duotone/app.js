// js-duotone: luma mapped between two colours, written in JavaScript.
//
// The guest never touches pixels: it hands one WGSL compute shader to the
// host's GPU in `create` (gpu.compile) and queues one dispatch per frame in
// `render` (gpu.dispatch) with the frame's parameters as uniforms.
//
// Naming (componentize-js 0.23 / jco conventions):
//   - imported interfaces are ES modules named by their full WIT name,
//     e.g. 'pika:fx/gpu@0.1.0', with kebab-case functions in camelCase;
//   - the exported interface `pika:fx/effect@0.1.0` is the ES export `effect`
//     (the interface name in camelCase), an object holding its functions and
//     its resource classes (`Renderer`);
//   - records are objects with camelCase fields, variants are
//     `{ tag: 'kebab-case', val }`, enums are their case name as a string;
//   - `result<T, E>`: return T for ok, throw E for err; an imported function
//     that returns err throws an Error whose `payload` is the E value.

import { compile, dispatch } from 'pika:fx/gpu@0.1.0';
import { log } from 'pika:fx/log@0.1.0';

const EFFECT_ID = 'js-duotone';
const VERSION = '0.1.0';

// Shader binding convention (see the gpu interface in pika-fx.wit):
// binding 0 = uniforms, 1 = output, 3 = the first input texture.
// Uniforms: shadow.rgba (0..3), highlight.rgba (4..7), contrast (8).
const WGSL = `
@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let shadow = vec4<f32>(u[0], u[1], u[2], u[3]);
    let highlight = vec4<f32>(u[4], u[5], u[6], u[7]);
    let contrast = u[8];
    let src = textureLoad(input_0, vec2<i32>(id.xy), 0);
    let luma = dot(src.rgb, vec3<f32>(0.2126, 0.7152, 0.0722));
    let t = clamp((luma - 0.5) * contrast + 0.5, 0.0, 1.0);
    let duo = mix(shadow, highlight, t);
    // The colours' alpha is how strongly each end tints the frame.
    let rgb = mix(src.rgb, duo.rgb, duo.a);
    textureStore(output, vec2<i32>(id.xy), vec4<f32>(rgb, src.a));
}
`;

const DEFAULT_SHADOW = { r: 0.05, g: 0.08, b: 0.3, a: 1.0 };
const DEFAULT_HIGHLIGHT = { r: 1.0, g: 0.85, b: 0.45, a: 1.0 };
const DEFAULT_CONTRAST = 1.0;

const PARAMS = [
  {
    name: 'shadow',
    label: 'Shadow colour',
    description: 'The colour that the darkest parts of the frame take.',
    kind: { tag: 'color', val: DEFAULT_SHADOW },
    animatable: true,
  },
  {
    name: 'highlight',
    label: 'Highlight colour',
    description: 'The colour that the brightest parts of the frame take.',
    kind: { tag: 'color', val: DEFAULT_HIGHLIGHT },
    animatable: true,
  },
  {
    name: 'contrast',
    label: 'Contrast',
    description: 'Stretches the luma around mid-grey before mapping it.',
    kind: { tag: 'float', val: { min: 0.5, max: 2.0, default: DEFAULT_CONTRAST, step: 0.01 } },
    animatable: true,
  },
];

// params: list<tuple<string, param-value>> arrives as [[name, {tag, val}], ...].
function resolve(params) {
  const p = { shadow: DEFAULT_SHADOW, highlight: DEFAULT_HIGHLIGHT, contrast: DEFAULT_CONTRAST };
  for (const [name, value] of params) {
    if (name === 'shadow' && value.tag === 'color') p.shadow = value.val;
    else if (name === 'highlight' && value.tag === 'color') p.highlight = value.val;
    else if (name === 'contrast' && value.tag === 'float') p.contrast = value.val;
  }
  return p;
}

// A readable message for a gpu-error thrown by an import.
function gpuError(e) {
  const err = e && e.payload !== undefined ? e.payload : e;
  if (err && typeof err === 'object' && 'tag' in err) {
    if (err.tag === 'invalid-shader') {
      const [msg, loc] = err.val;
      return `invalid shader${loc ? ` at ${loc.line}:${loc.column}` : ''}: ${msg}`;
    }
    return `${err.tag}: ${err.val}`;
  }
  return String(err);
}

class Renderer {
  #shader;

  constructor(shader) {
    this.#shader = shader;
  }

  render(ctx, params, input, history, output) {
    const p = resolve(params);
    const s = p.shadow;
    const h = p.highlight;
    try {
      dispatch(this.#shader, [input], output,
        new Float32Array([s.r, s.g, s.b, s.a, h.r, h.g, h.b, h.a, p.contrast]));
    } catch (e) {
      throw `${EFFECT_ID}: ${gpuError(e)}`;
    }
  }
}

function describe() {
  return {
    id: EFFECT_ID,
    name: 'Duotone (JavaScript)',
    version: VERSION,
    kind: 'style',
    description: 'Maps the luma of the frame between a shadow and a highlight colour; an example plugin written in JavaScript.',
    params: PARAMS,
    historyFrames: 0,
    tags: ['example', 'javascript', 'colour', 'duotone'],
  };
}

function create(clip, params) {
  let shader;
  try {
    shader = compile(WGSL, 'main');
  } catch (e) {
    throw `${EFFECT_ID}: ${gpuError(e)}`;
  }
  log('debug', `${EFFECT_ID}: shader compiled for ${clip.width}x${clip.height}`);
  return new Renderer(shader);
}

export const effect = { describe, create, Renderer };
