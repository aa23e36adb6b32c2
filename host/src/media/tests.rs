//! Unit tests for the media layer. Clips are made with the ffmpeg CLI in a
//! temporary directory; only `ffmpeg`, `ffprobe` and `tempfile` are needed.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// Runs the ffmpeg CLI quietly and panics with its stderr on failure.
fn ff(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(args)
        .output()
        .expect("run ffmpeg");
    assert!(out.status.success(), "ffmpeg {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Runs ffprobe and returns its stdout.
fn probe(path: &Path, args: &[&str]) -> String {
    let out = Command::new("ffprobe").args(["-v", "error"]).args(args).arg(path).output().expect("run ffprobe");
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Presentation times of the first video stream's frames, as ffprobe prints them.
fn frame_times(path: &Path) -> Vec<String> {
    probe(path, &["-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0"])
        .lines()
        .map(|l| l.trim().trim_end_matches(',').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// (codec_type, codec_name) of every stream.
fn streams(path: &Path) -> Vec<(String, String)> {
    probe(path, &["-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0"])
        .lines()
        .filter_map(|l| {
            let mut it = l.trim().split(',');
            let name = it.next()?.to_string();
            let kind = it.next()?.to_string();
            Some((kind, name))
        })
        .collect()
}

/// Duration in seconds of the first audio stream, from its packets.
fn audio_duration(path: &Path) -> f64 {
    let out =
        probe(path, &["-select_streams", "a:0", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0"]);
    let mut end: f64 = 0.0;
    let mut start = f64::MAX;
    for line in out.lines() {
        let v: Vec<f64> = line.split(',').filter_map(|x| x.trim().parse().ok()).collect();
        if v.len() == 2 {
            start = start.min(v[0]);
            end = end.max(v[0] + v[1]);
        }
    }
    if start == f64::MAX { 0.0 } else { end - start }
}

/// Sizes of the first audio stream's packets.
fn audio_packet_sizes(path: &Path) -> Vec<String> {
    probe(path, &["-select_streams", "a:0", "-show_entries", "packet=size", "-of", "csv=p=0"])
        .lines()
        .map(str::to_string)
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn p(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Decodes `input` and re-encodes it to `output`, passing decoded yuv420p
/// planes straight through. Returns (frames written, warnings).
fn pass_through(input: &Path, output: &Path, settings: &EncodeSettings) -> (u64, Vec<String>) {
    let mut source = Source::open(input, &MediaLimits::default()).expect("open source");
    let info = source.info().clone();
    let mut sink = Sink::create(output, &source.output_plan(), info.width, info.height, settings).expect("create sink");
    let mut frames = 0;
    while let Some(item) = source.next_item().expect("next item") {
        match item {
            SourceItem::Video(f) => {
                assert!(matches!(f.layout(), PixelLayout::Yuv420 { .. }));
                assert_eq!(f.stride(1), f.stride(2));
                let planes = YuvPlanes {
                    y: f.plane(0),
                    y_stride: f.stride(0),
                    u: f.plane(1),
                    v: f.plane(2),
                    uv_stride: f.stride(1),
                };
                sink.write_video(&planes, f.pts()).expect("write video");
                frames += 1;
            }
            SourceItem::Audio(a) => sink.write_audio(a).expect("write audio"),
        }
    }
    sink.finish().expect("finish");
    (frames, source.warnings().to_vec())
}

/// Collects every decoded video frame.
fn decode_all(path: &Path) -> Vec<VideoFrame> {
    let mut source = Source::open(path, &MediaLimits::default()).expect("open");
    let mut frames = Vec::new();
    while let Some(item) = source.next_item().expect("next item") {
        if let SourceItem::Video(f) = item {
            frames.push(f);
        }
    }
    frames
}

/// Opening must fail; returns the error after checking the message is one
/// line that names the file.
fn open_err(path: &Path, limits: &MediaLimits) -> MediaError {
    let err = match Source::open(path, limits) {
        Ok(_) => panic!("{} opened but should not", path.display()),
        Err(e) => e,
    };
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "multi-line message: {msg}");
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(msg.contains(name), "message does not name the file: {msg}");
    err
}

const TESTSRC: &str = "testsrc2=size=64x48:rate=25:duration=1";

#[test]
fn source_and_sink_are_send() {
    fn send<T: Send>() {}
    send::<Source>();
    send::<Sink>();
    send::<OutputPlan>();
    send::<AudioPacket>();
    send::<VideoFrame>();
}

#[test]
fn init_is_idempotent() {
    init().expect("init");
    init().expect("init again");
    let h = std::thread::spawn(init);
    h.join().expect("join").expect("init in thread");
}

#[test]
fn info_reports_decoder_facts() {
    let dir = tmp();
    let clip = p(&dir, "clip.mp4");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", "-pix_fmt", "yuv420p", s(&clip)]);
    let source = Source::open(&clip, &MediaLimits::default()).expect("open");
    let info = source.info();
    assert_eq!((info.width, info.height), (64, 48));
    assert!((info.fps - 25.0).abs() < 1e-6, "fps {}", info.fps);
    assert_eq!(info.frame_count_hint, 25);
    assert!((info.duration_sec - 1.0).abs() < 0.1, "duration {}", info.duration_sec);
    assert_eq!(info.video_stream_index, 0);
    assert_eq!(info.audio_stream_count, 0);
    assert_eq!(info.codec_name, "h264");
    assert_eq!(info.pixel_format, "yuv420p");
    assert!(info.time_base.1 > 0);
    let frames = decode_all(&clip);
    assert_eq!(frames.len(), 25);
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(f.index(), i as u64);
        assert!((f.time_sec() - i as f64 / 25.0).abs() < 1e-3, "frame {i} at {}", f.time_sec());
        assert_eq!(f.layout(), PixelLayout::Yuv420 { full_range: false, bt709: false });
    }
}

#[test]
fn pass_through_keeps_frames_pts_and_copies_aac() {
    let dir = tmp();
    let clip = p(&dir, "in.mp4");
    let out = p(&dir, "out.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        s(&clip),
    ]);
    let (frames, warnings) = pass_through(&clip, &out, &EncodeSettings::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(frames, 25);
    assert_eq!(frame_times(&out), frame_times(&clip));
    let kinds = streams(&out);
    assert_eq!(kinds, vec![("video".into(), "h264".into()), ("audio".into(), "aac".into())]);
    // Stream copy keeps every packet byte for byte.
    assert_eq!(audio_packet_sizes(&out), audio_packet_sizes(&clip));
    let (din, dout) = (audio_duration(&clip), audio_duration(&out));
    assert!((din - dout).abs() < 0.05, "audio {din} vs {dout}");
}

#[test]
fn pass_through_keeps_vfr_timestamps() {
    let dir = tmp();
    let clip = p(&dir, "vfr.mp4");
    let out = p(&dir, "out.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x48:rate=25:duration=1",
        "-vf",
        "settb=1/1000,setpts='if(lt(N\\,10)\\,N*100\\,1000+(N-10)*40)'",
        "-fps_mode",
        "vfr",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    let times = frame_times(&clip);
    assert_eq!(times.len(), 25);
    // The clip really is variable rate: long steps first, then 0.04 s steps.
    let t: Vec<f64> = times.iter().map(|x| x.parse().expect("time")).collect();
    assert!(t[1] - t[0] > 0.07 && (t[24] - t[23] - 0.04).abs() < 1e-3, "{t:?}");
    let (frames, _) = pass_through(&clip, &out, &EncodeSettings::default());
    assert_eq!(frames, 25);
    assert_eq!(frame_times(&out), times);
}

#[test]
fn pcm_in_mkv_becomes_aac_in_mp4_and_video_need_not_be_stream_0() {
    let dir = tmp();
    let subs = p(&dir, "subs.srt");
    std::fs::write(&subs, "1\n00:00:00,000 --> 00:00:00,500\nhello\n").expect("write srt");
    let clip = p(&dir, "in.mkv");
    let out = p(&dir, "out.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-i",
        s(&subs),
        "-map",
        "1:a",
        "-map",
        "0:v",
        "-map",
        "2:s",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "pcm_s16le",
        "-c:s",
        "srt",
        s(&clip),
    ]);
    let source = Source::open(&clip, &MediaLimits::default()).expect("open");
    assert_eq!(source.info().video_stream_index, 1);
    assert_eq!(source.info().audio_stream_count, 1);
    drop(source);
    let (frames, _) = pass_through(&clip, &out, &EncodeSettings::default());
    assert_eq!(frames, 25);
    assert_eq!(frame_times(&out), frame_times(&clip));
    let kinds = streams(&out);
    assert_eq!(
        kinds,
        vec![("video".into(), "h264".into()), ("audio".into(), "aac".into())],
        "subtitles dropped, audio re-encoded"
    );
    let d = audio_duration(&out);
    assert!((d - 1.0).abs() < 0.1, "audio lasts {d}");
}

#[test]
fn pcm_copied_into_mkv() {
    let dir = tmp();
    let clip = p(&dir, "in.mkv");
    let out = p(&dir, "out.mkv");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "pcm_s16le",
        s(&clip),
    ]);
    pass_through(&clip, &out, &EncodeSettings::default());
    assert_eq!(streams(&out)[1], ("audio".into(), "pcm_s16le".into()));
}

#[test]
fn vorbis_in_mkv_becomes_aac_in_mov() {
    let dir = tmp();
    let clip = p(&dir, "in.mkv");
    let out = p(&dir, "out.mov");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1:sample_rate=48000",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "libvorbis",
        s(&clip),
    ]);
    pass_through(&clip, &out, &EncodeSettings::default());
    assert_eq!(streams(&out)[1], ("audio".into(), "aac".into()));
    let d = audio_duration(&out);
    assert!((d - 1.0).abs() < 0.1, "audio lasts {d}");
}

#[test]
fn audio_off_writes_no_audio_and_metadata_is_set() {
    let dir = tmp();
    let clip = p(&dir, "in.mp4");
    let out = p(&dir, "out.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-c:v",
        "libx264",
        "-c:a",
        "aac",
        "-shortest",
        s(&clip),
    ]);
    let settings =
        EncodeSettings { audio: false, metadata: vec![("title".into(), "pikafx test".into())], ..Default::default() };
    pass_through(&clip, &out, &settings);
    assert_eq!(streams(&out), vec![("video".into(), "h264".into())]);
    let tags = probe(&out, &["-show_entries", "format_tags=title", "-of", "csv=p=0"]);
    assert_eq!(tags.trim(), "pikafx test");
}

/// Raw bytes of the first frame of `clip` converted by the CLI to `pix_fmt`.
fn cli_frame(clip: &Path, pix_fmt: &str) -> Vec<u8> {
    let raw = clip.with_extension(format!("{pix_fmt}.raw"));
    ff(&["-i", s(clip), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", pix_fmt, s(&raw)]);
    std::fs::read(&raw).expect("read raw")
}

/// Packs plane 0 rows (dropping stride padding).
fn packed(frame: &VideoFrame, bytes_per_row: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for row in frame.plane(0).chunks(frame.stride(0)).take(frame.height() as usize) {
        out.extend_from_slice(&row[..bytes_per_row]);
    }
    out
}

#[test]
fn rgb_codec_is_converted_to_rgba() {
    let dir = tmp();
    let clip = p(&dir, "rgb.mov");
    ff(&["-f", "lavfi", "-i", "testsrc2=size=66x50:rate=10:duration=1", "-c:v", "png", "-pix_fmt", "rgb24", s(&clip)]);
    let frames = decode_all(&clip);
    assert_eq!(frames.len(), 10);
    let f = &frames[0];
    assert_eq!(f.layout(), PixelLayout::Rgba);
    assert!(f.stride(0) >= 66 * 4);
    assert!(f.plane(1).is_empty());
    assert_eq!(packed(f, 66 * 4), cli_frame(&clip, "rgba"), "RGB -> RGBA must be exact");
}

#[test]
fn yuv444_is_converted_to_rgba() {
    let dir = tmp();
    let clip = p(&dir, "444.mp4");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", "-pix_fmt", "yuv444p", s(&clip)]);
    let source = Source::open(&clip, &MediaLimits::default()).expect("open");
    assert_eq!(source.info().pixel_format, "yuv444p");
    drop(source);
    let frames = decode_all(&clip);
    assert_eq!(frames.len(), 25);
    let f = &frames[0];
    assert_eq!(f.layout(), PixelLayout::Rgba);
    let ours = packed(f, 64 * 4);
    let cli = cli_frame(&clip, "rgba");
    assert_eq!(ours.len(), cli.len());
    let worst = ours.iter().zip(&cli).map(|(a, b)| a.abs_diff(*b)).max().unwrap_or(0);
    assert!(worst <= 12, "RGBA differs from the CLI's by up to {worst}");
}

#[test]
fn other_formats_convert_to_rgba() {
    let dir = tmp();
    for (name, args) in [
        ("gray.mkv", vec!["-c:v", "ffv1", "-pix_fmt", "gray"]),
        ("422.mkv", vec!["-c:v", "libx264", "-pix_fmt", "yuv422p"]),
        ("qtrle.mov", vec!["-c:v", "qtrle"]),
        ("x264rgb.mkv", vec!["-c:v", "libx264rgb"]),
    ] {
        let clip = p(&dir, name);
        let mut all = vec!["-f", "lavfi", "-i", TESTSRC];
        all.extend(args);
        all.push(s(&clip));
        ff(&all);
        let frames = decode_all(&clip);
        assert_eq!(frames.len(), 25, "{name}");
        assert_eq!(frames[0].layout(), PixelLayout::Rgba, "{name}");
    }
}

#[test]
fn yuvj420p_is_full_range_and_bt709_tag_is_read() {
    let dir = tmp();
    let jpeg = p(&dir, "mjpeg.mkv");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", s(&jpeg)]);
    let frames = decode_all(&jpeg);
    assert_eq!(frames[0].layout(), PixelLayout::Yuv420 { full_range: true, bt709: false });

    let tagged = p(&dir, "709.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        TESTSRC,
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-colorspace",
        "bt709",
        "-color_primaries",
        "bt709",
        "-color_trc",
        "bt709",
        s(&tagged),
    ]);
    let frames = decode_all(&tagged);
    assert_eq!(frames[0].layout(), PixelLayout::Yuv420 { full_range: false, bt709: true });
}

fn dims(size: &str) -> (u32, u32) {
    let (w, h) = size.split_once('x').expect("WxH");
    (w.parse().expect("w"), h.parse().expect("h"))
}

#[test]
fn odd_sizes_keep_rows_aligned() {
    let dir = tmp();
    for (name, size, codec) in [("odd.mkv", "99x75", "ffv1"), ("w100.mp4", "100x76", "libx264")] {
        let clip = p(&dir, name);
        // testsrc (RGB) rather than testsrc2, which rounds yuv420p sizes to even.
        ff(&[
            "-f",
            "lavfi",
            "-i",
            &format!("testsrc=size={size}:rate=10:duration=1"),
            "-c:v",
            codec,
            "-pix_fmt",
            "yuv420p",
            s(&clip),
        ]);
        let frames = decode_all(&clip);
        assert_eq!(frames.len(), 10, "{name}");
        let f = &frames[0];
        let w = f.width() as usize;
        assert!(f.stride(0) >= w && f.stride(1) >= w.div_ceil(2), "{name}");
        assert_eq!(f.plane(1).len() / f.stride(1), (f.height() as usize).div_ceil(2), "{name}");
        assert_eq!((f.width(), f.height()), dims(size), "{name}");
        // The CLI's raw yuv420p starts with the tightly packed Y plane.
        let ours = packed(f, w);
        let cli_all = cli_frame(&clip, "yuv420p");
        let cli = &cli_all[..ours.len().min(cli_all.len())];
        assert_eq!(ours.len(), cli.len(), "{name}");
        let first_diff = ours.iter().zip(cli).position(|(a, b)| a != b);
        assert_eq!(first_diff, None, "{name}: luma differs (sheared rows?)");
    }
}

#[test]
fn odd_size_source_passes_through_when_cropped_even() {
    let dir = tmp();
    let clip = p(&dir, "odd.mkv");
    let out = p(&dir, "out.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=99x75:rate=10:duration=1",
        "-c:v",
        "ffv1",
        "-pix_fmt",
        "yuv420p",
        s(&clip),
    ]);
    let mut source = Source::open(&clip, &MediaLimits::default()).expect("open");
    let mut sink = Sink::create(&out, &source.output_plan(), 98, 74, &EncodeSettings::default()).expect("sink");
    let mut n = 0;
    while let Some(item) = source.next_item().expect("item") {
        if let SourceItem::Video(f) = item {
            let planes = YuvPlanes {
                y: f.plane(0),
                y_stride: f.stride(0),
                u: f.plane(1),
                v: f.plane(2),
                uv_stride: f.stride(1),
            };
            sink.write_video(&planes, f.pts()).expect("write");
            n += 1;
        }
    }
    sink.finish().expect("finish");
    assert_eq!(n, 10);
    assert_eq!(frame_times(&out), frame_times(&clip));
}

#[test]
fn sink_looks_through_temp_suffix_and_rejects_unknown_extensions() {
    let dir = tmp();
    let clip = p(&dir, "in.mkv");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", s(&clip)]);
    let out = p(&dir, "out.mp4.tmp");
    let (frames, _) = pass_through(&clip, &out, &EncodeSettings::default());
    assert_eq!(frames, 25);
    let format = probe(&out, &["-show_entries", "format=format_name", "-of", "csv=p=0"]);
    assert!(format.contains("mp4"), "{format}");
    let source = Source::open(&clip, &MediaLimits::default()).expect("open");
    let bad = p(&dir, "out.nosuchcontainer");
    let err = Sink::create(&bad, &source.output_plan(), 64, 48, &EncodeSettings::default())
        .err()
        .expect("unknown extension refused");
    assert!(err.to_string().contains("out.nosuchcontainer"), "{err}");
}

#[test]
fn sink_rejects_odd_size_and_short_planes() {
    let dir = tmp();
    let clip = p(&dir, "in.mp4");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", s(&clip)]);
    let source = Source::open(&clip, &MediaLimits::default()).expect("open");
    let plan = source.output_plan();
    let bad = p(&dir, "bad.mp4");
    let err = Sink::create(&bad, &plan, 63, 48, &EncodeSettings::default()).err().expect("odd width refused");
    assert!(err.to_string().contains("bad.mp4"), "{err}");
    let out = p(&dir, "out.mp4");
    let mut sink = Sink::create(&out, &plan, 64, 48, &EncodeSettings::default()).expect("sink");
    let small = [0u8; 10];
    let planes = YuvPlanes { y: &small, y_stride: 64, u: &small, v: &small, uv_stride: 32 };
    let err = sink.write_video(&planes, Some(0)).expect_err("short planes refused");
    assert!(err.to_string().contains("plane too small"), "{err}");
}

#[test]
fn missing_file_is_an_error() {
    let dir = tmp();
    let err = open_err(&p(&dir, "missing.mp4"), &MediaLimits::default());
    assert!(matches!(err, MediaError::NotFound { .. }), "{err}");
}

#[test]
fn empty_file_is_an_error() {
    let dir = tmp();
    let path = p(&dir, "empty.mp4");
    std::fs::write(&path, b"").expect("write");
    let err = open_err(&path, &MediaLimits::default());
    assert!(matches!(err, MediaError::Empty { .. }), "{err}");
}

#[test]
fn text_file_named_mp4_is_an_error() {
    let dir = tmp();
    let path = p(&dir, "notes.mp4");
    std::fs::write(&path, "this is not a video, just some text\n".repeat(20)).expect("write");
    let err = open_err(&path, &MediaLimits::default());
    assert!(matches!(err, MediaError::Open { .. }), "{err}");
}

#[test]
fn mp4_without_moov_is_an_error() {
    let dir = tmp();
    let full = p(&dir, "full.mp4");
    ff(&["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1", "-c:v", "libx264", s(&full)]);
    let bytes = std::fs::read(&full).expect("read");
    let cut = p(&dir, "nomoov.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() * 6 / 10]).expect("write");
    let err = open_err(&cut, &MediaLimits::default());
    assert!(matches!(err, MediaError::Open { .. }), "{err}");
}

#[test]
fn audio_only_file_is_an_error() {
    let dir = tmp();
    let path = p(&dir, "audio.m4a");
    ff(&["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", s(&path)]);
    let err = open_err(&path, &MediaLimits::default());
    assert!(matches!(err, MediaError::NoVideo { .. }), "{err}");
}

#[test]
fn unknown_video_codec_is_an_error() {
    let dir = tmp();
    let good = p(&dir, "good.mkv");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", s(&good)]);
    let mut bytes = std::fs::read(&good).expect("read");
    let tag = b"V_MPEG4/ISO/AVC";
    let at = bytes.windows(tag.len()).position(|w| w == tag).expect("codec id in mkv");
    bytes[at..at + tag.len()].copy_from_slice(b"V_ZZZZZ/ISO/ZZZ");
    let bad = p(&dir, "unknown.mkv");
    std::fs::write(&bad, &bytes).expect("write");
    let err = open_err(&bad, &MediaLimits::default());
    assert!(matches!(err, MediaError::UnknownCodec { .. }), "{err}");
    assert!(err.to_string().contains("unknown codec"), "{err}");
}

#[test]
fn frames_over_the_limits_are_refused_before_decoding() {
    let dir = tmp();
    let clip = p(&dir, "big.mp4");
    ff(&["-f", "lavfi", "-i", TESTSRC, "-c:v", "libx264", s(&clip)]);
    let limits = MediaLimits { max_dimension: 32, ..Default::default() };
    let err = open_err(&clip, &limits);
    assert!(matches!(err, MediaError::TooLarge { width: 64, height: 48, .. }), "{err}");
    let limits = MediaLimits { max_pixels: 1000, ..Default::default() };
    let err = open_err(&clip, &limits);
    assert!(matches!(err, MediaError::TooLarge { .. }), "{err}");
}

#[test]
fn truncated_clip_yields_what_decodes_and_warns() {
    let dir = tmp();
    let full = p(&dir, "full.mp4");
    ff(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25:duration=2",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        s(&full),
    ]);
    let bytes = std::fs::read(&full).expect("read");
    let cut = p(&dir, "cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() * 6 / 10]).expect("write");
    let mut source = Source::open(&cut, &MediaLimits::default()).expect("header is intact");
    assert_eq!(source.info().frame_count_hint, 50);
    let mut frames = 0u64;
    while let Some(item) = source.next_item().expect("no hard error") {
        if let SourceItem::Video(_) = item {
            frames += 1;
        }
    }
    assert!(frames > 0 && frames < 50, "decoded {frames}");
    assert!(source.next_item().expect("still fine").is_none());
    let warnings = source.warnings();
    let expected = format!("decoded {frames} of the 50 frames");
    assert!(warnings.iter().any(|w| w.contains(&expected) && w.contains("cut.mp4")), "{warnings:?}");
}
