//! A user's own table: a CSV file read into the forest's [`Features`] and class labels, with
//! what a results document records about it ([`TableInfo`]: name, shape, SHA-256, target,
//! classes), never the data.
//!
//! The rules, chosen so that the forest is sklearn's on the same file read by pandas:
//! - **Delimiter**: comma, semicolon or tab; given, or sniffed from the header row: the one
//!   that occurs most often outside double quotes, a tie going to comma, then semicolon (a
//!   header with none of them is a single column, read with comma).
//! - **Header row**: required; every name non-empty and unique.
//! - **Target**: the named column, or the last. Labels may be text or numbers and are encoded as
//!   sklearn's `LabelEncoder` (`np.unique`) encodes the column pandas reads: when every label
//!   is a number, classes sort by value (`9` before `10`; `1` and `1.0` are one class, named
//!   as first written); otherwise they are text and sort by code point (`"10"` before `"9"`).
//! - **Features**: every other column not in [`TableOptions::drop`]. A cell is a decimal number
//!   (surrounding spaces ignored) rounded to `f64` and then to `f32`, as pandas and then the
//!   forest round it. A column that is not numeric is refused with its name, not dropped
//!   silently: dropping a column changes the model, so it is the user's choice (`drop`).
//! - **Missing values** — an empty cell or one of pandas' default NA strings (`NA`, `NaN`,
//!   `null`, `N/A`, …) — are refused naming the row and column (sklearn 1.9's forest would
//!   split on them; this one has no missing-value rule). A column with no value at all is
//!   refused as empty.
//! - **Rows** are numbered as a spreadsheet shows them: the header is row 1 and a row's number
//!   is the line of the file it starts on.
//!
//! The reader streams (any [`Read`]; the values are kept once, as `f32`), hashes the bytes as
//! they pass, and refuses bad input before any fit with a message naming the row, the column
//! or the option at fault. [`check_table_size`] refuses a file by its length before reading.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::forest::Features;

/// The delimiters the reader knows, in the order a tie is broken.
pub(super) const DELIMITERS: [u8; 3] = *b",;\t";

/// pandas' default `na_values`: cells `read_csv` reads as NaN.
pub(super) const MISSING: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Rows per block of values while reading. Blocks never move once allocated, so a read peaks
/// near twice the `f32` values (the blocks and the column-major copy), where one growing
/// `Vec` would briefly hold three times as it doubles.
const BLOCK_ROWS: usize = 4096;

/// How to read a table; the default reads any comma, semicolon or tab file whose last column
/// is the target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableOptions {
    /// `b','`, `b';'` or `b'\t'`; `None` sniffs it from the header row.
    pub delimiter: Option<u8>,
    /// The target column's name in the header row; `None` is the last column.
    pub target: Option<String>,
    /// Columns that are not features (an id, a date, text), by name.
    pub drop: Vec<String>,
}

/// What a results document records about a table: enough to tell that two results were
/// made on the same file, and nothing of its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// The name the user knows the table by (its file name).
    pub name: String,
    /// Data rows (the header row not counted).
    pub n_rows: usize,
    /// Feature columns (the target and dropped columns not counted).
    pub n_features: usize,
    /// Length of the file in bytes.
    pub bytes: u64,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The target column's name.
    pub target: String,
    /// The feature columns' names, in file order.
    pub features: Vec<String>,
    /// The class labels as written in the file, in encoding order (class `k` is `classes[k]`).
    pub classes: Vec<String>,
    /// Rows of each class, in the order of `classes`.
    pub class_counts: Vec<usize>,
}

impl TableInfo {
    /// Rows of the rarest class (see [`Table::smallest_class_count`]).
    pub fn smallest_class_count(&self) -> usize {
        self.class_counts.iter().copied().min().unwrap_or(0)
    }

