//! Property tests of the Pikaffects crystalize, explode and crumble: an
//! orange box (the subject) on a dark gradient, rendered losslessly, then
//! measured: where the orange pixels are, how flat the subject is, whether
//! the background far from the subject stays, determinism.

mod common;

use common::subject::{Edges, Gradient, Scene, border_diff, render_effect};
use common::*;

/// The box of the test clip: x, y, width, height.
const BOX: (u32, u32, u32, u32) = (50, 30, 60, 60);

/// A 160x120, 1 s, 25 fps clip: an orange box (the square `BOX`) on a dark
/// blue gradient, lossless.
const SCENE: Scene = Scene {
    name: "subject.mp4",
    x: BOX.0 as usize,
    y: BOX.1 as usize,
    size: BOX.2 as usize,
    fps: 25,
    pix_fmt: "yuv444p",
    gradient: Gradient { c1: "0x305070", ends: None, seed: None },
};

/// (width, height, frames) of a render of `SCENE`.
const OUT: (usize, usize, usize) = SCENE.expect();

/// Not `subject::is_orange`: green is free, and the areas and spreads
/// asserted here depend on these thresholds.
fn is_orange(px: &[u8]) -> bool {
    px[0] > 150 && px[2] < 80
}

/// Positions (x, y) of the orange pixels of a 160-wide frame.
fn orange_pixels(frame: &[u8]) -> Vec<(f64, f64)> {
    frame
        .chunks(3)
        .enumerate()
        .filter(|(_, px)| is_orange(px))
        .map(|(i, _)| ((i % 160) as f64, (i / 160) as f64))
        .collect()
}

/// Orange pixels inside the rows `y0..y1` of the box.
fn orange_in_box(frame: &[u8], y0: u32, y1: u32) -> usize {
    let (bx, _, bw, _) = BOX;
    orange_pixels(frame)
        .iter()
        .filter(|(x, y)| (bx..bx + bw).contains(&(*x as u32)) && (y0..y1).contains(&(*y as u32)))
        .count()
}

/// Mean and standard deviation of the orange pixels' x and y.
fn spread(frame: &[u8]) -> (f64, f64, f64, f64) {
    let px = orange_pixels(frame);
    let n = px.len().max(1) as f64;
    let (mx, my) = (px.iter().map(|p| p.0).sum::<f64>() / n, px.iter().map(|p| p.1).sum::<f64>() / n);
    let sx = (px.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>() / n).sqrt();
    let sy = (px.iter().map(|p| (p.1 - my).powi(2)).sum::<f64>() / n).sqrt();
    (mx, my, sx, sy)
}

/// The RGB pixels of the box interior (2 px inside its edges).
fn box_interior(frame: &[u8]) -> Vec<[u8; 3]> {
    let (bx, by, bw, bh) = BOX;
    let mut out = Vec::new();
    for y in by + 2..by + bh - 2 {
        for x in bx + 2..bx + bw - 2 {
            let i = ((y * 160 + x) * 3) as usize;
            out.push([frame[i], frame[i + 1], frame[i + 2]]);
        }
    }
    out
}

