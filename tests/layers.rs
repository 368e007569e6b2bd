//! The layers of `src/` (ARCHITECTURE.md) point only down: every module uses
//! only the modules listed before it here, so no module cycle can form. Read
//! from the source: every `crate::MODULE` outside comments and unit tests is an
//! edge.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;

/// Every top-level module of `src/`, bottom first, by layer.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "utilities",
        &["sort", "text", "url", "json", "pool", "index"],
    ),
    (
        "parsers and errors",
        &["exposition", "kube", "problem", "scrape", "promql"],
    ),
    ("the report model", &["report"]),
    (
        "options and pure rules",
        &[
            "options",
            "store",
            "groups",
            "plan",
            "rates",
            "trend",
            "rows",
            "assignment",
            "dependencies",
            "artifacts",
            "verdict",
            "check",
        ],
    ),
    ("I/O", &["transport", "prometheus"]),
    ("the read pipeline", &["pipeline"]),
];

/// Files that are not part of a layer: the crate root and the TypeScript generator (a unit test).
const OUTSIDE: &[&str] = &["lib", "typescript"];

fn order() -> Vec<&'static str> {
    LAYERS.iter().flat_map(|(_, m)| m.iter().copied()).collect()
}

fn layer_of(module: &str) -> &'static str {
    LAYERS
        .iter()
        .find(|(_, m)| m.contains(&module))
        .map_or("?", |(name, _)| name)
}

/// The code of a file: without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(module, file)` for every `.rs` file under `dir`.
fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let owner = module.map_or(name.clone(), str::to_string);
        if path.is_dir() {
            files(&path, Some(&owner), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((owner, path));
        }
    }
}

/// Every `(from, to)` edge between top-level modules.
fn edges() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, None, &mut all);
    let mut edges = BTreeSet::new();
    for (module, path) in all {
        let text = code(&std::fs::read_to_string(&path).unwrap());
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                edges.insert((module.clone(), name));
            }
        }
    }
    edges
}

#[test]
fn every_module_is_in_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, None, &mut all);
    let modules: BTreeSet<String> = all.into_iter().map(|(m, _)| m).collect();
    let known = order();
    let missing: Vec<&String> = modules
        .iter()
        .filter(|m| !known.contains(&m.as_str()) && !OUTSIDE.contains(&m.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "modules in no layer (add them to LAYERS and ARCHITECTURE.md): {missing:?}"
    );
}

#[test]
fn layers_point_only_down() {
    let order = order();
    let position = |m: &str| order.iter().position(|o| *o == m);
    let mut upward = Vec::new();
    for (from, to) in edges() {
        if OUTSIDE.contains(&from.as_str()) {
            continue;
        }
        match (position(&from), position(&to)) {
            (Some(f), Some(t)) if t < f => {}
            _ => upward.push(format!(
                "{from} ({}) uses {to} ({})",
                layer_of(&from),
                layer_of(&to)
            )),
        }
    }
    assert!(
        upward.is_empty(),
        "module edges that do not point down:\n{}",
        upward.join("\n")
    );
}
