//! A cumulative histogram that can be merged across controllers and pods, and
//! its quantiles computed the way Prometheus' `histogram_quantile` does.

/// Cumulative bucket counts by upper bound (`le`), with `+Inf` last when present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// `(le, cumulative count)`, sorted by `le`, one entry per distinct bound.
    buckets: Vec<(f64, f64)>,
}

impl Histogram {
    /// Builds a histogram from `(le, cumulative count)` pairs of one or more
    /// series with the same bounds (several controllers of one pod): counts at
    /// equal bounds add. Pairs with a NaN bound or a non-finite count are left out.
    ///
    /// ```
    /// use flux_shard_metrics::scrape::Histogram;
    /// let h = Histogram::from_buckets(vec![(0.1, 4.0), (f64::INFINITY, 10.0), (0.1, 1.0), (f64::INFINITY, 2.0)]);
    /// assert_eq!(h.total(), 12.0);
    /// ```
    pub fn from_buckets(mut pairs: Vec<(f64, f64)>) -> Histogram {
        pairs.retain(|(le, count)| !le.is_nan() && count.is_finite());
        crate::sort::sort_by(&mut pairs, |a, b| a.0.total_cmp(&b.0));
        let mut buckets: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (le, count) in pairs {
            match buckets.last_mut() {
                Some(last) if last.0 == le => last.1 += count,
                _ => buckets.push((le, count)),
            }
        }
        Histogram { buckets }
    }

    /// Whether it holds no bucket.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The count of the `+Inf` bucket (every observation), 0 without one.
    pub fn total(&self) -> f64 {
        match self.buckets.last() {
            Some(&(le, count)) if le == f64::INFINITY => count,
            _ => 0.0,
        }
    }

    /// Adds `other`'s observations. Where the two have different bounds, a
    /// histogram's cumulative count at a bound it lacks is taken as its count
    /// at the next lower bound (a lower estimate; Flux controllers of one
    /// version all use the same bounds, so this only matters across versions).
    pub fn merge(&mut self, other: &Histogram) {
        if other.buckets.is_empty() {
            return;
        }
        if self.buckets.is_empty() {
            self.buckets.clone_from(&other.buckets);
            return;
        }
        let (a, b) = (&self.buckets, &other.buckets);
        let mut merged = Vec::with_capacity(a.len().max(b.len()));
        let (mut i, mut j) = (0, 0);
        let (mut below_a, mut below_b) = (0.0, 0.0);
        while i < a.len() || j < b.len() {
            let le = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.0.min(y.0),
                (Some(x), None) => x.0,
                (None, Some(y)) => y.0,
                (None, None) => unreachable!(),
            };
            if a.get(i).is_some_and(|x| x.0 == le) {
                below_a = a[i].1;
                i += 1;
            }
            if b.get(j).is_some_and(|y| y.0 == le) {
                below_b = b[j].1;
                j += 1;
            }
            merged.push((le, below_a + below_b));
        }
        self.buckets = merged;
    }

    /// The `q` quantile (0 ≤ q ≤ 1) by linear interpolation within the bucket
    /// it falls in, as Prometheus' `histogram_quantile`; `None` without a `+Inf`
    /// bucket or without observations. A quantile in the `+Inf` bucket is the
    /// largest finite bound.
    ///
    /// ```
    /// use flux_shard_metrics::scrape::Histogram;
    /// let h = Histogram::from_buckets(vec![(0.1, 50.0), (0.5, 90.0), (1.0, 100.0), (f64::INFINITY, 100.0)]);
    /// assert_eq!(h.quantile(0.5), Some(0.1));
    /// assert!((h.quantile(0.7).unwrap() - 0.3).abs() < 1e-12);
    /// assert_eq!(h.quantile(0.99), Some(0.95));
    /// ```
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.total();
        if !(0.0..=1.0).contains(&q) || total <= 0.0 {
            return None;
        }
        let rank = q * total;
        // Counts are cumulative; guard against non-monotonic input as Prometheus does.
        let mut highest = 0.0_f64;
        let mut index = self.buckets.len() - 1;
        for (i, &(_, count)) in self.buckets.iter().enumerate() {
            highest = highest.max(count);
            if highest >= rank {
                index = i;
                break;
            }
        }
        let (upper, count) = self.buckets[index];
        if upper == f64::INFINITY {
            return index.checked_sub(1).map(|i| self.buckets[i].0);
        }
        let (lower, below) = match index.checked_sub(1) {
            Some(i) => (self.buckets[i].0, self.buckets[i].1),
            None if upper <= 0.0 => return Some(upper),
            None => (0.0, 0.0),
        };
        let in_bucket = count - below;
        if in_bucket <= 0.0 {
            return Some(upper);
        }
        Some(lower + (upper - lower) * ((rank - below) / in_bucket))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn merges_two_pods_with_the_same_bounds() {
        let mut a =
            Histogram::from_buckets(vec![(0.05, 10.0), (0.5, 18.0), (5.0, 20.0), (INF, 20.0)]);
        let b = Histogram::from_buckets(vec![(0.05, 0.0), (0.5, 70.0), (5.0, 78.0), (INF, 80.0)]);
        a.merge(&b);
        assert_eq!(
            a.buckets,
            [(0.05, 10.0), (0.5, 88.0), (5.0, 98.0), (INF, 100.0)]
        );
        // p50 falls in (0.05, 0.5]: 0.05 + 0.45 × (50 − 10) / 78.
        let p50 = a.quantile(0.5).unwrap();
        assert!((p50 - (0.05 + 0.45 * 40.0 / 78.0)).abs() < 1e-12, "{p50}");
        // p95 falls in (0.5, 5]: 0.5 + 4.5 × (95 − 88) / 10.
        assert!((a.quantile(0.95).unwrap() - (0.5 + 4.5 * 7.0 / 10.0)).abs() < 1e-12);
        // p99 falls in the +Inf bucket: the highest finite bound.
        assert_eq!(a.quantile(0.99), Some(5.0));
    }

    #[test]
    fn merges_different_bounds_with_a_lower_estimate() {
        let mut a = Histogram::from_buckets(vec![(1.0, 5.0), (INF, 10.0)]);
        a.merge(&Histogram::from_buckets(vec![
            (0.5, 2.0),
            (2.0, 4.0),
            (INF, 4.0),
        ]));
        assert_eq!(a.buckets, [(0.5, 2.0), (1.0, 7.0), (2.0, 9.0), (INF, 14.0)]);
        let mut empty = Histogram::default();
        empty.merge(&a);
        assert_eq!(empty, a);
    }

    #[test]
    fn no_observations_no_quantile() {
        assert_eq!(Histogram::default().quantile(0.5), None);
        assert_eq!(
            Histogram::from_buckets(vec![(1.0, 0.0), (INF, 0.0)]).quantile(0.5),
            None
        );
        // Without a +Inf bucket the histogram is incomplete.
        assert_eq!(
            Histogram::from_buckets(vec![(1.0, 3.0)]).quantile(0.5),
            None
        );
        // Everything above the highest finite bound: that bound.
        assert_eq!(
            Histogram::from_buckets(vec![(1.0, 0.0), (INF, 4.0)]).quantile(0.5),
            Some(1.0)
        );
        assert_eq!(
            Histogram::from_buckets(vec![(INF, 4.0)]).quantile(0.5),
            None
        );
    }
}
