//! Reconciliations and errors per controller kind, summed in linear time.

use serde::Serialize;

use crate::fxhash::FxMap;

/// Reconciliations and errors of one controller kind (`gitrepository`, `kustomization`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
pub struct ControllerCounts {
    /// The `controller` label.
    pub controller: String,
    /// Sum over results.
    pub reconciliations: f64,
    /// `result="error"`.
    pub errors: f64,
}

/// Per-controller sums, indexed by name so that a scrape with very many
/// distinct `controller` values stays linear; sorted by name once at the end.
#[derive(Default)]
pub(crate) struct ControllerSums<'s> {
    index: FxMap<&'s str, u32>,
    list: Vec<ControllerCounts>,
}

impl<'s> ControllerSums<'s> {
    pub(crate) fn add(&mut self, controller: &'s str, reconciliations: f64, errors: f64) {
        if let Some(&i) = self.index.get(controller) {
            let c = &mut self.list[i as usize];
            c.reconciliations += reconciliations;
            c.errors += errors;
        } else {
            self.index.insert(controller, self.list.len() as u32);
            self.list.push(ControllerCounts {
                controller: controller.to_string(),
                reconciliations,
                errors,
            });
        }
    }

    pub(crate) fn into_sorted(mut self) -> Vec<ControllerCounts> {
        crate::sort::sort_by_key(&mut self.list, |c| c.controller.clone());
        self.list
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
