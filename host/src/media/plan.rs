//! What a [`super::Sink`] needs to know about the source, and the audio
//! packets that travel from source to sink.

use std::fmt;
use std::path::PathBuf;

use ffmpeg::Rational;
use ffmpeg_next as ffmpeg;

/// Everything a sink needs from the source: stream parameters, time bases
/// and container metadata. Owns its data, so it can move to another thread.
#[derive(Clone)]
pub struct OutputPlan {
    pub(crate) source_path: PathBuf,
    pub(crate) video_time_base: Rational,
    pub(crate) frame_rate: Rational,
    pub(crate) audio: Vec<AudioStreamPlan>,
    pub(crate) metadata: Vec<(String, String)>,
}

/// One input audio stream as the sink sees it.
#[derive(Clone)]
pub(crate) struct AudioStreamPlan {
    /// Codec parameters, copied (owned) from the input stream.
    pub params: ffmpeg::codec::Parameters,
    /// The input stream's time base, which audio packets use.
    pub time_base: Rational,
    /// Stream metadata such as the language tag.
    pub metadata: Vec<(String, String)>,
}

impl OutputPlan {
    /// The source video stream's time base, which frame timestamps use.
    pub fn video_time_base(&self) -> (i32, i32) {
        (self.video_time_base.numerator(), self.video_time_base.denominator())
    }

    /// The source's average frame rate.
    pub fn frame_rate(&self) -> (i32, i32) {
        (self.frame_rate.numerator(), self.frame_rate.denominator())
    }

    /// How many audio streams the source has.
    pub fn audio_stream_count(&self) -> usize {
        self.audio.len()
    }

    /// Container metadata carried over from the source.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }
}

impl fmt::Debug for OutputPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let audio: Vec<String> = self.audio.iter().map(|a| format!("{:?}@{}", a.params.id(), a.time_base)).collect();
        f.debug_struct("OutputPlan")
            .field("source_path", &self.source_path)
            .field("video_time_base", &self.video_time_base)
            .field("frame_rate", &self.frame_rate)
            .field("audio", &audio)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// One compressed audio packet from an input audio stream, in that stream's
/// time base; hand it to [`super::Sink::write_audio`].
pub struct AudioPacket {
    pub(crate) packet: ffmpeg::Packet,
    pub(crate) stream: usize,
}

impl AudioPacket {
    /// Which of the source's audio streams this belongs to (0-based among
    /// audio streams, not the container stream index).
    pub fn audio_stream(&self) -> usize {
        self.stream
    }

    /// Presentation timestamp in the audio stream's time base, if known.
    pub fn pts(&self) -> Option<i64> {
        self.packet.pts()
    }
}

impl fmt::Debug for AudioPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AudioPacket")
            .field("stream", &self.stream)
            .field("pts", &self.packet.pts())
            .field("size", &self.packet.size())
            .finish()
    }
}
