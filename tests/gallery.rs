//! `pikafx gallery`: sheets, an index and animated previews.

mod common;

use common::*;

#[test]
fn gallery_renders_sheets_an_index_and_blended_stacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = testsrc(dir.path(), "sample.mp4", "160x120", 10, 1.0);
    let stack = dir.path().join("noir-over-thermal.json");
    std::fs::write(&stack, r#"{"layers": [{"effect": "style/thermal"}, {"effect": "style/noir", "mix": 0.5}]}"#)
        .expect("stack");
    let out = dir.path().join("gallery");
    let s = |p: &std::path::Path| p.to_str().expect("utf-8").to_owned();
    pikafx_ok(&[
        "gallery",
        &s(&clip),
        "-o",
        &s(&out),
        "--only",
        "style/noir",
        "--stack",
        &s(&stack),
        "--frames",
        "3",
        "--cell-width",
        "100",
        "--animated",
    ]);
    for name in ["style-noir", "stack-noir-over-thermal"] {
        let sheet = image::open(out.join(format!("{name}.png"))).expect("a PNG sheet").to_rgb8();
        // Three 100x75 cells per row, two rows, 4 px gaps.
        assert_eq!((sheet.width(), sheet.height()), (3 * 104 + 4, 2 * 79 + 4), "{name}");
        let mp4 = out.join(format!("{name}.mp4"));
        assert_eq!(dimensions(&mp4), (160, 120), "{name} animated");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&mp4).expect("metadata").permissions().mode();
        assert_ne!(mode & 0o044, 0, "outputs are ordinary readable files, not tempfile's 0600: {mode:o}");
    }
    let index = std::fs::read_to_string(out.join("README.md")).expect("index");
    assert!(index.contains("(style-noir.png)") && index.contains("(stack-noir-over-thermal.png)"), "{index}");
    assert!(index.contains("`style/thermal` then `style/noir` (mix 0.5)"), "{index}");
    assert!(!index.contains("style-film"), "--only filters: {index}");

    let missing = pikafx_err(&["gallery", &s(&clip), "-o", &s(&out), "--only", "no-such-effect"]);
    assert!(missing.contains("nothing to render"), "{missing}");
}
