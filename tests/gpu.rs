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
