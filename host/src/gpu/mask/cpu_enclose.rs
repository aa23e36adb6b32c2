//! The mask's hole filling (`enclose_rows` and `enclose_columns` in
//! `shaders/subject_mask.wgsl`, which explains the rule) on the CPU, for
//! software adapters.
//!
//! On lavapipe the two scan passes cost ~1.8 ms a 720p frame: each
//! invocation walks a whole grid row or column, a dependent texture load
//! and store per step. The CPU path reads the fused grid back for the
//! upsample anyway, so there the same scans run over memory, with no pass
//! to wait for. Same rule and the same arithmetic (the matte clip
//! included), so both paths agree but for the shader storing its result as
//! half floats.

/// Grid values above this are subject for the enclosure.
const SUBJECT: f32 = 0.5;
/// How far a hole's edge may be from the subject in each direction, as a
/// fraction of the grid's long side (`ENCLOSE_REACH` in the shader).
const REACH: f32 = 0.25;
/// Fused values up to this become 0 (`CLIP_BLACK` in the shader).
const CLIP_BLACK: f32 = 0.3;
/// Fused values from this become 1 (`CLIP_WHITE` in the shader).
const CLIP_WHITE: f32 = 0.7;

/// `mask` (a `width` x `height` grid, row-major) with what the subject
/// encloses filled, then clipped ([`clip_matte`]): a value that has subject
/// within reach in all four axis directions becomes at least the largest of
/// the nearest subject value in each.
pub(super) fn enclose(mask: &[f32], width: usize, height: usize) -> Vec<f32> {
    if mask.len() != width * height {
        return mask.to_vec();
    }
    let reach = (width.max(height) as f32 * REACH).ceil() as usize;
    let n = mask.len();
    let (mut left, mut right, mut up, mut down) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for y in 0..height {
        let row = (0..width).map(|x| y * width + x);
        nearest_subject(mask, row.clone(), reach, &mut left);
        nearest_subject(mask, row.rev(), reach, &mut right);
    }
    for x in 0..width {
        let column = (0..height).map(|y| y * width + x);
        nearest_subject(mask, column.clone(), reach, &mut up);
        nearest_subject(mask, column.rev(), reach, &mut down);
    }
    (0..n)
        .map(|i| {
            let (l, r, u, d) = (left[i], right[i], up[i], down[i]);
            let enclosed = if l.min(r).min(u.min(d)) > 0.0 { l.max(r).max(u.max(d)) } else { 0.0 };
            clip_matte(mask[i].max(enclosed))
        })
        .collect()
}

/// The matte's clip black and clip white (`CLIP_BLACK`, `CLIP_WHITE` and
/// `clip_matte` in the shader, which says why): 0 up to 0.3, 1 from 0.7,
/// linear between.
fn clip_matte(m: f32) -> f32 {
    ((m - CLIP_BLACK) / (CLIP_WHITE - CLIP_BLACK)).clamp(0.0, 1.0)
}

/// Walks the grid indices of one line (a row or column, in the direction
/// `line` goes) and stores, for each, the value of the last subject texel
/// before it on the line if that is at most `reach` steps back, else 0.
fn nearest_subject(mask: &[f32], line: impl Iterator<Item = usize>, reach: usize, out: &mut [f32]) {
    let mut last: Option<(usize, f32)> = None;
    for (step, i) in line.enumerate() {
        out[i] = match last {
            Some((at, value)) if step - at <= reach => value,
            _ => 0.0,
        };
        if mask[i] > SUBJECT {
            last = Some((step, mask[i]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width` x `height` grid of 0 with the texels where `subject` is
    /// true set to `value`.
    fn grid(width: usize, height: usize, value: f32, subject: impl Fn(usize, usize) -> bool) -> Vec<f32> {
        (0..width * height).map(|i| if subject(i % width, i / width) { value } else { 0.0 }).collect()
    }

    #[test]
    fn a_hole_inside_the_subject_is_filled_and_the_outside_is_not() {
        // A 12x12 square ring (2 thick) on a 32x32 grid, around an 8x8 hole.
        let ring = |x: usize, y: usize| {
            (10..22).contains(&x) && (10..22).contains(&y) && !((12..20).contains(&x) && (12..20).contains(&y))
        };
        let mask = grid(32, 32, 0.8, ring);
        let closed = enclose(&mask, 32, 32);
        for y in 0..32 {
            for x in 0..32 {
                let inside = (10..22).contains(&x) && (10..22).contains(&y);
                let want = if inside { clip_matte(0.8) } else { 0.0 };
                assert!((closed[y * 32 + x] - want).abs() < 1e-6, "({x}, {y}): {}", closed[y * 32 + x]);
            }
        }
    }

    #[test]
    fn a_concavity_open_on_one_side_stays_open() {
        // A U: the gap between its arms is open at the top.
        let u = |x: usize, y: usize| {
            (8..24).contains(&y)
                && ((8..12).contains(&x) || (20..24).contains(&x) || (20..24).contains(&y))
                && (8..24).contains(&x)
        };
        let mask = grid(32, 32, 1.0, u);
        let closed = enclose(&mask, 32, 32);
        assert_eq!(closed, mask, "1 and 0 clip to themselves, and nothing is filled");
    }

    #[test]
    fn subject_further_than_the_reach_does_not_enclose() {
        // Two bars 20 apart on a 32-wide grid (reach 8) with a roof and a
        // floor: the middle is more than the reach from both bars.
        let walls = |x: usize, y: usize| x == 4 || x == 25 || ((4..26).contains(&x) && (y == 4 || y == 27));
        let mask = grid(32, 32, 1.0, walls);
        let closed = enclose(&mask, 32, 32);
        assert_eq!(closed[16 * 32 + 15], 0.0, "the middle is out of reach");
        // Near a wall (within reach of it) the sides are still too far.
        assert_eq!(closed[16 * 32 + 6], 0.0);
    }

    #[test]
    fn the_matte_is_clipped_black_and_white_and_keeps_one_half() {
        assert_eq!(clip_matte(0.1), 0.0);
        assert_eq!(clip_matte(0.9), 1.0);
        assert!((clip_matte(0.5) - 0.5).abs() < 1e-6);
        assert!(clip_matte(0.3) < clip_matte(0.31));
    }

    #[test]
    fn a_filled_texel_takes_the_largest_of_the_four_nearest_values() {
        // A 1-texel hole with different subject values around it.
        let mut mask = vec![0.0; 9];
        mask[1] = 0.6; // up
        mask[3] = 0.7; // left
        mask[5] = 0.8; // right
        mask[7] = 0.9; // down
        let closed = enclose(&mask, 3, 3);
        assert_eq!(closed[4], clip_matte(0.9));
        // Corners have no subject beyond them on two sides.
        assert_eq!(closed[0], 0.0);
    }
}
