//! One small stable sort for the short or nearly sorted lists of this crate.
//!
//! `slice::sort_by` instantiates the whole of driftsort for each element type:
//! five call sites cost 24 KB of wasm (measured with twiggy). Short lists
//! (pods of a Deployment, a sample's labels) are insertion-sorted; longer ones
//! (parse errors) get a bottom-up merge sort of (key, index) pairs, so no
//! input makes sorting quadratic.

/// Sorts `v` stably by `key`.
///
/// ```
/// let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
/// flux_shard_metrics::sort::sort_by_key(&mut v, |x| x.0);
/// assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
/// ```
pub fn sort_by_key<T, K: Ord + Clone>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    if v.len() <= 16 {
        sort_short_by_key(v, key);
        return;
    }
    // (key, original index) pairs are unique, so the merge sort is stable.
    let mut order: Vec<(K, usize)> = v.iter().enumerate().map(|(i, x)| (key(x), i)).collect();
    merge_sort(&mut order);
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .into_iter()
            .map(|(_, i)| slots[i].take().expect("each index once")),
    );
}

/// Insertion sort, stable: for lists that stay short (a Deployment's pods,
/// a sample's labels, the shard sets of a cluster).
///
/// ```
/// let mut v = vec!["b", "a", "c"];
/// flux_shard_metrics::sort::sort_short_by_key(&mut v, |s| *s);
/// assert_eq!(v, ["a", "b", "c"]);
/// ```
pub fn sort_short_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Bottom-up merge sort, O(n log n) for any input.
fn merge_sort<E: Ord + Clone>(a: &mut Vec<E>) {
    let n = a.len();
    let mut buf = a.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            for slot in &mut buf[start..end] {
                if r >= end || (l < mid && a[l] <= a[r]) {
                    *slot = a[l].clone();
                    l += 1;
                } else {
                    *slot = a[r].clone();
                    r += 1;
                }
            }
            start = end;
        }
        std::mem::swap(a, &mut buf);
        width *= 2;
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
            super::sort_by_key(&mut v, |x| x.0);
            prop_assert_eq!(v, expected);
        }
    }
}
