//! Untrusted tables: a deterministic fuzz of `read_table`, as `tests/document_fuzz.rs` fuzzes
//! the results-document reader.
//!
//! Inputs are generated CSV tables (any of the three delimiters, quotes, a BOM, CRLF, labels as
//! text or numbers, missing and hostile cells, random options), the same mutated byte-wise
//! (flips, inserted tokens, cuts, repeated spans), and random bytes. For every input: no
//! panic; the same answer when the bytes arrive a few at a time; an accepted table is
//! consistent (shape, labels, class counts, the SHA-256 and length of the bytes); a refusal
//! names a row, a column or an option. The page's preview of the same bytes (whole, and cut
//! anywhere) never panics, refuses only what the reader refuses, and sees what it reads. `CORESWEEP_FUZZ_INPUTS` runs more inputs than the
//! default.

#[path = "common/fuzz.rs"]
mod fuzz;

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use coresweep::Error;
use coresweep::datasets::{ColumnKind, Table, TableOptions, preview_table, read_table};
use fuzz::Rng;
use sha2::{Digest, Sha256};

/// Inputs of the default run: a few seconds with the test profile on a busy 2-core machine.
const DEFAULT_INPUTS: usize = 100_000;

const NAMES: &[&str] = &[
    "a",
    "b",
    "x y",
    "target",
    "é",
    "\"q\"",
    "semi;colon",
    "com,ma",
    "",
    "a",
    "tab\there",
];

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "2.5",
    "-3.25e2",
    " 4 ",
    "+.5",
    "5.",
    "1e-320",
    "3.4e38",
    "1e39",
    "inf",
    "-infinity",
    "9007199254740993",
];

const LABELS: &[&str] = &["a", "b", "c", "0", "1", "10", "9", "1.0", "yes", "é"];

const ODD_CELLS: &[&str] = &[
    "",
    "NA",
    "nan",
    "NULL",
    "N/A",
    "red",
    "\"1,5\"",
    "\"\"",
    "\"a\"\"b\"",
    "\u{0}",
    "1_000",
    "0x10",
    "١",
];

/// Tokens inserted by the byte-wise mutations: structure, invalid UTF-8, NUL.
const TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"NA",
    b" ",
    b"1e39",
    b"-0",
    b"\xe2\x80\xae",
];

fn generated_table(rng: &mut Rng) -> (Vec<u8>, Vec<String>) {
    let delimiter = *rng.pick(&[",", ";", "\t"]);
    let newline = *rng.pick(&["\n", "\r\n"]);
    let n_cols = 1 + rng.below(5);
    let n_rows = rng.below(12);
    let header: Vec<String> = (0..n_cols)
        .map(|j| {
            if rng.below(4) == 0 {
                rng.pick(NAMES).to_string()
            } else {
                format!("c{j}")
            }
        })
        .collect();
    let quote = |name: &str| {
        if name.contains([',', ';', '\t', '"']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.to_string()
        }
    };
    let mut text = String::new();
    if rng.below(8) == 0 {
        text.push('\u{feff}');
    }
    text += &header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(delimiter);
    let label_pool = rng.below(LABELS.len() - 1) + 2;
    for _ in 0..n_rows {
        text += newline;
        let cells: Vec<&str> = (0..n_cols)
            .map(|j| match rng.below(40) {
                0 => *rng.pick(ODD_CELLS),
                _ if j == n_cols - 1 => LABELS[rng.below(label_pool)],
                1 => *rng.pick(NUMBERS),
                _ => ["0.5", "1", "2", "3.75", "-1"][rng.below(5)],
            })
            .collect();
        text += &cells.join(delimiter);
    }
    if rng.below(2) == 0 {
        text += newline;
    }
    (text.into_bytes(), header)
}

fn mutated(mut bytes: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            1 => bytes.truncate(at),
            2 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(32)).min(bytes.len());
                let span = bytes[at..end].to_vec();
                bytes.splice(at..at, span);
            }
            _ => {
                bytes.splice(at..at, rng.pick(TOKENS).iter().copied());
            }
        }
    }
    bytes
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(200);
    if rng.below(2) == 0 {
        (0..len).map(|_| rng.next() as u8).collect()
    } else {
        // Mostly the bytes a CSV is made of.
        (0..len)
            .map(|_| *rng.pick(b"0123456789.,;\t\"\n\r -eNAab"))
            .collect()
    }
}

