//! `compare --at WHEN`: the steps at which milestones are compared, given
//! as a step number or as a date in the baseline's calendar.

use crate::scenario::Calendar;
use crate::scenario::calendar::parse_date;

/// A `--at` value that names no step of the baseline: what is wrong, and
/// how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// The step `text` names: a step number `0..=horizon`, or a date
/// `YYYY-MM-DD`, which names the last step whose end date is on or before
/// it (step `s` ends on `calendar.date_of(s)`; it needs the calendar of the
/// scenario's `[run] start`, and must lie between the start and the end of
/// the horizon).
pub fn resolve_at(text: &str, calendar: Option<&Calendar>, horizon: u32) -> Result<u32, AtError> {
    let text = text.trim();
    if let Ok(step) = text.parse::<u32>() {
        if step > horizon {
            return Err(AtError {
                message: format!("--at {step} is past the baseline's horizon of {horizon} steps"),
                hint: format!("give a step from 0 to {horizon}"),
            });
        }
        return Ok(step);
    }
    if text.len() != 10 || text.as_bytes().get(4) != Some(&b'-') {
        return Err(AtError {
            message: format!("--at `{text}` is neither a step number nor a date"),
            hint: "give a step (`--at 13`) or a date in the form YYYY-MM-DD (`--at 2026-03-31`)"
                .into(),
        });
    }
    let date = parse_date(text).map_err(|e| AtError {
        message: format!("--at: {}", e.message),
        hint: e.hint,
    })?;
    let Some(c) = calendar else {
        return Err(AtError {
            message: format!("--at {text} is a date, but the baseline has no calendar"),
            hint: "give a step number, or set `start` in the baseline's [run] section".into(),
        });
    };
    let (first, last) = (c.date_of(0), c.date_of(horizon));
    if date < first || date > last {
        return Err(AtError {
            message: format!(
                "--at {text} is outside the baseline's dates, {} to {}",
                c.date(0),
                c.date(horizon)
            ),
            hint: "give a date from the start to the end of the horizon".into(),
        });
    }
    // The last step ending on or before the date.
    let days = (date - first).num_days();
    let step = days / i64::from(c.step_days());
    Ok((step.max(0) as u32).min(horizon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly() -> Calendar {
        Calendar::new(parse_date("2026-02-07").unwrap(), 7).unwrap()
    }

    #[test]
    fn steps_and_dates() {
        let c = weekly();
        assert_eq!(resolve_at("13", Some(&c), 52), Ok(13));
        assert_eq!(resolve_at("0", None, 52), Ok(0));
        // Step 7 ends on 2026-03-28, step 8 on 2026-04-04.
        assert_eq!(resolve_at("2026-03-31", Some(&c), 52), Ok(7));
        assert_eq!(resolve_at("2026-03-28", Some(&c), 52), Ok(7));
        assert_eq!(resolve_at("2026-04-04", Some(&c), 52), Ok(8));
        assert_eq!(resolve_at("2026-02-07", Some(&c), 52), Ok(0));
        assert!(resolve_at("53", Some(&c), 52).is_err());
        assert!(resolve_at("2026-02-06", Some(&c), 52).is_err());
        assert!(resolve_at("2027-02-07", Some(&c), 52).is_err());
        assert!(
            resolve_at("2026-03-31", None, 52)
                .unwrap_err()
                .hint
                .contains("start")
        );
        assert!(resolve_at("2026-02-30", Some(&c), 52).is_err());
        assert!(resolve_at("soon", Some(&c), 52).is_err());
    }
}
