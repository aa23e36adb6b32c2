//! Property tests of `style/thermal`: brightness becomes heat colour.

mod common;

use common::*;

/// The mean RGB of an RGB24 frame's columns `x0..x1`.
fn columns_mean(frame: &[u8], width: u32, x0: u32, x1: u32) -> [f64; 3] {
    let mut sum = [0.0; 3];
    let mut n = 0.0;
    for (i, px) in frame.chunks(3).enumerate() {
        let x = i as u32 % width;
        if (x0..x1).contains(&x) {
            for c in 0..3 {
                sum[c] += f64::from(px[c]);
            }
            n += 1.0;
        }
    }
    sum.map(|s| s / n)
}

#[test]
fn thermal_maps_dark_to_cold_and_bright_to_hot() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A horizontal black-to-white ramp.
    let ramp = dir.path().join("ramp.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "gradients=s=256x64:c0=black:c1=white:x0=0:y0=32:x1=255:y1=32:d=0.5:r=10",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "10",
        "-pix_fmt",
        "yuv420p",
        ramp.to_str().expect("utf-8"),
    ]);
    let render = |palette: &str, name: &str| {
        let out = dir.path().join(name);
        pikafx_ok(&[
            "apply",
            ramp.to_str().expect("utf-8"),
            "--effect",
            "style/thermal",
            "--param",
            &format!("thermal.palette={palette}"),
            "--param",
            "thermal.contrast=1",
            "-o",
            out.to_str().expect("utf-8"),
        ]);
        let (frames, width, _) = rgb_frames(&out);
        (frames, width)
    };
    let (iron, width) = render("iron", "iron.mp4");
    let cold = columns_mean(&iron[0], width, 0, 20);
    let warm = columns_mean(&iron[0], width, 150, 190);
    let hot = columns_mean(&iron[0], width, 240, 256);
    assert!(cold.iter().all(|c| *c < 70.0), "black stays cold and dark: {cold:?}");
    assert!(warm[0] > warm[2] + 60.0, "mid-bright is orange-red in the iron palette: {warm:?}");
    assert!(hot.iter().all(|c| *c > 200.0), "white is white-hot: {hot:?}");
    let sums: Vec<f64> = (0..8).map(|i| columns_mean(&iron[0], width, i * 32, i * 32 + 32).iter().sum()).collect();
    assert!(sums.windows(2).all(|w| w[1] >= w[0] - 6.0), "heat rises with brightness: {sums:?}");

    let (white_hot, _) = render("white-hot", "white.mp4");
    assert!(mean_saturation(&white_hot[0]) < 0.05, "white-hot is grey");
    let (again, _) = render("iron", "iron-again.mp4");
    assert_eq!(iron, again, "deterministic");
}
