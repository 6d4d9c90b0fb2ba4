//! The exponential of the logit choice rule, `exp(x)` for `x <= 0`.
//!
//! The logit weights are `exp(beta * (u - best))`, so the argument is never
//! positive. This version has no branches and no table, so the compiler can
//! run several weights at once in vector registers. It uses only IEEE-754
//! additions, multiplications and bit moves, which round the same way on
//! every machine (Rust never fuses a multiply and an add on its own), so the
//! weights, and everything drawn from them, are the same bytes everywhere.
//!
//! Method: `x = k ln 2 + r` with `k` the nearest integer to `x / ln 2` and
//! `|r| <= ln 2 / 2`, `ln 2` split into a high part with trailing zero bits
//! and a low part so that `k ln2_hi` is exact; `exp(r)` by its Taylor series
//! to degree 13 (the first term left out is below `4.3e-18` relative),
//! summed by Estrin's scheme; then `2^k` is put into the exponent bits.
//! Arguments below [`UNDERFLOW`] give 0: their weight is under `1e-307`
//! against the best action's weight of 1.

/// Arguments below this give 0 (`exp(-708) ≈ 3.3e-308`, still a normal number).
pub const UNDERFLOW: f64 = -708.0;

const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// High part of ln 2 (the last 21 bits of its significand are zero).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// ln 2 minus `LN2_HI`.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5 * 2^52: adding and subtracting it rounds to the nearest integer.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// 1/n! for n = 0 to 13: the Taylor coefficients of `exp`.
const C: [f64; 14] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// `exp(x)` for `x <= 0` within 2 ulp of the true value; exactly 1 at
/// `x = 0`; 0 below [`UNDERFLOW`] and at negative infinity. Not meant for
/// positive or NaN arguments.
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    let clamped = x.max(UNDERFLOW);
    // k = round(x / ln 2), between -1022 and 0, read from the low bits of `shifted`.
    let shifted = clamped * LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = (clamped - k * LN2_HI) - k * LN2_LO;
    // Estrin's scheme: a tree of short products instead of one long chain
    // of them, so the work of one weight overlaps with itself.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q = |n: usize| C[n] + r * C[n + 1];
    let s0 = q(0) + r2 * q(2);
    let s1 = q(4) + r2 * q(6);
    let s2 = q(8) + r2 * q(10);
    let t0 = s0 + r4 * s1;
    let t1 = s2 + r4 * q(12);
    let poly = t0 + r8 * t1;
    let k_int = shifted.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    let scale = f64::from_bits(((k_int + 1023) as u64) << 52);
    let y = poly * scale;
    if x < UNDERFLOW { 0.0 } else { y }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn zero_gives_exactly_one_and_the_tail_gives_zero() {
        assert_eq!(exp_nonpositive(0.0).to_bits(), 1.0f64.to_bits());
        assert_eq!(exp_nonpositive(-0.0).to_bits(), 1.0f64.to_bits());
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_nonpositive(-708.5), 0.0);
        assert!(exp_nonpositive(UNDERFLOW) > 0.0);
    }

    #[test]
    fn within_two_ulp_of_libm_over_the_whole_range() {
        // Dense grid near 0 (where the logit weights that matter live) and
        // a coarse one down to the underflow bound, plus the reduction's
        // boundaries at odd multiples of ln 2 / 2.
        let check = |x: f64| {
            let d = ulps(exp_nonpositive(x), libm::exp(x));
            assert!(d <= 2, "exp({x}): {d} ulp from libm");
        };
        for i in 0..=200_000 {
            check(-f64::from(i) * 1e-4);
        }
        for i in 0..=700_000 {
            check(-f64::from(i) * 1e-3 - 0.5e-3);
        }
        for k in 0..1021 {
            let edge = -(f64::from(k) + 0.5) * std::f64::consts::LN_2;
            check(edge);
            check(f64::from_bits(edge.to_bits() + 1));
            check(f64::from_bits(edge.to_bits() - 1));
        }
        check(-1e-300);
        check(-f64::MIN_POSITIVE);
    }

    #[test]
    fn golden_bits() {
        // Pinned on x86-64; any machine must give the same bits.
        for (x, bits) in GOLDEN {
            assert_eq!(exp_nonpositive(x).to_bits(), bits, "exp({x})");
        }
    }

    const GOLDEN: [(f64, u64); 9] = [
        (-1e-9, 0x3fef_ffff_ff76_8fa1),
        (-0.125, 0x3fec_3d6a_24ed_8222),
        (-0.5, 0x3fe3_68b2_fc6f_960b),
        (-1.0, 0x3fd7_8b56_362c_ef38),
        (-2.5, 0x3fb5_0385_c094_f425),
        (-10.0, 0x3f07_cd79_b564_7c9a),
        (-37.5, 0x3c8d_d5c5_6630_1ec8),
        (-100.0, 0x36ea_8c1f_14e2_af5d),
        (-700.0, 0x00d1_4f2b_0fb9_307f),
    ];
}
