// cake-ify: the subject turns out to be a cake. As progress goes 0 -> 1 a
// knife comes down along a straight cut through the subject's centroid
// (vertical by default), leaving a seam, and lifts out; then the two halves
// part and each shows its cut face: a cake cross-section of sponge layers
// with cream stripes between them and crumb texture, under a rim of
// frosting and a thin shell in the subject's own colour (its fondant) along
// the outline. Between the faces the background is filled in.
//
// Local frame: c = the subject's centroid, n = the cut's normal (+x for a
// vertical cut), w = along the cut (down); l = (dot(p - c, n), dot(p - c, w)).
// The box's projections give `across` (its width along n) and the cut's
// extent vmin..vmax along w.
//   t in 0 .. 0.45   the knife's tip runs from vmin to vmax; the seam
//                    (a dark hairline) follows it
//   t in 0.45 .. 0.65  the knife lifts out and fades
//   t in 0.5 .. 1    sep = gap * across * smoothstep(0.5, 1, t): the left
//                    half moves by -sep/2 along n, the right by +sep/2
// For output pixel p (|l.x| < sep/2 is the gap):
//   halves   = frame(p +- n sep/2) where mask there, on that half's side
//   faces    = the strips 0.38 sep wide inside the gap next to each half:
//              u = 0 at the half's edge .. 1 at the far side of the cake;
//              the cross-section row is the cut line's point c + w l.y
//              (no subject there = no face); layer = l.y's place in
//              vmin..vmax times `layers`, cream in a band of each layer
//              below the top one, boundaries waved per layer; crumb and
//              pores from one cell hash; near the outline along the cut
//              (two mask taps along the line, toward the box's nearer
//              end) fondant, then frosting; also frosting at both ends of u
//   ground   = frame(p), or the background fill where the subject has
//              moved away (mask(p) well above the halves' cover there)
//   knife    = a steel blade and a dark handle above its tip, hidden where
//              it is inside the subject; its top fades out
// With progress 0 nothing is drawn and the frame is returned unchanged.
// Cost: the SDK dispatches only over the box widened by the motion and,
// while it shows, the knife (`effect_region`, REGION = true); there, 2-3
// mask taps; the fill's 36 taps only where the subject moved away, the
// face's 4 only on faces.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress     0..1
//   u[1..3] sponge    rgb of the sponge
//   u[4..6] cream     rgb of the cream stripes and the frosting
//   u[1].w layers       2..8 (sponge layers)
//   u[2].x cos(angle), u[2].y sin(angle)  (the cut's tilt from vertical, clockwise)
//   u[2].z gap         0..1 (how far the halves part, as a fraction of the subject's width)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 3>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: cell_hash, unit, frame_at, mask_at,
// coarse_fill_at, subject_box, subject_centre.

// The cross-section at face coordinate `uf` (0..1 into the cake), row `y`
// (local, along the cut), where `line` is the cut line's point of that row.
// `depth` is the face's unfolded depth in pixels (for the crumb's scale).
fn cake_face(uf: f32, y: f32, line: vec2<f32>, w: vec2<f32>, vmin: f32, along: f32, depth: f32) -> vec3<f32> {
    let sponge = vec3<f32>(u[0].y, u[0].z, u[0].w);
    let cream = vec3<f32>(u[1].x, u[1].y, u[1].z);
    let layers = clamp(u[1].w, 1.0, 12.0);
    let rim = max(0.07 * along, 2.5);

    // Unfolded face pixels: crumb and pores keep their size as it widens.
    // One hash per crumb cell gives both (a cell's grain and, for one in
    // sixteen, a pore): interpolated noise here made the whole shader
    // markedly slower on lavapipe.
    let px = vec2<f32>(uf * depth, y);
    let cell = max(0.008 * along, 1.0);
    let h = cell_hash(vec2<i32>(floor(px / cell)), 7u);
    let crumb = unit(h);
    let pores = select(0.0, 1.0, (h & 15u) == 0u);
    var rgb = sponge * (0.88 + 0.18 * crumb) * (1.0 - 0.3 * pores);

    // Cream between the layers (not above the top one, the frosting's
    // place), each boundary wavy in its own way like a spread filling.
    let g0 = (y - vmin) / max(along, 1.0) * layers;
    let k = floor(g0 + 0.5);
    let g = g0 + 0.06 * sin(uf * 5.0 + k * 2.3) + 0.02 * sin(uf * 13.0 + k * 5.1);
    let filling = step(0.7, g) * (1.0 - step(0.22, fract(g)));
    rgb = mix(rgb, cream * (0.95 + 0.06 * crumb), filling);

    // Near the outline: a frosting rim, with a fondant shell of the
    // subject's own colour outside it. Along the cut that is where the mask
    // ends within a rim of the row, looking toward the nearer end of the
    // box (up in its upper half: two taps instead of four, and a cut
    // through most subjects crosses the outline once each way); across it,
    // the face's two ends (the front and the back of the cake).
    let toward = select(w, -w, y < vmin + 0.5 * along);
    let shell = mask_at(line + toward * rim * 0.4);
    let coat = mask_at(line + toward * rim);
    let ends = min(uf, 1.0 - uf) * depth;
    let frosting = max(1.0 - smoothstep(0.4, 0.6, coat), 1.0 - smoothstep(rim * 0.5, rim, ends));
    let fondant = max(1.0 - smoothstep(0.4, 0.6, shell), 1.0 - smoothstep(rim * 0.2, rim * 0.4, ends));
    rgb = mix(rgb, cream, frosting);
    if (fondant > 0.0) {
        rgb = mix(rgb, frame_at(line), fondant);
    }
    return rgb;
}

