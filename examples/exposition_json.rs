//! Prints a file parsed as Prometheus text, as the JSON of the JS API: the Rust
//! side of `tests/crosscheck/prometheus_reference.py`.
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: exposition_json FILE");
    let text = std::fs::read_to_string(&path).expect("read the file");
    println!(
        "{}",
        flux_shard_metrics::exposition::parse(
            &text,
            flux_shard_metrics::exposition::Format::Prometheus
        )
        .to_json()
    );
}
