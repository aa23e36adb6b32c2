// glitch: the subject breaks up like a corrupted digital video stream, more
// and more as progress goes 0 -> 1, flickering from frame to frame, while
// the background away from it stays the source's.
//
// For each output pixel p (all hashes seeded by u[1].x, which changes every
// frame, so each frame glitches differently):
//   slices     = horizontal bands 0.6 and 2.3 blocks high (offset per
//                frame); some bands (more with the level) shift sideways,
//                the two layers' shifts add up to dx (snapped to 1/4 block)
//   tear       = a 2-px scanline group that, rarely, shifts twice as far
//                and brightens
//   q          = p - (dx, 0)                      (the displaced source)
//   macroblock = a block-size cell; a few (more with the level) are
//                corrupted: copied from a nearby cell, smeared down from
//                their top row, or flattened to their centre's colour,
//                posterised, channels rotated or inverted
//   colour     = (frame(q + split).r, frame(q).g, frame(q - split).b)
//   region     = max(mask(p), mask(q), mask(q +- split), mask(cell centre)
//                for corrupted cells): the subject, where its slices and
//                fringes land, and its corrupted blocks (the halo)
//   result     = mix(frame(p), colour with faint scanlines, region)
// Displacements only move pixels sideways, so only the subject's rows (plus
// a block) can change: the SDK dispatches only over the subject's box
// widened by the largest reach (`effect_region`, REGION = true); the rest
// of the frame is returned as it is. With level 0 (progress 0) the frame
// is returned as is.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y level     0..1, this frame's glitch level (intensity * progress,
//                  with the per-frame flicker applied)
//   u[0].z block     4..64 (macroblock size, in pixels at 720p)
//   u[0].w split     0..40 (channel split at full level, in pixels at 720p)
//   u[1].x frame     0..2^24, the frame's pattern seed (seed and frame index)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT,
// pikafx_sdk::wgsl::BOUNDS), appended after this file: hash2, unit, frame_at,
// mask_at, subject_box. (No subject found reads as an empty box: one bounds
// texel fewer than subject_found().)

// The largest slice shift at full level, as a fraction of the frame width.
const SHIFT: f32 = 0.08;

// This frame's glitch sizes on a frame of `fd` pixels.
struct Sizes {
    level: f32,
    scale: f32,        // pixels at 720p -> frame pixels
    block: f32,        // macroblock size
    split: f32,        // channel split
    shift: f32,        // the largest slice shift
    // How far from the subject's box anything can change, x and y.
    // Sideways only: the largest shift (a tear's) plus the split plus a
    // copied block's jump (2 blocks) and overhang horizontally, a block
    // vertically; plus the bounds grid's cell.
    reach: vec2<f32>,
}

