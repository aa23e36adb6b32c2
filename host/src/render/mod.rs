//! The render pipeline: decode -> upload -> layers -> convert back ->
//! download -> encode, on three threads so that the cores never wait for
//! each other:
//!
//! - the decode thread decodes a bounded number of frames ahead (memory
//!   does not grow with clip length) and, on a software adapter, also
//!   converts them to RGBA;
//! - the render thread uploads, runs the stack's plugins (which record GPU
//!   work) and submits each frame's readback without waiting for it;
//! - the encode thread waits for each readback, converts it to YUV on a
//!   software adapter, and encodes.

mod encode;
mod preview;
mod provenance;
mod runner;
mod synthetic;

pub use preview::{PreviewFrame, contact_sheet};
pub use provenance::{METADATA_KEY, METADATA_PREFIX, file_sha256, parse as parse_provenance};
pub use runner::{ActiveFrames, FrameLabel, LayerError, StackRunError, StackRunner};
pub use synthetic::{SyntheticRun, test_card};

use crate::gpu::{
    ColorSpec, Conversion, CpuFrameConverter, Downloader, FrameRecorder, GpuContext, GpuError, GpuTexture, Uploader,
};
use crate::media::{
    AudioPacket, EncodeSettings, MediaError, MediaLimits, PixelLayout, Sink, Source, SourceInfo, SourceItem,
    VideoFrame, YuvPlanes,
};
use crate::plugin::{ClipInfo, PluginRuntime};
use crate::stack::PreparedStack;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Frames decoded ahead of the GPU stage.
const DECODE_AHEAD: usize = 4;

/// Why a render failed. Each message is one line naming the problem.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Reading, decoding or encoding failed.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// A layer failed.
    #[error(transparent)]
    Stack(#[from] StackRunError),
    /// The host's GPU work failed.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// Output and input are the same file.
    #[error("refusing to write {0}: it is the source clip (sources are never modified)")]
    WouldOverwriteSource(PathBuf),
    /// Files around the output could not be handled.
    #[error("{context}: {error}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The clip decoded to no frames at all.
    #[error("{0}: no video frame could be decoded")]
    NoFrames(PathBuf),
    /// The decode thread died.
    #[error("the decoder thread stopped unexpectedly")]
    DecoderThread,
    /// The encode thread stopped before the render was done.
    #[error("the encoder thread stopped unexpectedly")]
    EncoderStopped,
    /// [`RenderOptions::cancel`] was set.
    #[error("the render was cancelled")]
    Cancelled,
}

/// The temporary output beside the target. Its mode is the usual 0644
/// (less the umask), not tempfile's private 0600: it becomes the user's file.
fn output_file_builder(suffix: &str) -> tempfile::Builder<'static, '_> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".pikafx-").suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
}

/// Options of a render that are not part of the stack.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Frame size limits checked before allocating.
    pub limits: MediaLimits,
    /// Encoder settings (crf, preset, audio).
    pub encode: EncodeSettings,
    /// Set from another thread to stop the render between frames with
    /// [`RenderError::Cancelled`] (job cancel and timeout in `serve`).
    pub cancel: Option<Arc<AtomicBool>>,
}

/// What a finished render reports.
#[derive(Clone, Debug)]
pub struct RenderReport {
    /// Frames written.
    pub frames: u64,
    /// Output frame size.
    pub width: u32,
    /// Output frame height.
    pub height: u32,
    /// Source size when it was odd and padded to even.
    pub padded_from: Option<(u32, u32)>,
    /// Non-fatal problems (e.g. a truncated source).
    pub warnings: Vec<String>,
    /// The provenance embedded in the output.
    pub provenance: serde_json::Value,
    /// Wall time.
    pub elapsed: Duration,
    /// Calls into plugins' `render`.
    pub plugin_calls: u64,
    /// Wall time spent inside those calls (the WASM side only).
    pub plugin_time: Duration,
}

/// Counters of one pass over a clip.
struct RunStats {
    frames: u64,
    warnings: Vec<String>,
    plugin_calls: u64,
    plugin_time: Duration,
}

/// Renders clips with one GPU context and one plugin runtime.
pub struct Renderer {
    gpu: Arc<GpuContext>,
    runtime: Arc<PluginRuntime>,
}

/// Progress callback: (frames done, frames expected or 0).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

impl Renderer {
    /// A renderer over an open GPU and plugin runtime.
    pub fn new(gpu: Arc<GpuContext>, runtime: Arc<PluginRuntime>) -> Self {
        Self { gpu, runtime }
    }

    /// The GPU context.
    pub fn gpu(&self) -> &Arc<GpuContext> {
        &self.gpu
    }

