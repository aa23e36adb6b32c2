//! Property tests of the Pikaffects `cake-ify`, `peel` and `tear`: on a clip
//! with a known subject (an orange box on a dark gradient), a knife cuts the
//! box and its halves part to show sponge and cream / the box peels off from
//! the chosen side showing a pale back / the box tears in two along a seeded
//! jagged line and the halves pull apart; each time the frame border stays
//! the source's, the first frame is the source and renders are
//! deterministic.

mod common;

use common::subject::*;
use common::*;

/// (width, height, frames) of every render here.
const OUT: (usize, usize, usize) = SUBJECT.expect();

/// The box's centre column (the cut and the tear run through the subject's
/// centroid as the mask sees it: about here).
const CX: usize = BX + BS / 2;

/// The colour of `px` as (green / red, blue / red): what shading (a
/// multiplication) leaves unchanged.
fn tint(px: &[u8]) -> (f64, f64) {
    let r = f64::from(px[0].max(1));
    (f64::from(px[1]) / r, f64::from(px[2]) / r)
}

/// The leftmost and rightmost orange columns among rows `rows`.
fn orange_span(frame: &[u8], rows: std::ops::Range<usize>) -> (usize, usize) {
    let (mut lo, mut hi) = (W, 0);
    for y in rows {
        for x in 0..W {
            if is_orange(px(frame, x, y)) {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    (lo, hi)
}

#[test]
fn cake_ify_cuts_the_subject_and_shows_sponge_and_cream() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render_effect(dir.path(), &clip, "pikaffect/cake-ify", &[], "cake.mp4", OUT);
    assert_keeps_source(&source, &out, "cake-ify");

    // The cut runs through the subject's centroid (as the mask sees it): the
    // darkest column of the box once the knife is through.
    let column_mean = |f: &[u8], x: usize| mean(&region(f, |cx, cy| cx == x && (BY + 4..BY + BS - 4).contains(&cy)));
    let cut = (BX + 8..BX + BS - 8)
        .min_by(|a, b| column_mean(&out[4], *a).total_cmp(&column_mean(&out[4], *b)))
        .unwrap_or(CX);
    assert!(cut.abs_diff(CX) <= 6, "the cut is down the middle: x = {cut}");

    // While the knife comes down, a dark seam runs down that column from
    // the top, deeper on each frame, and nothing has parted yet.
    let seam_depth =
        |f: &[u8]| (BY + 1..BY + BS - 1).take_while(|&y| (cut - 1..=cut + 1).any(|x| !is_orange(px(f, x, y)))).count();
    let depths: Vec<usize> = (0..5).map(|i| seam_depth(&out[i])).collect();
    assert_eq!(depths[0], 0, "no seam before the cut: {depths:?}");
    assert!(depths[1] > 0 && depths[1] < depths[2] && depths[2] < depths[3], "the cut runs down: {depths:?}");
    assert!(depths[4] >= BS - 3, "the cut goes all the way through: {depths:?}");
    for i in 1..5 {
        let n = count(&out[i], everywhere, is_orange);
        assert!(
            n * 100 >= count(&source[i], everywhere, is_orange) * 90,
            "frame {i}: the box is whole while it is cut: {n}"
        );
    }
    // The knife: a steel-grey blade above the box at some point of the cut.
    let above = |x: usize, y: usize| (cut - 3..cut + 4).contains(&x) && (BY - 16..BY - 1).contains(&y);
    let steel = |p: &[u8]| p[0] > 100 && p[0] < 250 && (i32::from(p[0]) - i32::from(p[2])).abs() < 30;
    let knife = (1..5).map(|i| count(&out[i], above, steel)).max().unwrap_or(0);
    assert!(knife >= 8, "a knife blade shows above the box while it cuts: {knife} px");
    assert_eq!(count(&source[2], above, steel), 0);

    // At the end the halves have parted: the box reaches beyond its old
    // sides, and the gap between them shows cake (sponge and cream) and,
    // in the middle, the background.
    let (lo, hi) = orange_span(&out[9], BY + 4..BY + BS - 4);
    assert!(lo + 8 <= BX && hi >= BX + BS + 7, "the halves part by about 24 px: {lo}..{hi}");
    let gap = |x: usize, y: usize| (cut - 12..cut + 12).contains(&x) && (BY + 4..BY + BS - 4).contains(&y);
    // The default sponge is (219, 163, 87): g/r 0.74, b/r 0.40, however lit.
    let sponge = |p: &[u8]| {
        let (g, b) = tint(p);
        p[0] > 90 && (0.64..0.84).contains(&g) && (0.25..0.55).contains(&b)
    };
    // Cream (250, 242, 230), however lit: bright in all channels, not blue
    // (its thin stripes take some chroma from their neighbours in 4:2:0).
    let cream = |p: &[u8]| p[0] > 170 && p[1] > 160 && p[2] > 140 && p[2] <= p[0];
    let (sp, cr) = (count(&out[9], gap, sponge), count(&out[9], gap, cream));
    assert!(sp > 150, "the cut faces are sponge: {sp} px");
    assert!(cr > 40, "with cream and frosting: {cr} px");
    assert_eq!(count(&source[9], gap, sponge) + count(&source[9], gap, cream), 0);
    let middle = region(&out[9], |x, y| (cut - 1..cut + 1).contains(&x) && (BY + 4..BY + BS - 4).contains(&y));
    // The background 22..30 px beside the box, on the same rows.
    let beside = |x: usize| (BX - 30..BX - 22).contains(&x) || (BX + BS + 22..BX + BS + 30).contains(&x);
    let bg = region(&source[9], |x, y| beside(x) && (BY + 4..BY + BS - 4).contains(&y));
    assert!(
        (mean(&middle) - mean(&bg)).abs() < 25.0,
        "the middle of the gap is background: {:.1} vs {:.1}",
        mean(&middle),
        mean(&bg)
    );
    // The parting grows over the second half only.
    let spans: Vec<usize> = (5..10).map(|i| orange_span(&out[i], BY + 4..BY + BS - 4)).map(|(l, h)| h - l).collect();
    assert!(spans.windows(2).all(|w| w[1] >= w[0]) && spans[4] > spans[0] + 15, "the halves part: {spans:?}");

    // The parameters: a chocolate sponge; more layers, more cream stripes.
    let params = ["sponge=#6b3a1e", "layers=6"];
    let choc = render_effect(dir.path(), &clip, "pikaffect/cake-ify", &params, "cake-choc.mp4", OUT);
    // #6b3a1e: g/r 0.54, b/r 0.28.
    let dark = |p: &[u8]| {
        let (g, b) = tint(p);
        p[0] > 50 && (0.44..0.62).contains(&g) && (0.15..0.4).contains(&b)
    };
    assert!(count(&choc[9], gap, dark) > 150, "the sponge colour is the parameter's");
    assert!(count(&out[9], gap, dark) < 20, "and not by default");
    // Runs of cream down the columns of the faces (columns that are mostly
    // sponge, away from the frosting at the faces' ends): the stripes and
    // the frosting at the top and the bottom, the same in most columns.
    let stripes = |f: &[u8]| {
        let face = |x: usize| (BY + 4..BY + BS - 4).filter(|&y| sponge(px(f, x, y)) || dark(px(f, x, y))).count() >= 20;
        let runs = |x: usize| {
            let column: Vec<bool> = (BY - 4..BY + BS + 4).map(|y| cream(px(f, x, y))).collect();
            column.windows(2).filter(|w| w[1] && !w[0]).count()
        };
        let mut counts: Vec<usize> = (cut - 12..cut + 12).filter(|&x| face(x)).map(runs).collect();
        counts.sort_unstable();
        counts.get(counts.len() / 2).copied().unwrap_or(0)
    };
    let (six, three) = (stripes(&choc[9]), stripes(&out[9]));
    assert!(three == 4 && six == 7, "cream runs (2 + stripes) with 6 layers: {six}, with 3: {three}");

    let again = render_effect(dir.path(), &clip, "pikaffect/cake-ify", &[], "cake2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn peel_lifts_the_subject_off_from_the_chosen_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render_effect(dir.path(), &clip, "pikaffect/peel", &["from=left"], "peel-left.mp4", OUT);
    assert_keeps_source(&source, &out, "peel");

    // The box comes off: less of it on every frame, none at the end.
    let area = count(&source[0], everywhere, is_orange);
    let counts: Vec<usize> = out.iter().map(|f| count(f, everywhere, is_orange)).collect();
    assert!(counts.windows(2).all(|w| w[1] <= w[0] + area / 50), "it only ever peels off: {counts:?}");
    assert!(counts[5] * 10 < area * 8 && counts[5] * 10 > area * 2, "part of it is peeled mid-way: {counts:?}");
    assert!(counts[9] * 20 < area, "it is all peeled at the end: {counts:?}");

    // From the left: mid-way its left side is off, its right side still down.
    let left = |x: usize, y: usize| (BX + 2..BX + 10).contains(&x) && (BY + 4..BY + BS - 4).contains(&y);
    let right = |x: usize, y: usize| (BX + BS - 8..BX + BS - 2).contains(&x) && (BY + 4..BY + BS - 4).contains(&y);
    let orange = |p: &[u8]| is_orange(p);
    assert_eq!(count(&out[5], left, orange), 0, "the left side has come off");
    assert!(count(&out[5], right, orange) > 200, "the right side is still down");
    // What was under it is background (the fill), not a hole.
    let under = region(&out[5], left);
    assert!(mean(&under) > 40.0 && mean(&under) < 140.0, "the fill is background: {:.1}", mean(&under));

    // The curled part shows the sticker's pale back, lit and shaded: pale
    // pixels of several brightnesses in and right of the box.
    let pale = |p: &[u8]| p.iter().all(|c| *c > 150) && p[0] >= p[2];
    let reach = |x: usize, y: usize| (BX..BX + BS + 30).contains(&x) && (BY - 2..BY + BS + 6).contains(&y);
    let backs: Vec<usize> = out.iter().map(|f| count(f, reach, pale)).collect();
    assert!(backs[0] == 0 && backs[5] > 150 && backs[9] > 600, "the back shows: {backs:?}");
    let shades: std::collections::BTreeSet<u8> =
        region(&out[5], reach).chunks(3).filter(|p| pale(p)).map(|p| p[1] / 16).collect();
    assert!(shades.len() >= 3, "the curl is shaded: {shades:?}");
    // The peeled part lies on the far side, beyond where the box was.
    let beyond = |x: usize, y: usize| (BX + BS + 2..BX + BS + 30).contains(&x) && (BY..BY + BS).contains(&y);
    assert!(count(&out[9], beyond, pale) > 200, "the peeled sticker lies past the right side");

    // The backing colour is the parameter's.
    let blue =
        render_effect(dir.path(), &clip, "pikaffect/peel", &["from=left", "backing=#70a0ff"], "peel-blue.mp4", OUT);
    let bluish = |p: &[u8]| p[2] > 150 && i32::from(p[2]) > i32::from(p[0]) + 40;
    assert!(count(&blue[5], reach, bluish) > 150, "a blue back: {}", count(&blue[5], reach, bluish));
    assert_eq!(count(&out[5], reach, bluish), 0);

    // The default starts at the top-right corner: mid-way that corner is
    // off and the opposite one still down.
    let diagonal = render_effect(dir.path(), &clip, "pikaffect/peel", &[], "peel-corner.mp4", OUT);
    assert_keeps_source(&source, &diagonal, "peel from the corner");
    let corner =
        |cx: usize, cy: usize| move |x: usize, y: usize| (cx..cx + 8).contains(&x) && (cy..cy + 8).contains(&y);
    assert_eq!(count(&diagonal[4], corner(BX + BS - 9, BY + 1), orange), 0, "the top-right corner is off");
    assert!(count(&diagonal[4], corner(BX + 1, BY + BS - 9), orange) > 56, "the bottom-left one is down");

    let again = render_effect(dir.path(), &clip, "pikaffect/peel", &["from=left"], "peel-left2.mp4", OUT);
    assert!(out == again, "deterministic");
}

#[test]
fn tear_rips_the_subject_in_two_along_a_seeded_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clip = SUBJECT.make(dir.path());
    let (source, _, _) = rgb_frames(&clip);
    let out = render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=3"], "tear.mp4", OUT);
    assert_keeps_source(&source, &out, "tear");

    // A gap opens down the middle and widens: fewer orange pixels in the
    // centre band, frame after frame, none at the end.
    let band = |x: usize, y: usize| (CX - 3..CX + 3).contains(&x) && (BY + 4..BY + BS - 4).contains(&y);
    let orange = |p: &[u8]| is_orange(p);
    let left: Vec<usize> = out.iter().map(|f| count(f, band, orange)).collect();
    assert!(left.windows(2).all(|w| w[1] <= w[0] + 4) && left[0] > 200, "the gap widens: {left:?}");
    assert!(left[9] < 5, "the halves are apart at the end: {left:?}");
    // ... while the halves keep their paper: most of the box is still there,
    // pulled out past its old sides.
    let kept = count(&out[9], everywhere, is_orange) as f64 / count(&source[9], everywhere, is_orange) as f64;
    assert!(kept > 0.75, "the halves are moved, not removed: {kept:.2}");
    let (lo, hi) = orange_span(&out[9], BY + 8..BY + BS - 8);
    assert!(lo + 6 <= BX && hi >= BX + BS + 5, "pulled apart sideways: {lo}..{hi}");
    // The halves swing open about the tear's foot: the left half's top
    // edge moves further out than its bottom.
    let (top, _) = orange_span(&out[9], BY + 2..BY + 6);
    let (bottom, _) = orange_span(&out[9], BY + BS - 6..BY + BS - 2);
    assert!(top + 2 < bottom, "the halves tilt apart: top {top}, bottom {bottom}");
    // The gap shows the background, with paper-white torn edges.
    let gap_mean = mean(&region(&out[9], |x, y| (CX - 1..CX + 1).contains(&x) && (BY + 6..BY + BS - 6).contains(&y)));
    assert!(gap_mean > 40.0 && gap_mean < 140.0, "the gap is background: {gap_mean:.1}");
    let white = |p: &[u8]| p.iter().all(|c| *c > 190);
    let edges = |f: &[u8]| count(f, |x, y| (BX - 12..BX + BS + 12).contains(&x) && (BY..BY + BS).contains(&y), white);
    assert!(edges(&out[5]) > 30 && edges(&out[9]) > 30, "white torn edges: {} {}", edges(&out[5]), edges(&out[9]));
    assert_eq!(edges(&source[5]), 0);

    let again = render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=3"], "tear2.mp4", OUT);
    assert!(out == again, "deterministic");
    let other = render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=4"], "tear3.mp4", OUT);
    let inside = in_box(0);
    let moved = mean_abs_diff(&region(&out[5], &inside), &region(&other[5], &inside));
    assert!(moved > 2.0, "the seed changes the tear line: {moved:.2}");
    // With no jaggedness the line is straight whatever the seed.
    let straight = render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=3", "jagged=0"], "tear4.mp4", OUT);
    let straight2 =
        render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=4", "jagged=0", "fibres=0"], "tear5.mp4", OUT);
    let straight3 =
        render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=3", "jagged=0", "fibres=0"], "tear6.mp4", OUT);
    assert!(straight2 == straight3, "without jaggedness or fibres the seed does nothing");
    assert!(mean_abs_diff(&straight[5], &straight3[5]) > 0.1, "the fibres parameter shows");

    // The tear is jagged: the left half's torn edge strays from the best
    // straight line through it, by more the more jagged it is set; with
    // jaggedness 0 it is straight (if tilted as the half swings).
    let stray = |f: &[u8]| {
        let edge: Vec<(f64, f64)> = (BY + 4..BY + BS - 4)
            .map(|y| (y as f64, (BX + 4..BX + BS).find(|&x| !is_orange(px(f, x, y))).unwrap_or(0) as f64))
            .collect();
        let n = edge.len() as f64;
        let (my, mx) = (edge.iter().map(|e| e.0).sum::<f64>() / n, edge.iter().map(|e| e.1).sum::<f64>() / n);
        let slope = edge.iter().map(|(y, x)| (y - my) * (x - mx)).sum::<f64>()
            / edge.iter().map(|(y, _)| (y - my) * (y - my)).sum::<f64>();
        edge.iter().map(|(y, x)| (x - mx - slope * (y - my)).abs()).fold(0.0, f64::max)
    };
    let rough = render_effect(dir.path(), &clip, "pikaffect/tear", &["seed=3", "jagged=1"], "tear7.mp4", OUT);
    let (rough, default, straight) = (stray(&rough[3]), stray(&out[3]), stray(&straight3[3]));
    assert!(straight < 1.6, "with jaggedness 0 the edge is straight: {straight:.2} px off a line");
    assert!(default > straight + 0.3, "the torn edge zigzags: {default:.2} px off a line (straight: {straight:.2})");
    assert!(rough >= 2.5 && rough > straight + 1.5, "more so when more jagged: {rough:.2} vs {default:.2}");
}
