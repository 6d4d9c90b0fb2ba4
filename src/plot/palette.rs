//! The one palette of every brink plot: a colour per outcome (Okabe-Ito,
//! distinguishable with the common colour-vision deficiencies), an ordered
//! colour per escalation rung (viridis, light for diplomacy to dark for
//! war, so the order reads in grey too), series colours for charts of
//! several scenarios, a sequential scale for heat maps, and the neutral
//! greys of text, axes and grid lines.

use plotters::style::RGBColor;

use crate::world::{N_RUNGS, Outcome};

/// Body text.
pub const TEXT: RGBColor = RGBColor(0x1f, 0x1f, 0x1f);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Axis lines and tick marks.
pub const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xe2, 0xe2, 0xe2);
/// Background.
pub const BACKGROUND: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// Shading of every other row of a row chart.
pub const ZEBRA: RGBColor = RGBColor(0xf4, 0xf4, 0xf4);
/// The band of a possible range behind a mark (e.g. a parameter's full
/// range behind the part a box keeps).
pub const TRACK: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);

/// The Okabe-Ito palette (Okabe & Ito, 2008): black, orange, sky blue,
/// bluish green, yellow, blue, vermillion, reddish purple.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xf0, 0xe4, 0x42),
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0xcc, 0x79, 0xa7),
];

/// Neutral grey of the Okabe-Ito extension, for a stalemate.
pub const GREY: RGBColor = RGBColor(0x8c, 0x8c, 0x8c);

/// The colour of an outcome, the same in every plot and in the report.
/// The three outcomes that decide most trials (deal, limited strikes,
/// regional war) stay apart under every common colour-vision deficiency:
/// blue against orange and vermillion, which keep different lightness.
pub fn outcome(o: Outcome) -> RGBColor {
    match o {
        Outcome::Deal => OKABE_ITO[5],
        Outcome::WarThenSettlement => OKABE_ITO[3],
        Outcome::WarEnded => OKABE_ITO[0],
        Outcome::WarOngoing => OKABE_ITO[6],
        Outcome::LimitedStrikes => OKABE_ITO[1],
        Outcome::Breakout => OKABE_ITO[7],
        Outcome::Standoff => GREY,
        Outcome::TalksOngoing => OKABE_ITO[2],
    }
}

/// Rung colours, diplomacy (0) to regional war (5): six evenly spaced
/// samples of viridis, reversed so that escalation darkens.
pub const RUNGS: [RGBColor; N_RUNGS] = [
    RGBColor(0xfd, 0xe7, 0x25),
    RGBColor(0x7a, 0xd1, 0x51),
    RGBColor(0x22, 0xa8, 0x84),
    RGBColor(0x2a, 0x78, 0x8e),
    RGBColor(0x41, 0x44, 0x87),
    RGBColor(0x44, 0x01, 0x54),
];

/// The colour of rung `r` (clamped to the ladder).
pub fn rung(r: usize) -> RGBColor {
    RUNGS[r.min(N_RUNGS - 1)]
}

/// Colours for the `i`-th of several series (scenarios in a comparison,
/// curves of a sweep): Okabe-Ito without yellow, which is too light on
/// white, cycling after seven.
pub fn series(i: usize) -> RGBColor {
    const ORDER: [usize; 7] = [5, 1, 3, 6, 7, 2, 0];
    OKABE_ITO[ORDER[i % ORDER.len()]]
}

/// The neutral colour of a single statistic drawn with its bands.
pub const NEUTRAL: RGBColor = RGBColor(0x2b, 0x2b, 0x2b);

/// Stops of the sequential heat-map scale (pale to dark blue, one hue,
/// readable in grey and with colour-vision deficiencies). The lightest
/// stop is tinted so that a value of zero still differs from a blank cell.
const SEQUENTIAL: [RGBColor; 5] = [
    RGBColor(0xe4, 0xee, 0xf7),
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x08, 0x30, 0x6b),
];

/// The sequential scale at `t` in 0..=1 (clamped), linear between stops.
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (SEQUENTIAL.len() - 1) as f64;
    let i = (pos.floor() as usize).min(SEQUENTIAL.len() - 2);
    mix(SEQUENTIAL[i], SEQUENTIAL[i + 1], pos - i as f64)
}

/// `a` moved a fraction `t` of the way to `b` (per channel, rounded).
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// `c` lightened towards white by `t` (0 keeps it, 1 gives white): an
/// opaque stand-in for a translucent fill, identical in PNG and SVG.
pub fn tint(c: RGBColor, t: f64) -> RGBColor {
    mix(c, BACKGROUND, t)
}

/// Relative luminance (WCAG 2) of a colour, 0 for black to 1 for white
/// (computed with `libm`, so text colours never differ between platforms).
pub fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            libm::pow((s + 0.055) / 1.055, 2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Black or white, whichever contrasts more with a background `bg`.
pub fn text_on(bg: RGBColor) -> RGBColor {
    // Contrast ratios against white and near-black text are equal at a
    // luminance of about 0.18.
    if luminance(bg) > 0.18 {
        TEXT
    } else {
        BACKGROUND
    }
}

/// `#rrggbb`, for HTML and CSS.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_colours_are_distinct() {
        let cs: Vec<String> = Outcome::ALL.iter().map(|&o| hex(outcome(o))).collect();
        for (i, a) in cs.iter().enumerate() {
            for b in &cs[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn rung_colours_darken_with_escalation() {
        for r in 1..N_RUNGS {
            assert!(luminance(rung(r)) < luminance(rung(r - 1)), "rung {r}");
        }
    }

    #[test]
    fn sequential_scale_runs_light_to_dark() {
        assert_eq!(sequential(0.0), SEQUENTIAL[0]);
        assert_eq!(sequential(1.0), SEQUENTIAL[4]);
        assert_eq!(sequential(2.0), SEQUENTIAL[4]);
        assert!(luminance(sequential(0.3)) > luminance(sequential(0.6)));
        assert_eq!(text_on(sequential(0.0)), TEXT);
        assert_eq!(text_on(sequential(1.0)), BACKGROUND);
    }

    #[test]
    fn hex_formats_lowercase() {
        assert_eq!(hex(OKABE_ITO[6]), "#d55e00");
    }
}
