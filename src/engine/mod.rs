//! Running trials: seeding ([`rng`]), one trial step by step ([`trial`]),
//! the logit rule's exponential ([`exp`]), and many trials in parallel, combined in trial order ([`montecarlo`]),
//! alone or several scenarios in lockstep ([`paired`]).

pub mod draws;
pub mod exp;
pub mod montecarlo;
pub mod paired;
pub mod rng;
pub mod trial;

pub use draws::{ParamSpace, ParameterDraws};
pub use montecarlo::{RecordSink, RowEncoder, RunPlan, Simulation, simulate, simulate_until};
pub use paired::{PairedArm, PairedSimulation, simulate_paired, simulate_paired_until};
pub use trial::{Choice, StepView, TrialObserver, TrialRecord, TrialRunner, WorldState};
