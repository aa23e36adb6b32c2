//! The GPU conversion path on the real device (lavapipe in CI): decoded
//! YUV planes -> RGBA texture -> YUV planes must round-trip.

mod common;

use pikafx::gpu::{ColorSpec, Conversion, Downloader, FrameRecorder, GpuContext, GpuLimits, GpuTexture, Uploader};
use pikafx::media::{MediaLimits, PixelLayout, Source, SourceItem};

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a.iter().zip(b).map(|(x, y)| (*x as f64 - *y as f64).powi(2)).sum::<f64>() / a.len() as f64;
    if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0f64.powi(2) / mse).log10() }
}

/// Copies `rows` rows of `width` bytes out of a strided plane.
fn tight(plane: &[u8], stride: usize, width: usize, rows: usize) -> Vec<u8> {
    (0..rows).flat_map(|r| plane[r * stride..r * stride + width].iter().copied()).collect()
}

#[test]
fn yuv_rgba_yuv_round_trip_is_at_least_45_db() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Lossless so that the planes we compare against are exactly testsrc2's.
    let clip = dir.path().join("src.mkv");
    common::ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x240:r=5:d=1",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "ffv1",
        clip.to_str().expect("utf-8"),
    ]);
    pikafx::media::init().expect("ffmpeg init");
    let mut source = Source::open(&clip, &MediaLimits::default()).expect("open");
    let gpu = GpuContext::new(GpuLimits::default()).expect("a GPU adapter (lavapipe)");
    let mut rec = FrameRecorder::new(gpu.clone());
    let texture = GpuTexture::new(&gpu, 320, 240, "round trip").expect("texture");
    let mut checked = 0;
    // Frame by frame, the conversions take turns: shader up and down, CPU
    // up and down, then the two mixed.
    let paths = [
        (Conversion::Gpu, Conversion::Gpu),
        (Conversion::Cpu, Conversion::Cpu),
        (Conversion::Cpu, Conversion::Gpu),
        (Conversion::Gpu, Conversion::Cpu),
    ];
    while let Some(item) = source.next_item().expect("decode") {
        let SourceItem::Video(frame) = item else { continue };
        let PixelLayout::Yuv420 { full_range, bt709 } = frame.layout() else { panic!("expected a YUV frame") };
        let (up, down) = paths[checked % paths.len()];
        let mut uploader = Uploader::with_conversion(gpu.clone(), up);
        let mut downloader = Downloader::with_conversion(gpu.clone(), 320, 240, ColorSpec { bt709, full_range }, down);
        uploader.upload(&mut rec, &frame, &texture).expect("upload");
        downloader.record(&mut rec, &texture).expect("record the download");
        let (py, pu, pv) = downloader
            .read(&mut rec, |p| {
                let y = psnr(&tight(frame.plane(0), frame.stride(0), 320, 240), &tight(p.y, p.y_stride, 320, 240));
                let u = psnr(&tight(frame.plane(1), frame.stride(1), 160, 120), &tight(p.u, p.uv_stride, 160, 120));
                let v = psnr(&tight(frame.plane(2), frame.stride(2), 160, 120), &tight(p.v, p.uv_stride, 160, 120));
                (y, u, v)
            })
            .expect("readback");
        assert!(
            py >= 45.0 && pu >= 45.0 && pv >= 45.0,
            "frame {} ({up:?} up, {down:?} down): PSNR Y {py:.1} U {pu:.1} V {pv:.1} dB",
            frame.index()
        );
        checked += 1;
    }
    assert_eq!(checked, 5);
}

