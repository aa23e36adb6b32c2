//! The encode stage on its own thread (DESIGN.md §7: decode, GPU and encode
//! overlap). Frames arrive through a bounded channel, so memory stays
//! bounded whatever the clip length: either as GPU readbacks still on
//! their way ([`PendingDownload`]: this thread waits for them and, on a
//! software adapter, converts them) or as owned yuv420p planes (frames the
//! stack leaves untouched).

use super::RenderError;
use crate::gpu::PendingDownload;
use crate::media::{AudioPacket, Sink, YuvPlanes};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Frames queued for the encoder at most.
const ENCODE_AHEAD: usize = 4;

enum Item {
    Video { y: Vec<u8>, y_stride: usize, u: Vec<u8>, v: Vec<u8>, uv_stride: usize, pts: Option<i64> },
    Download { frame: PendingDownload, pts: Option<i64> },
    Audio(AudioPacket),
}

/// A running encoder thread that owns the [`Sink`].
pub(crate) struct EncodeStage {
    tx: SyncSender<Item>,
    handle: JoinHandle<Result<(), RenderError>>,
}

impl EncodeStage {
    /// Starts the thread; it writes every item, then finishes the file when
    /// the stage is finished (or dropped).
    pub(crate) fn start(mut sink: Sink) -> Self {
        let (tx, rx) = sync_channel::<Item>(ENCODE_AHEAD);
        let handle = std::thread::spawn(move || {
            // Where readbacks are converted, reused from frame to frame.
            let mut scratch = Vec::new();
            for item in rx {
                match item {
                    Item::Video { y, y_stride, u, v, uv_stride, pts } => {
                        sink.write_video(&YuvPlanes { y: &y, y_stride, u: &u, v: &v, uv_stride }, pts)?
                    }
                    Item::Download { frame, pts } => {
                        frame.wait(&mut scratch, |planes| sink.write_video(&planes, pts))??
                    }
                    Item::Audio(packet) => sink.write_audio(packet)?,
                }
            }
            Ok(sink.finish()?)
        });
        Self { tx, handle }
    }

    /// Queues a copy of one frame's planes.
    pub(crate) fn video(&self, planes: &YuvPlanes<'_>, pts: Option<i64>) -> Result<(), RenderError> {
        let item = Item::Video {
            y: planes.y.to_vec(),
            y_stride: planes.y_stride,
            u: planes.u.to_vec(),
            v: planes.v.to_vec(),
            uv_stride: planes.uv_stride,
            pts,
        };
        self.tx.send(item).map_err(|_| RenderError::EncoderStopped)
    }

    /// Queues a frame still being read back from the GPU.
    pub(crate) fn download(&self, frame: PendingDownload, pts: Option<i64>) -> Result<(), RenderError> {
        self.tx.send(Item::Download { frame, pts }).map_err(|_| RenderError::EncoderStopped)
    }

    /// Queues an audio packet.
    pub(crate) fn audio(&self, packet: AudioPacket) -> Result<(), RenderError> {
        self.tx.send(Item::Audio(packet)).map_err(|_| RenderError::EncoderStopped)
    }

    /// Closes the queue, waits for the encoder and returns its outcome.
    pub(crate) fn finish(self) -> Result<(), RenderError> {
        drop(self.tx);
        match self.handle.join() {
            Ok(result) => result,
            Err(_) => Err(RenderError::EncoderStopped),
        }
    }
}
