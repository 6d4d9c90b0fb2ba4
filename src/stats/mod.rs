//! Statistics of a run: exact integer aggregates, Wilson intervals,
//! quantiles of step distributions, and the run summary built from them.

pub mod aggregate;
pub mod prim;
pub mod sobol;
pub mod summary;
pub mod wilson;

pub use aggregate::{Aggregator, RunAggregate};
pub use summary::Summary;
pub use wilson::{wilson95, wilson95_half_width};
