//! The media layer's error type.

use std::path::{Path, PathBuf};

/// Everything that can go wrong while reading or writing media.
///
/// Every message is a single line that names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// ffmpeg could not be initialised.
    #[error("ffmpeg initialisation failed: {reason}")]
    Init {
        /// ffmpeg's explanation.
        reason: String,
    },
    /// The input file does not exist.
    #[error("{}: file not found", .path.display())]
    NotFound {
        /// The file.
        path: PathBuf,
    },
    /// The input file has no bytes.
    #[error("{}: file is empty", .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The input could not be read from disk.
    #[error("{}: cannot read file: {reason}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's explanation.
        reason: String,
    },
    /// ffmpeg could not recognise or parse the container.
    #[error("{}: not a readable media file: {reason}", .path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// ffmpeg's explanation.
        reason: String,
    },
    /// The container has no video stream.
    #[error("{}: no video stream", .path.display())]
    NoVideo {
        /// The file.
        path: PathBuf,
    },
    /// The video codec has no decoder in this ffmpeg build.
    #[error("{}: unknown codec '{codec}' in video stream {stream}: no decoder available", .path.display())]
    UnknownCodec {
        /// The file.
        path: PathBuf,
        /// ffmpeg's name for the codec ("none" when unrecognised).
        codec: String,
        /// Index of the stream in the container.
        stream: usize,
    },
    /// The frames are larger than [`super::MediaLimits`] allow.
    #[error(
        "{}: frame size {width}x{height} exceeds the limits (max dimension {max_dimension}, max pixels {max_pixels})",
        .path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Decoded width.
        width: u32,
        /// Decoded height.
        height: u32,
        /// The configured maximum width or height.
        max_dimension: u32,
        /// The configured maximum width times height.
        max_pixels: u64,
    },
    /// Demuxing or decoding failed before any frame came out.
    #[error("{}: decode failed: {reason}", .path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// ffmpeg's explanation.
        reason: String,
    },
    /// Setting up or running the encoder or muxer failed.
    #[error("{}: encode failed: {reason}", .path.display())]
    Encode {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// Makes a reason safe for a one-line message.
pub(crate) fn one_line(reason: impl std::fmt::Display) -> String {
    reason.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

impl MediaError {
    /// A [`MediaError::Decode`] for `path`.
    pub(crate) fn decode(path: &Path, reason: impl std::fmt::Display) -> Self {
        MediaError::Decode { path: path.to_path_buf(), reason: one_line(reason) }
    }

    /// A [`MediaError::Encode`] for `path`.
    pub(crate) fn encode(path: &Path, reason: impl std::fmt::Display) -> Self {
        MediaError::Encode { path: path.to_path_buf(), reason: one_line(reason) }
    }
}
