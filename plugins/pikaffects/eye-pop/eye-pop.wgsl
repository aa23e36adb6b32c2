// eye-pop: cartoon eyes pop out of the subject as progress goes 0 -> 1. At
// two eye positions estimated from the subject's box, bulging magnifying
// lenses swell on the subject, then cartoon eyeballs (white, shaded as
// spheres, with a coloured iris, a dark pupil, a catchlight and an ink
// outline) spring out of them with an overshoot and settle. Pixels outside
// the two eye discs keep the frame, so the background stays intact.
//
// Eye centres, with the subject's box b (width bw, height bh) and its
// centroid c:   e = (c.x -+ spacing bw / 2, b.y + height bh).
// For each output pixel p, with e the nearer eye, R = size bw:
//   lens     L = 1.6 R lens_scale; inside it the subject is magnified:
//            q = e + (p - e) (1 - 0.5 lens_scale (1 - (r / L)^2)), r = |p - e|
//            (continuous at r = L, twice the size at the centre), with a
//            darker rim and a glint so the bulge reads as glass
//   eyeball  Re = R eye_scale; v = (p - e) / Re; a sphere's normal
//            (v, sqrt(1 - |v|^2)) lit from the upper left shades the white;
//            iris and pupil are discs around a point looking a little
//            inward; anti-aliased over one pixel; a soft drop shadow
//            below-right makes it stand off the subject
// lens_scale and eye_scale are damped springs of progress computed on the
// CPU (0 at progress 0, overshooting by `pop`), so with progress 0 nothing
// is drawn and the frame is unchanged.
// Cost: the SDK dispatches only over the two eyes' discs' bounding box,
// within the box grown by their reach (`effect_region`, REGION = true);
// there, 2-4 bounds taps, a frame tap and, in the lenses, a sampled one.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x lens_scale  0..~1.6 (the lenses' size and strength, a spring)
//   u[0].y eye_scale   0..~1.6 (the eyeballs' size, a spring)
//   u[0].z size        0.05..0.35 (eyeball radius at rest, fraction of bw)
//   u[0].w height      0..0.8 (eye line below the box top, fraction of bh)
//   u[1].x spacing     0.1..0.9 (distance between the eyes, fraction of bw)
//   u[5..7] pupil    rgb of the iris (the pupil is a darker shade of it)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS),
// appended after this file: subject_box, subject_centre.

// The eyes' size and place for this frame and this subject box.
struct Eyes {
    bw: f32,     // the box's width
    R: f32,      // the eyeball's radius at rest
    L: f32,      // the lens's radius
    Re: f32,     // the eyeball's radius now
    ey: f32,     // the eye line
    // Nothing is drawn farther than this from an eye's centre.
    reach: f32,
}