    /// Whether this record is one [`read_table`] could have made: a
    /// SHA-256 in lowercase hex, rows and features, a name per feature, two or more classes whose
    /// counts add up to the rows.
    pub fn check(&self) -> Result<(), String> {
        let table = self;
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if table.sha256.len() != 64 || !table.sha256.chars().all(hex) {
            return Err(format!(
                "sha256: expected 64 lowercase hex digits, got {:?}",
                table.sha256
            ));
        }
        if table.n_rows == 0 || table.n_features == 0 {
            return Err("n_rows, n_features: a table has rows and features".to_owned());
        }
        if table.features.len() != table.n_features {
            return Err(format!(
                "features: expected {} names, got {}",
                table.n_features,
                table.features.len()
            ));
        }
        if table.classes.len() < 2 || table.class_counts.len() != table.classes.len() {
            return Err("classes, class_counts: two or more classes, one count each".to_owned());
        }
        let rows = table
            .class_counts
            .iter()
            .try_fold(0usize, |sum, &count| sum.checked_add(count));
        if rows != Some(table.n_rows) || table.class_counts.contains(&0) {
            return Err(format!(
                "class_counts: must be positive and add up to n_rows = {}",
                table.n_rows
            ));
        }
        Ok(())
    }
}

/// A table read by [`read_table`]: the features as the forest reads them and the encoded labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Name, shape, hash, target and classes.
    pub info: TableInfo,
    /// The feature columns, `info.n_rows` × `info.n_features`.
    pub x: Features,
    /// Each row's class, an index into `info.classes`.
    pub y: Vec<i64>,
}

impl Table {
    /// Rows of the rarest class: stratified cross-validation needs `cv` at most this.
    ///
    /// ```
    /// use coresweep::datasets::{TableOptions, read_table};
    /// let csv = "x,y\n1,a\n2,b\n3,b\n4,a\n5,b\n";
    /// let table = read_table("t.csv", csv.as_bytes(), &TableOptions::default())?;
    /// assert_eq!(table.smallest_class_count(), 2);
    /// # Ok::<(), coresweep::Error>(())
    /// ```
    pub fn smallest_class_count(&self) -> usize {
        self.info.smallest_class_count()
    }
}