fn random_options(header: &[String], rng: &mut Rng) -> TableOptions {
    let name = |rng: &mut Rng| match header.get(rng.below(header.len() + 1)) {
        Some(name) => name.clone(),
        None => "nope".to_string(),
    };
    TableOptions {
        delimiter: match rng.below(10) {
            0..6 => None,
            _ => Some(*rng.pick(b",;\t|")),
        },
        target: (rng.below(4) == 0).then(|| name(rng)),
        drop: (0..rng.below(3).saturating_sub(1))
            .map(|_| name(rng))
            .collect(),
    }
}

/// Hands out its bytes a few at a time, as a slow file or network stream would.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.step = self.step % 7 + 1;
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn assert_consistent(table: &Table, bytes: &[u8]) {
    let info = &table.info;
    assert_eq!(info.bytes, bytes.len() as u64);
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(info.sha256, hex);
    assert!(info.n_rows > 0 && info.n_features > 0);
    assert_eq!(
        (table.x.n_rows(), table.x.n_cols()),
        (info.n_rows, info.n_features)
    );
    assert_eq!(info.features.len(), info.n_features);
    assert_eq!(table.y.len(), info.n_rows);
    assert!(info.classes.len() >= 2);
    assert_eq!(info.class_counts.len(), info.classes.len());
    assert_eq!(info.class_counts.iter().sum::<usize>(), info.n_rows);
    assert!(info.class_counts.iter().all(|&c| c > 0));
    assert!(table.y.iter().all(|&k| (k as usize) < info.classes.len()));
    assert_eq!(
        table.smallest_class_count(),
        *info.class_counts.iter().min().unwrap()
    );
}

fn names_what_is_at_fault(err: &Error) -> bool {
    let message = err.to_string();
    err.parameter().is_some()
        || (message.starts_with("data: ")
            && (message.contains("row ") || message.contains("column ")))
}

/// Reads `bytes` whole and a few bytes at a time; true when accepted.
fn check(bytes: &[u8], options: &TableOptions) -> bool {
    let shown = || format!("{:?} with {options:?}", String::from_utf8_lossy(bytes));
    let whole = catch_unwind(AssertUnwindSafe(|| read_table("fuzz.csv", bytes, options)))
        .unwrap_or_else(|_| panic!("panicked on {}", shown()));
    let trickled = catch_unwind(AssertUnwindSafe(|| {
        read_table("fuzz.csv", Trickle { bytes, step: 0 }, options)
    }))
    .unwrap_or_else(|_| panic!("panicked on {} read a few bytes at a time", shown()));
    assert_eq!(whole, trickled, "{}", shown());
    let preview = catch_unwind(AssertUnwindSafe(|| {
        // A page previews the start of a file, whose last line may be cut anywhere.
        let _ = preview_table(&bytes[..bytes.len() / 2], false, options.delimiter);
        preview_table(bytes, true, options.delimiter)
    }))
    .unwrap_or_else(|_| panic!("the preview panicked on {}", shown()));
    match &preview {
        Ok(preview) => assert!(preview.rows.len() <= preview.rows_seen),
        // The preview refuses only what the reader refuses too, in words naming the fault.
        Err(err) => {
            assert!(names_what_is_at_fault(err), "{err} on {}", shown());
            assert!(whole.is_err(), "previewed as {err} but read on {}", shown());
        }
    }
    match whole {
        Ok(table) => {
            assert_consistent(&table, bytes);
            // The preview of the whole file saw what the reader read.
            let preview = preview.expect("a table read is previewed");
            assert_eq!(preview.rows_seen, table.info.n_rows, "{}", shown());
            let numeric = |name: &String| {
                let column = preview.columns.iter().find(|c| &c.name == name);
                column.map(|c| c.kind) == Some(ColumnKind::Number)
            };
            assert!(table.info.features.iter().all(numeric), "{}", shown());
            true
        }
        Err(err) => {
            assert!(names_what_is_at_fault(&err), "{err} on {}", shown());
            false
        }
    }
}

#[test]
fn read_table_survives_mutated_and_random_input() {
    let inputs = fuzz::inputs(DEFAULT_INPUTS);
    let mut rng = Rng(0x7AB1_E5ED);
    let mut accepted = 0;
    for i in 0..inputs {
        let (table, header) = generated_table(&mut rng);
        let options = random_options(&header, &mut rng);
        let bytes = match i % 4 {
            0 | 1 => table,
            2 => mutated(table, &mut rng),
            _ => random_bytes(&mut rng),
        };
        accepted += usize::from(check(&bytes, &options));
    }
    eprintln!("{inputs} inputs, {accepted} accepted");
    // The generator must reach both sides.
    assert!(accepted > inputs / 20, "only {accepted} accepted");
    assert!(accepted < inputs * 3 / 4, "{accepted} accepted");
}
