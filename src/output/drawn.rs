//! A plot as drawn: its file stem, caption and the PNG and SVG bytes. The
//! plot modules produce these, `output::plots` writes them under `plots/`
//! and the reports embed them, so the type sits apart from any one
//! command's plots.

/// One rendered plot (of a run or of any other command).
#[derive(Debug, Clone, PartialEq)]
pub struct RunPlot {
    /// File stem (`outcomes` for `plots/outcomes.png` and `.svg`).
    pub name: &'static str,
    /// Title drawn on the plot.
    pub title: String,
    /// What the plot shows and how to read it (the report's caption and
    /// the image's alternative text).
    pub caption: String,
    /// Size of the PNG in pixels (width, height).
    pub size: (u32, u32),
    /// PNG bytes.
    pub png: Vec<u8>,
    /// SVG document.
    pub svg: String,
}