#[test]
fn crystalize_turns_the_subject_into_lit_facets_and_keeps_the_background() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["facet_size=100"];
    let frames = render_effect(dir.path(), &clip, "pikaffect/crystalize", &params, "crystal.mp4", OUT);
    assert_eq!(frames.len(), source.len());
    assert!(mean_abs_diff(&frames[0], &source[0]) < 1.5, "the first frame is the source");
    let last = frames.len() - 1;
    for (i, frame) in frames.iter().enumerate() {
        let d = border_diff(frame, &source[i], 10, Edges::All);
        assert!(d < 2.0, "frame {i}: the background stays ({d})");
    }

    let before = box_interior(&source[last]);
    let after = box_interior(&frames[last]);
    let levels = |px: &[[u8; 3]]| {
        let mut l: Vec<u32> = px.iter().map(|p| (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 24).collect();
        l.sort_unstable();
        l.dedup();
        l.len()
    };
    let bright = |px: &[[u8; 3]]| px.iter().filter(|p| p.iter().all(|c| *c > 200)).count();
    let flat_pairs = |px: &[[u8; 3]]| {
        let w = (BOX.2 - 4) as usize;
        let pairs: Vec<bool> = px
            .chunks(w)
            .flat_map(|row| row.windows(2).map(|p| (0..3).all(|c| p[0][c].abs_diff(p[1][c]) <= 6)))
            .collect();
        pairs.iter().filter(|f| **f).count() as f64 / pairs.len() as f64
    };
    eprintln!(
        "crystalize: levels {} -> {}, bright {} -> {}, flat {:.2} -> {:.2}",
        levels(&before),
        levels(&after),
        bright(&before),
        bright(&after),
        flat_pairs(&before),
        flat_pairs(&after)
    );
    assert!(levels(&before) <= 3, "the source box is flat");
    assert!(levels(&after) >= 8, "facets are lit differently: {} brightness levels", levels(&after));
    assert!(bright(&after) > 30 && bright(&before) == 0, "bright facet edges: {}", bright(&after));
    assert!(flat_pairs(&after) > 0.5, "within a facet the colour is flat: {}", flat_pairs(&after));
    assert!(orange_in_box(&frames[last], BOX.1, BOX.1 + BOX.3) < orange_in_box(&source[last], 0, 120) / 2);

    let again = render_effect(dir.path(), &clip, "pikaffect/crystalize", &params, "crystal-again.mp4", OUT);
    assert_eq!(frames, again, "deterministic");
}

#[test]
fn explode_scatters_fragments_outward_and_fills_the_hole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["fragment_size=100"];
    let frames = render_effect(dir.path(), &clip, "pikaffect/explode", &params, "explode.mp4", OUT);
    assert_eq!(frames.len(), source.len());
    assert!(mean_abs_diff(&frames[0], &source[0]) < 1.5, "the first frame is the source");
    for (i, frame) in frames.iter().enumerate().take(3) {
        let d = border_diff(frame, &source[i], 10, Edges::All);
        assert!(d < 2.0, "frame {i}: the background far away stays ({d})");
    }

    let area = orange_in_box(&source[0], 0, 120);
    let (_, _, sx0, sy0) = spread(&source[0]);
    let mid = frames.len() / 2;
    let (_, _, sx, sy) = spread(&frames[mid]);
    let left = orange_in_box(&frames[mid], 0, 120);
    let last = orange_pixels(&frames[frames.len() - 1]).len();
    eprintln!("explode: spread {sx0:.1},{sy0:.1} -> {sx:.1},{sy:.1}; box area {area} -> {left}; last {last}");
    assert!(sx > 1.8 * sx0 && sy > 1.8 * sy0, "fragments fly apart: {sx0:.1},{sy0:.1} -> {sx:.1},{sy:.1}");
    assert!(left * 3 < area, "the box empties: {area} -> {left}");
    assert!(!orange_pixels(&frames[mid]).is_empty(), "fragments are still visible mid-way");
    assert!(last * 20 < area, "the fragments fade out by the end: {last}");
    // The hole is filled with something like the background, not black.
    let hole = box_interior(&frames[frames.len() - 1]);
    let mean_blue = hole.iter().map(|p| f64::from(p[2])).sum::<f64>() / hole.len() as f64;
    assert!(mean_blue > 40.0, "the vacated area looks like the background: blue {mean_blue:.0}");

    let again = render_effect(dir.path(), &clip, "pikaffect/explode", &params, "explode-again.mp4", OUT);
    assert_eq!(frames, again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/explode", &[params[0], "seed=6"], "explode-seed.mp4", OUT);
    let diff = mean_abs_diff(&frames[mid], &other[mid]);
    assert!(diff > 0.5, "the seed changes the fragments (diff {diff:.2})");
}

/// A clip like `SCENE` with the box off-centre, on the left, and a fixed
/// gradient (its `seed`): how well the host's mask finds the box's centre
/// varies a little with the background.
const LEFT: Scene =
    Scene { name: "left.mp4", x: 16, y: 40, size: 40, gradient: Gradient { seed: Some(2), ..SCENE.gradient }, ..SCENE };

