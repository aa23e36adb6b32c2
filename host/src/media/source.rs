//! Reading a clip: demux, decode video, pass audio packets through.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ffmpeg::codec::threading;
use ffmpeg::format::stream::Disposition;
use ffmpeg::{Rational, media};
use ffmpeg_next as ffmpeg;

use super::error::one_line;
use super::frame::{Converter, FrameMeta};
use super::plan::{AudioStreamPlan, OutputPlan};
use super::{AudioPacket, MediaError, MediaLimits, VideoFrame};

/// Facts about an opened source.
#[derive(Clone, Debug)]
pub struct SourceInfo {
    /// Frame width as the opened decoder reports it.
    pub width: u32,
    /// Frame height as the opened decoder reports it.
    pub height: u32,
    /// Average frame rate (falls back to the stream's base rate, then 30).
    pub fps: f64,
    /// The container's frame count (0 if unknown); only a hint.
    pub frame_count_hint: u64,
    /// Duration in seconds (0 if unknown).
    pub duration_sec: f64,
    /// The video stream's time base as (numerator, denominator).
    pub time_base: (i32, i32),
    /// Container index of the video stream (not necessarily 0).
    pub video_stream_index: usize,
    /// Number of audio streams.
    pub audio_stream_count: usize,
    /// ffmpeg's name for the video codec.
    pub codec_name: String,
    /// ffmpeg's name for the decoder's pixel format.
    pub pixel_format: String,
}

/// One item from [`Source::next_item`], in demux order.
pub enum SourceItem {
    /// A decoded video frame.
    Video(VideoFrame),
    /// A compressed audio packet for the sink to copy or re-encode.
    Audio(AudioPacket),
}

/// Where the decode loop stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// Reading packets.
    Reading,
    /// End of input (or an error after some frames): draining the decoder.
    Draining,
    /// Nothing more will come out.
    Done,
}

/// An opened clip. Yields decoded video frames and audio packets.
pub struct Source {
    path: PathBuf,
    limits: MediaLimits,
    input: ffmpeg::format::context::Input,
    decoder: ffmpeg::decoder::Video,
    converter: Converter,
    info: SourceInfo,
    plan: OutputPlan,
    /// Container stream index -> ordinal among audio streams.
    audio_map: HashMap<usize, usize>,
    time_base: Rational,
    start_pts: i64,
    frames_out: u64,
    state: State,
    warnings: Vec<String>,
}