    /// The plugin runtime.
    pub fn runtime(&self) -> &Arc<PluginRuntime> {
        &self.runtime
    }

    /// Renders `input` through `stack` into `output`. The output is written
    /// to a temporary file beside it and renamed only on success.
    pub fn render_file(
        &self,
        input: &Path,
        output: &Path,
        stack: &PreparedStack,
        options: &RenderOptions,
        progress: Progress<'_>,
    ) -> Result<RenderReport, RenderError> {
        let started = Instant::now();
        if same_file(input, output) {
            return Err(RenderError::WouldOverwriteSource(output.to_owned()));
        }
        let source = Source::open(input, &options.limits)?;
        let info = source.info().clone();
        let source_sha = file_sha256(input)
            .map_err(|error| RenderError::Io { context: format!("hashing {}", input.display()), error })?;
        let (width, height) = (info.width + info.width % 2, info.height + info.height % 2);
        let padded_from = (width != info.width || height != info.height).then_some((info.width, info.height));
        let provenance = provenance::record(&source_sha, stack, padded_from);
        let mut encode = options.encode.clone();
        encode.metadata.push((METADATA_KEY.to_owned(), format!("{METADATA_PREFIX}{provenance}")));

        let dir = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let extension = output.extension().and_then(|e| e.to_str()).unwrap_or("mp4");
        let temp = output_file_builder(&format!(".{extension}")).tempfile_in(dir).map_err(|error| RenderError::Io {
            context: format!("creating a temporary file in {}", dir.display()),
            error,
        })?;
        let plan = source.output_plan();
        let sink = Sink::create(temp.path(), &plan, width, height, &encode)?;

        let stage = encode::EncodeStage::start(sink);
        let cancel = options.cancel.as_deref();
        let run = self.run(source, &info, stack, progress, cancel, &mut EncodeConsumer { stage: &stage });
        let finished = stage.finish();
        let stats = match (run, finished) {
            // The encoder's own error explains why sending to it failed.
            (Err(RenderError::EncoderStopped), Err(encoder)) => return Err(encoder),
            (Err(e), _) | (Ok(_), Err(e)) => return Err(e),
            (Ok(stats), Ok(())) => stats,
        };
        if stats.frames == 0 {
            return Err(RenderError::NoFrames(input.to_owned()));
        }
        temp.persist(output).map_err(|e| RenderError::Io {
            context: format!("moving the output into {}", output.display()),
            error: e.error,
        })?;
        Ok(RenderReport {
            frames: stats.frames,
            width,
            height,
            padded_from,
            warnings: stats.warnings,
            provenance,
            elapsed: started.elapsed(),
            plugin_calls: stats.plugin_calls,
            plugin_time: stats.plugin_time,
        })
    }

