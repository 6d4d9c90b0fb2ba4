//! Running trials: seeding ([`rng`]), one trial step by step ([`trial`]),
//! and many trials in parallel, combined in trial order ([`montecarlo`]).

pub mod draws;
pub mod montecarlo;
pub mod rng;
pub mod trial;

pub use draws::{ParamSpace, ParameterDraws};
pub use montecarlo::{RecordSink, RunPlan, Simulation, simulate};
pub use trial::{Choice, StepView, TrialObserver, TrialRecord, TrialRunner};
