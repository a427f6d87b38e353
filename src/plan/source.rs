//! A user's table as a request names it, and how its bytes are read once.

use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::Arc;

use crate::Error;
use crate::datasets::{Table, TableOptions, check_table_size, read_table};

/// A user's table as a request names it: its name, its length in bytes (known before it is
/// read: a file's metadata, a browser `File`'s size, so that a file too large is refused
/// unread), how to read it, and how to get its bytes (once, when the request is checked).
#[derive(Clone)]
pub struct TableSource {
    /// The name the user knows it by (the file's name), recorded in the results.
    pub name: String,
    /// Its length in bytes.
    pub length: u64,
    /// Target, dropped columns, delimiter.
    pub options: TableOptions,
    // Not `Send`: the page's worker reads a browser `File`, a JS object of its thread.
    open: Rc<dyn Fn() -> io::Result<Box<dyn Read>>>,
}

impl TableSource {
    /// A table whose bytes are in memory: what the page's worker has of a dropped file.
    ///
    /// ```
    /// use coresweep::datasets::TableOptions;
    /// use coresweep::plan::{Request, TableSource, Workload};
    /// let csv = "a,b,kind\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n";
    /// let mut request = Request {
    ///     data: Some(TableSource::from_bytes("t.csv", csv.as_bytes().to_vec(), TableOptions::default())),
    ///     ..Request::for_workload(Workload::CrossValScore)
    /// };
    /// request.params.model_selection.cv = 3;
    /// assert_eq!(request.check().unwrap_err().to_string(),
    ///     "cv: n_splits=3 cannot be greater than the number of members in each class (the smallest class has 2)");
    /// ```
    pub fn from_bytes(name: &str, bytes: Vec<u8>, options: TableOptions) -> TableSource {
        let length = bytes.len() as u64;
        TableSource::from_reader(name, length, options, SharedBytes::opener(bytes))
    }

    /// A table of `length` bytes that `open` reads (a file the CLI names, a `File` the page's
    /// worker streams): opened when the request is checked, if its length is within the limit.
    pub fn from_reader<R: Read + 'static>(
        name: &str,
        length: u64,
        options: TableOptions,
        open: impl Fn() -> io::Result<R> + 'static,
    ) -> TableSource {
        TableSource {
            name: name.to_owned(),
            length,
            options,
            open: Rc::new(move || open().map(|r| Box::new(r) as Box<dyn Read>)),
        }
    }

    /// Reads the table, refusing a file above `limit_bytes` by its length first and, should
    /// it be longer than it said (a device, a growing file), once that many bytes are read.
    pub fn read(&self, limit_bytes: u64) -> Result<Table, Error> {
        check_table_size(self.length, limit_bytes)?;
        let source = (self.open)()
            .map_err(|e| Error::param("data", format!("cannot be read: {e}")))?
            .take(limit_bytes.saturating_add(1));
        let table = read_table(&self.name, source, &self.options)?;
        check_table_size(table.info.bytes, limit_bytes)?;
        Ok(table)
    }
}

impl fmt::Debug for TableSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableSource")
            .field("name", &self.name)
            .field("length", &self.length)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Two sources are the same table when they say so: name, length and options.
impl PartialEq for TableSource {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, self.length, &self.options) == (&other.name, other.length, &other.options)
    }
}

/// A file's bytes, shared by the clones of a [`TableSource`] and read through a cursor.
#[derive(Clone)]
pub(super) struct SharedBytes(Arc<Vec<u8>>);

impl SharedBytes {
    /// Opens `bytes` as often as asked, each time from the start. Shared as the `Vec` they
    /// came in (an `Arc<[u8]>` would copy a file of many MB).
    pub(super) fn opener(bytes: Vec<u8>) -> impl Fn() -> io::Result<io::Cursor<SharedBytes>> {
        let bytes = SharedBytes(Arc::new(bytes));
        move || Ok(io::Cursor::new(bytes.clone()))
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
