//! CSV: a header line, then one line per row, written by the `csv` crate.
//! Whole numbers in decimal, floats in Rust's shortest round-trip form
//! (`Display`), text quoted only when it must be, a null as an empty field:
//! exactly the bytes brink's CSV files have always had.

use std::io;

use super::Exporter;
use super::table::{Table, Value};

/// Writes tables as CSV.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvExporter;

/// A float as a CSV field: its shortest round-trip decimal form, with a
/// decimal point even when whole (`0.0`, `3.0`), so that a reader that
/// guesses types (pandas, R) reads a float column as floats.
fn float_field(x: f64) -> String {
    let mut s = x.to_string();
    if x.is_finite() && !s.contains(['.', 'e', 'E']) {
        s.push_str(".0");
    }
    s
}

/// The CSV field of a value.
fn field(v: &Value) -> String {
    match v {
        Value::Int(n) => n.to_string(),
        Value::Float(x) => float_field(*x),
        Value::Text(s) => s.clone(),
        Value::Null => String::new(),
    }
}

impl Exporter for CsvExporter {
    fn extension(&self) -> &'static str {
        "csv"
    }

    fn serialize(&self, table: &Table) -> io::Result<Vec<u8>> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(table.columns().iter().map(|c| c.name.as_str()))
            .map_err(io::Error::other)?;
        for row in table.rows() {
            w.write_record(row.iter().map(field))
                .map_err(io::Error::other)?;
        }
        w.into_inner().map_err(|e| io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::table::Column;

    #[test]
    fn fields_are_written_with_their_types() {
        let mut t = Table::new(
            "t",
            vec![Column::int("n"), Column::float("x"), Column::text("name")],
        );
        t.push(vec![
            Value::Int(-3),
            Value::Float(1e-7),
            Value::Text("a, b".into()),
        ]);
        t.push(vec![
            Value::Null,
            Value::Float(0.5),
            Value::Text("c".into()),
        ]);
        // A whole float keeps its decimal point: the column reads as floats.
        t.push(vec![Value::Int(0), Value::Float(3.0), Value::Null]);
        let bytes = CsvExporter.serialize(&t).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "n,x,name\n-3,0.0000001,\"a, b\"\n,0.5,c\n0,3.0,\n"
        );
    }
}