/// The upload's two conversion paths (the shader, used on real GPUs, and
/// the CPU loop, used on software adapters) must agree, so that a render
/// does not depend on the machine beyond float rounding. Both limited-range
/// BT.709 and full-range BT.601 are checked.
#[test]
fn cpu_and_shader_yuv_to_rgba_agree_within_one_code_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    pikafx::media::init().expect("ffmpeg init");
    let gpu = GpuContext::new(GpuLimits::default()).expect("a GPU adapter (lavapipe)");
    let mut rec = FrameRecorder::new(gpu.clone());
    for (name, range, matrix) in [("709.mkv", "tv", "bt709"), ("601.mkv", "pc", "bt470bg")] {
        let clip = dir.path().join(name);
        common::ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=173x97:r=5:d=0.4",
            "-vf",
            &format!("scale=out_range={range}:out_color_matrix={matrix}"),
            "-color_range",
            range,
            "-colorspace",
            matrix,
            "-pix_fmt",
            if range == "pc" { "yuvj420p" } else { "yuv420p" },
            "-c:v",
            "ffv1",
            clip.to_str().expect("utf-8"),
        ]);
        let mut source = Source::open(&clip, &MediaLimits::default()).expect("open");
        let mut on_gpu = Uploader::with_conversion(gpu.clone(), Conversion::Gpu);
        let mut on_cpu = Uploader::with_conversion(gpu.clone(), Conversion::Cpu);
        let mut checked = 0;
        let mut targets = None;
        while let Some(item) = source.next_item().expect("decode") {
            let SourceItem::Video(frame) = item else { continue };
            // The yuv420p encode may round an odd size down to even. The
            // shader path alternates between two targets of the same size:
            // each frame must land in the one it is given.
            let (gpu_targets, b) = targets.get_or_insert_with(|| {
                let (w, h) = (frame.width(), frame.height());
                let texture = |label| GpuTexture::new(&gpu, w, h, label).expect("texture");
                ([texture("gpu even"), texture("gpu odd")], texture("cpu"))
            });
            let a = &gpu_targets[checked % 2];
            assert!(matches!(frame.layout(), PixelLayout::Yuv420 { .. }), "{name}: expected a YUV frame");
            on_gpu.upload(&mut rec, &frame, a).expect("shader upload");
            on_cpu.upload(&mut rec, &frame, b).expect("cpu upload");
            let (pa, pb) = (rec.read_rgba(a).expect("read"), rec.read_rgba(b).expect("read"));
            let worst = pa.iter().zip(&pb).map(|(x, y)| x.abs_diff(*y)).max().expect("pixels");
            let off = pa.iter().zip(&pb).filter(|(x, y)| x != y).count();
            assert!(worst <= 1, "{name} frame {}: a channel differs by {worst}", frame.index());
            assert!(off * 20 < pa.len(), "{name} frame {}: {off} of {} channels differ", frame.index(), pa.len());
            // Not trivially equal: the frame has colour in it.
            assert!(pa.chunks(4).any(|p| p[0].abs_diff(p[2]) > 64), "{name}: expected a colourful frame");
            checked += 1;
        }
        assert_eq!(checked, 2, "{name}");
    }
}

/// The download's two conversion paths agree too, on an odd size (padded
/// to even by repeating the last row and column) and for both matrices
/// and ranges. The RGBA input is noise, to reach every rounding case.
#[test]
fn cpu_and_shader_rgba_to_yuv_agree_within_one_code_value() {
    let gpu = GpuContext::new(GpuLimits::default()).expect("a GPU adapter (lavapipe)");
    let mut rec = FrameRecorder::new(gpu.clone());
    let (width, height) = (173u32, 97u32);
    let mut state = 0x9e37_79b9u32;
    let noise: Vec<u8> = (0..width * height * 4)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let texture = GpuTexture::new(&gpu, width, height, "noise").expect("texture");
    rec.write_rgba(&texture, &noise).expect("write");
    for spec in [ColorSpec { bt709: true, full_range: false }, ColorSpec { bt709: false, full_range: true }] {
        let mut planes = |conversion| {
            let mut downloader = Downloader::with_conversion(gpu.clone(), width + 1, height + 1, spec, conversion);
            downloader.record(&mut rec, &texture).expect("record the download");
            downloader
                .read(&mut rec, |p| {
                    let (w, h) = (width as usize + 1, height as usize + 1);
                    [
                        tight(p.y, p.y_stride, w, h),
                        tight(p.u, p.uv_stride, w / 2, h / 2),
                        tight(p.v, p.uv_stride, w / 2, h / 2),
                    ]
                })
                .expect("readback")
        };
        let shader = planes(Conversion::Gpu);
        let cpu = planes(Conversion::Cpu);
        for (i, (a, b)) in shader.iter().zip(&cpu).enumerate() {
            let worst = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().expect("samples");
            let off = a.iter().zip(b).filter(|(x, y)| x != y).count();
            assert!(worst <= 1, "{spec:?} plane {i}: a sample differs by {worst}");
            assert!(off * 20 < a.len(), "{spec:?} plane {i}: {off} of {} samples differ", a.len());
        }
        // The padding repeats the last column and row: the luma of the
        // added column equals the luma of the column before it.
        let y = &cpu[0];
        let w = width as usize + 1;
        assert!((0..height as usize).all(|r| y[r * w + w - 1] == y[r * w + w - 2]), "{spec:?}: padded column");
        assert_eq!(y[height as usize * w..], y[(height as usize - 1) * w..height as usize * w], "{spec:?}: padded row");
        // Not trivially equal: noise gives every luma value a wide spread.
        let (min, max) = (y.iter().min().copied(), y.iter().max().copied());
        assert!(min < Some(60) && max > Some(190), "{spec:?}: luma spans {min:?}..{max:?}");
    }
}

