// style/{{id}}: a warm/cool tint and a contrast curve, as a pikafx plugin.
//
// JavaScript (componentize-js) targeting the `plugin` world of pika:fx@0.1.0
// (vendored in wit/). The guest never touches pixels: `create` compiles one
// WGSL compute shader on the host's GPU (gpu.compile) and `render` queues one
// dispatch per frame (gpu.dispatch) with the parameters as uniforms.
//
// Naming (componentize-js 0.23): imports are ES modules named by their WIT
// name ('pika:fx/gpu@0.1.0'), functions and record fields in camelCase,
// variants are `{ tag, val }`, enums are strings; throw to return an error.

import { compile, dispatch } from 'pika:fx/gpu@0.1.0';
import { log } from 'pika:fx/log@0.1.0';

const EFFECT_ID = '{{id}}';
const VERSION = '0.1.0';
const DEFAULTS = { warmth: 0.5, contrast: 1.25 };

// Binding convention (interface `gpu` in wit/pika-fx.wit): binding 0 =
// uniforms, 1 = output, 3 = the first input texture.
const WGSL = `
{{wgsl}}`;
{{common}}
class Renderer {
  #shader;

  constructor(shader) {
    this.#shader = shader;
  }

  render(ctx, params, input, history, output) {
    const p = floats(params);
    try {
      dispatch(this.#shader, [input], output, new Float32Array([p.warmth, p.contrast]));
    } catch (e) {
      throw gpuError(e);
    }
  }
}

function describe() {
  return {
    id: EFFECT_ID,
    name: '{{title}}',
    version: VERSION,
    kind: 'style',
    description: 'A warm or cool tint with a contrast curve.',
    params: [
      floatParam('warmth', 'Warmth', 'Above 0 pushes red up and blue down; below 0 the reverse.', -1.0, 1.0),
      floatParam('contrast', 'Contrast', 'How strongly tones are pushed away from mid-grey.', 0.5, 2.0),
    ],
    historyFrames: 0,
    tags: ['colour', 'tint'],
  };
}

export const effect = { describe, create, Renderer };
