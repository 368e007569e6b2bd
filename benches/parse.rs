//! Parser throughput on the fixtures, and allocations per sample.
//!
//! `cargo bench --bench parse` prints MB/s (of input text) for each fixture and, before that,
//! how many heap allocations one parse makes per sample.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
    use flux_shard_metrics::exposition::{parse, Format};

    /// Counts allocations so the bench can report allocations per sample.
    struct Counting;

    static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

    // SAFETY: defers to the system allocator; only counts calls.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    const FIXTURES: [&str; 2] = ["source-controller.prom", "kustomize-controller-busy.prom"];

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    }

    fn report_allocations() {
        for name in FIXTURES {
            let text = fixture(name);
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            let parsed = parse(&text, Format::Prometheus);
            let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
            let samples: usize = parsed.families.iter().map(|f| f.samples.len()).sum();
            let labelled = parsed
                .families
                .iter()
                .flat_map(|f| &f.samples)
                .filter(|s| s.labels.len > 0)
                .count();
            println!(
                "allocations {name}: {allocations} for {samples} samples ({labelled} with labels, {} families): {:.3} per sample",
                parsed.families.len(),
                allocations as f64 / samples as f64
            );
        }
    }

    pub fn bench_parse(c: &mut Criterion) {
        report_allocations();
        let mut group = c.benchmark_group("parse");
        for name in FIXTURES {
            let text = fixture(name);
            group.throughput(Throughput::Bytes(text.len() as u64));
            // Parsing alone: the output is freed outside the timed loop.
            group.bench_with_input(BenchmarkId::new("prometheus", name), &text, |b, text| {
                b.iter_with_large_drop(|| parse(std::hint::black_box(text), Format::Prometheus))
            });
            // Parsing and freeing the output, as a caller that drops it at once pays.
            group.bench_with_input(
                BenchmarkId::new("prometheus+drop", name),
                &text,
                |b, text| b.iter(|| parse(std::hint::black_box(text), Format::Prometheus)),
            );
            group.bench_with_input(BenchmarkId::new("to_json", name), &text, |b, text| {
                let parsed = parse(text, Format::Prometheus);
                b.iter(|| std::hint::black_box(&parsed).to_json())
            });
            // The floors a parser cannot go below: finding the lines (what every parse
            // does first), and looking at every byte once through a table (what reading
            // names and values at least takes).
            group.bench_with_input(BenchmarkId::new("floor-lines", name), &text, |b, text| {
                b.iter(|| memchr::memchr_iter(b'\n', std::hint::black_box(text).as_bytes()).count())
            });
            group.bench_with_input(BenchmarkId::new("floor-bytes", name), &text, |b, text| {
                let table: [u8; 256] =
                    std::array::from_fn(|i| u8::from((i as u8).is_ascii_alphanumeric()));
                b.iter(|| {
                    std::hint::black_box(text)
                        .bytes()
                        .map(|b| usize::from(table[b as usize]))
                        .sum::<usize>()
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, bench_parse);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

/// The bench is native only; wasm32 clippy still builds the target.
#[cfg(target_arch = "wasm32")]
fn main() {}
