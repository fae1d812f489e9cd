//! Ingest + aggregation throughput on a synthetic per-request CSV (bench-report's own format).
//! Run with `cargo bench --bench ingest [ROWS]`; figures are recorded in BENCHMARKS.md.
//! A plain timing harness (no criterion) keeps the dependency list short; each phase is run
//! three times and the best time is reported.

use std::time::Instant;

use bench_report::config::{MetricsConfig, Slo};
use bench_report::ingest::{Mapping, Source};

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let mut csv = String::from(
        "model,instance_type,concurrency,start_s,ttft_ms,e2e_ms,input_tokens,output_tokens\n",
    );
    let mut x: u64 = 42;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..rows {
        let c = 1 << (i % 8);
        let ttft = 50.0 + 200.0 * next();
        let e2e = ttft + 2000.0 * next();
        csv.push_str(&format!(
            "m,g5.2xlarge,{c},{:.6},{ttft:.3},{e2e:.3},{},{}\n",
            i as f64 * 0.01,
            200 + (i % 600),
            64 + (i % 192)
        ));
    }
    let bytes = csv.into_bytes();
    let mb = bytes.len() as f64 / 1e6;
    let mapping = Mapping::default();
    let path = std::path::Path::new("bench.csv");
    let generic_csv = bench_report::ingest::parser_by_name("generic_csv").expect("registered");
    let sniff = generic_csv.sniff(&bench_report::ingest::make_probe(path, "bench.csv", &bytes));
    let src = Source {
        path,
        rel: "bench.csv",
        bytes: &bytes,
        mapping: &mapping,
        sniff: &sniff,
    };
    let mut best_parse = f64::INFINITY;
    let mut best_agg = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = generic_csv.parse(&src).expect("parses");
        best_parse = best_parse.min(t.elapsed().as_secs_f64());
        let runs: Vec<_> = parsed.runs.iter().collect();
        let t = Instant::now();
        let s = bench_report::metrics::summarize(&runs, &MetricsConfig::default(), &Slo::default())
            .expect("summarize");
        best_agg = best_agg.min(t.elapsed().as_secs_f64());
        assert_eq!(s.len(), 8);
    }
    // The csv crate alone, reading every field: the floor for "near the speed of parsing".
    let mut best_read = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let mut rdr = csv::Reader::from_reader(bytes.as_slice());
        let mut rec = csv::ByteRecord::new();
        let mut n = 0usize;
        while rdr.read_byte_record(&mut rec).expect("reads") {
            n += rec.len();
        }
        assert!(n > 0);
        best_read = best_read.min(t.elapsed().as_secs_f64());
    }
    println!("rows {rows}, {mb:.1} MB");
    println!(
        "csv crate read only : {best_read:.3} s ({:.0} MB/s)",
        mb / best_read
    );
    println!(
        "ingest (generic_csv): {best_parse:.3} s ({:.0} MB/s, {:.2} M rows/s)",
        mb / best_parse,
        rows as f64 / best_parse / 1e6
    );
    println!(
        "aggregate (metrics) : {best_agg:.3} s ({:.2} M rows/s)",
        rows as f64 / best_agg / 1e6
    );
}