/// `dispatch-region` (pika:fx@0.3.0): the output is a copy of the input
/// except for the workgroups that cover the rectangle the region texture
/// holds, where the shader runs with the dispatch's origin and the
/// rectangle's corner at @binding(31); an empty rectangle runs nothing,
/// and a plain dispatch of the same shader covers the whole output.
#[test]
fn dispatch_region_runs_the_shader_over_the_rectangle_only() {
    const SHADER: &str = "
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(31) var<uniform> region: vec4<u32>;
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let p = id.xy + region.xy;
    if (any(p >= textureDimensions(output))) {
        return;
    }
    let c = textureLoad(input_0, vec2<i32>(p), 0);
    var out = vec4<f32>(1.0 - c.rgb, 1.0);
    if (any(p >= region.zw)) {
        out = vec4<f32>(0.0, 1.0, 0.0, 1.0);
    }
    textureStore(output, vec2<i32>(p), out);
}
";
    let (w, h) = (64u32, 48u32);
    let gpu = GpuContext::new(GpuLimits::default()).expect("a GPU adapter (lavapipe)");
    let mut rec = FrameRecorder::new(gpu.clone());
    let input = GpuTexture::new(&gpu, w, h, "input").expect("texture");
    let pixels: Vec<u8> =
        (0..w * h).flat_map(|i| [(i % w * 3) as u8, (i / w * 5) as u8, (i % 7 * 30) as u8, 255]).collect();
    rec.write_rgba(&input, &pixels).expect("upload");
    let output = GpuTexture::new(&gpu, w, h, "output").expect("texture");
    let shader = gpu.compile(SHADER, "main").expect("shader compiles");
    // The rectangle (10, 7) .. (37, 29) as the contract packs it.
    let pack = |x: u32, y: u32| {
        let fx = (f64::from(x) / f64::from(w) * 65535.0).round() as u32;
        let fy = (f64::from(y) / f64::from(h) * 65535.0).round() as u32;
        [(fx >> 8) as u8, fx as u8, (fy >> 8) as u8, fy as u8]
    };
    let region = GpuTexture::new(&gpu, 2, 1, "region").expect("texture");
    rec.write_rgba(&region, &[pack(10, 7), pack(37, 29)].concat()).expect("region");
    rec.dispatch_region(&shader, &[&input], &output, &[], &region).expect("dispatch-region");
    let out = rec.read_rgba(&output).expect("readback");
    // 8x8 workgroups: the corner rounds down to (8, 0); 4x4 groups reach (40, 32).
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 4) as usize;
            let (src, got) = (&pixels[i..i + 3], &out[i..i + 3]);
            let covered = (8..40).contains(&x) && y < 32;
            let inside = covered && x < 37 && y < 29;
            if inside {
                let inverted: Vec<u8> = src.iter().map(|v| 255 - v).collect();
                assert_eq!(got, &inverted[..], "({x}, {y}) is in the rectangle: inverted");
            } else if covered {
                assert_eq!(got, &[0, 255, 0], "({x}, {y}) is dispatched but past the corner the shader was given");
            } else {
                assert_eq!(got, src, "({x}, {y}) is outside the dispatch: the input, copied");
            }
        }
    }

    // An empty rectangle: nothing runs, the output is the input.
    rec.write_rgba(&region, &[pack(30, 20), pack(30, 40)].concat()).expect("region");
    rec.dispatch_region(&shader, &[&input], &output, &[], &region).expect("dispatch-region");
    let out = rec.read_rgba(&output).expect("readback");
    assert!(out.chunks(4).zip(pixels.chunks(4)).all(|(a, b)| a[..3] == b[..3]), "an empty region changes nothing");

    // A plain dispatch: binding 31 says (0, 0, w, h), every pixel inverted.
    rec.dispatch(&shader, &[&input], &output, &[]).expect("dispatch");
    let out = rec.read_rgba(&output).expect("readback");
    assert!(out.chunks(4).zip(pixels.chunks(4)).all(|(a, b)| a[0] == 255 - b[0] && a[1] == 255 - b[1]));

    // Bad arguments name the problem.
    let tiny = GpuTexture::new(&gpu, 1, 1, "tiny").expect("texture");
    let err = rec.dispatch_region(&shader, &[&input], &output, &[], &tiny).expect_err("1x1 region");
    assert!(err.to_string().contains("2x1"), "{err}");
    let small = GpuTexture::new(&gpu, 32, 24, "small").expect("texture");
    let err = rec.dispatch_region(&shader, &[&small], &output, &[], &region).expect_err("size mismatch");
    assert!(err.to_string().contains("32x24"), "{err}");
}