fn eyes(b: vec4<f32>) -> Eyes {
    let lens_scale = clamp(u[0].x, 0.0, 2.0);
    let eye_scale = clamp(u[0].y, 0.0, 2.0);
    let size = clamp(u[0].z, 0.05, 0.35);
    let height = clamp(u[0].w, 0.0, 0.8);
    let bw = b.z - b.x;
    let R = size * bw;
    let L = 1.6 * R * lens_scale;
    let Re = R * eye_scale;
    let ey = b.y + height * (b.w - b.y);
    let reach = max(L, 1.3 * Re) + 1.0;
    return Eyes(bw, R, L, Re, ey, reach);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the two eye
// discs (radius `reach` around cx -+ spacing bw / 2 on the eye line), and
// only within `reach` of the box across (`main`'s tests); nothing while
// they are too small to draw or without a subject (R = 0).
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    let m = eyes(b);
    if (max(m.L, 1.3 * m.Re) < 0.5) {
        return vec4<f32>(0.0);
    }
    let spacing = clamp(u[1].x, 0.1, 0.9);
    let cx = clamp(subject_centre().x, b.x, b.z);
    let half = 0.5 * spacing * m.bw;
    let reach = m.reach + 1.0;
    let x0 = max(cx - half, b.x) - reach;
    let x1 = min(cx + half, b.z) + reach;
    return vec4<f32>(x0, m.ey - reach, x1, m.ey + reach);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let lens_scale = clamp(u[0].x, 0.0, 2.0);
    let spacing = clamp(u[1].x, 0.1, 0.9);
    let iris = clamp(vec3<f32>(u[1].y, u[1].z, u[1].w), vec3<f32>(0.0), vec3<f32>(1.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    // An empty box (no subject) gives R = 0: nothing is drawn.
    let b = subject_box();
    let m = eyes(b);
    let bw = m.bw;
    let L = m.L;
    let Re = m.Re;
    if (max(L, 1.3 * Re) < 0.5) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    // Only two discs are drawn: decide with the box alone (one tap fewer
    // than the centroid) whether this pixel can be near an eye at all.
    let ey = m.ey;
    let reach = m.reach;
    if (abs(p.y - ey) > reach || p.x < b.x - reach || p.x > b.z + reach) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let cx = clamp(subject_centre().x, b.x, b.z);
    let side = select(1.0, -1.0, p.x < cx);
    let e = vec2<f32>(cx + side * 0.5 * spacing * bw, ey);
    let d = p - e;
    let r = length(d);
    if (r > reach) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The lens: the subject magnified toward the eye centre.
    var rgb = original.rgb;
    if (r < L) {
        let k = 1.0 - (r * r) / (L * L);
        let bulge = 0.5 * min(lens_scale, 1.2);
        let q = e + d * (1.0 - bulge * k);
        let glass = textureSampleLevel(input_0, linear, q / fd, 0.0).rgb;
        // Darker toward the rim and a soft glint on the upper left: a dome.
        let rim = 1.0 - 0.25 * (1.0 - k) * (1.0 - k) * min(lens_scale, 1.0);
        let g = max(1.0 - length(d / L + vec2<f32>(0.35, 0.4)) * 3.0, 0.0);
        rgb = glass * rim + vec3<f32>(0.35 * g * g * min(lens_scale, 1.0));
    }

    if (Re > 0.25) {
        let v = d / Re;
        let rv = r / Re;
        // A soft shadow of the eyeball below-right, where the ball is not.
        let sd = length(d - vec2<f32>(0.18, 0.22) * Re) / Re;
        rgb *= 1.0 - 0.45 * smoothstep(1.25, 0.85, sd);

        let cover = clamp((1.0 - rv) * Re + 0.5, 0.0, 1.0);
        if (cover > 0.0) {
            let z = sqrt(max(1.0 - min(rv * rv, 1.0), 0.0));
            let n = vec3<f32>(v, z);
            let light = max(dot(n, vec3<f32>(-0.42, -0.52, 0.74)), 0.0);
            // Iris and pupil look a little inward and down, like a cartoon's.
            let look = vec2<f32>(-side * 0.14, 0.08);
            let iv = length(v - look);
            var ball = vec3<f32>(0.97, 0.96, 0.93);
            let aa = 1.0 / max(Re, 1.0);
            ball = mix(ball, iris, smoothstep(0.46 + aa, 0.46 - aa, iv));
            ball = mix(ball, iris * 0.15, smoothstep(0.24 + aa, 0.24 - aa, iv));
            let shaded = ball * (0.45 + 0.6 * light);
            // The catchlight and the specular sheen sit on top of the shading.
            let spot = smoothstep(0.11 + aa, 0.11 - aa, length(v - look - vec2<f32>(-0.14, -0.16)));
            let sheen = light * light;
            var eye = shaded + vec3<f32>(0.25 * sheen * sheen) + vec3<f32>(spot);
            // An ink outline, as a cartoon's.
            eye = mix(eye, vec3<f32>(0.06, 0.05, 0.05), smoothstep(1.0 - 3.0 * aa, 1.0 - aa, rv));
            rgb = mix(rgb, min(eye, vec3<f32>(1.0)), cover);
        }
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0)), original.a));
}
