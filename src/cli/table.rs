//! The outcome table printed on stdout.

use std::fmt::Write;

use brink::format::{interval, percent};
use brink::stats::Summary;
use brink::stats::precision::Stopping;
use brink::stats::spread::SpreadSummary;

/// The table of outcomes with 95% intervals and the median step at which
/// the trials ending in each outcome reached it.
pub fn outcome_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {} trials, seed {}, {} {}s",
        s.scenario.title, s.scenario.name, s.trials, s.seed, s.horizon, s.step_label
    );
    if let Some(c) = &s.calendar {
        let _ = writeln!(out, "  dates {}", c.span_text(s.horizon, &s.step_label));
    }
    // The median is of the trials that ended in the outcome, at the step
    // their outcome was decided; a dated scenario's column also shows the
    // median's date.
    let header = format!("median {}, among trials ending so", s.step_label);
    let width = header.len().max(if s.calendar.is_some() { 25 } else { 12 });
    // The longest outcome label ("War, then settlement") and a space.
    let label = s
        .outcomes
        .iter()
        .map(|o| o.label.len())
        .max()
        .unwrap_or(0)
        .max("outcome".len());
    // With uncertain assumptions, a last column: the 5th-95th percentile
    // of the share over assumption draws (noise removed).
    let spread = s.assumption_spread.is_some();
    let _ = write!(
        out,
        "  {:<label$} {:>7}  {:<18} {:>width$}",
        "outcome", "share", "95% interval", header
    );
    let _ = writeln!(out, "{}", if spread { "  over assumptions" } else { "" });
    for o in &s.outcomes {
        let interval = interval(o.ci95, percent);
        let median = o.step.as_ref().map_or("-".to_string(), |t| match &t.dates {
            Some(d) => format!("{} ({})", t.median, d.median),
            None => t.median.to_string(),
        });
        let _ = write!(
            out,
            "  {:<label$} {:>7}  {:<18} {:>width$}",
            o.label,
            percent(o.probability),
            interval,
            median
        );
        let _ = writeln!(out, "{}", spread_cell(o.spread_low.zip(o.spread_high)));
    }
    if let Some(sp) = &s.assumption_spread {
        out.push_str(&spread_table(sp));
    }
    out
}

/// `  14.0% to 53.0%` (5th-95th percentile over assumptions), or nothing.
fn spread_cell(range: Option<(f64, f64)>) -> String {
    range.map_or(String::new(), |(lo, hi)| {
        format!("  {} to {}", percent(lo), percent(hi))
    })
}

/// The key figures other than the outcomes (a war, an agreement, each
/// milestone reached by the horizon) with both intervals, and a line
/// saying what the spread is.
fn spread_table(sp: &SpreadSummary) -> String {
    let mut out = String::new();
    // Outcomes and milestones have their own tables, with their spreads.
    let rest: Vec<_> = sp
        .figures
        .iter()
        .filter(|f| f.group != "outcome" && f.group != "milestone")
        .collect();
    let label = rest
        .iter()
        .map(|f| f.label.len())
        .max()
        .unwrap_or(0)
        .max("key figure (by the horizon)".len());
    let _ = writeln!(
        out,
        "  {:<label$} {:>7}  {:<18}  over assumptions",
        "key figure (by the horizon)", "share", "95% interval"
    );
    for f in &rest {
        let (share, mc) = match (f.probability, f.mc_low.zip(f.mc_high)) {
            (Some(p), Some((lo, hi))) => (percent(p), interval([lo, hi], percent)),
            // Counted by the nested design only: its average over the
            // draws, marked, and no interval from the main run.
            _ => (format!("{}*", percent(f.mean)), "-".to_string()),
        };
        let _ = writeln!(
            out,
            "  {:<label$} {:>7}  {:<18}{}",
            f.label,
            share,
            mc,
            spread_cell(Some((f.low, f.high)))
        );
    }
    if rest.iter().any(|f| f.probability.is_none()) {
        out.push_str("  * average over the assumption draws (no interval from this run)\n");
    }
    let _ = writeln!(
        out,
        "  95% interval: Monte Carlo error of this run; over assumptions: 5th-95th percentile across {} draws of the {} uncertain numbers ({} trials each, their noise removed)",
        sp.draws,
        sp.parameters.len(),
        sp.trials_per_draw
    );
    out
}

/// How a precision-targeted run stopped, in one line.
pub fn stopping_line(st: &Stopping) -> String {
    format!(
        "  stopped after {} trials: {} (widest 95% half-width {:.2} points, target {:.2})",
        st.trials_used,
        st.reason,
        st.widest_half_width * 100.0,
        st.target_half_width * 100.0
    )
}

/// The milestones some trial reached: the share of trials that reached
/// each by the horizon with its 95% interval, and the median step among
/// the trials that reached it.
pub fn milestone_table(s: &Summary) -> String {
    let mut out = String::new();
    let reached: Vec<_> = s.milestones.iter().filter(|m| m.occurs()).collect();
    if reached.is_empty() {
        return out;
    }
    let label = reached
        .iter()
        .map(|m| m.label.len())
        .max()
        .unwrap_or(0)
        .max("milestone".len());
    let header = format!("median {}, among trials reaching it", s.step_label);
    let spread = s.assumption_spread.as_ref();
    let _ = writeln!(
        out,
        "  {:<label$} {:>7}  {:<18} {:>w$}{}",
        "milestone (reached by the end)",
        "share",
        "95% interval",
        header,
        if spread.is_some() {
            "  over assumptions"
        } else {
            ""
        },
        label = label.max("milestone (reached by the end)".len()),
        w = header.len()
    );
    for m in reached {
        let median = match (m.median_step_if_reached, &m.median_date_if_reached) {
            (Some(t), Some(d)) => format!("{t} ({d})"),
            (Some(t), None) => t.to_string(),
            (None, _) => "-".to_string(),
        };
        let range = spread
            .and_then(|sp| sp.figure("milestone", &m.name))
            .map(|f| (f.low, f.high));
        let _ = writeln!(
            out,
            "  {:<label$} {:>7}  {:<18} {:>w$}{}",
            m.label,
            percent(m.share),
            interval(m.ci95, percent),
            median,
            spread_cell(range),
            label = label.max("milestone (reached by the end)".len()),
            w = header.len()
        );
    }
    out
}
