//! The `pikafx` binary: every error ends here as one line and exit code 1.

fn main() -> std::process::ExitCode {
    quiet_wayland_probe();
    match pikafx::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` joins the context chain into one line.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The Vulkan driver probes for a Wayland display while wgpu enumerates
/// adapters, and libwayland prints "error: XDG_RUNTIME_DIR is invalid" when
/// the variable is unset (headless servers, CI). That line looks like one
/// of ours, so point the variable at the temp directory when it is unset.
fn quiet_wayland_probe() {
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        // SAFETY: called first thing in `main`, before any thread exists, so
        // nothing can read the environment concurrently.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", std::env::temp_dir()) };
    }
}
