//! What the report templates share on the Rust side. The skeleton of every
//! report (document head with its one inline style sheet, header, plots,
//! the "reproducing" block, footer) is written once, as the macros of
//! `templates/report/page.html`; the style sheet is
//! `templates/report/style.css`. Each report (`brink run`, `compare`,
//! `sweep`, `sensitivity`, `discover`, `calibrate`) has its own template
//! beside them that fills the sections in between.

use askama::Template;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::output::drawn::RunPlot;

/// The PNG of `plot` in base64, for a `data:` URI.
pub fn png_base64(plot: &RunPlot) -> String {
    BASE64.encode(&plot.png)
}

/// Renders a report template into its HTML document.
pub fn render_page(page: &impl Template) -> String {
    // The templates write into a `String`, which cannot fail, and call no
    // fallible filter: an error here is a bug in a template.
    page.render()
        .expect("report templates write into a String and cannot fail")
}
