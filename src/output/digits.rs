//! Floats written with the digits the model carries, not the noise of
//! binary arithmetic: `0.575`, never `0.5750000000000001`.
//!
//! Every float of a table is rounded to [`SIGNIFICANT_DIGITS`] significant
//! digits ([`significant`]) and written in its shortest round-trip form.
//! The final values of a trial's state variables are written on the grid
//! of 10⁻⁹ that brink's exact sums keep them on ([`state_value`]), so a
//! merge that adds them up from the table gets the unsharded sums exactly.
//!
//! Both are plain IEEE arithmetic on exact powers of ten (no `log10`, no
//! formatting), so they give the same bits on every machine.

use crate::stats::aggregate::fixed_point;

/// Significant digits kept in the floats of tables.
pub const SIGNIFICANT_DIGITS: i32 = 12;

/// The exact powers of ten 10⁰ ..= 10²² (every one a double exactly).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The decimal exponent `e` with 10^e <= |x| < 10^(e+1), for
/// 10⁻²² <= |x| < 10²³; `None` outside.
fn exponent(a: f64) -> Option<i32> {
    if a >= 1.0 {
        let e = POW10.iter().rposition(|&p| p <= a)?;
        (a < 1e23).then_some(e as i32)
    } else {
        // 10^e <= a < 10^(e+1) with e < 0: the first k with a * 10^k >= 1.
        let k = POW10.iter().position(|&p| a * p >= 1.0)?;
        Some(-(k as i32))
    }
}

/// `x` rounded to [`SIGNIFICANT_DIGITS`] significant digits: the double
/// nearest to the rounded decimal. Zero, non-finite values and magnitudes
/// outside 10⁻²²..10²³ are returned as they are.
///
/// ```
/// use brink::output::digits::significant;
/// assert_eq!(significant(0.5750000000000001), 0.575);
/// assert_eq!(significant(0.1 + 0.2), 0.3);
/// assert_eq!(significant(-440.90000000000003), -440.9);
/// assert_eq!(significant(1.0 / 3.0), 0.333333333333);
/// ```
pub fn significant(x: f64) -> f64 {
    let a = x.abs();
    if a == 0.0 || !a.is_finite() {
        return x;
    }
    let Some(e) = exponent(a) else {
        return x;
    };
    // Scale so that the kept digits are the integer part: k = digits-1-e.
    let k = SIGNIFICANT_DIGITS - 1 - e;
    let rounded = if k >= 0 {
        let Some(&p) = POW10.get(k as usize) else {
            return x;
        };
        // m < 10^12 is exact, p exact: one correctly rounded division.
        (a * p).round() / p
    } else {
        let p = POW10[(-k) as usize];
        (a / p).round() * p
    };
    rounded.copysign(x)
}

/// The final value of a state variable as brink's exact sums hold it: on
/// the grid of 10⁻⁹ (`stats::aggregate::fixed_point`), so that
/// `fixed_point(state_value(x)) == fixed_point(x)`.
///
/// ```
/// use brink::output::digits::state_value;
/// assert_eq!(state_value(0.09999999999999999), 0.1);
/// assert_eq!(state_value(440.90000000000003), 440.9);
/// ```
pub fn state_value(x: f64) -> f64 {
    fixed_point(x) as f64 / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_decimal_formatting() {
        // The reference: Rust's exact decimal formatting, then parsing.
        let reference = |x: f64| format!("{x:.11e}").parse::<f64>().unwrap();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let scale = POW10[(state % 12) as usize] / 1e6;
            let x = (mantissa - 0.5) * scale;
            let (got, want) = (significant(x), reference(x));
            // Equal, or one tie rounded the other way after the scaling
            // product's own rounding: within one unit of the 12th digit.
            let unit = 10f64.powi(exponent(want.abs()).unwrap() - (SIGNIFICANT_DIGITS - 1));
            assert!(
                got == want || (got - want).abs() <= unit * 1.01,
                "{x:e}: {got:e} against {want:e}"
            );
        }
    }

    #[test]
    fn rounded_values_print_short() {
        for (x, text) in [
            (0.5750000000000001, "0.575"),
            (0.30000000000000004, "0.3"),
            (12345.678901234567, "12345.6789012"),
            (1e-7, "0.0000001"),
            (-0.0, "-0"),
            (2.5e30, "2500000000000000000000000000000"),
        ] {
            assert_eq!(significant(x).to_string(), text, "{x:e}");
        }
        assert!(significant(f64::NAN).is_nan());
        assert_eq!(significant(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn state_values_keep_the_exact_sums() {
        let mut x = -500.0;
        while x < 500.0 {
            assert_eq!(fixed_point(state_value(x)), fixed_point(x), "{x}");
            x += 0.123_456_789_012_345;
        }
    }
}