    /// The shared frame loop: decode, upload, run the stack, hand the result
    /// to `consumer`.
    fn run(
        &self,
        source: Source,
        info: &SourceInfo,
        stack: &PreparedStack,
        progress: Progress<'_>,
        cancel: Option<&AtomicBool>,
        consumer: &mut dyn FrameConsumer,
    ) -> Result<RunStats, RenderError> {
        let clip = ClipInfo {
            width: info.width,
            height: info.height,
            fps: info.fps,
            frame_count: u32::try_from(info.frame_count_hint).unwrap_or(0),
            duration_sec: info.duration_sec,
        };
        let recorder = Arc::new(Mutex::new(FrameRecorder::new(self.gpu.clone())));
        let mut runner = StackRunner::new(&self.gpu, &self.runtime, stack, clip, recorder.clone())?;
        let mut uploader = Uploader::new(self.gpu.clone());
        let source_tex = GpuTexture::new(&self.gpu, info.width, info.height, "source frame")?;
        // Odd sizes are padded to even (yuv420p needs it) by repeating the
        // last row/column; the provenance records the original size.
        let (out_w, out_h) = (info.width + info.width % 2, info.height + info.height % 2);
        let out_color = output_color(info);
        let mut downloader = Downloader::new(self.gpu.clone(), out_w, out_h, out_color);

        // On a software adapter the YUV -> RGBA conversion runs on the
        // decode thread, beside the GPU work of the frame before, rather
        // than on the render thread while the GPU waits. Its buffers come
        // back for reuse (a fresh 3.7 MB buffer per 720p frame costs page
        // faults).
        let (recycle, prep) = if Conversion::for_adapter(&self.gpu) == Conversion::Cpu {
            let (recycle, recycled) = channel();
            let prep = FramePrep { converter: CpuFrameConverter::default(), active: runner.active_frames(), recycled };
            (Some(recycle), Some(prep))
        } else {
            (None, None)
        };
        let (rx, decoder) = spawn_decoder(source, prep);
        let total = info.frame_count_hint;
        let mut count = 0u64;
        let mut result = Ok(());
        for item in rx.iter() {
            if cancel.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
                result = Err(RenderError::Cancelled);
                break;
            }
            let step = match item {
                Ok(Decoded::Audio(packet)) => consumer.audio(packet),
                Ok(Decoded::Video(frame, rgba)) => (|| {
                    // Frames the stack does not touch skip the GPU when their
                    // planes are already what the encoder wants: bit-exact
                    // and much cheaper on a software GPU.
                    if runner.is_identity_at(frame.time_sec())
                        && frame.width() == out_w
                        && frame.height() == out_h
                        && frame.layout() == (PixelLayout::Yuv420 { full_range: false, bt709: out_color.bt709 })
                        && consumer.unchanged(&frame)?
                    {
                        count += 1;
                        progress(count, total);
                        return Ok(());
                    }
                    match rgba {
                        Some(rgba) => {
                            uploader.upload_rgba(&rgba, &source_tex)?;
                            if let Some(recycle) = &recycle {
                                let _ = recycle.send(rgba);
                            }
                        }
                        None => {
                            let mut rec = recorder.lock().unwrap_or_else(|p| p.into_inner());
                            uploader.upload(&mut rec, &frame, &source_tex)?;
                        }
                    }
                    let final_tex = runner.run_frame(&source_tex, frame.index(), frame.time_sec())?;
                    let mut rec = recorder.lock().unwrap_or_else(|p| p.into_inner());
                    consumer.frame(&mut downloader, &mut rec, &final_tex, &frame)?;
                    count += 1;
                    progress(count, total);
                    Ok(())
                })(),
                Err(e) => Err(RenderError::from(e)),
            };
            if let Err(e) = step {
                result = Err(e);
                break;
            }
        }
        drop(rx);
        let warnings = decoder.join().map_err(|_| RenderError::DecoderThread)?;
        result?;
        let (plugin_calls, plugin_time) = runner.plugin_stats();
        Ok(RunStats { frames: count, warnings, plugin_calls, plugin_time })
    }

    /// Renders `input` through `stack` and reads back the source and result
    /// of `count` frames spread evenly over the clip.
    pub fn preview(
        &self,
        input: &Path,
        stack: &PreparedStack,
        count: usize,
        options: &RenderOptions,
        progress: Progress<'_>,
    ) -> Result<(Vec<PreviewFrame>, Vec<String>), RenderError> {
        let source = Source::open(input, &options.limits)?;
        let info = source.info().clone();
        let expected = if info.frame_count_hint > 0 {
            info.frame_count_hint
        } else {
            (info.duration_sec * info.fps).round().max(1.0) as u64
        };
        let mut consumer = PreviewConsumer {
            wanted: preview::pick_frames(expected, count),
            size: (info.width, info.height),
            frames: Vec::new(),
        };
        let warnings = self.run(source, &info, stack, progress, options.cancel.as_deref(), &mut consumer)?.warnings;
        let frames = consumer.frames;
        if frames.is_empty() {
            return Err(RenderError::NoFrames(input.to_owned()));
        }
        Ok((frames, warnings))
    }
}

/// What happens to each rendered frame and each audio packet.
trait FrameConsumer {
    /// `final_tex` holds the frame after the whole stack (recorded, not submitted).
    fn frame(
        &mut self,
        downloader: &mut Downloader,
        rec: &mut FrameRecorder,
        final_tex: &GpuTexture,
        frame: &VideoFrame,
    ) -> Result<(), RenderError>;
    /// A frame no layer changes, in the output's pixel format; returns
    /// whether it was handled without the GPU.
    fn unchanged(&mut self, frame: &VideoFrame) -> Result<bool, RenderError>;
    /// An audio packet, in demux order.
    fn audio(&mut self, packet: AudioPacket) -> Result<(), RenderError>;
}

/// Converts and downloads every frame and hands it to the encode stage,
/// with the audio packets in demux order.
struct EncodeConsumer<'a> {
    stage: &'a encode::EncodeStage,
}

impl FrameConsumer for EncodeConsumer<'_> {
    fn frame(
        &mut self,
        downloader: &mut Downloader,
        rec: &mut FrameRecorder,
        final_tex: &GpuTexture,
        frame: &VideoFrame,
    ) -> Result<(), RenderError> {
        // The encode thread waits for the readback: the render thread goes
        // on with the next frame meanwhile.
        downloader.record(rec, final_tex)?;
        let pending = downloader.submit(rec)?;
        self.stage.download(pending, frame.pts())
    }

    fn unchanged(&mut self, frame: &VideoFrame) -> Result<bool, RenderError> {
        let planes = YuvPlanes {
            y: frame.plane(0),
            y_stride: frame.stride(0),
            u: frame.plane(1),
            v: frame.plane(2),
            uv_stride: frame.stride(1),
        };
        // yuv420p planes share one stride for U and V in every decoder we
        // know of; anything else takes the GPU path.
        if frame.stride(1) != frame.stride(2) {
            return Ok(false);
        }
        self.stage.video(&planes, frame.pts())?;
        Ok(true)
    }

    fn audio(&mut self, packet: AudioPacket) -> Result<(), RenderError> {
        self.stage.audio(packet)
    }
}

