// pikaffect/{{id}}: the subject turns to gold over time, as a pikafx plugin.
//
// JavaScript (componentize-js) targeting the `plugin` world of pika:fx@0.1.0
// (vendored in wit/). The guest never touches pixels: `create` compiles one
// WGSL compute shader on the host's GPU (gpu.compile); `render` asks the host
// for the frame's subject mask (analysis.subject-mask) and queues one dispatch
// per frame (gpu.dispatch) with the parameters and `ctx.progress` as uniforms.
//
// Naming (componentize-js 0.23): imports are ES modules named by their WIT
// name ('pika:fx/gpu@0.1.0'), functions and record fields in camelCase,
// variants are `{ tag, val }`, enums are strings; throw to return an error.

import { compile, dispatch } from 'pika:fx/gpu@0.1.0';
import { subjectMask } from 'pika:fx/analysis@0.1.0';
import { log } from 'pika:fx/log@0.1.0';

const EFFECT_ID = '{{id}}';
const VERSION = '0.1.0';
const DEFAULTS = { intensity: 1.0, shine: 0.3 };

// Binding convention (interface `gpu` in wit/pika-fx.wit): binding 0 =
// uniforms, 1 = output, 3 = the first input (frame), 4 = the second (mask).
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
    const progress = Number.isFinite(ctx.progress) ? Math.min(Math.max(ctx.progress, 0), 1) : 0;
    let mask;
    try {
      mask = subjectMask(input);
      dispatch(this.#shader, [input, mask], output, new Float32Array([p.intensity, p.shine, progress]));
    } catch (e) {
      throw gpuError(e);
    } finally {
      // Hand the mask texture back to the host now rather than at garbage collection.
      if (mask && typeof mask[Symbol.dispose] === 'function') mask[Symbol.dispose]();
    }
  }
}

function describe() {
  return {
    id: EFFECT_ID,
    name: '{{title}}',
    version: VERSION,
    kind: 'pikaffect',
    description: 'The subject turns to gold over time; the background stays.',
    params: [
      floatParam('intensity', 'Intensity', 'How golden the subject is by the end of the effect.', 0.0, 1.0),
      floatParam('shine', 'Shine', 'How much the gold is brightened.', 0.0, 1.0),
    ],
    historyFrames: 0,
    tags: ['subject', 'gold'],
  };
}

export const effect = { describe, create, Renderer };
