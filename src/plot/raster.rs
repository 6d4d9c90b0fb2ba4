//! Text for bitmap output. plotters' own ab_glyph renderer drops each
//! glyph's left side bearing and puts the baseline half a font size below
//! the anchor, which makes letter spacing uneven ("O utcome", "inter vals")
//! and vertical centring high. [`GlyphBackend`] wraps a bitmap backend and
//! lays text out itself with the embedded font: pen positions from advance
//! widths and kerning (so widths match plotters' estimates), glyphs placed
//! at their true bounds, coverage accumulated once per pixel, anchors
//! measured on the font's ascent-to-descent box. Everything else is
//! passed through untouched.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

use super::font;

fn face(style: FontStyle) -> &'static FontRef<'static> {
    static REGULAR: OnceLock<FontRef<'static>> = OnceLock::new();
    static BOLD: OnceLock<FontRef<'static>> = OnceLock::new();
    let parse = |bytes: &'static [u8]| {
        FontRef::try_from_slice(bytes).expect("the embedded font parses (tested)")
    };
    match style {
        FontStyle::Bold => BOLD.get_or_init(|| parse(font::BOLD)),
        _ => REGULAR.get_or_init(|| parse(font::REGULAR)),
    }
}

/// A line of text laid out at a scale: glyph ids and pen positions.
struct Line {
    glyphs: Vec<(GlyphId, f32)>,
    width: f32,
    ascent: f32,
    height: f32,
}

fn layout(text: &str, size: f64, style: FontStyle) -> Line {
    let f = face(style).as_scaled(PxScale::from(size as f32));
    let mut x = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            x += f.kern(p, id);
        }
        glyphs.push((id, x));
        x += f.h_advance(id);
        prev = Some(id);
    }
    Line {
        glyphs,
        width: x,
        ascent: f.ascent(),
        height: f.ascent() - f.descent(),
    }
}

/// A bitmap backend whose text is drawn by this module (see the module
/// documentation); it ignores the font family, since brink embeds one.
pub(crate) struct GlyphBackend<B> {
    inner: B,
}

impl<B> GlyphBackend<B> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: B) -> Self {
        GlyphBackend { inner }
    }
}

impl<B: DrawingBackend> DrawingBackend for GlyphBackend<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = layout(text, style.size(), style.style());
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let size = style.size();
        let line = layout(text, size, style.style());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -line.height / 2.0,
            VPos::Bottom => -line.height,
        };
        // Glyphs are positioned at fractional offsets from the anchor (the
        // rasteriser renders the fraction), then moved by whole pixels.
        let (ox, oy) = (dx.floor(), dy.floor());
        let (fx, fy) = (dx - ox, dy - oy);
        let font = face(style.style());
        let scale = PxScale::from(size as f32);
        let outlines: Vec<_> = line
            .glyphs
            .iter()
            .filter_map(|&(id, x)| {
                font.outline_glyph(
                    id.with_scale_and_position(scale, point(fx + x, fy + line.ascent)),
                )
            })
            .collect();
        if outlines.is_empty() {
            return Ok(());
        }
        let x0 = outlines
            .iter()
            .map(|g| g.px_bounds().min.x as i32)
            .min()
            .unwrap_or(0);
        let y0 = outlines
            .iter()
            .map(|g| g.px_bounds().min.y as i32)
            .min()
            .unwrap_or(0);
        let x1 = outlines
            .iter()
            .map(|g| g.px_bounds().max.x as i32)
            .max()
            .unwrap_or(0);
        let y1 = outlines
            .iter()
            .map(|g| g.px_bounds().max.y as i32)
            .max()
            .unwrap_or(0);
        let (w, h) = ((x1 - x0).max(0) as usize, (y1 - y0).max(0) as usize);
        let mut coverage = vec![0.0f32; w * h];
        for g in &outlines {
            let b = g.px_bounds();
            let (gx, gy) = (b.min.x as i32 - x0, b.min.y as i32 - y0);
            g.draw(|x, y, c| {
                let (px, py) = (gx + x as i32, gy + y as i32);
                if px >= 0 && py >= 0 && (px as usize) < w && (py as usize) < h {
                    let cell = &mut coverage[py as usize * w + px as usize];
                    *cell = (*cell + c).min(1.0);
                }
            });
        }
        let trans = style.transform();
        let (bw, bh) = self.get_size();
        for py in 0..h {
            for px in 0..w {
                let c = coverage[py * w + px];
                if c <= 0.0 {
                    continue;
                }
                let (tx, ty) =
                    trans.transform(x0 + px as i32 + ox as i32, y0 + py as i32 + oy as i32);
                let (ax, ay) = (pos.0 + tx, pos.1 + ty);
                if ax >= 0 && ay >= 0 && ax < bw as i32 && ay < bh as i32 {
                    self.inner.draw_pixel(
                        (ax, ay),
                        BackendColor {
                            alpha: color.alpha * f64::from(c),
                            rgb: color.rgb,
                        },
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_width_matches_advances_and_kerning() {
        let line = layout("AV", 20.0, FontStyle::Normal);
        let f = face(FontStyle::Normal).as_scaled(PxScale::from(20.0));
        let (a, v) = (f.glyph_id('A'), f.glyph_id('V'));
        assert_eq!(line.width, f.h_advance(a) + f.kern(a, v) + f.h_advance(v));
        assert!(line.height > 19.0 && line.height < 21.0, "{}", line.height);
        assert!(
            layout("W", 20.0, FontStyle::Bold).width > layout("W", 20.0, FontStyle::Normal).width
        );
    }
}