fn sizes(fd: vec2<f32>) -> Sizes {
    let level = clamp(u[0].y, 0.0, 1.0);
    let scale = fd.y / 720.0;
    let block = max(clamp(u[0].z, 4.0, 64.0) * scale, 2.0);
    let split = clamp(u[0].w, 0.0, 40.0) * scale * level;
    let shift = SHIFT * fd.x * level;
    let cell = max(fd.x, fd.y) / 64.0 + 2.0;
    let reach = vec2<f32>(2.0 * shift + split + 3.0 * block, block) + cell;
    return Sizes(level, scale, block, split, shift, reach);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the subject's
// box widened by the reach; nothing at level 0 (progress 0) or without a
// subject.
fn effect_region() -> vec4<f32> {
    let g = sizes(vec2<f32>(textureDimensions(input_0)));
    let b = subject_box();
    if (g.level <= 0.0 || u[0].x <= 0.0 || b.z <= b.x) {
        return vec4<f32>(0.0);
    }
    return vec4<f32>(b.xy - g.reach, b.zw + g.reach);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let g = sizes(fd);
    let level = g.level;
    let scale = g.scale;
    let block = g.block;
    let split = g.split;
    let seed = u32(max(u[1].x, 0.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let b = subject_box();
    if (level <= 0.0 || u[0].x <= 0.0 || b.z <= b.x) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Out of reach (`Sizes.reach`): as it is (on a real GPU; a software one
    // only runs the region anyway).
    let shift = g.shift;
    let reach = g.reach;
    if (any(p < b.xy - reach) || any(p > b.zw + reach)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Slices: two layers of bands, thin (0.6 block) and thick (2.3 blocks),
    // offset per frame so their edges move; where both shift, the shifts
    // add up, so the band heights look irregular. Shifts snap to quarter
    // blocks, as a decoder's misaligned rows do.
    var dx = 0.0;
    for (var layer = 0u; layer < 2u; layer++) {
        let band_h = max(select(0.6, 2.3, layer == 1u) * block, 2.0);
        let band = i32(floor((p.y + unit(seed + layer) * band_h) / band_h));
        let key = vec2<i32>(band, i32(layer));
        if (hash2(key, seed, 1u) < 0.15 + 0.35 * level) {
            dx += (hash2(key, seed, 2u) - 0.5) * 2.0 * shift;
        }
    }
    dx = round(dx / (0.25 * block)) * 0.25 * block;
    // Tears: rare 2-px scanline groups thrown twice as far, overexposed.
    let row = i32(floor(p.y / max(2.0 * scale, 1.0)));
    var gain = 1.0;
    if (hash2(vec2<i32>(row, 2), seed, 3u) < 0.08 * level) {
        dx = (hash2(vec2<i32>(row, 2), seed, 4u) - 0.5) * 4.0 * shift;
        gain = 1.3;
    }
    var q = p - vec2<f32>(dx, 0.0);
    var region = max(mask_at(p), mask_at(q));

    // Macroblocks on the frame's grid, as a codec would have them.
    let c = vec2<i32>(floor(p / block));
    let centre = (vec2<f32>(c) + 0.5) * block;
    var flat = 0u;
    if (hash2(c, seed, 5u) < 0.18 * level) {
        // Only blocks over the subject corrupt; they overhang it a little.
        region = max(region, mask_at(centre));
        let kind = hash2(c, seed, 6u);
        if (kind < 0.35) {
            // A block copied from a neighbour (a wrong motion vector).
            let jump = vec2<f32>(floor(kind * 14.0) - 2.0, floor(hash2(c, seed, 7u) * 3.0) - 1.0);
            q = q + jump * block;
        } else if (kind < 0.6) {
            // The block's top row smeared down (a lost residual).
            q = vec2<f32>(q.x, (f32(c.y) + 0.05) * block);
        } else {
            // A block that lost its detail: one colour, see below.
            q = centre;
            flat = 1u + u32(hash2(c, seed, 8u) * 3.0);
        }
    }

    // The channel split flips direction from frame to frame.
    let side = select(-1.0, 1.0, (seed & 1u) == 0u);
    let off = vec2<f32>(split * side, 0.0);
    let red = frame_at(q + off).r;
    let blue = frame_at(q - off).b;
    if (split >= 0.5) {
        // The fringes reach past the subject: count them in.
        region = max(region, max(mask_at(q + off), mask_at(q - off)));
    }
    var rgb = vec3<f32>(red, frame_at(q).g, blue);
    if (flat == 1u) {
        rgb = floor(rgb.gbr * 4.0 + 0.5) / 4.0;
    } else if (flat == 2u) {
        rgb = floor(rgb.brg * 4.0 + 0.5) / 4.0;
    } else if (flat == 3u) {
        rgb = floor((1.0 - rgb) * 4.0 + 0.5) / 4.0;
    }
    // Faint scanlines over the glitched area.
    let scan = select(1.0, 1.0 - 0.15 * level, (gid.y & 1u) == 1u);
    rgb = min(rgb * gain * scan, vec3<f32>(1.0));

    let w = clamp(region * 2.0, 0.0, 1.0);
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(original.rgb, rgb, w), original.a));
}
