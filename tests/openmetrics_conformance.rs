//! The OpenMetrics project's own parser conformance cases (211, from
//! github.com/prometheus/OpenMetrics `tests/testdata/parsers`), read from
//! `../shared/openmetrics-testdata/parsers` beside the project (or the folder
//! `OPENMETRICS_TESTDATA` names): every case must get the verdict it expects.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use flux_shard_metrics::exposition::{parse, Format};

fn cases_dir() -> PathBuf {
    match std::env::var_os("OPENMETRICS_TESTDATA") {
        Some(dir) => PathBuf::from(dir),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/openmetrics-testdata/parsers")
        }
    }
}

#[test]
fn every_conformance_case_gets_its_verdict() {
    let dir = cases_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!("the OpenMetrics conformance cases are expected at {} ({e}); set OPENMETRICS_TESTDATA to their folder", dir.display())
    });
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut wrong = Vec::new();
    let mut accepted = 0;
    for name in &names {
        let case = dir.join(name);
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("test.json")).unwrap())
                .unwrap();
        let file = spec["file"].as_str().unwrap_or("metrics");
        let should_parse = spec["shouldParse"].as_bool().expect("shouldParse");
        let bytes = std::fs::read(case.join(file)).unwrap();
        let verdict = match std::str::from_utf8(&bytes) {
            Ok(text) => {
                let parsed = parse(text, Format::OpenMetrics);
                parsed.errors.first().map(|e| e.to_string())
            }
            Err(e) => Some(format!("not UTF-8: {e}")),
        };
        if verdict.is_none() {
            accepted += 1;
        }
        if verdict.is_none() != should_parse {
            let comment = spec["comment"].as_str().unwrap_or("");
            wrong.push(format!(
                "{name} ({comment}): expected {}, got {}",
                if should_parse { "valid" } else { "invalid" },
                verdict.as_deref().unwrap_or("valid")
            ));
        }
    }
    assert_eq!(names.len(), 211, "the suite has 211 cases");
    assert!(
        wrong.is_empty(),
        "{} of {} cases get the wrong verdict:\n{}",
        wrong.len(),
        names.len(),
        wrong.join("\n")
    );
    assert_eq!(accepted, 44);
}
