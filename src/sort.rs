//! One small stable sort for the lists of this crate, by comparator.
//!
//! `slice::sort_by` instantiates the whole of driftsort for each element type
//! and comparator: five call sites cost 24 KB of wasm (measured with twiggy).
//! Here the order is computed once, on indices, by one merge sort that every
//! call shares (the comparator is a `dyn FnMut`), and the elements are then
//! moved into place by swaps: O(n log n) comparisons for any input, no
//! allocation per comparison, and one small generic function per element type.
//! Callers compare fields in place (`|a, b| a.name.cmp(&b.name)`), never
//! building a key.

use std::cmp::Ordering;

/// Sorts `v` stably by `compare`.
///
/// ```
/// let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
/// flux_shard_metrics::sort::sort_by(&mut v, |x, y| x.0.cmp(&y.0));
/// assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
/// let mut names = vec!["b", "a", "c"];
/// flux_shard_metrics::sort::sort_by(&mut names, |x, y| x.cmp(y));
/// assert_eq!(names, ["a", "b", "c"]);
/// ```
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order = {
        let v: &[T] = v;
        sorted_indices(v.len(), &mut |a, b| compare(&v[a], &v[b]))
    };
    permute(v, &mut order);
}

/// The stable order of `n` items: `order[k]` is the index of the item that goes to position `k`.
/// Insertion sort up to 16 items, a bottom-up merge sort above.
fn sorted_indices(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && compare(a[j - 1], a[j]) == Ordering::Greater {
                a.swap(j - 1, j);
                j -= 1;
            }
        }
        return a;
    }
    let mut buf = a.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            for slot in &mut buf[start..end] {
                // Ties take the left run first: stable.
                if r >= end || (l < mid && compare(a[l], a[r]) != Ordering::Greater) {
                    *slot = a[l];
                    l += 1;
                } else {
                    *slot = a[r];
                    r += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut a, &mut buf);
        width *= 2;
    }
    a
}

/// Moves `v[order[k]]` to position `k`, cycle by cycle (each element moves once).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], DONE);
            if from == DONE || from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_the_standard_stable_sort(mut v in prop::collection::vec((0u8..5, any::<u16>()), 0..200)) {
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            super::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(v, expected);
        }
    }
}
