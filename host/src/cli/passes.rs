//! The GPU time per pass that `--passes` prints (`pikafx plugin bench`,
//! `pikafx apply`): as a table for people and as JSON rows.

use crate::gpu::PassTimes;

/// One JSON row per pass label, per frame over `frames` frames.
pub(crate) fn json_rows(passes: &PassTimes, frames: f64) -> Vec<serde_json::Value> {
    passes
        .passes
        .iter()
        .map(|pass| {
            serde_json::json!({
                "pass": pass.label,
                "calls_per_frame": pass.calls as f64 / frames,
                "gpu_ms_per_frame": pass.total_ms / frames,
            })
        })
        .collect()
}

/// Prints the passes, the most expensive first, per frame over `frames`.
pub(crate) fn print_table(passes: &PassTimes, frames: f64) {
    let total: f64 = passes.passes.iter().map(|p| p.total_ms).sum::<f64>() / frames;
    println!("  GPU time per pass (ms/frame, timestamp queries; {total:.2} ms/frame in all):");
    for pass in &passes.passes {
        let ms = pass.total_ms / frames;
        let share = if total > 0.0 { 100.0 * ms / total } else { 0.0 };
        println!("    {ms:8.3} {share:5.1}%  x{:<4} {}", pass.calls as f64 / frames, pass.label);
    }
    if passes.untimed > 0 {
        println!("    ({} passes ran untimed: too many in one frame)", passes.untimed);
    }
}
