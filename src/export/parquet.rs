//! Apache Parquet, through the `arrow` writer of the `parquet` crate.
//!
//! Files are byte-deterministic: rows are handed to the writer in batches
//! of exactly [`ROW_GROUP_ROWS`] rows (the last may be shorter), each a row
//! group of its own; the writer names itself with a fixed `created_by`, and
//! nothing records a time or a path. The same rows thus give the same
//! bytes, whatever the thread count, checkpoints or shard boundaries that
//! produced them. Columns are Int64, Float64 and UTF-8, all nullable, with
//! Snappy compression.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::{WriterProperties, WriterPropertiesBuilder};

use super::Exporter;
use super::table::{Column, Kind, Table, Value};

/// Rows per row group, and per batch handed to the writer.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The writer's name in every file (never a version or a time).
pub const CREATED_BY: &str = "brink";

/// The writer's fixed settings, to which a table may add per-column ones.
pub fn properties() -> WriterPropertiesBuilder {
    WriterProperties::builder()
        .set_created_by(CREATED_BY.into())
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_compression(Compression::SNAPPY)
}

/// The Arrow schema of `columns`.
pub fn schema(columns: &[Column]) -> SchemaRef {
    let fields: Vec<Field> = columns
        .iter()
        .map(|c| {
            let t = match c.kind {
                Kind::Int => DataType::Int64,
                Kind::Float => DataType::Float64,
                Kind::Text => DataType::Utf8,
            };
            Field::new(&c.name, t, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e.to_string())
}

fn arrow_error(e: arrow_schema::ArrowError) -> io::Error {
    io::Error::other(e.to_string())
}

/// One column of the row group being filled.
#[derive(Debug)]
enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
}

/// Rows of one row group, column by column, until they are handed to the
/// writer as one batch.
#[derive(Debug)]
pub struct RowGroupBuffer {
    schema: SchemaRef,
    columns: Vec<Builder>,
    rows: usize,
}

impl RowGroupBuffer {
    /// An empty buffer for `columns`.
    pub fn new(columns: &[Column]) -> RowGroupBuffer {
        RowGroupBuffer {
            schema: schema(columns),
            columns: columns
                .iter()
                .map(|c| match c.kind {
                    Kind::Int => Builder::Int(Int64Builder::with_capacity(ROW_GROUP_ROWS)),
                    Kind::Float => Builder::Float(Float64Builder::with_capacity(ROW_GROUP_ROWS)),
                    Kind::Text => Builder::Text(StringBuilder::new()),
                })
                .collect(),
            rows: 0,
        }
    }

    /// The Arrow schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows held.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Appends a whole number (or a null) to column `k`.
    pub fn int(&mut self, k: usize, v: Option<i64>) {
        match &mut self.columns[k] {
            Builder::Int(b) => b.append_option(v),
            _ => panic!("column {k} holds no whole numbers"),
        }
    }

    /// Appends a float to column `k`.
    pub fn float(&mut self, k: usize, v: Option<f64>) {
        match &mut self.columns[k] {
            Builder::Float(b) => b.append_option(v),
            _ => panic!("column {k} holds no floats"),
        }
    }

    /// Appends text to column `k`.
    pub fn text(&mut self, k: usize, v: Option<&str>) {
        match &mut self.columns[k] {
            Builder::Text(b) => b.append_option(v),
            _ => panic!("column {k} holds no text"),
        }
    }

    /// Appends one value to column `k`.
    pub fn value(&mut self, k: usize, v: &Value) {
        match (&mut self.columns[k], v) {
            (Builder::Int(b), Value::Int(n)) => b.append_value(*n),
            (Builder::Float(b), Value::Float(x)) => b.append_value(*x),
            (Builder::Text(b), Value::Text(s)) => b.append_value(s),
            (Builder::Int(b), Value::Null) => b.append_null(),
            (Builder::Float(b), Value::Null) => b.append_null(),
            (Builder::Text(b), Value::Null) => b.append_null(),
            _ => panic!("a value of column {k} does not fit it"),
        }
    }

    /// Counts a row whose values were all appended.
    pub fn end_row(&mut self) {
        self.rows += 1;
    }

    /// Appends rows `from..from + len` of `batch` (of the same schema).
    fn append(&mut self, batch: &RecordBatch, from: usize, len: usize) -> io::Result<()> {
        for (k, b) in self.columns.iter_mut().enumerate() {
            let a = batch.column(k).slice(from, len);
            let wrong = || io::Error::other(format!("column {k} has another type"));
            match b {
                Builder::Int(b) => {
                    let a = a.as_primitive_opt::<Int64Type>().ok_or_else(wrong)?;
                    b.extend(a.iter());
                }
                Builder::Float(b) => {
                    let a = a.as_primitive_opt::<Float64Type>().ok_or_else(wrong)?;
                    b.extend(a.iter());
                }
                Builder::Text(b) => {
                    let a = a.as_string_opt::<i32>().ok_or_else(wrong)?;
                    b.extend(a.iter());
                }
            }
        }
        self.rows += len;
        Ok(())
    }

    /// The rows held as one batch; the buffer is left empty.
    pub fn take(&mut self) -> io::Result<RecordBatch> {
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Int(b) => Arc::new(b.finish()),
                    Builder::Float(b) => Arc::new(b.finish()),
                    Builder::Text(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(arrow_error)
    }
}

/// Writes rows to a Parquet file in row groups of [`ROW_GROUP_ROWS`].
/// Values are appended to [`TableWriter::buffer`], then each row is closed
/// with [`TableWriter::end_row`].
pub struct TableWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    buffer: RowGroupBuffer,
    rows: u64,
}

impl<W: Write + Send> std::fmt::Debug for TableWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("buffer", &self.buffer)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> TableWriter<W> {
    /// Starts a file of `columns` on `out`.
    pub fn new(out: W, columns: &[Column]) -> io::Result<TableWriter<W>> {
        TableWriter::with_properties(out, columns, properties().build())
    }

    /// Starts a file of `columns` on `out` with settings `props` (made from
    /// [`properties`], so that the fixed ones hold).
    pub fn with_properties(
        out: W,
        columns: &[Column],
        props: WriterProperties,
    ) -> io::Result<TableWriter<W>> {
        let buffer = RowGroupBuffer::new(columns);
        let writer = ArrowWriter::try_new(out, buffer.schema().clone(), Some(props))
            .map_err(parquet_error)?;
        Ok(TableWriter {
            writer,
            buffer,
            rows: 0,
        })
    }

    /// The row being filled.
    pub fn buffer(&mut self) -> &mut RowGroupBuffer {
        &mut self.buffer
    }

    /// Rows written so far, the one being filled excluded.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Closes the row whose values were appended; a full row group goes to
    /// the writer.
    pub fn end_row(&mut self) -> io::Result<()> {
        self.buffer.end_row();
        self.rows += 1;
        if self.buffer.rows() == ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Appends every row of `batch` (of the same columns).
    pub fn append(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let mut from = 0;
        while from < batch.num_rows() {
            let len = (ROW_GROUP_ROWS - self.buffer.rows()).min(batch.num_rows() - from);
            self.buffer.append(batch, from, len)?;
            self.rows += len as u64;
            from += len;
            if self.buffer.rows() == ROW_GROUP_ROWS {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        let batch = self.buffer.take()?;
        self.writer.write(&batch).map_err(parquet_error)?;
        self.writer.flush().map_err(parquet_error)
    }

    /// Writes the last rows and the footer, and gives the output back.
    pub fn finish(mut self) -> io::Result<W> {
        if self.buffer.rows() > 0 {
            self.flush_group()?;
        }
        self.writer.into_inner().map_err(parquet_error)
    }
}

/// Reads a Parquet file batch by batch, handing each to `each`.
pub fn read_batches(
    path: &Path,
    each: &mut dyn FnMut(&RecordBatch) -> io::Result<()>,
) -> io::Result<()> {
    let file = File::open(path)?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(parquet_error)?
        .with_batch_size(ROW_GROUP_ROWS)
        .build()
        .map_err(parquet_error)?;
    for batch in reader {
        each(&batch.map_err(arrow_error)?)?;
    }
    Ok(())
}

/// The number of rows a Parquet file holds, read from its footer.
pub fn row_count(path: &Path) -> io::Result<u64> {
    let file = File::open(path)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error)?;
    Ok(builder.metadata().file_metadata().num_rows().max(0) as u64)
}

/// Writes tables as Parquet.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParquetExporter;

impl Exporter for ParquetExporter {
    fn extension(&self) -> &'static str {
        "parquet"
    }

    fn serialize(&self, table: &Table) -> io::Result<Vec<u8>> {
        let mut w = TableWriter::new(Vec::new(), table.columns())?;
        for row in table.rows() {
            for (k, v) in row.iter().enumerate() {
                w.buffer().value(k, v);
            }
            w.end_row()?;
        }
        w.finish()
    }
}

/// The values of a batch's row `i`, as a table holds them (for tests and
/// checks).
pub fn row_values(batch: &RecordBatch, i: usize) -> Vec<Value> {
    batch
        .columns()
        .iter()
        .map(|a| {
            if a.is_null(i) {
                return Value::Null;
            }
            if let Some(a) = a.as_primitive_opt::<Int64Type>() {
                Value::Int(a.value(i))
            } else if let Some(a) = a.as_primitive_opt::<Float64Type>() {
                Value::Float(a.value(i))
            } else if let Some(a) = a.as_string_opt::<i32>() {
                Value::Text(a.value(i).to_string())
            } else {
                Value::Null
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> Table {
        let mut t = Table::new(
            "t",
            vec![Column::int("n"), Column::float("x"), Column::text("s")],
        );
        for i in 0..rows {
            t.push(vec![
                if i % 7 == 0 {
                    Value::Null
                } else {
                    Value::count(i)
                },
                Value::Float(i as f64 / 3.0),
                Value::Text(format!("r{}", i % 5)),
            ]);
        }
        t
    }

    #[test]
    fn a_table_reads_back_value_for_value() {
        let t = table(1000);
        let bytes = ParquetExporter.serialize(&t).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, &bytes).unwrap();
        let mut back = Vec::new();
        read_batches(&path, &mut |b| {
            back.extend((0..b.num_rows()).map(|i| row_values(b, i)));
            Ok(())
        })
        .unwrap();
        assert_eq!(back, t.rows());
        assert_eq!(row_count(&path).unwrap(), 1000);
    }

    #[test]
    fn bytes_do_not_depend_on_how_rows_arrive() {
        let t = table(ROW_GROUP_ROWS + 1234);
        let whole = ParquetExporter.serialize(&t).unwrap();
        // The same rows appended as batches of odd sizes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, &whole).unwrap();
        let mut w = TableWriter::new(Vec::new(), t.columns()).unwrap();
        read_batches(&path, &mut |b| {
            let mut from = 0;
            for len in [1, 999, 40_000].iter().cycle() {
                let len = (*len).min(b.num_rows() - from);
                w.append(&b.slice(from, len))?;
                from += len;
                if from == b.num_rows() {
                    break;
                }
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(w.finish().unwrap(), whole);
        assert!(
            whole
                .windows(CREATED_BY.len())
                .any(|w| w == CREATED_BY.as_bytes())
        );
    }
}
