//! Renders run at a lower CPU priority than the HTTP server, so a busy
//! render pool (and the software GPU's rasterizer threads, which inherit
//! the priority of the thread that created the GPU device) does not slow
//! API requests down: the kernel runs the API threads first.
//!
//! Hand-written over `libc` because the one call needed is not worth a
//! dependency like `thread-priority`.

/// The nice value render threads run at (0 = normal, 19 = lowest).
pub const RENDER_NICENESS: i32 = 10;

/// Lowers the calling thread's priority to [`RENDER_NICENESS`]. Threads it
/// creates afterwards inherit it. Best effort: failures are logged.
pub fn lower_current_thread() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid has no preconditions; setpriority with PRIO_PROCESS
        // and a thread id changes only that thread's nice value on Linux.
        let result = unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, RENDER_NICENESS)
        };
        if result != 0 {
            tracing::warn!("could not lower the render thread's priority: {}", std::io::Error::last_os_error());
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn lowers_only_the_calling_thread() {
        // SAFETY: reading the calling thread's priority has no preconditions.
        let nice_of_this_thread = || unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        let before = nice_of_this_thread();
        let lowered = std::thread::spawn(move || {
            super::lower_current_thread();
            nice_of_this_thread()
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, super::RENDER_NICENESS.max(before));
        assert_eq!(nice_of_this_thread(), before, "the caller keeps its priority");
    }
}
