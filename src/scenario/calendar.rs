//! Calendar time: the date a scenario starts on and the length of its step,
//! so that outputs can show the date of each step beside its number.
//!
//! Step `t` ends on `start + t · step_days`: step 0 is the start itself,
//! and step `t` covers the days after the date of step `t − 1` up to its
//! own date. Dates are proleptic Gregorian calendar days (no time of day,
//! no time zone), so the same scenario gives the same dates everywhere.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest step, in days (a year).
pub const MAX_STEP_DAYS: u32 = 366;

/// The latest date a calendar may reach: dates keep four-digit years.
pub fn last_supported_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A scenario's calendar: the date of step 0 and the days per step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarFields", into = "CalendarFields")]
pub struct Calendar {
    start: NaiveDate,
    step_days: u32,
}

/// How a calendar is written in `summary.json`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFields {
    start: String,
    step_days: u32,
}

impl From<Calendar> for CalendarFields {
    fn from(c: Calendar) -> Self {
        CalendarFields {
            start: iso(c.start),
            step_days: c.step_days,
        }
    }
}

impl TryFrom<CalendarFields> for Calendar {
    type Error = String;

    fn try_from(f: CalendarFields) -> Result<Self, Self::Error> {
        let start = parse_date(&f.start).map_err(|e| e.message)?;
        Calendar::new(start, f.step_days)
            .ok_or_else(|| format!("step_days must be 1 to {MAX_STEP_DAYS}"))
    }
}

impl Calendar {
    /// A calendar starting on `start` with steps of `step_days` days
    /// (`None` unless `1 ≤ step_days ≤` [`MAX_STEP_DAYS`]).
    pub fn new(start: NaiveDate, step_days: u32) -> Option<Calendar> {
        (1..=MAX_STEP_DAYS)
            .contains(&step_days)
            .then_some(Calendar { start, step_days })
    }

    /// The date of step 0.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Days per step.
    pub fn step_days(&self) -> u32 {
        self.step_days
    }

    /// The date of step `step`: `start + step · step_days` (the latest
    /// representable date if that overflows, which a checked scenario never
    /// reaches; see [`Calendar::fits`]).
    pub fn date_of(&self, step: u32) -> NaiveDate {
        let days = u64::from(step) * u64::from(self.step_days);
        self.start
            .checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The date of step `step` as `YYYY-MM-DD`.
    pub fn date(&self, step: u32) -> String {
        iso(self.date_of(step))
    }

    /// The date of a fractional step (a mean), rounded to the nearest day,
    /// as `YYYY-MM-DD`.
    pub fn date_at(&self, step: f64) -> String {
        let days = (step.max(0.0) * f64::from(self.step_days)).round();
        // Steps are at most MAX_HORIZON · MAX_STEP_DAYS days apart; the cast saturates.
        let date = self
            .start
            .checked_add_days(Days::new(days as u64))
            .unwrap_or(NaiveDate::MAX);
        iso(date)
    }

    /// The days since the start of `date`, in steps (fractional).
    pub fn steps_to(&self, date: NaiveDate) -> f64 {
        (date - self.start).num_days() as f64 / f64::from(self.step_days)
    }

    /// The dates of steps 0 to `horizon` in words, with the step's length
    /// unless `step_label` says it (`from 2026-02-07 to 2027-02-06`;
    /// `from 2026-02-07 to 2026-03-07, 14 days a fortnight`).
    pub fn span_text(&self, horizon: u32, step_label: &str) -> String {
        let span = format!("from {} to {}", self.date(0), self.date(horizon));
        if named_step_days(step_label) == Some(self.step_days) {
            span
        } else {
            format!("{span}, {} a {step_label}", days_text(self.step_days))
        }
    }

    /// True when every step up to `horizon` falls on or before
    /// [`last_supported_date`].
    pub fn fits(&self, horizon: u32) -> bool {
        let days = u64::from(horizon) * u64::from(self.step_days);
        self.start
            .checked_add_days(Days::new(days))
            .is_some_and(|d| d <= last_supported_date())
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "from {} in steps of {}",
            iso(self.start),
            days_text(self.step_days)
        )
    }
}

/// The days of a step named `label` (`day`, `week`), when the name fixes them.
pub fn named_step_days(label: &str) -> Option<u32> {
    match label.trim().to_ascii_lowercase().as_str() {
        "day" => Some(1),
        "week" => Some(7),
        _ => None,
    }
}

