//! A compact form of an [`Exposition`] that JavaScript turns into plain objects
//! quickly: each distinct string once, the structure as `u32`s, the numbers as
//! `f64`s. Measured against one `JSON.parse` and against serde-wasm-bindgen in
//! `benches/node-bench.mjs`; the decoder is `js/decode.ts`.
//!
//! The `ops` stream, all `u32`, strings as indexes into the string table:
//!
//! ```text
//! family_count
//!   per family: name type help+1 unit+1 sample_count      (0 = none for help/unit)
//!     per sample: name label_count (label_name label_value)* flags
//!       flags bit 0: a timestamp follows the value in `numbers`
//!       flags bit 1: an exemplar follows: label_count (name value)* ex_flags
//!                    (its value, then its timestamp if ex_flags bit 0, in `numbers`)
//! error_count
//!   per error: line column message
//! ```

use super::model::{Exposition, Label, MetricType, Timestamp};
use crate::index::StrIndex;

/// The encoded form; see the module documentation for the layout.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Encoded {
    /// Every distinct string, concatenated.
    pub strings: String,
    /// The length of each string of `strings` in UTF-16 code units (JavaScript's `length`).
    pub string_lengths: Vec<u32>,
    /// Structure and string indexes.
    pub ops: Vec<u32>,
    /// Sample values and timestamps, in order.
    pub numbers: Vec<f64>,
}

/// The code of a metric type in the `ops` stream: its place in [`MetricType::ALL`],
/// the table the decoder gets as `js/generated/encoding.ts`.
///
/// ```
/// use flux_shard_metrics::exposition::{type_code, MetricType};
/// assert_eq!((type_code(MetricType::Counter), type_code(MetricType::Untyped)), (0, 7));
/// ```
pub fn type_code(ty: MetricType) -> u32 {
    MetricType::ALL.iter().position(|t| *t == ty).unwrap_or(0) as u32
}

struct Encoder<'e> {
    out: Encoded,
    /// Every string so far (an index no text can make slow: [`crate::index`]).
    index: StrIndex<&'e str>,
    /// The string last seen at each position of a sample (name, then label
    /// names and values): consecutive samples mostly repeat them, and one
    /// comparison is cheaper than a hash lookup.
    previous: Vec<(&'e str, u32)>,
}

impl<'e> Encoder<'e> {
    fn string(&mut self, s: &'e str) -> u32 {
        if let Some(i) = self.index.get(s) {
            return i;
        }
        let i = self.out.string_lengths.len() as u32;
        self.out.strings.push_str(s);
        let utf16 = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.out.string_lengths.push(utf16 as u32);
        self.index.insert(s, i);
        i
    }

    /// [`Self::string`] through the cache of position `slot`.
    fn string_at(&mut self, slot: usize, s: &'e str) -> u32 {
        if let Some(&(last, i)) = self.previous.get(slot) {
            if super::labels::short_eq(last, s) {
                return i;
            }
        }
        let i = self.string(s);
        if slot < self.previous.len() {
            self.previous[slot] = (s, i);
        } else if slot == self.previous.len() {
            self.previous.push((s, i));
        }
        i
    }

    fn labels(&mut self, labels: &'e [Label<'_>], first_slot: usize) {
        self.out.ops.push(labels.len() as u32);
        for (k, l) in labels.iter().enumerate() {
            let name = self.string_at(first_slot + 2 * k, &l.name);
            let value = self.string_at(first_slot + 2 * k + 1, &l.value);
            self.out.ops.push(name);
            self.out.ops.push(value);
        }
    }
}

/// Encodes an exposition for the JavaScript decoder.
///
/// ```
/// use flux_shard_metrics::exposition::{encode, parse, Format};
/// let parsed = parse("up{job=\"a\"} 1 5\n", Format::Prometheus);
/// let e = encode(&parsed);
/// assert_eq!(e.strings, "upjoba");
/// assert_eq!(e.string_lengths, [2, 3, 1]);
/// // 1 family: name 0, untyped (7), no help, no unit, 1 sample:
/// // name 0, 1 label (1 = 2), flags 1 (timestamp); then 0 errors.
/// assert_eq!(e.ops, [1, 0, 7, 0, 0, 1, 0, 1, 1, 2, 1, 0]);
/// assert_eq!(e.numbers, [1.0, 5.0]);
/// ```
pub fn encode(exposition: &Exposition<'_>) -> Encoded {
    let samples: usize = exposition.families.iter().map(|f| f.samples.len()).sum();
    let mut e = Encoder {
        out: Encoded {
            strings: String::new(),
            string_lengths: Vec::new(),
            ops: Vec::with_capacity(
                2 + exposition.families.len() * 5 + samples * 12 + exposition.errors.len() * 3,
            ),
            numbers: Vec::with_capacity(samples),
        },
        index: StrIndex::default(),
        previous: Vec::new(),
    };
    e.out.ops.push(exposition.families.len() as u32);
    for family in &exposition.families {
        let name = e.string(&family.name);
        let help = family.help.as_deref().map_or(0, |h| e.string(h) + 1);
        let unit = family.unit.as_deref().map_or(0, |u| e.string(u) + 1);
        e.out.ops.extend([
            name,
            type_code(family.metric_type),
            help,
            unit,
            family.samples.len() as u32,
        ]);
        for sample in &family.samples {
            let name = e.string_at(0, &sample.name);
            e.out.ops.push(name);
            e.labels(family.labels_of(sample), 1);
            e.out.numbers.push(sample.value);
            let mut flags = 0;
            if let Some(ts) = sample.timestamp {
                flags |= 1;
                e.out.numbers.push(match ts {
                    Timestamp::Millis(ms) => ms as f64,
                    Timestamp::Seconds(s) => s,
                });
            }
            if sample.exemplar.is_some() {
                flags |= 2;
            }
            e.out.ops.push(flags);
            if let Some(ex) = &sample.exemplar {
                e.labels(&ex.labels, usize::MAX / 2);
                e.out.numbers.push(ex.value);
                e.out.ops.push(u32::from(ex.timestamp.is_some()));
                if let Some(ts) = ex.timestamp {
                    e.out.numbers.push(ts);
                }
            }
        }
    }
    e.out.ops.push(exposition.errors.len() as u32);
    for error in &exposition.errors {
        let message = e.string(&error.message);
        e.out.ops.extend([error.line, error.column, message]);
    }
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::{parse, Format};

    #[test]
    fn utf16_lengths_for_non_ascii() {
        let parsed = parse("x{a=\"日本😀\"} 1\n", Format::Prometheus);
        let e = encode(&parsed);
        assert_eq!(e.string_lengths, [1, 1, 4]);
    }

    #[test]
    fn exemplar_and_errors() {
        let parsed = parse(
            "# TYPE c counter\nc_total 1 2 # {t=\"x\"} 3 4\nbad\n# EOF\n",
            Format::OpenMetrics,
        );
        let e = encode(&parsed);
        assert_eq!(e.numbers, [1.0, 2.0, 3.0, 4.0]);
        // family c counter (0), sample c_total with 0 labels, flags 3, exemplar 1 label, ex flags 1
        assert_eq!(&e.ops[..13], [1, 0, 0, 0, 0, 1, 1, 0, 3, 1, 2, 3, 1]);
        assert_eq!(&e.ops[13..], [1, 3, 4, 4]);
        assert_eq!(
            e.strings,
            "cc_totaltxexpected a value after the metric name"
        );
    }
}