/// Reads a delimiter as a user types it: `,`, `;`, or `tab` (or a tab character) (param
/// `delimiter`).
///
/// ```
/// use coresweep::datasets::parse_delimiter;
/// assert_eq!(parse_delimiter("tab").unwrap(), b'\t');
/// assert_eq!(parse_delimiter(";").unwrap(), b';');
/// assert_eq!(parse_delimiter("|").unwrap_err().to_string(),
///     r#"delimiter: expected "," or ";" or "tab", got "|""#);
/// ```
pub fn parse_delimiter(text: &str) -> Result<u8, Error> {
    match text {
        "tab" | "\t" => Ok(b'\t'),
        "," | ";" => Ok(text.as_bytes()[0]),
        _ => Err(Error::param(
            "delimiter",
            format!(r#"expected "," or ";" or "tab", got {text:?}"#),
        )),
    }
}

/// Refuses a file of `bytes` bytes above `limit_bytes` before it is read (the error names `data`).
///
/// ```
/// use coresweep::datasets::check_table_size;
/// assert!(check_table_size(50 << 20, 64 << 20).is_ok());
/// assert_eq!(check_table_size(65 << 20, 64 << 20).unwrap_err().parameter(), Some("data"));
/// ```
pub fn check_table_size(bytes: u64, limit_bytes: u64) -> Result<(), Error> {
    if bytes > limit_bytes {
        return Err(Error::TooLarge {
            param: "data",
            needed_bytes: bytes,
            limit_bytes,
        });
    }
    Ok(())
}

/// Reads a CSV table from `source` (streamed, never held whole) by the rules of this module.
/// `name` is recorded in [`TableInfo::name`]. Every refusal names the row (1-based, the header
/// being row 1), the column or the option at fault.
///
/// ```
/// use coresweep::datasets::{TableOptions, read_table};
///
/// let csv = "id;height;leaves;kind\n7;1.5;3;fern\n8;2.5;0;cactus\n9;0.5;4;fern\n";
/// let options = TableOptions { drop: vec!["id".into()], ..TableOptions::default() };
/// let table = read_table("plants.csv", csv.as_bytes(), &options)?;
/// assert_eq!((table.info.n_rows, table.info.n_features), (3, 2));
/// assert_eq!((table.info.target.as_str(), &table.info.features[..]), ("kind", &["height".to_string(), "leaves".to_string()][..]));
/// assert_eq!(table.info.classes, ["cactus", "fern"]);
/// assert_eq!(table.y, [1, 0, 1]);
///
/// let err = read_table("bad.csv", "a,b\n1,x\n,y\n".as_bytes(), &TableOptions::default()).unwrap_err();
/// assert_eq!(err.to_string(), r#"data: row 3, column "a": missing value (""): fill the cell or drop the column (drop)"#);
/// # Ok::<(), coresweep::Error>(())
/// ```
pub fn read_table(name: &str, source: impl Read, options: &TableOptions) -> Result<Table, Error> {
    let input = BufReader::with_capacity(
        1 << 16,
        Hashing {
            inner: source,
            hasher: Sha256::new(),
            bytes: 0,
        },
    );
    let (mut csv, header, _) = open_csv(input, options.delimiter)?;
    let layout = Layout::new(&header, options)?;
    let mut rows = Rows::new(&layout, header.len());
    let mut record = csv::ByteRecord::new();
    while csv.read_byte_record(&mut record).map_err(unreadable)? {
        rows.push(&record, &header)?;
    }
    rows.check_complete(&header)?;
    let target = header[layout.target].clone();
    let (classes, y, class_counts) = labels_to_classes(&rows.labels, &rows.distinct, &target)?;
    let (n_rows, n_features) = (rows.labels.len(), layout.features.len());
    let values = column_major(rows.blocks, n_rows, n_features);
    let hashing = csv.into_inner().into_inner().1.into_inner();
    Ok(Table {
        info: TableInfo {
            name: name.to_owned(),
            n_rows,
            n_features,
            bytes: hashing.bytes,
            sha256: hex(&hashing.hasher.finalize()),
            target,
            features: layout.features.iter().map(|&j| header[j].clone()).collect(),
            classes,
            class_counts,
        },
        x: Features::from_column_major(values, n_rows, n_features),
        y,
    })
}

/// The rows read so far: the features in blocks of [`BLOCK_ROWS`] rows (row-major: the
/// columns are made once the row count is known), each row's label as the id of its text in
/// order of first appearance, and the missing cells met.
struct Rows<'l> {
    layout: &'l Layout,
    blocks: Vec<Vec<f32>>,
    labels: Vec<u32>,
    distinct: HashMap<String, u32>,
    missing_counts: Vec<usize>,
    /// The first missing cell's refusal: given once the whole file is read, so that a column
    /// empty throughout is named as such instead.
    first_missing: Option<String>,
}

impl<'l> Rows<'l> {
    fn new(layout: &'l Layout, n_columns: usize) -> Self {
        Rows {
            layout,
            blocks: Vec::new(),
            labels: Vec::new(),
            distinct: HashMap::new(),
            missing_counts: vec![0; n_columns],
            first_missing: None,
        }
    }

    /// Reads one record: its feature cells as float32 (a missing cell noted, a cell neither
    /// a number nor finite in float32 refused), and its label.
    fn push(&mut self, record: &csv::ByteRecord, header: &[String]) -> Result<(), Error> {
        let (row, cells) = row_cells(record, header)?;
        let n_features = self.layout.features.len();
        if self.labels.len().is_multiple_of(BLOCK_ROWS) {
            self.blocks
                .push(Vec::with_capacity(BLOCK_ROWS * n_features));
        }
        for &j in &self.layout.features {
            let value = match number(cells[j]) {
                Cell::Missing => {
                    self.note_missing(row, j, &cells, header);
                    0.0
                }
                Cell::Number(v) if (v as f32).is_finite() => v as f32,
                Cell::Number(_) => {
                    return Err(data_error(format!(
                        "{}: {} is not finite in float32: features must be finite and within ±3.4e38",
                        cell(row, j, header),
                        quoted(cells[j])
                    )));
                }
                Cell::Text => {
                    return Err(data_error(format!(
                        "{}: {} is not a number: features must be numeric; drop the column (drop) if it is not a feature",
                        cell(row, j, header),
                        quoted(cells[j])
                    )));
                }
            };
            self.blocks
                .last_mut()
                .expect("a block was pushed above")
                .push(value);
        }
        let target = self.layout.target;
        if let Cell::Missing = number(cells[target]) {
            self.note_missing(row, target, &cells, header);
        }
        // Looked up before inserting, so that a label seen before allocates nothing.
        let id = match self.distinct.get(cells[target]) {
            Some(&id) => id,
            None => {
                let id = self.distinct.len() as u32;
                self.distinct.insert(cells[target].to_owned(), id);
                id
            }
        };
        self.labels.push(id);
        Ok(())
    }

