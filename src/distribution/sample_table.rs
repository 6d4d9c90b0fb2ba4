//! An empirical joint sample read from a CSV file: one column per
//! parameter, one row per draw (the accepted samples of a calibration, for
//! instance). Parameters that name the same table draw the same row in a
//! trial, so the correlations between its columns are kept.

/// Rows of numbers with named columns, stored row by row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SampleTable {
    /// Column names, in file order.
    pub columns: Vec<String>,
    /// The cells, row after row (`rows * columns.len()` of them).
    pub cells: Vec<f64>,
    /// Hex sha256 of the file's bytes: the table's identity, which names
    /// the random stream its row index is drawn from.
    pub sha256: String,
}

impl SampleTable {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.cells
            .len()
            .checked_div(self.columns.len())
            .unwrap_or(0)
    }

    /// Index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The cell of row `row` in column `column`.
    pub fn cell(&self, row: usize, column: usize) -> f64 {
        self.cells[row * self.columns.len() + column]
    }

    /// The values of column `column`, row by row.
    pub fn values(&self, column: usize) -> impl Iterator<Item = f64> + '_ {
        self.cells
            .iter()
            .skip(column)
            .step_by(self.columns.len().max(1))
            .copied()
    }

    /// The row that a uniform draw `u` in `[0, 1)` picks: every row has
    /// probability `1 / rows`.
    pub fn row_of(&self, u: f64) -> usize {
        let n = self.rows();
        ((u * n as f64) as usize).min(n.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_picked_evenly_and_cells_read_by_row() {
        let t = SampleTable {
            columns: vec!["a".into(), "b".into()],
            cells: vec![1.0, 10.0, 2.0, 20.0, 3.0, 30.0, 4.0, 40.0],
            sha256: String::new(),
        };
        assert_eq!(t.rows(), 4);
        assert_eq!(t.column("b"), Some(1));
        assert_eq!(t.values(1).collect::<Vec<_>>(), [10.0, 20.0, 30.0, 40.0]);
        assert_eq!(t.cell(2, 1), 30.0);
        let picks: Vec<usize> = [0.0, 0.2499, 0.25, 0.74, 0.75, 0.999_999]
            .iter()
            .map(|&u| t.row_of(u))
            .collect();
        assert_eq!(picks, [0, 0, 1, 2, 3, 3]);
        assert_eq!(SampleTable::default().rows(), 0);
    }
}
