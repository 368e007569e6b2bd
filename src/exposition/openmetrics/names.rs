//! Families whose possible sample names overlap (an `a` histogram beside an `a_count` gauge).

use crate::exposition::model::{Family, Format, ParseError};
use std::collections::BTreeMap;

/// Reports each family that could have a sample name another family could
/// have too; `first_lines[i]` is the line family `i` starts on.
pub(crate) fn check_name_clashes(
    families: &[Family<'_>],
    first_lines: &[u32],
    errors: &mut Vec<ParseError>,
) {
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    for (i, family) in families.iter().enumerate() {
        for suffix in family.metric_type.suffixes(Format::OpenMetrics) {
            let name = format!("{}{suffix}", family.name);
            if let Some(&other) = owners.get(&name) {
                let o = &families[other];
                errors.push(ParseError {
                    line: first_lines[i],
                    column: 1,
                    message: format!(
                        "metric family `{}` clashes with {} `{}` of line {}: both could have samples named `{name}`",
                        family.name, o.metric_type, o.name, first_lines[other]
                    ),
                });
            } else {
                owners.insert(name, i);
            }
        }
    }
}
