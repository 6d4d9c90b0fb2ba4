//! Running trials: seeding ([`crate::rng`]), one trial step by step ([`trial`]),
//! the logit rule's exponential ([`exp`]), preconditions as bit masks ([`preconditions`]),
//! and many trials in parallel, combined in trial order ([`montecarlo`]),
//! the nested design of assumption draws ([`nested`]) and the run's key figures it counts ([`key_figures`]),
//! alone or several scenarios in lockstep ([`paired`]).

pub mod draws;
pub mod events;
pub mod exp;
pub mod key_figures;
pub mod montecarlo;
pub mod nested;
pub mod paired;
pub mod preconditions;
pub mod trial;

pub use crate::observe::{Choice, StepView, TrialObserver, TrialRecord};
pub use crate::rng;
pub use crate::stats::paired::PairedSimulation;
pub use draws::{ParamSpace, ParameterDraws};
pub use key_figures::{KeyFigure, KeyFigures};
pub use montecarlo::{
    RecordSink, RowEncoder, RunPlan, Simulation, simulate, simulate_given, simulate_until,
};
pub use nested::{
    FigureObserver, NestedFigures, NestedPlan, NestedResult, RecordFigures, assumption_spreads,
    nested_seed, simulate_nested,
};
pub use paired::{PairedArm, simulate_paired, simulate_paired_given, simulate_paired_until};
pub use trial::{TrialRunner, WorldState};
