//! Parses a file many times; for profiling: `cargo run --release --example parse_file FILE [N]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: parse_file FILE [N]");
    let n: usize = args.next().map_or(20, |n| n.parse().expect("N"));
    let text = std::fs::read_to_string(&path).expect("read");
    let start = std::time::Instant::now();
    let mut samples = 0;
    for _ in 0..n {
        let parsed = flux_shard_metrics::exposition::parse(
            &text,
            flux_shard_metrics::exposition::Format::Prometheus,
        );
        samples += parsed
            .families
            .iter()
            .map(|f| f.samples.len())
            .sum::<usize>();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{samples} samples, {:.0} MB/s",
        (text.len() * n) as f64 / secs / 1e6
    );
}
