//! The clip the Pikaffect property tests film, the render they run on it
//! and the pixel measures they share. Pikaffects act on the subject that
//! the host's mask finds; an orange box on a dark blue gradient is a subject
//! the mask finds and whose pixels a colour threshold tells from the
//! background after an effect, so a test can see what an effect did by
//! counting and locating them.

use std::path::{Path, PathBuf};

use super::{lossless_clip, mean_abs_diff, pikafx_ok, rgb_frames};

/// Frame width of every scene: small, as each test renders several clips.
pub const W: usize = 160;
/// Frame height of every scene.
pub const H: usize = 120;

/// Left edge of the box of [`SUBJECT`]; the tests place what they measure
/// (cuts, dents, eye lines, where pieces land) relative to BX, BY and BS.
pub const BX: usize = 56;
/// Top edge of the box of [`SUBJECT`].
pub const BY: usize = 34;
/// Side of the box of [`SUBJECT`].
pub const BS: usize = 48;

/// The dark gradient behind the box: blue above red everywhere, so no
/// background pixel passes [`is_orange`] and a filled-in hole is told from
/// the subject and from black.
#[derive(Clone, Copy)]
pub struct Gradient {
    /// The end colour (`c1`); every scene starts from 0x183050.
    pub c1: &'static str,
    /// `(x0, y0, x1, y1)`: where the gradient runs. `None` leaves the
    /// direction to ffmpeg, which draws it at random (from `seed`).
    pub ends: Option<(usize, usize, usize, usize)>,
    /// ffmpeg's `seed`. `None` draws a new background on every run: the
    /// subject mask, and so what an effect does, then varies a little, and
    /// a failure may not reproduce.
    pub seed: Option<u32>,
}

/// A 1 s clip of an orange box on a [`Gradient`], encoded losslessly so
/// that compression does not blur the pixel measures.
#[derive(Clone, Copy)]
pub struct Scene {
    /// The clip's file name; scenes made in one directory need their own.
    pub name: &'static str,
    /// The box's left edge.
    pub x: usize,
    /// The box's top edge.
    pub y: usize,
    /// The box's side.
    pub size: usize,
    /// Frames per second, and so the clip's frame count.
    pub fps: usize,
    /// `yuv420p` or `yuv444p`: 4:2:0 softens the box's colour edges, which
    /// some tests allow for and others cannot.
    pub pix_fmt: &'static str,
    /// The background.
    pub gradient: Gradient,
}

/// The scene most tests film: the box at (BX, BY), 10 fps, 4:2:0, on a
/// seeded gradient; a test's scene is this with what it needs changed.
pub const SUBJECT: Scene = Scene {
    name: "subject.mp4",
    x: BX,
    y: BY,
    size: BS,
    fps: 10,
    pix_fmt: "yuv420p",
    gradient: Gradient { c1: "0x406080", ends: None, seed: Some(1) },
};

impl Scene {
    /// The lavfi graph that draws the scene; public for tests that draw
    /// more (markers, stripes) over the box. The options keep the order the
    /// tests were tuned with (a seed goes before the rate with the ends,
    /// after the duration without them) so that each test's clip is the
    /// same graph, byte for byte.
    pub fn filter(&self) -> String {
        let Gradient { c1, ends, seed } = self.gradient;
        let seed = seed.map(|s| format!(":seed={s}")).unwrap_or_default();
        let (pinned, after) = match ends {
            Some((x0, y0, x1, y1)) => (format!(":x0={x0}:y0={y0}:x1={x1}:y1={y1}{seed}"), String::new()),
            None => (String::new(), seed),
        };
        let (fps, x, y, s) = (self.fps, self.x, self.y, self.size);
        format!(
            "gradients=s={W}x{H}:c0=0x183050:c1={c1}{pinned}:r={fps}:d=1{after},\
             drawbox=x={x}:y={y}:w={s}:h={s}:color=orange:t=fill"
        )
    }

    /// Draws the scene into `dir`; returns the clip's path.
    pub fn make(&self, dir: &Path) -> PathBuf {
        lossless_clip(dir, self.name, &self.filter(), self.pix_fmt)
    }

    /// (width, height, frames) of a render of the scene: an effect keeps
    /// the frame size and renders every frame.
    pub const fn expect(&self) -> (usize, usize, usize) {
        (W, H, self.fps)
    }
}

/// Renders `effect` (`pikaffect/<id>`) over `clip` losslessly into
/// `dir/name`, asserts the output's (width, height, frames) is `expect`
/// and returns its RGB24 frames. `params` are `NAME=VALUE`: the `<id>.`
/// that `--param` wants is added here, so that a test names parameters as
/// the effect's manifest does.
pub fn render_effect(
    dir: &Path,
    clip: &Path,
    effect: &str,
    params: &[&str],
    name: &str,
    expect: (usize, usize, usize),
) -> Vec<Vec<u8>> {
    let out = dir.join(name);
    let id = effect.trim_start_matches("pikaffect/");
    let params: Vec<String> = params.iter().map(|p| format!("{id}.{p}")).collect();
    let mut args = vec!["apply", clip.to_str().expect("utf-8"), "--effect", effect, "--crf", "0"];
    for p in &params {
        args.extend(["--param", p.as_str()]);
    }
    args.extend(["-o", out.to_str().expect("utf-8")]);
    pikafx_ok(&args);
    let (frames, w, h) = rgb_frames(&out);
    assert_eq!((w as usize, h as usize), (expect.0, expect.1), "the frame size is kept");
    assert_eq!(frames.len(), expect.2, "every frame is rendered");
    frames
}