/// `1 day`, `7 days`.
pub fn days_text(n: u32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// `YYYY-MM-DD`.
pub fn iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Why a text is not a date, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads an ISO calendar date, `YYYY-MM-DD` exactly (years 0001 to 9999).
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError {
            message: format!("`{text}` is not a date in the form YYYY-MM-DD"),
            hint: "write the year, month and day with dashes, for example `start = \"2026-02-07\"`"
                .into(),
        });
    }
    // The shape check leaves only ASCII digits in these fields.
    let number = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if year == 0 {
        return Err(DateError {
            message: format!("`{text}` has year 0"),
            hint: "years run from 0001 to 9999".into(),
        });
    }
    if !(1..=12).contains(&month) {
        return Err(DateError {
            message: format!("`{text}` has month {month}; months run from 01 to 12"),
            hint: "the form is YYYY-MM-DD: year, then month, then day".into(),
        });
    }
    let first = NaiveDate::from_ymd_opt(year as i32, month, 1);
    let length = first
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day());
    match NaiveDate::from_ymd_opt(year as i32, month, day) {
        Some(d) => Ok(d),
        None => Err(DateError {
            message: format!("`{text}` is not a day of the calendar"),
            hint: format!("{} {year} has {length} days", MONTHS[month as usize - 1]),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn steps_are_days_after_the_start() {
        let weekly = Calendar::new(day("2026-02-07"), 7).unwrap();
        assert_eq!(weekly.date(0), "2026-02-07");
        assert_eq!(weekly.date(1), "2026-02-14");
        assert_eq!(weekly.date(52), "2027-02-06");
        let daily = Calendar::new(day("2026-12-30"), 1).unwrap();
        assert_eq!(daily.date(2), "2027-01-01");
        assert_eq!(daily.date_at(1.4), "2026-12-31");
        assert_eq!(daily.date_at(1.5), "2027-01-01");
        assert_eq!(weekly.steps_to(day("2026-02-21")), 2.0);
        assert_eq!(weekly.span_text(2, "week"), "from 2026-02-07 to 2026-02-21");
        let fortnights = Calendar::new(day("2026-02-07"), 14).unwrap();
        assert_eq!(
            fortnights.span_text(2, "fortnight"),
            "from 2026-02-07 to 2026-03-07, 14 days a fortnight"
        );
    }

    #[test]
    fn leap_years_have_a_29th_of_february() {
        let c = Calendar::new(day("2028-02-27"), 1).unwrap();
        assert_eq!(c.date(2), "2028-02-29");
        assert_eq!(c.date(3), "2028-03-01");
        // 2100 is not a leap year, 2000 was.
        assert!(parse_date("2100-02-29").is_err());
        assert_eq!(iso(day("2000-02-29")), "2000-02-29");
        let e = parse_date("2027-02-29").unwrap_err();
        assert_eq!(e.hint, "February 2027 has 28 days");
        assert_eq!(
            parse_date("2028-02-30").unwrap_err().hint,
            "February 2028 has 29 days"
        );
    }

    #[test]
    fn only_iso_dates_are_read() {
        for bad in [
            "Feb 7",
            "2026-2-7",
            "07/02/2026",
            "2026-02-07T10:00:00",
            "",
            "20260207",
        ] {
            assert!(
                parse_date(bad).unwrap_err().message.contains("YYYY-MM-DD"),
                "{bad}"
            );
        }
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .message
                .contains("month 13")
        );
        assert!(
            parse_date("2026-04-31")
                .unwrap_err()
                .hint
                .contains("April 2026 has 30")
        );
        assert!(parse_date("0000-01-01").is_err());
    }

    #[test]
    fn the_calendar_stays_within_four_digit_years() {
        let c = Calendar::new(day("9999-12-01"), 7).unwrap();
        assert!(c.fits(4));
        assert!(!c.fits(5));
        assert!(Calendar::new(day("2026-01-01"), 0).is_none());
        assert!(Calendar::new(day("2026-01-01"), MAX_STEP_DAYS + 1).is_none());
    }

    #[test]
    fn round_trips_through_json() {
        let c = Calendar::new(day("2026-02-07"), 7).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"start":"2026-02-07","step_days":7}"#);
        assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), c);
        assert!(
            serde_json::from_str::<Calendar>(r#"{"start":"2026-02-30","step_days":7}"#).is_err()
        );
    }
}
