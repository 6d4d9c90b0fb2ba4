//! A table of results in memory: its name, its columns (each with a name
//! and a type) and its rows, written by any [`super::Exporter`].

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers (64-bit signed in Parquet).
    Int,
    /// Floating-point numbers (64-bit).
    Float,
    /// Text (UTF-8).
    Text,
}

/// A column: its name and the type of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name, as in the CSV header.
    pub name: String,
    /// The type of its values.
    pub kind: Kind,
}

impl Column {
    /// A column of whole numbers.
    pub fn int(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            kind: Kind::Int,
        }
    }

    /// A column of floating-point numbers.
    pub fn float(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            kind: Kind::Float,
        }
    }

    /// A column of text.
    pub fn text(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            kind: Kind::Text,
        }
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Text(String),
    /// No value (an empty CSV field, a Parquet null).
    Null,
}

impl Value {
    /// A count or index as a whole number (saturating at `i64::MAX`, far
    /// beyond any count brink makes).
    pub fn count(n: impl TryInto<i64>) -> Value {
        Value::Int(n.try_into().unwrap_or(i64::MAX))
    }

    /// A flag as 0 or 1, as the CSV files have always written it.
    pub fn flag(b: bool) -> Value {
        Value::Int(i64::from(b))
    }

    /// True when the value fits a column of `kind` (a null fits any).
    pub fn fits(&self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (Value::Null, _)
                | (Value::Int(_), Kind::Int)
                | (Value::Float(_), Kind::Float)
                | (Value::Text(_), Kind::Text)
        )
    }
}

/// A whole table: a name (the file's stem), columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    name: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Value>>,
}

impl Table {
    /// An empty table named `name` (written as `<name>.csv`,
    /// `<name>.parquet`, ...) with `columns`.
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            name: name.into(),
            columns,
            rows: Vec::new(),
        }
    }

    /// Appends a row. A row of the wrong length, or with a value that does
    /// not fit its column, is a bug in the code that builds the table.
    pub fn push(&mut self, row: Vec<Value>) {
        assert_eq!(
            row.len(),
            self.columns.len(),
            "a row of table {} has {} values for {} columns",
            self.name,
            row.len(),
            self.columns.len()
        );
        debug_assert!(
            row.iter().zip(&self.columns).all(|(v, c)| v.fits(c.kind)),
            "a value of table {} does not fit its column",
            self.name
        );
        // Floats keep the digits the model carries (`digits`).
        let row = row
            .into_iter()
            .map(|v| match v {
                Value::Float(x) => Value::Float(crate::output::digits::significant(x)),
                v => v,
            })
            .collect();
        self.rows.push(row);
    }

    /// The name (the file's stem).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[Vec<Value>] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fit_their_kinds_and_nulls_fit_all() {
        assert!(Value::Int(1).fits(Kind::Int));
        assert!(!Value::Int(1).fits(Kind::Float));
        assert!(Value::Float(1.0).fits(Kind::Float));
        assert!(!Value::Text("a".into()).fits(Kind::Int));
        assert!(
            [Kind::Int, Kind::Float, Kind::Text]
                .iter()
                .all(|&k| Value::Null.fits(k))
        );
        assert_eq!(Value::flag(true), Value::Int(1));
        assert_eq!(Value::count(u64::MAX), Value::Int(i64::MAX));
    }

    #[test]
    #[should_panic(expected = "has 1 values for 2 columns")]
    fn a_short_row_is_refused() {
        let mut t = Table::new("t", vec![Column::int("a"), Column::int("b")]);
        t.push(vec![Value::Int(1)]);
    }
}