impl Source {
    /// Opens `path`, picks its first video stream, and opens a decoder for it.
    ///
    /// Fails with a one-line [`MediaError`] naming the file when it is
    /// missing, empty, not media, has no video, has no decoder for its video
    /// codec, or its frames exceed `limits`.
    pub fn open(path: &Path, limits: &MediaLimits) -> Result<Source, MediaError> {
        super::init()?;
        let owned = path.to_path_buf();
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => MediaError::NotFound { path: owned.clone() },
            _ => MediaError::Io { path: owned.clone(), reason: one_line(e) },
        })?;
        if !meta.is_file() {
            return Err(MediaError::Io { path: owned, reason: "not a regular file".into() });
        }
        if meta.len() == 0 {
            return Err(MediaError::Empty { path: owned });
        }
        let input =
            ffmpeg::format::input(path).map_err(|e| MediaError::Open { path: owned.clone(), reason: one_line(e) })?;

        let stream = input
            .streams()
            .find(|s| {
                s.parameters().medium() == media::Type::Video && !s.disposition().contains(Disposition::ATTACHED_PIC)
            })
            .ok_or_else(|| MediaError::NoVideo { path: owned.clone() })?;
        let video_index = stream.index();
        let time_base = stream.time_base();
        let params = stream.parameters();
        let codec_id = params.id();
        let unknown = || MediaError::UnknownCodec {
            path: owned.clone(),
            codec: codec_id.name().to_string(),
            stream: video_index,
        };
        let codec = ffmpeg::decoder::find(codec_id).ok_or_else(unknown)?;

        let mut ctx = ffmpeg::codec::Context::from_parameters(params).map_err(|e| MediaError::decode(path, e))?;
        // SAFETY: `ctx` is a valid, not yet opened AVCodecContext that we own;
        // the fields are plain integers/rationals read by avcodec_open2.
        let (ctx_width, ctx_height) = unsafe {
            let raw = ctx.as_mut_ptr();
            (*raw).max_pixels = i64::try_from(limits.max_pixels).unwrap_or(i64::MAX);
            (*raw).pkt_timebase = time_base.into();
            ((*raw).width, (*raw).height)
        };
        // The decoder context's size (filled in by probing the stream);
        // refuse before avcodec_open2 allocates anything for it.
        check_size(path, limits, u32::try_from(ctx_width).unwrap_or(0), u32::try_from(ctx_height).unwrap_or(0))?;
        ctx.set_threading(threading::Config { kind: threading::Type::Frame, count: 0, ..Default::default() });
        let decoder = ctx.decoder().open_as(codec).and_then(|d| d.video()).map_err(|e| match e {
            ffmpeg::Error::DecoderNotFound => unknown(),
            e => MediaError::decode(path, format!("cannot open the {} decoder: {e}", codec.name())),
        })?;
        let (width, height) = (decoder.width(), decoder.height());
        check_size(path, limits, width, height)?;

        let fps = [stream.avg_frame_rate(), stream.rate()]
            .into_iter()
            .find(|r| r.numerator() > 0 && r.denominator() > 0)
            .map(f64::from)
            .unwrap_or(30.0);
        let frame_rate = [stream.avg_frame_rate(), stream.rate()]
            .into_iter()
            .find(|r| r.numerator() > 0 && r.denominator() > 0)
            .unwrap_or(Rational::new(30, 1));
        let duration_sec = if stream.duration() > 0 {
            stream.duration() as f64 * f64::from(time_base)
        } else if input.duration() > 0 {
            input.duration() as f64 / f64::from(ffmpeg::ffi::AV_TIME_BASE)
        } else {
            0.0
        };
        let start_pts = if stream.start_time() == ffmpeg::ffi::AV_NOPTS_VALUE { 0 } else { stream.start_time() };
        let frame_count_hint = u64::try_from(stream.frames()).unwrap_or(0);
        let pixel_format =
            decoder.format().descriptor().map(|d| d.name().to_string()).unwrap_or_else(|| "unknown".into());

        let mut audio_map = HashMap::new();
        let mut audio = Vec::new();
        for s in input.streams() {
            if s.parameters().medium() == media::Type::Audio {
                audio_map.insert(s.index(), audio.len());
                audio.push(AudioStreamPlan {
                    params: s.parameters().clone(),
                    time_base: s.time_base(),
                    metadata: s.metadata().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                });
            }
        }
        let metadata = input.metadata().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();

        let info = SourceInfo {
            width,
            height,
            fps,
            frame_count_hint,
            duration_sec,
            time_base: (time_base.numerator(), time_base.denominator()),
            video_stream_index: video_index,
            audio_stream_count: audio.len(),
            codec_name: codec.name().to_string(),
            pixel_format,
        };
        let plan = OutputPlan { source_path: owned.clone(), video_time_base: time_base, frame_rate, audio, metadata };
        tracing::debug!(path = %path.display(), ?info, "opened media source");
        Ok(Source {
            path: owned,
            limits: limits.clone(),
            input,
            decoder,
            converter: Converter::default(),
            info,
            plan,
            audio_map,
            time_base,
            start_pts,
            frames_out: 0,
            state: State::Reading,
            warnings: Vec::new(),
        })
    }

    /// Facts about the clip.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Problems that did not stop decoding, such as a truncated clip.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// What a [`super::Sink`] needs from this source.
    pub fn output_plan(&self) -> OutputPlan {
        self.plan.clone()
    }

    /// The next decoded frame or audio packet, in demux order; `Ok(None)` at
    /// the end (after flushing the decoder).
    ///
    /// A demux or decode error after at least one frame ends the stream with
    /// a warning instead of an error.
    pub fn next_item(&mut self) -> Result<Option<SourceItem>, MediaError> {
        loop {
            if self.state == State::Done {
                return Ok(None);
            }
            if let Some(frame) = self.receive_frame()? {
                return Ok(Some(SourceItem::Video(frame)));
            }
            match self.state {
                State::Done => continue,
                State::Draining => {
                    self.finish();
                    continue;
                }
                State::Reading => {}
            }
            let mut packet = ffmpeg::Packet::empty();
            match packet.read(&mut self.input) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => {
                    self.start_draining();
                    continue;
                }
                Err(e) => {
                    self.stop_after_error("demux", e)?;
                    continue;
                }
            }
            let index = packet.stream();
            if index == self.info.video_stream_index {
                if let Err(e) = self.decoder.send_packet(&packet) {
                    self.stop_after_error("decode", e)?;
                }
            } else if let Some(&stream) = self.audio_map.get(&index) {
                return Ok(Some(SourceItem::Audio(AudioPacket { packet, stream })));
            }
        }
    }

    /// Pulls one frame from the decoder if it has one ready.
    fn receive_frame(&mut self) -> Result<Option<VideoFrame>, MediaError> {
        let mut decoded = ffmpeg::frame::Video::empty();
        match self.decoder.receive_frame(&mut decoded) {
            Ok(()) => {}
            Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => {
                return Ok(None);
            }
            Err(ffmpeg::Error::Eof) => {
                self.finish();
                return Ok(None);
            }
            Err(e) => {
                self.stop_after_error("decode", e)?;
                return Ok(None);
            }
        }
        check_size(&self.path, &self.limits, decoded.width(), decoded.height())?;
        let pts = decoded.timestamp();
        let time_sec = match pts {
            Some(p) => ((p - self.start_pts) as f64 * f64::from(self.time_base)).max(0.0),
            None => self.frames_out as f64 / self.info.fps,
        };
        let meta = FrameMeta { index: self.frames_out, pts, time_sec };
        let frame = self
            .converter
            .convert(decoded, meta)
            .map_err(|e| MediaError::decode(&self.path, format!("pixel conversion failed: {e}")))?;
        self.frames_out += 1;
        Ok(Some(frame))
    }

    /// Signals end of input to the decoder so it flushes buffered frames.
    fn start_draining(&mut self) {
        // An error here only means the decoder is already flushing or broken;
        // either way receive_frame reports what is left.
        if let Err(e) = self.decoder.send_eof() {
            tracing::debug!(error = %e, "decoder refused end of stream");
        }
        self.state = State::Draining;
    }

    /// Handles an error mid-stream: fatal before the first frame, otherwise
    /// a warning and the end of the stream.
    fn stop_after_error(&mut self, what: &str, e: ffmpeg::Error) -> Result<(), MediaError> {
        if self.frames_out == 0 {
            self.state = State::Done;
            return Err(MediaError::decode(&self.path, format!("{what} error: {e}")));
        }
        let warning = format!(
            "{}: {what} error after {} frames ({}); stopping there",
            self.path.display(),
            self.frames_out,
            one_line(e)
        );
        tracing::warn!("{warning}");
        self.warnings.push(warning);
        match self.state {
            State::Reading => self.start_draining(),
            _ => self.finish(),
        }
        Ok(())
    }

    /// Marks the end and warns when fewer frames came out than promised.
    fn finish(&mut self) {
        if self.state == State::Done {
            return;
        }
        self.state = State::Done;
        let promised = self.info.frame_count_hint;
        if promised > 0 && self.frames_out < promised {
            let warning = format!(
                "{}: decoded {} of the {} frames the header promised (file truncated or damaged)",
                self.path.display(),
                self.frames_out,
                promised
            );
            tracing::warn!("{warning}");
            self.warnings.push(warning);
        }
    }
}

/// Refuses frames larger than the limits.
fn check_size(path: &Path, limits: &MediaLimits, width: u32, height: u32) -> Result<(), MediaError> {
    if limits.allows(width, height) {
        Ok(())
    } else {
        Err(MediaError::TooLarge {
            path: path.to_path_buf(),
            width,
            height,
            max_dimension: limits.max_dimension,
            max_pixels: limits.max_pixels,
        })
    }
}