    fn note_missing(&mut self, row: u64, j: usize, cells: &[&str], header: &[String]) {
        self.missing_counts[j] += 1;
        self.first_missing.get_or_insert_with(|| {
            format!(
                "{}: missing value ({}): fill the cell or drop the column (drop)",
                cell(row, j, header),
                quoted(cells[j])
            )
        });
    }

    /// Refuses a file without data rows, a column without a value, then the first missing
    /// cell.
    fn check_complete(&mut self, header: &[String]) -> Result<(), Error> {
        let n_rows = self.labels.len();
        if n_rows == 0 {
            return Err(data_error(
                "row 2: no data rows: the file has a header row only",
            ));
        }
        if let Some(j) = (0..header.len()).find(|&j| self.missing_counts[j] == n_rows) {
            return Err(data_error(format!(
                "column {} is empty: none of its {n_rows} rows has a value; drop the column (drop)",
                quoted(&header[j])
            )));
        }
        match self.first_missing.take() {
            Some(message) => Err(data_error(message)),
            None => Ok(()),
        }
    }
}

/// The classes (in `np.unique` order, [`encode_classes`]), each row's class and the rows per
/// class, of the labels' ids; a target column of one class is refused.
#[allow(clippy::type_complexity)]
fn labels_to_classes(
    labels: &[u32],
    distinct: &HashMap<String, u32>,
    target: &str,
) -> Result<(Vec<String>, Vec<i64>, Vec<usize>), Error> {
    let (classes, class_of) = encode_classes(distinct);
    if classes.len() < 2 {
        return Err(Error::param(
            "target",
            format!(
                "column {} has one class only ({}): a classifier needs two or more",
                quoted(target),
                quoted(&classes[0])
            ),
        ));
    }
    let y: Vec<i64> = labels
        .iter()
        .map(|&id| class_of[id as usize] as i64)
        .collect();
    let mut class_counts = vec![0usize; classes.len()];
    for &class in &y {
        class_counts[class as usize] += 1;
    }
    Ok((classes, y, class_counts))
}

/// The row-major blocks' values as one column-major array of `n_rows` × `n_features`.
fn column_major(blocks: Vec<Vec<f32>>, n_rows: usize, n_features: usize) -> Vec<f32> {
    let mut values = vec![0.0f32; n_rows * n_features];
    let rows = blocks.into_iter().flatten().enumerate();
    for (k, v) in rows {
        values[(k % n_features) * n_rows + k / n_features] = v;
    }
    values
}

/// Bytes as lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A CSV reader on `input` past its header row.
pub(super) type CsvReader<B> = csv::Reader<io::Chain<io::Cursor<Vec<u8>>, B>>;

/// A CSV reader on `input` past its header row, the header's names and the delimiter: a
/// byte-order mark skipped, the delimiter `delimiter` or, when `None`, sniffed from the header
/// row.
pub(super) fn open_csv<B: BufRead>(
    mut input: B,
    delimiter: Option<u8>,
) -> Result<(CsvReader<B>, Vec<String>, u8), Error> {
    let mut first_line = Vec::new();
    input
        .read_until(b'\n', &mut first_line)
        .map_err(unreadable)?;
    if first_line.starts_with(b"\xEF\xBB\xBF") {
        first_line.drain(..3);
    }
    let delimiter = match delimiter {
        Some(d) if DELIMITERS.contains(&d) => d,
        Some(d) => {
            return Err(Error::param(
                "delimiter",
                format!("{:?} is not one of comma, semicolon, tab", char::from(d)),
            ));
        }
        None => sniff_delimiter(&first_line),
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(io::Cursor::new(first_line).chain(input));
    let mut record = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut record).map_err(unreadable)? {
        return Err(data_error(
            "row 1: the file is empty: a header row naming the columns is needed",
        ));
    }
    let header: Vec<String> = (0..record.len())
        .map(|j| cell_text(&record, j, 1, &[]).map(str::to_owned))
        .collect::<Result<_, _>>()?;
    Ok((csv, header, delimiter))
}