// The cut's geometry and timeline for this frame and this subject box.
struct Cut {
    n: vec2<f32>,        // the cut's normal
    w: vec2<f32>,        // along the cut (down)
    across: f32,         // the box's extent along n
    along: f32,          // and along w
    cut: f32,            // how far the knife has cut (0..1)
    lift: f32,           // how far it has lifted out (0..1)
    knife_alpha: f32,
    sep: f32,            // the halves' separation, pixels
    fw: f32,             // the faces' width
    kw: f32,             // the knife's width
    // Nothing changes outside this frame-axes rectangle (min xy, max xy):
    // the box, widened by the halves' shift and, while the knife shows,
    // stretched up the cut by its length and, for a tilted cut, sideways
    // by as much as the cut line can stray from the box.
    reach: vec4<f32>,
}

fn cut_geometry(b: vec4<f32>) -> Cut {
    let t = clamp(u[0].x, 0.0, 1.0);
    let n = normalize(vec2<f32>(u[2].x, u[2].y) + vec2<f32>(1e-6, 0.0));
    let w = vec2<f32>(-n.y, n.x);
    let gap = clamp(u[2].z, 0.0, 1.0);

    let half_size = (b.zw - b.xy) * 0.5;
    let across = 2.0 * (abs(n.x) * half_size.x + abs(n.y) * half_size.y);
    let along = 2.0 * (abs(w.x) * half_size.x + abs(w.y) * half_size.y);

    // The timeline: cut, lift the knife, part.
    let cut = smoothstep(0.0, 0.45, t);
    let lift = smoothstep(0.45, 0.65, t);
    let knife_alpha = smoothstep(0.0, 0.06, t) * (1.0 - smoothstep(0.55, 0.65, t));
    let sep = gap * across * smoothstep(0.5, 1.0, t);
    let fw = 0.38 * sep;
    let kw = max(0.06 * across, 3.0);

    let knife_on = select(0.0, 1.0, knife_alpha > 0.0);
    let up = -w * 0.75 * along * knife_on;
    let margin = vec2<f32>(0.5 * sep + kw + 2.0 + 2.0 * along * abs(w.x) * knife_on);
    let reach = vec4<f32>(min(b.xy, b.xy + up) - margin, max(b.zw, b.zw + up) + margin);
    return Cut(n, w, across, along, cut, lift, knife_alpha, sep, fw, kw, reach);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the cut's
// reach around the subject's box; nothing at progress 0 or without a
// subject.
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    if (u[0].x <= 0.0 || b.z - b.x < 1.0) {
        return vec4<f32>(0.0);
    }
    return cut_geometry(b).reach;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let t = clamp(u[0].x, 0.0, 1.0);

    // (No subject found: the bounds are an empty box, caught here too.)
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let b = subject_box();
    if (t <= 0.0 || b.z - b.x < 1.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let m = cut_geometry(b);
    let n = m.n;
    let w = m.w;
    let across = m.across;
    let along = m.along;
    let cut = m.cut;
    let lift = m.lift;
    let knife_alpha = m.knife_alpha;
    let sep = m.sep;
    let fw = m.fw;
    let kw = m.kw;

    // Far from the box (and the knife above it) nothing changes: first in
    // frame axes (`Cut.reach`; on a software GPU only that rectangle is
    // dispatched anyway), then in the cut's.
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    if (any(p < m.reach.xy) || any(p > m.reach.zw)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let c = subject_centre();
    let bc = (b.xy + b.zw) * 0.5 - c;
    let box_l = vec2<f32>(dot(bc, n), dot(bc, w));
    let vmin = box_l.y - 0.5 * along;
    let vmax = box_l.y + 0.5 * along;
    let tip = mix(mix(vmin, vmax + 0.04 * along, cut), vmin - 0.2 * along, lift);
    let l = vec2<f32>(dot(p - c, n), dot(p - c, w));
    let dx = abs(l.x - box_l.x) - 0.5 * across - 0.5 * sep - 2.0;
    let knife_here = knife_alpha > 0.0 && abs(l.x) < kw && l.y > vmin - 0.75 * along - 2.0;
    if (dx > 0.0 || l.y > vmax + 2.0 || (l.y < vmin - 2.0 && !knife_here)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The halves: each shifted outward, cut along l.x = 0 (antialiased).
    // A pixel left of the gap can only show the left half and one right of
    // it only the right half: one mask tap each, none in the gap. The mask
    // is firmed up (0.15..0.85 -> 0..1): a moved half should be solid, not
    // show through where the mask is unsure, and the background fill then
    // runs only where the subject really left.
    let side_l = clamp(0.5 - (l.x + 0.5 * sep), 0.0, 1.0);
    let side_r = clamp(0.5 + (l.x - 0.5 * sep), 0.0, 1.0);
    let ql = p + n * (0.5 * sep);
    let qr = p - n * (0.5 * sep);
    var cov_l = 0.0;
    var cov_r = 0.0;
    if (side_l > 0.0) {
        cov_l = smoothstep(0.15, 0.85, mask_at(ql)) * side_l;
    }
    if (side_r > 0.0) {
        cov_r = smoothstep(0.15, 0.85, mask_at(qr)) * side_r;
    }
    let here = smoothstep(0.15, 0.85, mask_at(p));
    let in_gap = abs(l.x) < 0.5 * sep + 0.5;
    if (here < 0.004 && cov_l < 0.004 && cov_r < 0.004 && !knife_here) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The background fill only where the subject has clearly moved away
    // from: where the halves still cover p about as much as the subject did,
    // the frame itself is the right ground (exactly so before they part),
    // and the fill's 36 taps are the shader's largest cost.
    var rgb = original.rgb;
    let vacated = here - cov_l - cov_r;
    if (vacated > 0.03) {
        rgb = mix(original.rgb, coarse_fill_at(p), here * smoothstep(0.03, 0.2, vacated));
    }

    // The cut faces in the gap, the left one a little brighter (light from
    // the left) and both darker toward the back of the cake.
    if (in_gap && fw > 0.25) {
        let ul = (l.x + 0.5 * sep) / fw;
        let ur = (0.5 * sep - l.x) / fw;
        let uf = min(ul, ur);
        let line = c + w * l.y;
        let solid = smoothstep(0.3, 0.7, mask_at(line)) * clamp((1.0 - uf) * fw + 0.5, 0.0, 1.0);
        if (uf < 1.0 && solid > 0.0) {
            let depth = max(across * 0.5, 4.0);
            let light = select(0.86, 1.0, ul < ur) * (1.0 - 0.18 * clamp(uf, 0.0, 1.0));
            rgb = mix(rgb, cake_face(clamp(uf, 0.0, 1.0), l.y, line, w, vmin, along, depth) * light, solid);
        }
    }

    if (cov_l > 0.0) {
        rgb = mix(rgb, frame_at(ql), cov_l);
    }
    if (cov_r > 0.0) {
        rgb = mix(rgb, frame_at(qr), cov_r);
    }

    // The seam the knife leaves, until the halves part.
    let cut_to = mix(vmin, vmax + 0.04 * along, cut);
    let seam_w = max(0.008 * across, 0.6);
    let seam = (1.0 - smoothstep(seam_w, seam_w + 0.8, abs(l.x))) * step(l.y, cut_to) * here;
    rgb *= 1.0 - 0.6 * seam * (1.0 - smoothstep(0.5, 0.6, t));

    // The knife: a steel blade with a slanted tip and a dark handle, behind
    // the subject (it is inside the cake while it cuts). Its top fades out
    // a little above the subject, so it never reaches far from it.
    if (knife_alpha > 0.0 && abs(l.x) < kw) {
        let s = l.x / kw + 0.5;
        let blade_top = tip - 0.75 * along;
        let in_blade = step(abs(l.x), 0.5 * kw) * step(blade_top, l.y) * step(l.y, tip - (1.0 - s) * 1.2 * kw);
        let in_handle = step(abs(l.x), 0.65 * kw) * step(blade_top - 0.3 * along, l.y) * step(l.y, blade_top);
        let steel = mix(vec3<f32>(0.45, 0.48, 0.53), vec3<f32>(0.93, 0.95, 0.98), 1.0 - abs(s - 0.35) * 1.6);
        let knife = mix(steel, vec3<f32>(0.16, 0.1, 0.07), in_handle);
        let fade = smoothstep(vmin - 0.75 * along, vmin - 0.5 * along, l.y);
        let visible = knife_alpha * fade * max(in_blade, in_handle) * (1.0 - clamp(cov_l + cov_r, 0.0, 1.0));
        rgb = mix(rgb, knife, visible);
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
