//! Writing a clip: H.264 video from YUV planes, plus the source's audio.

use std::path::{Path, PathBuf};

use ffmpeg::codec::threading;
use ffmpeg::format::Pixel;
use ffmpeg::{Rational, codec, format};
use ffmpeg_next as ffmpeg;

use super::audio::{self, AudioOutput};
use super::{AudioPacket, MediaError, OutputPlan};

/// Encoder settings for [`Sink::create`].
#[derive(Clone, Debug)]
pub struct EncodeSettings {
    /// libx264 constant rate factor (default 23; lower is better quality).
    pub crf: u8,
    /// libx264 preset (default "veryfast").
    pub preset: String,
    /// Carry the source's audio (default true).
    pub audio: bool,
    /// Extra container metadata (key, value); overrides the source's.
    pub metadata: Vec<(String, String)>,
}

impl Default for EncodeSettings {
    fn default() -> Self {
        EncodeSettings { crf: 23, preset: "veryfast".into(), audio: true, metadata: Vec::new() }
    }
}

/// One output frame's planes, yuv420p, as produced by the GPU download.
pub struct YuvPlanes<'a> {
    /// Luma, `y_stride` bytes per row, `height` rows.
    pub y: &'a [u8],
    /// Bytes per row of `y`.
    pub y_stride: usize,
    /// Cb at half width and height (rounded up).
    pub u: &'a [u8],
    /// Cr at half width and height (rounded up).
    pub v: &'a [u8],
    /// Bytes per row of `u` and `v`.
    pub uv_stride: usize,
}

/// Container keys the muxer writes itself; copying them would be wrong.
const MUXER_OWNED_KEYS: [&str; 4] = ["major_brand", "minor_version", "compatible_brands", "encoder"];

/// An output file being written.
pub struct Sink {
    path: PathBuf,
    octx: format::context::Output,
    encoder: codec::encoder::Video,
    video_ost: usize,
    video_tb: Rational,
    video_ost_tb: Rational,
    width: u32,
    height: u32,
    /// Timestamp step used when a frame comes without a pts.
    pts_step: i64,
    last_pts: Option<i64>,
    /// Indexed by the source's audio stream ordinal.
    audio: Vec<Option<AudioOutput>>,
}

