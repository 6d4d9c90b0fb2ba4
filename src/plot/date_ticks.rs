//! Ticks of a time axis labelled with calendar dates: the first days of
//! months (every month, or every 2, 3, 6, 12... months on long horizons),
//! or days on horizons shorter than a few months. The first label and the
//! first of each new year carry the year on a second line.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::scenario::Calendar;

/// Most ticks on a date axis: enough for a year of months at the default
/// plot width without labels touching.
pub const MAX_DATE_TICKS: usize = 13;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The ticks (x in steps, label) of an axis from step 0 to `horizon` of
/// calendar `c`, at most [`MAX_DATE_TICKS`] of them.
pub fn date_ticks(c: &Calendar, horizon: u32) -> Vec<(f64, String)> {
    let end = c.date_of(horizon);
    for months in [1u32, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400] {
        let firsts = month_starts(c.start(), end, months);
        if firsts.len() > MAX_DATE_TICKS {
            continue;
        }
        if firsts.len() < 3 && months == 1 {
            // Under three months: label days instead.
            return day_ticks(c, end);
        }
        let mut last_year = None;
        return firsts
            .into_iter()
            .map(|d| {
                let label = if months >= 12 {
                    d.year().to_string()
                } else if last_year != Some(d.year()) {
                    format!("{}\n{}", MONTHS[d.month0() as usize], d.year())
                } else {
                    MONTHS[d.month0() as usize].to_string()
                };
                last_year = Some(d.year());
                (c.steps_to(d), label)
            })
            .collect();
    }
    Vec::new()
}

/// First days of months from `start` to `end` whose month index (months
/// since year 0) is a multiple of `every`.
fn month_starts(start: NaiveDate, end: NaiveDate, every: u32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let Some(mut d) = NaiveDate::from_ymd_opt(start.year(), start.month(), 1) else {
        return out;
    };
    if d < start {
        d = match d.checked_add_months(Months::new(1)) {
            Some(next) => next,
            None => return out,
        };
    }
    while d <= end {
        let index = d.year() as i64 * 12 + i64::from(d.month0());
        if index % i64::from(every) == 0 {
            out.push(d);
            if out.len() > MAX_DATE_TICKS {
                break;
            }
        }
        match d.checked_add_months(Months::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    out
}

/// Days from the start to `end`, every 1, 2, 7, 14 or 28 days.
fn day_ticks(c: &Calendar, end: NaiveDate) -> Vec<(f64, String)> {
    let span = (end - c.start()).num_days().max(0) as u64;
    let every = [1u64, 2, 7, 14, 28]
        .into_iter()
        .find(|k| span / k < MAX_DATE_TICKS as u64)
        .unwrap_or(28);
    let mut last_year = None;
    (0..=span / every)
        .filter_map(|k| c.start().checked_add_days(Days::new(k * every)))
        .map(|d| {
            let month = MONTHS[d.month0() as usize];
            let label = if last_year != Some(d.year()) {
                format!("{} {month}\n{}", d.day(), d.year())
            } else {
                format!("{} {month}", d.day())
            };
            last_year = Some(d.year());
            (c.steps_to(d), label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::calendar::parse_date;

    fn calendar(start: &str, days: u32) -> Calendar {
        Calendar::new(parse_date(start).unwrap(), days).unwrap()
    }

    #[test]
    fn a_year_of_weeks_gets_a_tick_per_month() {
        let t = date_ticks(&calendar("2026-02-07", 7), 52);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Mar\n2026",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
                "Jan\n2027",
                "Feb"
            ]
        );
        // 1 March 2026 is 22 days, 22/7 weeks, after 7 February.
        assert_eq!(t[0].0, 22.0 / 7.0);
    }

    #[test]
    fn long_and_short_horizons_thin_or_refine_the_ticks() {
        let years = date_ticks(&calendar("2026-01-01", 7), 1000);
        assert!(
            years.len() <= MAX_DATE_TICKS && years.len() >= 5,
            "{years:?}"
        );
        assert_eq!(years[0].1, "2026");
        let days = date_ticks(&calendar("2026-12-28", 1), 10);
        let labels: Vec<&str> = days.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels[0], "28 Dec\n2026");
        assert!(labels.contains(&"1 Jan\n2027"), "{labels:?}");
        assert_eq!(days.len(), 11);
        let daily_year = date_ticks(&calendar("2026-02-07", 1), 365);
        assert_eq!(daily_year.len(), 12);
    }
}