/// The box's orange, lit as drawn: red high, green above the background's,
/// little blue. Tests whose effects recolour the box use their own test.
pub fn is_orange(px: &[u8]) -> bool {
    px[0] > 150 && px[1] > 90 && px[2] < 80
}

/// The RGB values of the pixel at (x, y) of a packed RGB24 frame.
pub fn px(frame: &[u8], x: usize, y: usize) -> &[u8] {
    &frame[(y * W + x) * 3..(y * W + x) * 3 + 3]
}

/// A `keep` for the measures below that takes the whole frame.
pub fn everywhere(_x: usize, _y: usize) -> bool {
    true
}

/// The box of [`SUBJECT`] shrunk by `inset` pixels on each side (an inset
/// keeps a measure clear of the edges that 4:2:0 softens), as a `keep`.
pub fn in_box(inset: usize) -> impl Fn(usize, usize) -> bool {
    move |x, y| (BX + inset..BX + BS - inset).contains(&x) && (BY + inset..BY + BS - inset).contains(&y)
}

/// The RGB values of the pixels of `frame` for which `keep(x, y)` holds.
pub fn region(frame: &[u8], keep: impl Fn(usize, usize) -> bool) -> Vec<u8> {
    frame.chunks(3).enumerate().filter(|(i, _)| keep(i % W, i / W)).flat_map(|(_, px)| px.to_vec()).collect()
}

/// How many pixels of `frame` in `keep` satisfy `test`.
pub fn count(frame: &[u8], keep: impl Fn(usize, usize) -> bool, test: impl Fn(&[u8]) -> bool) -> usize {
    region(frame, keep).chunks(3).filter(|p| test(p)).count()
}

/// (count, centroid x, centroid y) of the pixels of `frame` in `keep` that
/// satisfy `test`; the centroid of none is (0, 0), so check the count.
pub fn centroid(frame: &[u8], keep: impl Fn(usize, usize) -> bool, test: impl Fn(&[u8]) -> bool) -> (usize, f64, f64) {
    let (mut n, mut sx, mut sy) = (0, 0.0, 0.0);
    for (i, px) in frame.chunks(3).enumerate() {
        let (x, y) = (i % W, i / W);
        if keep(x, y) && test(px) {
            n += 1;
            sx += x as f64;
            sy += y as f64;
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

/// The count and bounding box (min x, min y, max x, max y) of the pixels
/// of `frame` in `keep` that satisfy `test`.
pub fn bounding_box(
    frame: &[u8],
    keep: impl Fn(usize, usize) -> bool,
    test: impl Fn(&[u8]) -> bool,
) -> (usize, [usize; 4]) {
    let mut n = 0;
    let mut b = [usize::MAX, usize::MAX, 0, 0];
    for (i, px) in frame.chunks(3).enumerate() {
        let (x, y) = (i % W, i / W);
        if keep(x, y) && test(px) {
            n += 1;
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    (n, b)
}

/// The mean of packed values (channels alike); 0 for none, so that a
/// region an effect emptied reads as dark rather than failing every
/// comparison as NaN.
pub fn mean(values: &[u8]) -> f64 {
    values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len().max(1) as f64
}

/// Which edges of the frame a border measure takes.
#[derive(Clone, Copy)]
pub enum Edges {
    /// All four.
    All,
    /// Left, top and right: for effects whose pieces fall out through the
    /// bottom edge.
    NoBottom,
}

/// Whether (x, y) lies within `margin` pixels of one of `edges`: far from
/// the subject, where a Pikaffect must leave the source as it is.
pub fn on_border(x: usize, y: usize, margin: usize, edges: Edges) -> bool {
    x < margin || y < margin || x >= W - margin || (matches!(edges, Edges::All) && y >= H - margin)
}

/// The RGB values of the pixels of `frame` on its border (see [`on_border`]).
pub fn border(frame: &[u8], margin: usize, edges: Edges) -> Vec<u8> {
    region(frame, |x, y| on_border(x, y, margin, edges))
}

/// Mean absolute difference per channel (0..255) between the borders of
/// two frames (see [`on_border`]).
pub fn border_diff(a: &[u8], b: &[u8], margin: usize, edges: Edges) -> f64 {
    mean_abs_diff(&border(a, margin, edges), &border(b, margin, edges))
}

/// What every Pikaffect keeps, on a clip of the [`SUBJECT`] box: the source
/// shows its orange box, frame 0 (progress 0) is the source and the 10-px
/// border is the source's on every frame.
pub fn assert_keeps_source(source: &[Vec<u8>], out: &[Vec<u8>], what: &str) {
    let area = count(&source[0], everywhere, is_orange);
    assert!(area >= BS * BS * 9 / 10, "the source has its orange box: {area}");
    let first = mean_abs_diff(&source[0], &out[0]);
    assert!(first < 1.0, "{what}: with progress 0 the frame is unchanged (diff {first:.2})");
    for (i, (s, o)) in source.iter().zip(out).enumerate() {
        let diff = border_diff(s, o, 10, Edges::All);
        assert!(diff < 2.0, "{what}: frame {i}: the border far from the subject stays (diff {diff:.2})");
    }
}
