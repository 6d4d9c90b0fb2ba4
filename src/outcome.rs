//! How a trial ends: the one definition of the outcomes.
//!
//! Every count, name, colour, command-line value, CSV column, plot series and
//! report row derives from [`Outcome`]: the variants are listed once (in the
//! `outcomes!` invocation below), [`Outcome::ALL`] and [`N_OUTCOMES`] are
//! generated from that list, and per-outcome values live in a
//! [`PerOutcome`], indexed by outcome rather than by a bare number. Every
//! `match` on an outcome is exhaustive, so a new variant is a compile error
//! wherever it must be handled (`docs/extending.md` walks through it).

use std::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

/// Declares [`Outcome`] from one list of variants, and generates
/// [`Outcome::ALL`] and [`N_OUTCOMES`] from the same list so that neither can
/// fall out of step with the enum.
macro_rules! outcomes {
    ($( $(#[doc = $doc:literal])* $variant:ident ),+ $(,)?) => {
        /// How a trial ends, in order of precedence: when several hold, the first wins.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Outcome {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl Outcome {
            /// All outcomes in order of precedence (the order of the enum).
            pub const ALL: [Outcome; N_OUTCOMES] = [$(Outcome::$variant),+];
        }

        /// Number of outcomes, counted from the declaration of [`Outcome`].
        pub const N_OUTCOMES: usize = [$(Outcome::$variant),+].len();
    };
}

outcomes! {
    /// An agreement (an interim agreement or the final deal), and no war.
    Deal,
    /// A war, ended, and an agreement reached after it had started.
    WarThenSettlement,
    /// A war that ended (a ceasefire held), with no agreement after it started.
    WarEnded,
    /// A war still under way at the horizon (at war, or in a ceasefire that
    /// has not yet held long enough to end it); also every war of a scenario
    /// whose wars are absorbing.
    WarOngoing,
    /// The rung reached 4 at some step, without an agreement or war.
    LimitedStrikes,
    /// The stockpile reached the breakout threshold, without strikes.
    Breakout,
    /// None of the above, and talks suspended at the horizon.
    Standoff,
    /// None of the above, and talks still running at the horizon.
    TalksOngoing,
}

impl Outcome {
    /// Machine name, used in files, CSV columns and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Deal => "deal",
            Outcome::WarThenSettlement => "war_then_settlement",
            Outcome::WarEnded => "war_ended",
            Outcome::WarOngoing => "war_ongoing",
            Outcome::LimitedStrikes => "limited_strikes",
            Outcome::Breakout => "breakout",
            Outcome::Standoff => "standoff",
            Outcome::TalksOngoing => "talks_ongoing",
        }
    }

    /// Human label, in sentence case (`War ongoing`).
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Deal => "Deal",
            Outcome::WarThenSettlement => "War, then settlement",
            Outcome::WarEnded => "War ended, no deal",
            Outcome::WarOngoing => "War ongoing",
            Outcome::LimitedStrikes => "Limited strikes",
            Outcome::Breakout => "Breakout",
            Outcome::Standoff => "Standoff",
            Outcome::TalksOngoing => "Talks ongoing",
        }
    }

    /// Whether the outcome is one of the war classes (a war started).
    pub fn is_war(self) -> bool {
        matches!(
            self,
            Outcome::WarThenSettlement | Outcome::WarEnded | Outcome::WarOngoing
        )
    }

    /// The label as it reads inside a sentence (`regional war`).
    pub fn phrase(self) -> String {
        self.label().to_lowercase()
    }

    /// Name of the CSV column of the cumulative share of trials that have
    /// ended in the outcome by each step (`cum_regional_war`).
    pub fn cumulative_column(self) -> String {
        format!("cum_{}", self.key())
    }

    /// Index into [`PerOutcome`] and other per-outcome tables: the position
    /// in [`Outcome::ALL`].
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Looks an outcome up by its machine name.
    pub fn from_key(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == s)
    }

    /// The machine names of all outcomes, for hints.
    pub fn keys() -> [&'static str; N_OUTCOMES] {
        Outcome::ALL.map(Outcome::key)
    }
}

