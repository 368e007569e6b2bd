//! Reconciliations and errors per controller kind, summed in linear time.

use serde::Serialize;

/// Reconciliations and errors of one controller kind (`gitrepository`, `kustomization`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ControllerCounts {
    /// The `controller` label.
    pub controller: String,
    /// Sum over results.
    pub reconciliations: f64,
    /// `result="error"`.
    pub errors: f64,
}

/// Per-controller sums: the samples are collected, then sorted by name once
/// (stable, so equal names add in input order) and folded, so that a scrape
/// with very many distinct `controller` values stays O(n log n) whatever the
/// names (no hashing: nothing to collide).
#[derive(Default)]
pub(crate) struct ControllerSums<'s> {
    samples: Vec<(&'s str, f64, f64)>,
}

impl<'s> ControllerSums<'s> {
    pub(crate) fn add(&mut self, controller: &'s str, reconciliations: f64, errors: f64) {
        self.samples.push((controller, reconciliations, errors));
    }

    pub(crate) fn into_sorted(mut self) -> Vec<ControllerCounts> {
        crate::sort::sort_by(&mut self.samples, |a, b| a.0.cmp(b.0));
        let mut list: Vec<ControllerCounts> = Vec::new();
        for (controller, reconciliations, errors) in self.samples {
            match list.last_mut() {
                Some(last) if last.controller == controller => {
                    last.reconciliations += reconciliations;
                    last.errors += errors;
                }
                _ => list.push(ControllerCounts {
                    controller: controller.to_string(),
                    reconciliations,
                    errors,
                }),
            }
        }
        list
    }
}

/// Merges two lists sorted by controller name into one, adding equal names.
pub(crate) fn merge_sorted(
    a: &[ControllerCounts],
    b: &[ControllerCounts],
) -> Vec<ControllerCounts> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].controller.cmp(&b[j].controller) {
            std::cmp::Ordering::Less => {
                out.push(a[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j].clone());
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(ControllerCounts {
                    controller: a[i].controller.clone(),
                    reconciliations: a[i].reconciliations + b[j].reconciliations,
                    errors: a[i].errors + b[j].errors,
                });
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