#[test]
fn explode_blasts_from_the_subjects_centre_unless_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = LEFT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let centred = render_effect(dir.path(), &clip, "pikaffect/explode", &["force=0.5"], "centred.mp4", LEFT.expect());
    // (0.7, 0.5): the blast 0.2 frame widths (32 px) right of the subject's centre.
    let offset = ["force=0.5", "center=[0.7,0.5]"];
    let shifted = render_effect(dir.path(), &clip, "pikaffect/explode", &offset, "offset.mp4", LEFT.expect());
    assert!(mean_abs_diff(&centred[0], &source[0]) < 1.5, "the first frame is the source");
    let (x0, _, sx0, _) = spread(&source[0]);
    // Early on, before fragments leave the frame: with the blast at the
    // subject's own centre they fly apart evenly about it; with the blast
    // to its right they all fly left. (The frame's centre, the old default,
    // is to the right of this subject too.)
    for i in [6, 8] {
        let (x, _, sx, _) = spread(&centred[i]);
        let (x_off, _, _, _) = spread(&shifted[i]);
        eprintln!(
            "explode frame {i}: centroid x {x0:.1} -> {x:.1} (offset blast {x_off:.1}), spread {sx0:.1} -> {sx:.1}"
        );
        assert!(
            (x - x0).abs() < 4.0 && sx > 1.3 * sx0,
            "frame {i}: fragments fly apart about the subject: {x:.1}, {sx:.1}"
        );
        assert!(x_off < x - 8.0, "frame {i}: an offset blast pushes them away from it: {x_off:.1} vs {x:.1}");
        let right = |f: &[u8]| -> Vec<u8> {
            f.chunks(3).enumerate().filter(|(j, _)| j % 160 >= 150).flat_map(|(_, px)| px.to_vec()).collect()
        };
        let d = mean_abs_diff(&right(&centred[i]), &right(&source[i]));
        assert!(d < 2.0, "frame {i}: the far side of the frame stays ({d:.2})");
    }
}

#[test]
fn crumble_falls_from_the_top_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SCENE.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let params = ["piece_size=40"];
    let frames = render_effect(dir.path(), &clip, "pikaffect/crumble", &params, "crumble.mp4", OUT);
    assert_eq!(frames.len(), source.len());
    assert!(mean_abs_diff(&frames[0], &source[0]) < 1.5, "the first frame is the source");
    for (i, frame) in frames.iter().enumerate() {
        let d = border_diff(frame, &source[i], 10, Edges::NoBottom);
        assert!(d < 2.0, "frame {i}: the background beside and above stays ({d})");
    }

    let (_, by, _, bh) = BOX;
    let third = bh / 3;
    let (_, y0, _, _) = spread(&source[0]);
    let mut descended = false;
    let mut top_first = false;
    for (i, frame) in frames.iter().enumerate() {
        let (_, y, _, _) = spread(frame);
        let top = orange_in_box(frame, by, by + third);
        let bottom = orange_in_box(frame, by + 2 * third, by + bh);
        eprintln!("crumble frame {i}: centroid y {y:.1} (source {y0:.1}), top {top}, bottom {bottom}");
        descended |= y > y0 + 6.0;
        top_first |= top * 3 < bottom && bottom > 600;
    }
    assert!(descended, "the orange centroid moves down");
    assert!(top_first, "the top of the subject empties while the bottom still stands");
    let last = orange_pixels(&frames[frames.len() - 1]).len();
    assert!(last * 20 < orange_pixels(&source[0]).len(), "the pieces are gone by the end: {last}");

    let again = render_effect(dir.path(), &clip, "pikaffect/crumble", &params, "crumble-again.mp4", OUT);
    assert_eq!(frames, again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/crumble", &[params[0], "seed=12"], "crumble-seed.mp4", OUT);
    let diff = mean_abs_diff(&frames[frames.len() / 2], &other[frames.len() / 2]);
    assert!(diff > 0.5, "the seed changes the crumbs (diff {diff:.2})");
}
