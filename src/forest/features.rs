//! [`Features`]: the training matrix as the trees read it, column-major `f32`.

use crate::Error;

///
/// ```
/// use coresweep::forest::Features;
/// let x = Features::from_row_major(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3, 2)?;
/// assert_eq!((x.n_rows(), x.n_cols()), (3, 2));
/// assert_eq!(x.select_rows(&[2, 0]).n_rows(), 2);
/// assert!(Features::from_row_major(&[f64::NAN], 1, 1).is_err());
/// # Ok::<(), coresweep::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Column `j` is `values[j * n_rows..(j + 1) * n_rows]`.
    pub(super) values: Vec<f32>,
    n_rows: usize,
    n_cols: usize,
}

impl Features {
    /// Converts row-major `f64` data to column-major `f32`; rejects a wrong length, NaN and
    /// values that are infinite (or become so in `f32`) with an error naming `X`.
    pub fn from_row_major(x: &[f64], n_rows: usize, n_cols: usize) -> Result<Features, Error> {
        if n_rows.checked_mul(n_cols) != Some(x.len()) {
            return Err(Error::InvalidData {
                what: "X",
                message: format!(
                    "has {} values, expected n_rows * n_cols = {n_rows} * {n_cols}",
                    x.len()
                ),
            });
        }
        let mut values = vec![0.0f32; x.len()];
        for (i, row) in x.chunks_exact(n_cols.max(1)).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                let v32 = v as f32;
                if !v32.is_finite() {
                    return Err(Error::InvalidData {
                        what: "X",
                        message: format!(
                            "row {i}, column {j} is {v}: values must be finite and fit in float32"
                        ),
                    });
                }
                values[j * n_rows + i] = v32;
            }
        }
        Ok(Features {
            values,
            n_rows,
            n_cols,
        })
    }

    /// Column-major `f32` values already checked finite (the table reader's output).
    pub(crate) fn from_column_major(values: Vec<f32>, n_rows: usize, n_cols: usize) -> Features {
        debug_assert_eq!(values.len(), n_rows * n_cols);
        Features {
            values,
            n_rows,
            n_cols,
        }
    }

    /// The rows `rows` (in that order) as a new matrix. Panics if a row is out of range.
    pub fn select_rows(&self, rows: &[usize]) -> Features {
        let mut values = Vec::with_capacity(rows.len() * self.n_cols);
        for j in 0..self.n_cols {
            let column = self.column(j);
            values.extend(rows.iter().map(|&i| column[i]));
        }
        Features {
            values,
            n_rows: rows.len(),
            n_cols: self.n_cols,
        }
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (features).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Every value, column after column (column `j` is `[j * n_rows, (j + 1) * n_rows)`).
    pub fn column_major(&self) -> &[f32] {
        &self.values
    }

    fn column(&self, j: usize) -> &[f32] {
        &self.values[j * self.n_rows..(j + 1) * self.n_rows]
    }
}
