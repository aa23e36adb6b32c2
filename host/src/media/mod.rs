//! Media layer: demux and decode a clip into frames the GPU can upload,
//! and encode processed frames (plus the source's audio) into a new file.
//!
//! Built on ffmpeg through `ffmpeg-next`. [`Source`] reads, [`Sink`] writes,
//! and an [`OutputPlan`] carries what the sink needs to know about the source.

mod audio;
mod error;
mod frame;
mod plan;
mod sink;
mod source;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use ffmpeg_next as ffmpeg;

pub use error::MediaError;
pub use frame::{PixelLayout, VideoFrame};
pub use plan::{AudioPacket, OutputPlan};
pub use sink::{EncodeSettings, Sink, YuvPlanes};
pub use source::{Source, SourceInfo, SourceItem};

/// Initialises ffmpeg once per process and sets its log level to errors only.
///
/// Idempotent and thread-safe; [`Source::open`] and [`Sink::create`] call it.
pub fn init() -> Result<(), MediaError> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        ffmpeg::init().map_err(|e| e.to_string())?;
        ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Error);
        Ok(())
    })
    .clone()
    .map_err(|reason| MediaError::Init { reason })
}

/// Limits checked before any large allocation; sizes come from the decoder,
/// never from container headers.
#[derive(Clone, Debug)]
pub struct MediaLimits {
    /// Largest accepted width or height, in pixels (default 8192).
    pub max_dimension: u32,
    /// Largest accepted width times height (default 40 000 000).
    pub max_pixels: u64,
}

impl Default for MediaLimits {
    fn default() -> Self {
        MediaLimits { max_dimension: 8192, max_pixels: 40_000_000 }
    }
}

impl MediaLimits {
    /// Whether a `width` x `height` frame is within the limits.
    pub fn allows(&self, width: u32, height: u32) -> bool {
        width <= self.max_dimension
            && height <= self.max_dimension
            && u64::from(width) * u64::from(height) <= self.max_pixels
    }
}