/// A [`Read`] that hashes and counts the bytes passing through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Which columns of the header are the target and the features.
pub(super) struct Layout {
    pub(super) target: usize,
    pub(super) features: Vec<usize>,
}

impl Layout {
    pub(super) fn new(header: &[String], options: &TableOptions) -> Result<Layout, Error> {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(header.len());
        for (j, name) in header.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(data_error(format!(
                    "row 1, column {} has no name: every column needs a name in the header row",
                    j + 1
                )));
            }
            if let Some(k) = seen.insert(name.as_str(), j) {
                return Err(data_error(format!(
                    "row 1: columns {} and {} are both named {}: column names must be unique",
                    k + 1,
                    j + 1,
                    quoted(name)
                )));
            }
        }
        let find = |param: &'static str, name: &str| {
            header.iter().position(|h| h == name).ok_or_else(|| {
                Error::param(
                    param,
                    format!("no column is named {} in the header row", quoted(name)),
                )
            })
        };
        let target = match &options.target {
            Some(name) => find("target", name)?,
            None => header.len() - 1,
        };
        let mut dropped = vec![false; header.len()];
        for name in &options.drop {
            let j = find("drop", name)?;
            if j == target {
                return Err(Error::param(
                    "drop",
                    format!("{} is the target column", quoted(name)),
                ));
            }
            dropped[j] = true;
        }
        let features: Vec<usize> = (0..header.len())
            .filter(|&j| j != target && !dropped[j])
            .collect();
        if features.is_empty() {
            return Err(data_error(format!(
                "no feature column: besides the target column {} the table needs at least one",
                quoted(&header[target])
            )));
        }
        Ok(Layout { target, features })
    }
}

/// What a cell holds.
pub(super) enum Cell {
    Missing,
    Number(f64),
    Text,
}

/// Reads a cell as pandas would: a missing value, a number, or text.
pub(super) fn number(text: &str) -> Cell {
    let text = text.trim();
    if MISSING.contains(&text) {
        return Cell::Missing;
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_nan() => Cell::Missing,
        Ok(v) => Cell::Number(v),
        Err(_) => Cell::Text,
    }
}

/// The class labels in `np.unique` order and, for each distinct label (by its id, the order
/// of first appearance), its class: by value when every label is a number, else as text.
fn encode_classes(distinct: &HashMap<String, u32>) -> (Vec<String>, Vec<u32>) {
    let mut labels: Vec<(&str, u32)> = distinct.iter().map(|(s, &id)| (s.as_str(), id)).collect();
    labels.sort_unstable_by_key(|&(_, id)| id);
    // `+ 0.0` makes -0 and 0 one class, as np.unique does.
    let values: Option<Vec<f64>> = labels
        .iter()
        .map(|(text, _)| match number(text) {
            Cell::Number(v) => Some(v + 0.0),
            Cell::Missing | Cell::Text => None,
        })
        .collect();
    let mut order: Vec<usize> = (0..labels.len()).collect();
    match &values {
        // Stable: among equal values the first written names the class.
        Some(values) => order.sort_by(|&a, &b| values[a].total_cmp(&values[b])),
        None => order.sort_unstable_by_key(|&a| labels[a].0),
    }
    let mut classes: Vec<String> = Vec::new();
    let mut class_of = vec![0u32; labels.len()];
    for (k, &a) in order.iter().enumerate() {
        let new_class = match &values {
            Some(values) => k == 0 || values[a] != values[order[k - 1]],
            None => true,
        };
        if new_class {
            let text = labels[a].0;
            classes.push(if values.is_some() { text.trim() } else { text }.to_owned());
        }
        class_of[labels[a].1 as usize] = (classes.len() - 1) as u32;
    }
    (classes, class_of)
}

