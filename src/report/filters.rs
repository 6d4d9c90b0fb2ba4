//! The filters that report templates write numbers with
//! (`{{ s.trials|thousands }}`, `{{ share|percent }}`): thin adapters from
//! template values, which askama hands over by reference, to
//! [`crate::format`]. Their output is escaped like any other value.

use askama::{Result, Values};

use crate::format;

/// A number a template hands to a filter, however many references deep.
pub trait Number {
    /// The number as `f64`.
    fn value(&self) -> f64;
}

impl Number for f64 {
    fn value(&self) -> f64 {
        *self
    }
}

impl<T: Number + ?Sized> Number for &T {
    fn value(&self) -> f64 {
        (**self).value()
    }
}

/// A count a template hands to a filter, however many references deep.
pub trait Count {
    /// The count as `u64`.
    fn count(&self) -> u64;
}

impl Count for u64 {
    fn count(&self) -> u64 {
        *self
    }
}

impl Count for usize {
    fn count(&self) -> u64 {
        *self as u64
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> u64 {
        (**self).count()
    }
}

/// A count with thousands separators: `12,345`.
#[askama::filter_fn]
pub fn thousands(n: impl Count, _: &dyn Values) -> Result<String> {
    Ok(format::thousands(n.count()))
}

/// A share as the reports write it: `12.3%`, `0.04%`, `<0.01%`.
#[askama::filter_fn]
pub fn percent(x: impl Number, _: &dyn Values) -> Result<String> {
    Ok(format::percent(x.value()))
}

/// A difference of shares in signed percentage points: `+1.2`.
#[askama::filter_fn]
pub fn points(x: impl Number, _: &dyn Values) -> Result<String> {
    Ok(format::points(x.value()))
}

/// A number with a fixed number of decimals: `{{ x|fixed(1) }}`.
#[askama::filter_fn]
pub fn fixed(x: impl Number, _: &dyn Values, decimals: usize) -> Result<String> {
    let d = decimals;
    Ok(format!("{:.d$}", x.value()))
}

/// A number with a fixed number of decimals, signed unless it rounds to
/// zero: `{{ x|signed(1) }}` gives `+1.2`, `-0.4` or `0.0`.
#[askama::filter_fn]
pub fn signed(x: impl Number, _: &dyn Values, decimals: usize) -> Result<String> {
    Ok(format::signed(x.value(), decimals))
}

/// An index to two decimals, `-` when it could not be estimated.
#[askama::filter_fn]
pub fn index(x: impl Number, _: &dyn Values) -> Result<String> {
    Ok(format::index_text(x.value()))
}

/// A number to about three significant digits.
#[askama::filter_fn]
pub fn sig3(x: impl Number, _: &dyn Values) -> Result<String> {
    Ok(format::sig3(x.value()))
}
