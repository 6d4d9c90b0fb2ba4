//! `plots/<name>.png` and `plots/<name>.svg`: the rendered plots of a run.

use std::fs;
use std::io;
use std::path::Path;

use crate::output::drawn::RunPlot;

use super::staging::write_atomic;

/// Folder of the plots inside an output directory.
pub const PLOTS_DIR: &str = "plots";

/// Writes every plot as PNG and SVG under `dir/plots/`.
pub fn write(dir: &Path, plots: &[RunPlot]) -> io::Result<()> {
    let folder = dir.join(PLOTS_DIR);
    fs::create_dir_all(&folder).map_err(super::io_error::at("create the folder", &folder))?;
    for p in plots {
        write_atomic(&folder.join(format!("{}.png", p.name)), &p.png)?;
        write_atomic(&folder.join(format!("{}.svg", p.name)), p.svg.as_bytes())?;
    }
    Ok(())
}
