//! A view that stays open on a big cluster: a FluxShardSet of 10 shards × 1 replica
//! whose source-controllers reconcile 50,000 objects over 5 kinds. The first read
//! lists; every read after it watches (here the watches bring nothing, or 10 events).
//! Prints the core's CPU per read (native; the wasm's is `benches/refresh-bench.mjs`)
//! and the bytes the API answered per read.
//!
//! `cargo bench --bench session`

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/support/mod.rs"]
mod support;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use flux_shard_metrics::options::Target;
    use flux_shard_metrics::pipeline::Session;
    use flux_shard_metrics::transport::{CountingTransport, Response};
    use futures::executor::block_on;
    use serde_json::json;

    use super::support::*;

    const KINDS: [&str; 5] = [
        "GitRepository",
        "OCIRepository",
        "HelmRepository",
        "HelmChart",
        "Bucket",
    ];
    const OBJECTS: usize = 50_000;
    const SHARDS: usize = 10;

    fn cluster() -> FakeApi {
        let shards: Vec<String> = (1..=SHARDS).map(|i| format!("shard{i}")).collect();
        let names: Vec<&str> = shards.iter().map(String::as_str).collect();
        let mut c = Cluster::new(&names);
        let kinds: Vec<(&str, u32, u32)> = KINDS.iter().map(|k| (controller(k), 100, 0)).collect();
        let working = || vec![FakePod::running("p", scrape(&kinds, true, NOW - 3600.0))];
        c.source(working());
        for s in &names {
            c.shard(s, working());
        }
        let objects = (0..OBJECTS)
            .map(|i| {
                let kind = KINDS[i % KINDS.len()];
                object(
                    kind,
                    &format!("apps/{}-{i}", kind.to_lowercase()),
                    Some(names[i % SHARDS]),
                )
            })
            .collect();
        c.objects(objects);
        c.finish()
    }

    fn controller(kind: &str) -> &'static str {
        Box::leak(kind.to_lowercase().into_boxed_str())
    }

    /// A watch of GitRepositories from the lists' version that brings `n` changes.
    fn changes(api: &mut FakeApi, n: usize) {
        let body: String = (0..n)
            .map(|i| {
                json!({"type": "MODIFIED", "object": {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
                    "metadata": {"namespace": "apps", "name": format!("gitrepository-{}", i * KINDS.len()), "resourceVersion": RESOURCE_VERSION,
                        "labels": {KEY: "shard2"}},
                    "status": {"conditions": [{"type": "Ready", "status": "False"}]}}})
                .to_string()
                    + "\n"
            })
            .collect();
        let path = format!(
            "/apis/source.toolkit.fluxcd.io/v1/gitrepositories?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion={RESOURCE_VERSION}"
        );
        api.routes.insert(path, Ok(Response::json(200, body)));
    }

    pub fn run() {
        let mut api = cluster();
        let session = Session::new(
            NS.into(),
            Target::ShardSet("source-controller-shardset".into()),
            8,
            None,
        );
        let mut at = READ_AT;
        let mut read = |api: &FakeApi| {
            at += 2000.0;
            let counted = CountingTransport::new(api);
            let m = block_on(session.read(&counted, None::<&FakeApi>, at)).expect("a read");
            (m, counted.bytes())
        };
        let start = std::time::Instant::now();
        let (first, first_bytes) = read(&api);
        let first_ms = start.elapsed().as_secs_f64() * 1000.0;
        let assigned: u32 = first
            .deployments
            .iter()
            .filter_map(|d| d.objects.as_ref())
            .map(|o| o.assigned)
            .sum();
        assert_eq!(assigned as usize, OBJECTS, "every object assigned");
        let (_, quiet_bytes) = read(&api);
        changes(&mut api, 10);
        let (_, changed_bytes) = read(&api);
        println!(
            "{SHARDS} shards x 1 replica, {OBJECTS} objects over {} kinds: first read (lists) {first_ms:.0} ms, {first_bytes} bytes; \
             a read after it {quiet_bytes} bytes with no change, {changed_bytes} bytes with 10 (scrapes included: {} pods)",
            KINDS.len(),
            SHARDS + 1
        );
        changes(&mut api, 0);
        let mut c = Criterion::default().configure_from_args();
        c.bench_function(
            "a read after the first, nothing changed (50,000 objects)",
            |b| b.iter(|| read(&api)),
        );
        changes(&mut api, 10);
        c.bench_function("a read after the first, 10 changes (50,000 objects)", |b| {
            b.iter(|| read(&api))
        });
        c.final_summary();
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::run();
}