impl Sink {
    /// Creates `path` (exactly that path; the container comes from its
    /// extension: mp4, mov, mkv, ...; a trailing `.tmp`/`.part` is looked
    /// through, so `out.mp4.tmp` is written as MP4) with one H.264 stream of
    /// `width` x `height` (both even) and, if `settings.audio`, the source's
    /// audio, copied when the container accepts it and re-encoded to AAC
    /// otherwise. Writes the header.
    pub fn create(
        path: &Path,
        plan: &OutputPlan,
        width: u32,
        height: u32,
        settings: &EncodeSettings,
    ) -> Result<Sink, MediaError> {
        super::init()?;
        if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            return Err(MediaError::encode(path, format!("output size {width}x{height} must be non-zero and even")));
        }
        let mut octx = open_output(path)?;
        let global = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);

        let codec = ffmpeg::encoder::find_by_name("libx264")
            .or_else(|| ffmpeg::encoder::find(codec::Id::H264))
            .ok_or_else(|| MediaError::encode(path, "no H.264 encoder in this ffmpeg build"))?;
        let video_tb = plan.video_time_base;
        let mut ost =
            octx.add_stream(codec).map_err(|e| MediaError::encode(path, format!("cannot add video stream: {e}")))?;
        let video_ost = ost.index();
        let mut ctx = codec::Context::new_with_codec(codec);
        ctx.set_threading(threading::Config { kind: threading::Type::Frame, count: 0, ..Default::default() });
        let mut enc = ctx.encoder().video().map_err(|e| MediaError::encode(path, e))?;
        enc.set_width(width);
        enc.set_height(height);
        enc.set_format(Pixel::YUV420P);
        enc.set_time_base(video_tb);
        enc.set_frame_rate(Some(plan.frame_rate));
        if global {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let mut options = ffmpeg::Dictionary::new();
        options.set("crf", &settings.crf.to_string());
        options.set("preset", &settings.preset);
        let encoder = enc
            .open_as_with(codec, options)
            .map_err(|e| MediaError::encode(path, format!("cannot open H.264 encoder: {e}")))?;
        ost.set_parameters(&encoder);
        ost.set_time_base(video_tb);
        ost.set_avg_frame_rate(plan.frame_rate);

        let mut audio = Vec::new();
        if settings.audio {
            for stream in &plan.audio {
                audio.push(audio::add_stream(path, &mut octx, stream)?);
            }
        }

        let mut metadata = ffmpeg::Dictionary::new();
        for (k, v) in &plan.metadata {
            if !MUXER_OWNED_KEYS.contains(&k.as_str()) {
                metadata.set(k, v);
            }
        }
        for (k, v) in &settings.metadata {
            metadata.set(k, v);
        }
        octx.set_metadata(metadata);
        octx.write_header().map_err(|e| MediaError::encode(path, format!("cannot write header: {e}")))?;

        let stream_tb = |octx: &format::context::Output, i: usize, fallback: Rational| {
            octx.stream(i).map_or(fallback, |s| s.time_base())
        };
        let video_ost_tb = stream_tb(&octx, video_ost, video_tb);
        for out in audio.iter_mut().flatten() {
            out.ost_tb = stream_tb(&octx, out.ost, out.in_tb);
        }
        let pts_step = frame_step(video_tb, plan.frame_rate);
        tracing::debug!(path = %path.display(), width, height, ?video_tb, "created media sink");
        Ok(Sink {
            path: path.to_path_buf(),
            octx,
            encoder,
            video_ost,
            video_tb,
            video_ost_tb,
            width,
            height,
            pts_step,
            last_pts: None,
            audio,
        })
    }

    /// Encodes one frame. `pts` is in the source's video time base; a missing
    /// or non-increasing pts is replaced by the next plausible one.
    pub fn write_video(&mut self, planes: &YuvPlanes, pts: Option<i64>) -> Result<(), MediaError> {
        let (w, h) = (self.width as usize, self.height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        check_plane(&self.path, "Y", planes.y, planes.y_stride, w, h)?;
        check_plane(&self.path, "U", planes.u, planes.uv_stride, cw, ch)?;
        check_plane(&self.path, "V", planes.v, planes.uv_stride, cw, ch)?;

        let mut frame = ffmpeg::frame::Video::new(Pixel::YUV420P, self.width, self.height);
        copy_plane(&mut frame, 0, planes.y, planes.y_stride, w, h);
        copy_plane(&mut frame, 1, planes.u, planes.uv_stride, cw, ch);
        copy_plane(&mut frame, 2, planes.v, planes.uv_stride, cw, ch);

        let pts = match (pts, self.last_pts) {
            (Some(p), Some(last)) if p <= last => {
                tracing::warn!(pts = p, last, "non-increasing video pts; nudging it forward");
                last + 1
            }
            (Some(p), _) => p,
            (None, Some(last)) => last + self.pts_step,
            (None, None) => 0,
        };
        self.last_pts = Some(pts);
        frame.set_pts(Some(pts));
        self.encoder.send_frame(&frame).map_err(|e| MediaError::encode(&self.path, format!("video encoder: {e}")))?;
        self.drain_video()
    }

    /// Writes one audio packet from the source: copied with its timestamps
    /// rescaled, or re-encoded. Packets for dropped streams are ignored.
    pub fn write_audio(&mut self, packet: AudioPacket) -> Result<(), MediaError> {
        let Some(Some(out)) = self.audio.get_mut(packet.stream) else {
            return Ok(());
        };
        let (ost, ost_tb) = (out.ost, out.ost_tb);
        let octx = &mut self.octx;
        let result = match out.transcoder.as_mut() {
            None => {
                let mut p = packet.packet;
                p.rescale_ts(out.in_tb, ost_tb);
                p.set_stream(ost);
                p.set_position(-1);
                p.write_interleaved(octx)
            }
            Some(t) => {
                let enc_tb = t.time_base();
                t.push_packet(&packet.packet, &mut |mut p| {
                    p.rescale_ts(enc_tb, ost_tb);
                    p.set_stream(ost);
                    p.write_interleaved(octx)
                })
            }
        };
        result.map_err(|e| MediaError::encode(&self.path, format!("audio: {e}")))
    }

    /// Flushes the encoders and writes the trailer; the file is complete
    /// only after this returns `Ok`.
    pub fn finish(mut self) -> Result<(), MediaError> {
        self.encoder.send_eof().map_err(|e| MediaError::encode(&self.path, format!("video encoder flush: {e}")))?;
        self.drain_video()?;
        let octx = &mut self.octx;
        for out in self.audio.iter_mut().flatten() {
            let (ost, ost_tb) = (out.ost, out.ost_tb);
            if let Some(t) = out.transcoder.as_mut() {
                let enc_tb = t.time_base();
                t.finish(&mut |mut p| {
                    p.rescale_ts(enc_tb, ost_tb);
                    p.set_stream(ost);
                    p.write_interleaved(octx)
                })
                .map_err(|e| MediaError::encode(&self.path, format!("audio flush: {e}")))?;
            }
        }
        self.octx.write_trailer().map_err(|e| MediaError::encode(&self.path, format!("cannot write trailer: {e}")))
    }

    fn drain_video(&mut self) -> Result<(), MediaError> {
        loop {
            let mut packet = ffmpeg::Packet::empty();
            if self.encoder.receive_packet(&mut packet).is_err() {
                return Ok(());
            }
            packet.set_stream(self.video_ost);
            packet.rescale_ts(self.video_tb, self.video_ost_tb);
            packet
                .write_interleaved(&mut self.octx)
                .map_err(|e| MediaError::encode(&self.path, format!("writing video: {e}")))?;
        }
    }
}