/// The most frequent known delimiter outside double quotes in the header row; comma when none.
pub(super) fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if let Some(k) = DELIMITERS.iter().position(|&d| d == b && !quoted) {
            counts[k] += 1;
        }
    }
    let best =
        (0..DELIMITERS.len()).fold(0, |best, k| if counts[k] > counts[best] { k } else { best });
    DELIMITERS[best]
}

/// A data row's number (its line in the file) and its cells as text, refusing a row with
/// another number of fields than the header row, or a cell that is not text.
pub(super) fn row_cells<'r>(
    record: &'r csv::ByteRecord,
    header: &[String],
) -> Result<(u64, Vec<&'r str>), Error> {
    let row = record.position().map_or(0, csv::Position::line);
    if record.len() != header.len() {
        return Err(data_error(format!(
            "row {row} has {} fields, the header row has {}: every row needs one value per column",
            record.len(),
            header.len()
        )));
    }
    let cells = (0..record.len())
        .map(|j| cell_text(record, j, row, header))
        .collect::<Result<_, _>>()?;
    Ok((row, cells))
}

/// Field `j` of `record` as text, refusing a field that is not (invalid UTF-8 or a NUL byte).
fn cell_text<'r>(
    record: &'r csv::ByteRecord,
    j: usize,
    row: u64,
    header: &[String],
) -> Result<&'r str, Error> {
    let bytes = &record[j];
    match std::str::from_utf8(bytes) {
        Ok(text) if !bytes.contains(&0) => Ok(text),
        _ => Err(data_error(format!(
            "{}: is not text (invalid UTF-8 or a NUL byte): is the file a CSV table?",
            cell(row, j, header)
        ))),
    }
}

/// "row 5, column "name"", or the column's 1-based number before the header is read.
pub(super) fn cell(row: u64, j: usize, header: &[String]) -> String {
    match header.get(j) {
        Some(name) => format!("row {row}, column {}", quoted(name)),
        None => format!("row {row}, column {}", j + 1),
    }
}

/// `text` in double quotes with Rust's escapes, cut to its first 40 characters: a message
/// names a cell, it does not copy a long one.
pub(super) fn quoted(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{:?}…", &text[..end]),
        None => format!("{text:?}"),
    }
}

/// A refusal of the table itself, named `data` (the CLI's `--data`, the page's file control).
pub(super) fn data_error(message: impl Into<String>) -> Error {
    Error::param("data", message)
}

pub(super) fn unreadable(err: impl std::fmt::Display) -> Error {
    data_error(format!("cannot be read: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_most_frequent_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a,b,c\n"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a,b,c\";d;e\n"), b';');
        assert_eq!(sniff_delimiter(b"a,b;c\tx\n"), b',');
        assert_eq!(sniff_delimiter(b"a;b\tc\n"), b';');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn numeric_labels_sort_by_value_text_labels_by_code_point() {
        let classes = |labels: &[&str]| {
            let distinct: HashMap<String, u32> = labels
                .iter()
                .enumerate()
                .map(|(i, s)| (s.to_string(), i as u32))
                .collect();
            encode_classes(&distinct)
        };
        assert_eq!(
            classes(&["10", "9", "-1.5", "2"]),
            (
                vec!["-1.5".into(), "2".into(), "9".into(), "10".into()],
                vec![3, 2, 0, 1]
            )
        );
        assert_eq!(
            classes(&["1", "0", "1.0", "-0"]),
            (vec!["0".into(), "1".into()], vec![1, 0, 1, 0])
        );
        assert_eq!(
            classes(&["10", "9", "b", "B", "é"]),
            (
                vec!["10".into(), "9".into(), "B".into(), "b".into(), "é".into()],
                vec![0, 1, 3, 2, 4]
            )
        );
    }
}