/// Outcomes are written by their machine name.
impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// One value per outcome, indexed by [`Outcome`]. It serializes as the plain
/// array of its values in [`Outcome::ALL`] order, as the bare arrays it
/// replaces did, so files and checkpoints keep their format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PerOutcome<T>([T; N_OUTCOMES]);

impl<T> PerOutcome<T> {
    /// The table whose value for each outcome is `f(outcome)`, evaluated in
    /// [`Outcome::ALL`] order.
    pub fn from_fn(mut f: impl FnMut(Outcome) -> T) -> Self {
        PerOutcome(std::array::from_fn(|i| f(Outcome::ALL[i])))
    }

    /// The values in [`Outcome::ALL`] order.
    pub fn values(&self) -> &[T; N_OUTCOMES] {
        &self.0
    }

    /// The values in [`Outcome::ALL`] order, to update in place.
    pub fn values_mut(&mut self) -> &mut [T; N_OUTCOMES] {
        &mut self.0
    }

    /// Each outcome with its value, in [`Outcome::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Outcome, &T)> {
        Outcome::ALL.into_iter().zip(&self.0)
    }

    /// The table of `f` applied to every value.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerOutcome<U> {
        PerOutcome(self.0.map(f))
    }
}

impl<T: Copy> PerOutcome<T> {
    /// The table with `value` for every outcome.
    pub const fn splat(value: T) -> Self {
        PerOutcome([value; N_OUTCOMES])
    }
}

/// A table from its values in [`Outcome::ALL`] order.
impl<T> From<[T; N_OUTCOMES]> for PerOutcome<T> {
    fn from(values: [T; N_OUTCOMES]) -> Self {
        PerOutcome(values)
    }
}

impl<T> Index<Outcome> for PerOutcome<T> {
    type Output = T;

    #[inline]
    fn index(&self, o: Outcome) -> &T {
        &self.0[o.index()]
    }
}

impl<T> IndexMut<Outcome> for PerOutcome<T> {
    #[inline]
    fn index_mut(&mut self, o: Outcome) -> &mut T {
        &mut self.0[o.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_outcome_once_in_index_order() {
        assert_eq!(N_OUTCOMES, 8);
        for (i, o) in Outcome::ALL.into_iter().enumerate() {
            assert_eq!(o.index(), i);
        }
    }

    #[test]
    fn keys_round_trip_and_are_distinct() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_key(o.key()), Some(o));
        }
        assert_eq!(Outcome::from_key("war"), None);
        let mut keys = Outcome::keys().to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), N_OUTCOMES);
    }

    #[test]
    fn phrases_and_columns_derive_from_labels_and_keys() {
        assert_eq!(Outcome::WarOngoing.phrase(), "war ongoing");
        assert_eq!(Outcome::TalksOngoing.phrase(), "talks ongoing");
        assert_eq!(
            Outcome::LimitedStrikes.cumulative_column(),
            "cum_limited_strikes"
        );
    }

    #[test]
    fn per_outcome_indexes_by_outcome() {
        let mut t = PerOutcome::splat(0u64);
        t[Outcome::Breakout] += 3;
        t[Outcome::Deal] += 1;
        assert_eq!(t.values(), &[1, 0, 0, 0, 0, 3, 0, 0]);
        let labels = PerOutcome::from_fn(Outcome::label);
        assert_eq!(labels[Outcome::Standoff], "Standoff");
        let pairs: Vec<(Outcome, u64)> = t.iter().map(|(o, &c)| (o, c)).collect();
        assert_eq!(pairs[5], (Outcome::Breakout, 3));
        assert_eq!(t.map(|c| c * 2)[Outcome::Breakout], 6);
    }

    #[test]
    fn per_outcome_serializes_as_a_plain_array() {
        let t = PerOutcome::from_fn(|o| o.index() as u64);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "[0,1,2,3,4,5,6,7]");
        let back: PerOutcome<u64> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert!(serde_json::from_str::<PerOutcome<u64>>("[0,1,2]").is_err());
    }
}