/// Opens the output file, choosing the container from its extension and
/// looking through a trailing `.tmp`, `.part` or `.partial`.
fn open_output(path: &Path) -> Result<format::context::Output, MediaError> {
    let first = match format::output(path) {
        Ok(octx) => return Ok(octx),
        Err(e) => e,
    };
    let temp_suffix =
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "tmp" | "part" | "partial"));
    let inner = path.file_stem().filter(|_| temp_suffix).and_then(guess_format_name);
    match inner {
        Some(name) => format::output_as(path, &name)
            .map_err(|e| MediaError::encode(path, format!("cannot create {name} output: {e}"))),
        None => Err(MediaError::encode(
            path,
            format!("cannot create output (is the extension a known container?): {first}"),
        )),
    }
}

/// ffmpeg's muxer name for a file name such as `out.mp4`.
fn guess_format_name(file_name: &std::ffi::OsStr) -> Option<String> {
    let name = std::ffi::CString::new(file_name.to_str()?).ok()?;
    // SAFETY: av_guess_format only reads the NUL-terminated string; it returns
    // null or a pointer to a static muxer description whose `name` is a static
    // NUL-terminated string.
    unsafe {
        let format = ffmpeg::ffi::av_guess_format(std::ptr::null(), name.as_ptr(), std::ptr::null());
        if format.is_null() || (*format).name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*format).name).to_str().ok().map(str::to_string)
    }
}

/// One frame's duration in `tb` units at `rate` (at least 1).
fn frame_step(tb: Rational, rate: Rational) -> i64 {
    let per_frame = f64::from(rate.invert()) / f64::from(tb);
    if per_frame.is_finite() && per_frame >= 1.0 { per_frame.round() as i64 } else { 1 }
}

/// Refuses planes too small for `rows` rows of `width` bytes.
fn check_plane(
    path: &Path,
    name: &str,
    data: &[u8],
    stride: usize,
    width: usize,
    rows: usize,
) -> Result<(), MediaError> {
    let needed = stride.saturating_mul(rows.saturating_sub(1)).saturating_add(width);
    if stride < width || data.len() < needed {
        return Err(MediaError::encode(
            path,
            format!("{name} plane too small: {} bytes with stride {stride} for {width}x{rows}", data.len()),
        ));
    }
    Ok(())
}

/// Copies `rows` rows of `width` bytes into plane `i` of `frame`.
fn copy_plane(frame: &mut ffmpeg::frame::Video, i: usize, src: &[u8], src_stride: usize, width: usize, rows: usize) {
    let dst_stride = frame.stride(i);
    let dst = frame.data_mut(i);
    for (d, s) in dst.chunks_mut(dst_stride).zip(src.chunks(src_stride)).take(rows) {
        d[..width].copy_from_slice(&s[..width]);
    }
}
