//! A look at a table before it is read whole: its header, its first rows and what each column
//! holds, from the start of the file. The page shows it as soon as a file is chosen, so that
//! the target and the columns to drop are picked before the file is read (which then refuses
//! a text column by name, as the CLI does).

use std::io;

use serde::Serialize;

use crate::Error;
use crate::datasets::TableOptions;
use crate::datasets::table::{Cell, Layout, number, open_csv, row_cells, unreadable};

/// Rows of the preview shown as written.
pub const PREVIEW_ROWS: usize = 8;

/// Characters of a cell shown; a longer one is cut with "…".
const CELL_CHARS: usize = 24;

/// Distinct values counted per column, at most (a hint for choosing the target).
const MAX_DISTINCT: usize = 100;

/// What the cells of a column seen so far hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Every value is a number: a feature, or a numeric target.
    Number,
    /// Some value is not a number: the target, or a column to drop.
    Text,
    /// No value in the rows seen.
    Empty,
}

/// One column of a [`TablePreview`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnPreview {
    /// Its name in the header row.
    pub name: String,
    /// What its values seen hold.
    pub kind: ColumnKind,
    /// Missing values (empty cells, `NA`, …) among the rows seen.
    pub missing: usize,
    /// Distinct values among the rows seen, counted up to 100 (`101` stands for more).
    pub distinct: usize,
}

/// The start of a table: enough to choose its target and the columns to drop.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TablePreview {
    /// The delimiter found (or given): `","`, `";"` or `"tab"`.
    pub delimiter: &'static str,
    /// The columns in file order.
    pub columns: Vec<ColumnPreview>,
    /// The first [`PREVIEW_ROWS`] data rows as written (cells cut to 24 characters).
    pub rows: Vec<Vec<String>>,
    /// Data rows seen (all of them when `complete`).
    pub rows_seen: usize,
    /// Whether `bytes` held the whole file, so that `rows_seen` is every row.
    pub complete: bool,
}

/// Previews a table from `bytes`, the start of its file (`complete` when they are the whole
/// file; else a last line cut short is left out), by the reader's rules: the same delimiter,
/// header checks and missing values as [`read_table`](crate::datasets::read_table). Errors
/// name the row, the column or the option at fault, in the reader's words.
///
/// ```
/// use coresweep::datasets::{ColumnKind, preview_table};
/// let preview = preview_table(b"id;size;kind\n1;2.5;fern\n2;NA;cac", false, None)?;
/// assert_eq!(preview.delimiter, ";");
/// let kinds: Vec<ColumnKind> = preview.columns.iter().map(|c| c.kind).collect();
/// assert_eq!(kinds, [ColumnKind::Number, ColumnKind::Number, ColumnKind::Text]);
/// assert_eq!((preview.rows_seen, preview.columns[1].missing), (1, 0));
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn preview_table(
    bytes: &[u8],
    complete: bool,
    delimiter: Option<u8>,
) -> Result<TablePreview, Error> {
    let bytes = match (complete, bytes.iter().rposition(|&b| b == b'\n')) {
        (false, Some(end)) => &bytes[..=end],
        _ => bytes,
    };
    let (mut csv, header, delimiter) = open_csv(io::BufReader::new(bytes), delimiter)?;
    // The header's own checks: names present and unique.
    Layout::new(&header, &TableOptions::default())?;
    let mut columns: Vec<ColumnPreview> = header
        .iter()
        .map(|name| ColumnPreview {
            name: name.clone(),
            kind: ColumnKind::Empty,
            missing: 0,
            distinct: 0,
        })
        .collect();
    let mut seen: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    let mut rows = Vec::new();
    let mut rows_seen = 0;
    let mut record = csv::ByteRecord::new();
    while csv.read_byte_record(&mut record).map_err(unreadable)? {
        let (_, cells) = row_cells(&record, &header)?;
        for (j, text) in cells.iter().enumerate() {
            let column = &mut columns[j];
            match number(text) {
                Cell::Missing => column.missing += 1,
                Cell::Number(_) if column.kind == ColumnKind::Empty => {
                    column.kind = ColumnKind::Number;
                }
                Cell::Number(_) => {}
                Cell::Text => column.kind = ColumnKind::Text,
            }
            if seen[j].len() <= MAX_DISTINCT && !seen[j].iter().any(|s| s == text) {
                seen[j].push((*text).to_owned());
            }
        }
        if rows.len() < PREVIEW_ROWS {
            rows.push(cells.iter().map(|text| shown(text)).collect());
        }
        rows_seen += 1;
    }
    for (column, values) in columns.iter_mut().zip(&seen) {
        column.distinct = values.len();
    }
    Ok(TablePreview {
        delimiter: match delimiter {
            b';' => ";",
            b'\t' => "tab",
            _ => ",",
        },
        columns,
        rows,
        rows_seen,
        complete,
    })
}

/// A cell as the preview shows it: its first 24 characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_line_is_left_out_and_a_complete_file_is_read_to_its_end() {
        let csv = b"a,b\n1,x\n2,y\n3,";
        let cut = preview_table(csv, false, None).unwrap();
        assert_eq!((cut.rows_seen, cut.rows.len()), (2, 2));
        let whole = preview_table(b"a,b\n1,x\n2,y\n3,z", true, None).unwrap();
        assert_eq!(whole.rows_seen, 3);
        assert_eq!(whole.rows[2], ["3", "z"]);
    }

    #[test]
    fn kinds_missing_and_distinct_values() {
        let csv = b"n,t,e,y\n1,a,,0\n2,b,NA,1\n1,7,,0\n";
        let p = preview_table(csv, true, None).unwrap();
        let summary: Vec<(ColumnKind, usize, usize)> = p
            .columns
            .iter()
            .map(|c| (c.kind, c.missing, c.distinct))
            .collect();
        assert_eq!(
            summary,
            [
                (ColumnKind::Number, 0, 2),
                (ColumnKind::Text, 0, 3),
                (ColumnKind::Empty, 3, 2),
                (ColumnKind::Number, 0, 2),
            ]
        );
    }

    #[test]
    fn refuses_in_the_readers_words() {
        let dup = preview_table(b"a,a\n1,2\n", true, None).unwrap_err();
        assert!(dup.to_string().contains("are both named \"a\""), "{dup}");
        let ragged = preview_table(b"a,b\n1,2\n3\n", true, None).unwrap_err();
        assert_eq!(ragged.parameter(), Some("data"));
        assert!(
            ragged.to_string().contains("row 3 has 1 fields"),
            "{ragged}"
        );
        let long =
            preview_table("a,b\n1,abcdefghijklmnopqrstuvwxyz\n".as_bytes(), true, None).unwrap();
        assert_eq!(long.rows[0][1], "abcdefghijklmnopqrstuvwx…");
    }
}
