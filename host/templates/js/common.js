
// A float parameter spec (`min..=max`, continuous steps of 0.01).
function floatParam(name, label, description, min, max) {
  return {
    name,
    label,
    description,
    kind: { tag: 'float', val: { min, max, default: DEFAULTS[name], step: 0.01 } },
    animatable: true,
  };
}

// params: list<tuple<string, param-value>> arrives as [[name, {tag, val}], ...].
function floats(params) {
  const p = { ...DEFAULTS };
  for (const [name, value] of params) {
    if (value.tag === 'float') p[name] = value.val;
  }
  return p;
}

// A readable message for a gpu-error thrown by an import (its `payload`).
function gpuError(e) {
  const err = e && e.payload !== undefined ? e.payload : e;
  if (err && typeof err === 'object' && 'tag' in err) {
    if (err.tag === 'invalid-shader') {
      const [msg, loc] = err.val;
      return `${EFFECT_ID}: invalid WGSL${loc ? ` at ${loc.line}:${loc.column}` : ''}: ${msg}`;
    }
    return `${EFFECT_ID}: ${err.tag}: ${err.val}`;
  }
  return `${EFFECT_ID}: ${String(err)}`;
}

function create(clip, params) {
  let shader;
  try {
    shader = compile(WGSL, 'main');
  } catch (e) {
    throw gpuError(e);
  }
  log('debug', `${EFFECT_ID}: shader compiled for ${clip.width}x${clip.height}`);
  return new Renderer(shader);
}
