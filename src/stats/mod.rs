//! Statistics of a run: exact integer aggregates, Wilson intervals,
//! means with their intervals, quantiles of step distributions, the run summary built from them, and
//! paired differences between scenarios, and the comparison of several
//! scenarios built from them, and the spread of a figure over assumption draws.

pub mod accumulator;
pub mod aggregate;
pub mod comparison;
pub mod consistency;
pub mod forecast_file;
pub mod mean;
pub mod milestones;
pub mod paired;
pub mod point;
pub mod precision;
pub mod prim;
pub mod score_result;
pub mod scoring;
pub mod series_json;
pub mod sobol;
pub mod spread;
pub mod summary;
pub mod wilson;

pub use accumulator::Accumulator;
pub use aggregate::{Aggregator, RunAggregate, Tally};
pub use summary::Summary;
pub use wilson::{wilson95, wilson95_half_width};
