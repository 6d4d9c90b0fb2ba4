//! The embedded font: DejaVu Sans (regular and bold, licence in
//! `assets/fonts/LICENSE`), compiled into the binary and registered with
//! plotters' ab_glyph text backend, so text renders from the same glyph
//! outlines on every machine and no system font is ever looked up.

use std::sync::Once;

use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle, register_font};

/// The family name every text style uses. It is also the `font-family` of
/// SVG text, hence the generic fallback after the comma for viewers that
/// lack DejaVu Sans.
pub const FAMILY: &str = "DejaVu Sans, sans-serif";

/// DejaVu Sans, regular.
pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Size of figure titles (plotters font size; about 0.8 of it in pixels
/// from the top of capitals to the bottom of descenders).
pub const TITLE: f64 = 30.0;
/// Size of subtitles, which say how to read a figure.
pub const SUBTITLE: f64 = 21.0;
/// Size of axis descriptions.
pub const AXIS: f64 = 23.0;
/// Size of tick labels and category labels.
pub const TICK: f64 = 21.0;
/// Size of legend entries.
pub const LEGEND: f64 = 21.0;
/// Size of value labels printed on data (bar tops, heat-map cells).
pub const VALUE: f64 = 20.0;

/// Registers the embedded fonts with plotters (once per process; cheap to
/// call again). Every drawing function of this module calls it first.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let ok = register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD).is_ok();
        assert!(ok, "the embedded DejaVu Sans font failed to parse");
    });
}

/// A regular text style of `size` in `color`.
pub fn text(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&color)
}

/// A bold text style of `size` in `color`.
pub fn bold(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size, FontStyle::Bold).into_font().color(&color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_parse_and_register() {
        register();
        register();
        let style = text(TICK, RGBColor(0, 0, 0));
        let (w, h) = style
            .font
            .box_size("Regional war")
            .expect("font registered");
        assert!(w > 100 && h > 10, "{w}x{h}");
        let (wb, _) = bold(TICK, RGBColor(0, 0, 0))
            .font
            .box_size("Regional war")
            .expect("bold registered");
        assert!(wb > w, "bold is wider: {wb} vs {w}");
    }
}