/// Reads back the source and result of a few chosen frames.
struct PreviewConsumer {
    wanted: Vec<u64>,
    size: (u32, u32),
    frames: Vec<PreviewFrame>,
}

impl FrameConsumer for PreviewConsumer {
    fn frame(
        &mut self,
        _: &mut Downloader,
        rec: &mut FrameRecorder,
        final_tex: &GpuTexture,
        frame: &VideoFrame,
    ) -> Result<(), RenderError> {
        if !self.wanted.contains(&frame.index()) {
            rec.flush()?;
            rec.gpu().wait_idle()?;
            return Ok(());
        }
        let after = rec.read_rgba(final_tex)?;
        let before = frame_rgba(rec, frame, self.size)?;
        self.frames.push(PreviewFrame {
            index: frame.index(),
            time_sec: frame.time_sec(),
            width: final_tex.width(),
            height: final_tex.height(),
            before,
            after,
        });
        Ok(())
    }

    fn unchanged(&mut self, _: &VideoFrame) -> Result<bool, RenderError> {
        // The sheet needs RGBA readbacks: always take the GPU path.
        Ok(false)
    }

    fn audio(&mut self, _: AudioPacket) -> Result<(), RenderError> {
        Ok(())
    }
}

/// The source frame as RGBA, converted on the GPU exactly as the stack saw it.
fn frame_rgba(rec: &mut FrameRecorder, frame: &VideoFrame, size: (u32, u32)) -> Result<Vec<u8>, RenderError> {
    let gpu = rec.gpu().clone();
    let texture = GpuTexture::new(&gpu, size.0, size.1, "preview source")?;
    let mut uploader = Uploader::new(gpu);
    uploader.upload(rec, frame, &texture)?;
    Ok(rec.read_rgba(&texture)?)
}

/// The colour matrix of the output: the source's (for YUV sources), in
/// limited range as yuv420p H.264 expects.
fn output_color(info: &SourceInfo) -> ColorSpec {
    ColorSpec { bt709: info.height >= 720, full_range: false }
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// What the decode thread hands over.
enum Decoded {
    /// An audio packet, in demux order.
    Audio(AudioPacket),
    /// A video frame, with its RGBA conversion when the decoder made one
    /// ([`FramePrep`]).
    Video(VideoFrame, Option<Vec<u8>>),
}

type DecodeItem = Result<Decoded, MediaError>;

/// The CPU YUV -> RGBA conversion, done on the decode thread.
struct FramePrep {
    converter: CpuFrameConverter,
    /// Frames outside these spans skip the GPU: they are not converted.
    active: ActiveFrames,
    /// Buffers the render thread is done with.
    recycled: Receiver<Vec<u8>>,
}

impl FramePrep {
    /// `frame` as RGBA, when the stack touches it and it is YUV. A frame
    /// that fails to convert is left to the render thread's uploader,
    /// which reports why.
    fn convert(&mut self, frame: &VideoFrame) -> Option<Vec<u8>> {
        if !self.active.touches(frame.time_sec()) {
            return None;
        }
        let mut rgba = self.recycled.try_recv().unwrap_or_default();
        matches!(self.converter.convert(frame, &mut rgba), Ok(true)).then_some(rgba)
    }
}

/// Decodes on a thread, at most [`DECODE_AHEAD`] items ahead, converting
/// video frames as `prep` says. The thread returns the source's warnings.
fn spawn_decoder(
    mut source: Source,
    mut prep: Option<FramePrep>,
) -> (Receiver<DecodeItem>, std::thread::JoinHandle<Vec<String>>) {
    let (tx, rx) = sync_channel::<DecodeItem>(DECODE_AHEAD);
    let handle = std::thread::spawn(move || {
        loop {
            match source.next_item() {
                Ok(Some(item)) => {
                    let decoded = match item {
                        SourceItem::Audio(packet) => Decoded::Audio(packet),
                        SourceItem::Video(frame) => {
                            let rgba = prep.as_mut().and_then(|prep| prep.convert(&frame));
                            Decoded::Video(frame, rgba)
                        }
                    };
                    if tx.send(Ok(decoded)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
        source.warnings().to_vec()
    });
    (rx, handle)
}
