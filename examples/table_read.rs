//! Time and peak heap of `read_table` on a large CSV, against the `f32` size of its values
//! (the page's targets: under 2 s, peak under 3× the `f32` data).
//!
//! `cargo run --profile test --example table_read -- [ROWS] [FEATURES] [RUNS]` (default
//! 100000 × 50, 5 runs) writes a table of that shape (6-decimal values, three text classes)
//! to the temporary directory, reads it `RUNS` times from the file and prints one JSON line:
//! the file's size, the median and every read's seconds, and the peak of live heap bytes
//! during a read (a counting allocator) over the `f32` size.

use std::io::{BufWriter, Write};
use std::time::Instant;

use coresweep::datasets::{TableOptions, read_table};
use serde_json::json;

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{peak, reset_peak};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    let (rows, features, runs) = (arg(1, 100_000), arg(2, 50), arg(3, 5));
    let path = std::env::temp_dir().join(format!("coresweep-table-{rows}x{features}.csv"));
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    let names: Vec<String> = (0..features).map(|j| format!("f{j}")).collect();
    writeln!(out, "{},class", names.join(","))?;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..rows {
        for _ in 0..features {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            write!(
                out,
                "{:.6},",
                (state >> 11) as f64 / (1u64 << 53) as f64 * 20.0 - 10.0
            )?;
        }
        writeln!(out, "{}", ["a", "b", "c"][(state % 3) as usize])?;
    }
    out.flush()?;
    drop(out);
    let bytes = std::fs::metadata(&path)?.len();

    let mut seconds = Vec::new();
    let mut peak_bytes = 0;
    for _ in 0..runs {
        let base = reset_peak();
        let started = Instant::now();
        let table = read_table(
            "bench.csv",
            std::fs::File::open(&path)?,
            &TableOptions::default(),
        )?;
        seconds.push(started.elapsed().as_secs_f64());
        peak_bytes = peak_bytes.max(peak() - base);
        assert_eq!((table.info.n_rows, table.info.n_features), (rows, features));
    }
    std::fs::remove_file(&path)?;
    let mut sorted = seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let f32_bytes = rows * features * 4;
    println!(
        "{}",
        json!({
            "rows": rows, "features": features, "file_bytes": bytes,
            "median_seconds": sorted[sorted.len() / 2], "seconds": seconds,
            "peak_heap_bytes": peak_bytes, "f32_bytes": f32_bytes,
            "peak_over_f32": peak_bytes as f64 / f32_bytes as f64,
        })
    );
    Ok(())
}
