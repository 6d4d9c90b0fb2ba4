//! Tables of results and the formats they are written in.
//!
//! Every table brink writes (trials, time series, sweep, sensitivity,
//! comparison, discovery, calibration samples) is built once as a
//! [`Table`]: a name, typed columns and rows. An [`Exporter`] turns a table
//! into the bytes of one file format, one module per format: [`csv`] (the
//! files brink has always written, byte for byte) and [`parquet`]. The
//! format is chosen with [`Format`] (`--format csv|parquet` on the command
//! line). The trials table, too large to hold in memory, streams instead
//! through [`trials::TrialsTable`].

pub mod analysis;
pub mod comparison;
pub mod csv;
pub mod experiment;
pub mod parquet;
pub mod score;
pub mod table;
pub mod timeseries;
pub mod trials;
pub mod trials_csv;
pub mod trials_parquet;

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use table::{Column, Kind, Table, Value};

use crate::output::write_atomic;

/// Turns a table into the bytes of one file format.
pub trait Exporter {
    /// The file name extension, without the dot.
    fn extension(&self) -> &'static str;

    /// The whole file.
    fn serialize(&self, table: &Table) -> io::Result<Vec<u8>>;
}

/// The file format of a result's tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values (the default).
    #[default]
    Csv,
    /// Apache Parquet, Snappy-compressed, byte-deterministic.
    Parquet,
}

impl Format {
    /// The exporter of this format.
    pub fn exporter(self) -> &'static dyn Exporter {
        match self {
            Format::Csv => &csv::CsvExporter,
            Format::Parquet => &parquet::ParquetExporter,
        }
    }

    /// The file name of table `name` in this format (`trials.csv`).
    pub fn file_name(self, name: &str) -> String {
        format!("{name}.{}", self.exporter().extension())
    }

    /// True for CSV, the default (a shard manifest leaves it out).
    pub fn is_csv(&self) -> bool {
        *self == Format::Csv
    }

    /// The format's name as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// Writes `table` into folder `dir` as `<name>.<extension>` of `format`,
/// atomically, and returns the file's path.
pub fn write(dir: &Path, table: &Table, format: Format) -> io::Result<PathBuf> {
    let path = dir.join(format.file_name(table.name()));
    write_atomic(&path, &format.exporter().serialize(table)?)?;
    Ok(path)
}
