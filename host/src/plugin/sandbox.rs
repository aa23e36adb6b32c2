//! The sandbox a plugin runs in: memory cap, call deadlines, and a WASI
//! context with no capabilities whose clocks and randomness are
//! deterministic, so that a render is a pure function of its inputs.

use rand::SeedableRng;
use std::time::Duration;
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder};

/// Limits for one plugin instance.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Linear memory a plugin may grow to, in bytes (default 256 MiB).
    pub memory_limit: usize,
    /// Wall-clock budget of one `render` call.
    pub render_timeout: Duration,
    /// Wall-clock budget of `create` and `describe` (script runtimes start up there).
    pub setup_timeout: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self { memory_limit: 256 << 20, render_timeout: Duration::from_secs(2), setup_timeout: Duration::from_secs(10) }
    }
}

impl SandboxConfig {
    pub(crate) fn store_limits(&self) -> TrackedLimits {
        TrackedLimits {
            limits: StoreLimitsBuilder::new()
                .memory_size(self.memory_limit)
                .instances(64)
                .tables(64)
                .memories(16)
                .trap_on_grow_failure(true)
                .build(),
            peak_memory: 0,
        }
    }
}

/// wasmtime's [`StoreLimits`], plus the largest linear memory a plugin has
/// grown to (reported by `pikafx plugin bench`).
pub(crate) struct TrackedLimits {
    limits: StoreLimits,
    pub(crate) peak_memory: usize,
}

impl ResourceLimiter for TrackedLimits {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if allowed {
            self.peak_memory = self.peak_memory.max(desired);
        }
        Ok(allowed)
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn table_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.table_grow_failed(error)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// The fixed instant plugins see as "now": 2000-01-01T00:00:00Z.
const FIXED_WALL_CLOCK: Duration = Duration::from_secs(946_684_800);

/// A wall clock that always says [`FIXED_WALL_CLOCK`].
struct FixedWallClock;

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn now(&self) -> Duration {
        FIXED_WALL_CLOCK
    }
}

/// A monotonic clock that advances 1 µs per reading: deterministic, and
/// still strictly increasing for runtimes that measure elapsed time.
struct SteppingClock(std::sync::atomic::AtomicU64);

impl HostMonotonicClock for SteppingClock {
    fn resolution(&self) -> u64 {
        1_000
    }

    fn now(&self) -> u64 {
        self.0.fetch_add(1_000, std::sync::atomic::Ordering::Relaxed)
    }
}

/// A WASI context with no preopened directories, no environment, no
/// arguments, no network, null stdio, and clocks and randomness derived
/// from `seed` only.
pub(crate) fn wasi_context(seed: u64) -> WasiCtx {
    let mut builder = WasiCtxBuilder::new();
    builder
        .secure_random(rand::rngs::StdRng::seed_from_u64(seed))
        .insecure_random(rand::rngs::StdRng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15))
        .insecure_random_seed(u128::from(seed))
        .wall_clock(FixedWallClock)
        .monotonic_clock(SteppingClock(std::sync::atomic::AtomicU64::new(0)))
        .allow_ip_name_lookup(false)
        .allow_tcp(false)
        .allow_udp(false);
    builder.build()
}
