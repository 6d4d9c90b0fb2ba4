//! Console tables too wide for a terminal, printed in panels: the row
//! labels (and any columns marked sticky) repeat in every panel, and the
//! other columns (one per scenario or value) fill panels of at most
//! [`MAX_WIDTH`] characters.

use std::fmt::Write;

/// The widest line the console table aims for: wider tables are printed
/// in panels of scenarios, each repeating the row labels.
pub const MAX_WIDTH: usize = 100;

/// A table whose first `sticky` columns repeat in every panel and whose
/// other columns (one per scenario) wrap into panels of at most
/// [`MAX_WIDTH`] characters.
pub struct Panels {
    label: &'static str,
    label_width: usize,
    /// Header and width of each column.
    pub columns: Vec<(String, usize)>,
    sticky: usize,
    /// Row label and one cell per column.
    pub rows: Vec<(String, Vec<String>)>,
}

impl Panels {
    /// A table whose row labels are `label_width` wide, headed `label`,
    /// with the columns `sticky` (header, width) repeated in every panel;
    /// push the other columns and the rows, then [`Panels::write`].
    pub fn new(label: &'static str, label_width: usize, sticky: &[(&str, usize)]) -> Panels {
        Panels {
            label,
            label_width,
            columns: sticky.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
            sticky: sticky.len(),
            rows: Vec::new(),
        }
    }

    /// Appends the table to `out`, in as many panels as its width needs.
    pub fn write(&self, out: &mut String) {
        let fixed = 2
            + self.label_width
            + self.columns[..self.sticky]
                .iter()
                .map(|c| c.1)
                .sum::<usize>();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut used = fixed;
        for (i, (_, w)) in self.columns.iter().enumerate().skip(self.sticky) {
            match groups.last_mut() {
                Some(g) if used + w <= MAX_WIDTH => g.push(i),
                _ => {
                    groups.push(vec![i]);
                    used = fixed;
                }
            }
            used += w;
        }
        if groups.is_empty() {
            groups.push(Vec::new());
        }
        for (g, group) in groups.iter().enumerate() {
            if g > 0 {
                let _ = writeln!(out);
            }
            let shown: Vec<usize> = (0..self.sticky).chain(group.iter().copied()).collect();
            let _ = write!(out, "  {:<w$}", self.label, w = self.label_width);
            for &i in &shown {
                cell(out, &self.columns[i].0, self.columns[i].1);
            }
            let _ = writeln!(out);
            for (label, cells) in &self.rows {
                let _ = write!(out, "  {:<w$}", label, w = self.label_width);
                for &i in &shown {
                    cell(out, &cells[i], self.columns[i].1);
                }
                let _ = writeln!(out);
            }
        }
    }
}

/// Appends `text` padded to `width`, always leaving two spaces after it.
pub fn cell(out: &mut String, text: &str, width: usize) {
    let pad = width.saturating_sub(text.chars().count()).max(2);
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', pad));
}
