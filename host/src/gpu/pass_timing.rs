//! GPU time per compute pass (`pikafx plugin bench --passes`): where a
//! frame's GPU time goes, pass by pass, so that a plugin author (or we)
//! can see which of an effect's passes to make cheaper without building
//! and timing variants of the plugin.
//!
//! Every compute pass that a [`super::FrameRecorder`] records gets a
//! timestamp at its start and end (wgpu's `TIMESTAMP_QUERY`, which lavapipe
//! has); at each submit the encoder's timestamps are resolved into a small
//! buffer, and [`PassTiming::take`] maps those buffers and sums the time per
//! pass label. Off unless asked for: the context is made with
//! [`super::GpuContext::with_pass_timing`].

use super::{GpuContext, GpuError};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Passes timed per command encoder; passes past this many in one encoder
/// run untimed (and are counted in [`PassTimes::untimed`]).
const PASSES_PER_ENCODER: u32 = 512;

/// Submitted timestamps kept before [`PassTiming::take`]; past this, the
/// oldest are read (waiting for the GPU) as new ones arrive.
const MAX_PENDING: usize = 256;

/// The GPU time of one pass label over the frames measured.
#[derive(Debug, Clone, PartialEq)]
pub struct PassTime {
    /// What ran: a plugin shader's entry point and the first line of its
    /// source, or a host pass's name (`host: ...`).
    pub label: String,
    /// How many passes with this label ran.
    pub calls: u64,
    /// Their GPU time together, in milliseconds.
    pub total_ms: f64,
}

/// What [`PassTiming::take`] returns.
#[derive(Debug, Clone, Default)]
pub struct PassTimes {
    /// Per label, the most expensive first.
    pub passes: Vec<PassTime>,
    /// Passes that ran without a timestamp (more than
    /// `PASSES_PER_ENCODER` in one command encoder).
    pub untimed: u64,
}

/// The timestamps of the passes of one command encoder (pass i: begin at
/// query 2i, end at 2i + 1).
pub(crate) struct EncoderTimestamps {
    query_set: wgpu::QuerySet,
    labels: Vec<String>,
    untimed: u64,
}

impl EncoderTimestamps {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let query_set = device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("pikafx pass timestamps"),
            ty: wgpu::QueryType::Timestamp,
            count: 2 * PASSES_PER_ENCODER,
        });
        Self { query_set, labels: Vec::new(), untimed: 0 }
    }

    /// The timestamp writes for the next pass, labelled `label` (`None`
    /// once the encoder's queries are used up).
    pub(crate) fn next_pass(&mut self, label: &str) -> Option<(wgpu::QuerySet, u32)> {
        let index = self.labels.len() as u32;
        if index >= PASSES_PER_ENCODER {
            self.untimed += 1;
            return None;
        }
        self.labels.push(label.to_owned());
        Some((self.query_set.clone(), 2 * index))
    }

    /// Records the resolve of this encoder's timestamps into a buffer that
    /// can be read once `encoder` has run.
    pub(crate) fn resolve(self, device: &wgpu::Device, encoder: &mut wgpu::CommandEncoder) -> SubmittedTimestamps {
        let queries = 2 * self.labels.len() as u32;
        let bytes = u64::from(queries.max(1)) * u64::from(wgpu::QUERY_SIZE);
        let resolved = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pikafx pass timestamps (resolved)"),
            size: bytes.next_multiple_of(wgpu::QUERY_RESOLVE_BUFFER_ALIGNMENT),
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readable = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pikafx pass timestamps (read)"),
            size: bytes,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        if queries > 0 {
            encoder.resolve_query_set(&self.query_set, 0..queries, &resolved, 0);
            encoder.copy_buffer_to_buffer(&resolved, 0, &readable, 0, bytes);
        }
        SubmittedTimestamps { buffer: readable, labels: self.labels, untimed: self.untimed }
    }
}

/// One submitted encoder's timestamps, to read once it has run.
pub(crate) struct SubmittedTimestamps {
    buffer: wgpu::Buffer,
    labels: Vec<String>,
    untimed: u64,
}

/// The pass timing of a [`GpuContext`]: submitted timestamps not read yet,
/// and the sums of those read.
pub(crate) struct PassTiming {
    /// Nanoseconds per timestamp tick.
    period_ns: f64,
    pending: Mutex<Vec<SubmittedTimestamps>>,
    sums: Mutex<Sums>,
}

#[derive(Default)]
struct Sums {
    per_label: BTreeMap<String, (u64, f64)>,
    untimed: u64,
}

impl PassTiming {
    pub(crate) fn new(period_ns: f32) -> Self {
        Self { period_ns: f64::from(period_ns), pending: Mutex::default(), sums: Mutex::default() }
    }

    /// Keeps `submitted` until it is read; reads the older ones when too
    /// many wait (a long run with timing on).
    pub(crate) fn submitted(&self, gpu: &GpuContext, submitted: SubmittedTimestamps) -> Result<(), GpuError> {
        let overflow = {
            let mut pending = lock(&self.pending);
            pending.push(submitted);
            if pending.len() > MAX_PENDING { std::mem::take(&mut *pending) } else { Vec::new() }
        };
        self.read(gpu, overflow)
    }

    /// Waits for the GPU, reads every submitted timestamp and returns the
    /// sums since the last call (which it resets).
    pub(crate) fn take(&self, gpu: &GpuContext) -> Result<PassTimes, GpuError> {
        let pending = std::mem::take(&mut *lock(&self.pending));
        self.read(gpu, pending)?;
        let sums = std::mem::take(&mut *lock(&self.sums));
        let mut passes: Vec<PassTime> =
            sums.per_label.into_iter().map(|(label, (calls, total_ms))| PassTime { label, calls, total_ms }).collect();
        passes.sort_by(|a, b| b.total_ms.total_cmp(&a.total_ms));
        Ok(PassTimes { passes, untimed: sums.untimed })
    }

    fn read(&self, gpu: &GpuContext, submitted: Vec<SubmittedTimestamps>) -> Result<(), GpuError> {
        for one in submitted {
            let mut durations = Vec::with_capacity(one.labels.len());
            if !one.labels.is_empty() {
                let view = super::recorder::map_and_wait(gpu, &one.buffer)?;
                for pair in view.chunks_exact(16) {
                    let tick = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
                    let (begin, end) = (tick(&pair[..8]), tick(&pair[8..]));
                    durations.push(end.saturating_sub(begin) as f64 * self.period_ns / 1e6);
                }
            }
            let mut sums = lock(&self.sums);
            sums.untimed += one.untimed;
            for (label, ms) in one.labels.into_iter().zip(durations) {
                let entry = sums.per_label.entry(label).or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 += ms;
            }
        }
        Ok(())
    }
}

/// A lock that a panic elsewhere does not poison: sums stay usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
