//! Splits a frame-sized CPU pass into bands of rows, one per core.
//!
//! The CPU passes of the mask run while the software GPU waits for their
//! result, so its threads are idle: the work can take every core. A scoped
//! thread per band is cheap next to a 720p pass (tens of microseconds
//! against milliseconds), and needs no thread-pool crate.

/// Most bands (threads) one pass uses.
const MAX_BANDS: usize = 4;

/// Calls `work(first_row, band)` for bands of `out`, which holds `rows`
/// rows of `row_len` items each; the bands run in parallel, the first on
/// the calling thread.
pub(super) fn for_each_band<T: Send>(
    out: &mut [T],
    row_len: usize,
    rows: usize,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    let bands = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_BANDS);
    let band_rows = rows.div_ceil(bands).max(1);
    if row_len == 0 {
        return;
    }
    let work = &work;
    std::thread::scope(|scope| {
        let mut chunks = out.chunks_mut(band_rows * row_len).enumerate();
        let first = chunks.next();
        for (i, chunk) in chunks {
            scope.spawn(move || work(i * band_rows, chunk));
        }
        if let Some((_, chunk)) = first {
            work(0, chunk);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_visited_once_with_its_index() {
        let (row_len, rows) = (3, 11);
        let mut out = vec![0usize; row_len * rows];
        for_each_band(&mut out, row_len, rows, |first, band| {
            for (i, item) in band.iter_mut().enumerate() {
                *item += first * row_len + i + 1;
            }
        });
        assert!(out.iter().enumerate().all(|(i, &v)| v == i + 1), "{out:?}");
    }
}
