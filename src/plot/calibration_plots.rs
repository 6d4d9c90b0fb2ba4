//! The plots of `brink calibrate`, drawn from a [`Calibration`]: the prior and
//! calibrated distribution of every parameter, the accepted samples of the two
//! most correlated parameters (where the targets trade one against the
//! other), and each target's fit before and after.

use crate::analysis::calibrate::{Calibration, Quantiles};
use crate::format::{percent_1, thousands};

use super::axis::{Axis, ValueFormat};
use super::bar::{BarChart, BarSeries, Fill};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{LineChart, LineSeries, LineStyle};
use super::panels::{AnyFigure, Panels};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the calibration plots under `plots/`.
pub const CALIBRATION_PLOT_NAMES: [&str; 3] = ["marginals", "pairs", "targets"];

/// Points at which each density estimate is evaluated.
const DENSITY_POINTS: usize = 96;

/// Longest panel title of the marginals, in characters (titles wrap to
/// three lines): a longer label is cut with an ellipsis (the report lists
/// it whole).
const TITLE_CHARS: usize = 90;

/// Longest parameter path under a panel, in characters: a longer path
/// keeps its end (`…sanctions_relief.us.reservation`), which names it.
const AXIS_CHARS: usize = 34;

/// The parameter's path for the x axis of its panel, shortened from the left.
fn axis_path(path: &str) -> String {
    let n = path.chars().count();
    if n <= AXIS_CHARS {
        path.to_string()
    } else {
        let tail: String = path.chars().skip(n - (AXIS_CHARS - 1)).collect();
        format!("…{tail}")
    }
}

/// The title of a parameter in the plots: its label (the scenario's
/// `label`, or words made from its path), cut to fit a panel.
pub fn parameter_title(c: &Calibration, path: &str) -> String {
    let label = c.scenario.label(path);
    if label.chars().count() <= TITLE_CHARS {
        label
    } else {
        let cut: String = label.chars().take(TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn context(c: &Calibration) -> String {
    format!(
        "{}: {} prior samples x {} trials, {} accepted ({}), seed {}.",
        c.scenario.title,
        thousands(c.samples as u64),
        thousands(c.trials_per_sample),
        thousands(c.accepted as u64),
        percent_1(c.acceptance_rate),
        c.seed
    )
}

/// Silverman's rule-of-thumb bandwidth for a Gaussian kernel,
/// `0.9 min(sd, IQR / 1.34) n^(-1/5)`; `None` when the values do not vary.
pub fn silverman_bandwidth(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt();
    let q = Quantiles::of(values)?;
    let iqr = (q.q75 - q.q25) / 1.34;
    let spread = if iqr > 0.0 { sd.min(iqr) } else { sd };
    (spread > 0.0).then(|| 0.9 * spread * (n as f64).powf(-0.2))
}

/// Gaussian kernel density estimate of `values` (Silverman's bandwidth) at
/// [`DENSITY_POINTS`] points over `[lo, hi]`. Mass the kernels put beyond
/// the ends of the range is reflected back in, as the parameters are
/// bounded there. Empty when there are fewer than two distinct values.
pub fn density(values: &[f64], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let Some(h) = silverman_bandwidth(values) else {
        return Vec::new();
    };
    let n = values.len() as f64;
    let norm = 1.0 / (n * h * (2.0 * std::f64::consts::PI).sqrt());
    let kernel = |z: f64| (-0.5 * z * z).exp();
    (0..DENSITY_POINTS)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / (DENSITY_POINTS - 1) as f64;
            let f: f64 = values
                .iter()
                .map(|&v| {
                    kernel((x - v) / h)
                        + kernel((x - (2.0 * lo - v)) / h)
                        + kernel((x - (2.0 * hi - v)) / h)
                })
                .sum();
            (x, f * norm)
        })
        .collect()
}

/// About `n` ticks over `[lo, hi]` at a step of 1, 2 or 5 times a power of
/// ten, each written with the decimals that step needs.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<(f64, String)> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !span.is_finite() {
        return vec![(lo, format!("{lo}"))];
    }
    let raw = span / n.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let count = |step: f64| (span / step - n as f64).abs();
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .min_by(|a, b| count(*a).total_cmp(&count(*b)))
        .unwrap_or(power);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| {
            let x = k as f64 * step;
            (x, format!("{x:.decimals$}"))
        })
        .collect()
}

fn range_of(c: &Calibration, k: usize) -> (f64, f64) {
    c.rows
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            (lo.min(r.values[k]), hi.max(r.values[k]))
        })
}

/// The samples the blue lines show: the accepted ones when calibrated,
/// else the closest fit.
fn fitted_rows(c: &Calibration) -> Vec<&crate::analysis::calibrate::SampleRow> {
    if c.calibrated {
        c.rows.iter().filter(|r| r.accepted).collect()
    } else {
        c.closest_fit.iter().map(|&j| &c.rows[j]).collect()
    }
}

/// What the blue lines show, for legends.
fn fitted_label(c: &Calibration) -> &'static str {
    if c.calibrated {
        "calibrated"
    } else {
        "closest fit (not calibrated)"
    }
}

/// Columns of the grid of marginal panels: three for many parameters.
fn marginal_columns(c: &Calibration) -> usize {
    let longest = c
        .parameters
        .iter()
        .map(|p| parameter_title(c, &p.parameter).chars().count())
        .max()
        .unwrap_or(0);
    if c.parameters.len() > 6 && longest <= 32 {
        3
    } else {
        2
    }
}

/// One panel per parameter: the density of the prior samples and of the
/// accepted ones (or, when not calibrated, of the closest fit).
pub fn marginals_chart(c: &Calibration) -> Panels {
    let fitted = fitted_rows(c);
    let figures = c
        .parameters
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (lo, hi) = range_of(c, k);
            let hi = hi.max(lo + 1e-9);
            let all: Vec<f64> = c.rows.iter().map(|r| r.values[k]).collect();
            let fit: Vec<f64> = fitted.iter().map(|r| r.values[k]).collect();
            let prior = density(&all, lo, hi);
            let post = density(&fit, lo, hi);
            let top = prior.iter().chain(&post).map(|p| p.1).fold(0.0, f64::max);
            // Unlabelled series: the panels share one legend.
            let mut series = vec![LineSeries {
                width: 2,
                ..LineSeries::line("", palette::GREY, prior)
            }];
            if !post.is_empty() {
                series.push(LineSeries {
                    width: 3,
                    ..LineSeries::line("", palette::series(0), post)
                });
            }
            let decimals = if top >= 10.0 {
                0
            } else if top >= 1.0 {
                1
            } else {
                2
            };
            AnyFigure::Line(LineChart {
                title: parameter_title(c, &p.parameter),
                x: Axis::new(axis_path(&p.parameter), ValueFormat::Fixed { decimals: 2 })
                    .with_range(lo, hi)
                    .with_ticks(nice_ticks(lo, hi, 4)),
                x_ticks: 4,
                y: Axis::new("density", ValueFormat::Fixed { decimals })
                    .with_range(0.0, (top * 1.1).max(1e-9)),
                series,
                ..LineChart::empty()
            })
        })
        .collect();
    Panels {
        title: "Prior and calibrated distribution of each parameter".into(),
        subtitle: Some(format!(
            "{} Density of the samples (Gaussian kernel, Silverman's bandwidth): grey, every \
             sample drawn from the scenario's distributions; blue, {}.",
            context(c),
            if c.calibrated {
                "the samples that met every target"
            } else {
                "the closest fit, the samples nearest the targets (too few met every target to calibrate)"
            }
        )),
        columns: marginal_columns(c),
        figures,
        legend: Legend::new(vec![
            LegendEntry::new("prior", LegendMark::Line(palette::GREY)),
            LegendEntry::new(fitted_label(c), LegendMark::Line(palette::series(0))),
        ]),
    }
}

/// Pearson correlation of parameters `a` and `b` over `rows` (0 when
/// either does not vary).
fn correlation(rows: &[&crate::analysis::calibrate::SampleRow], a: usize, b: usize) -> f64 {
    let n = rows.len() as f64;
    let mean = |k: usize| rows.iter().map(|r| r.values[k]).sum::<f64>() / n;
    let (ma, mb) = (mean(a), mean(b));
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for r in rows {
        let (x, y) = (r.values[a] - ma, r.values[b] - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if saa > 0.0 && sbb > 0.0 {
        sab / (saa * sbb).sqrt()
    } else {
        0.0
    }
}

/// The two parameters the pairs plot shows: when calibrated, the pair
/// whose accepted samples are the most correlated (a ridge where the
/// targets trade one assumption against the other); else the two the
/// targets narrowed most.
fn shown_pair(c: &Calibration) -> (usize, usize) {
    let accepted: Vec<&crate::analysis::calibrate::SampleRow> =
        c.rows.iter().filter(|r| r.accepted).collect();
    let k = c.parameters.len();
    if c.calibrated && k >= 2 && accepted.len() >= 3 {
        let mut best = (0, 1, -1.0);
        for a in 0..k {
            for b in a + 1..k {
                let r = correlation(&accepted, a, b).abs();
                if r > best.2 {
                    best = (a, b, r);
                }
            }
        }
        return (best.0, best.1);
    }
    let ks: Vec<usize> = c.by_narrowing().into_iter().take(2).collect();
    (ks[0], *ks.get(1).unwrap_or(&ks[0]))
}

/// Every sample of the two parameters [`shown_pair`] picks, accepted ones
/// in colour.
pub fn pairs_chart(c: &Calibration) -> LineChart {
    let (kx, ky) = shown_pair(c);
    let pick = |accepted: bool| -> Vec<(f64, f64)> {
        c.rows
            .iter()
            .filter(|r| r.accepted == accepted)
            .map(|r| (r.values[kx], r.values[ky]))
            .collect()
    };
    let (xlo, xhi) = range_of(c, kx);
    let (ylo, yhi) = range_of(c, ky);
    let point = |label: &str, color, points| LineSeries {
        style: LineStyle::Points,
        width: 1,
        ..LineSeries::line(label, color, points)
    };
    let chart = LineChart {
        title: if c.calibrated {
            "Accepted samples of the two most correlated parameters".into()
        } else {
            "Samples of the two most narrowed parameters".into()
        },
        subtitle: Some(format!(
            "{} Each dot is one sample; blue dots met every target. A tilted cloud means the \
             targets trade one assumption against the other.",
            context(c)
        )),
        x: Axis::new(
            parameter_title(c, &c.parameters[kx].parameter),
            ValueFormat::Fixed { decimals: 2 },
        )
        .with_range(xlo, xhi.max(xlo + 1e-9))
        .with_ticks(nice_ticks(xlo, xhi, 6)),
        x_ticks: 6,
        y: Axis::new(
            parameter_title(c, &c.parameters[ky].parameter),
            ValueFormat::Fixed { decimals: 2 },
        )
        .with_range(ylo, yhi.max(ylo + 1e-9)),
        series: vec![
            point("rejected", palette::GREY, pick(false)),
            point("accepted", palette::series(0), pick(true)),
        ],
        ..LineChart::empty()
    };
    LineChart {
        legend: Some(chart.default_legend()),
        ..chart
    }
}

/// Each target's value and tolerance against the statistic's median and
/// central 95% range before and after calibration.
pub fn targets_chart(c: &Calibration) -> BarChart {
    let categories = c.targets.iter().map(|t| t.target.name.clone()).collect();
    let post = |f: &dyn Fn(&crate::analysis::calibrate::Quantiles) -> f64| -> Vec<f64> {
        c.targets
            .iter()
            .map(|t| {
                let q = if c.calibrated {
                    t.posterior
                } else {
                    t.closest_fit
                };
                q.as_ref().map_or(0.0, f)
            })
            .collect()
    };
    let mut series = vec![
        BarSeries {
            label: "target ± tolerance".into(),
            values: c.targets.iter().map(|t| t.target.value).collect(),
            intervals: Some(
                c.targets
                    .iter()
                    .map(|t| {
                        (
                            (t.target.value - t.target.tolerance).max(0.0),
                            (t.target.value + t.target.tolerance).min(1.0),
                        )
                    })
                    .collect(),
            ),
            fill: Fill::Uniform(palette::NEUTRAL),
        },
        BarSeries {
            label: "prior (median, 95% range)".into(),
            values: c.targets.iter().map(|t| t.prior.median).collect(),
            intervals: Some(
                c.targets
                    .iter()
                    .map(|t| (t.prior.q025, t.prior.q975))
                    .collect(),
            ),
            fill: Fill::Uniform(palette::GREY),
        },
    ];
    if c.calibrated || !c.closest_fit.is_empty() {
        series.push(BarSeries {
            label: format!("{} (median, 95% range)", fitted_label(c)),
            values: post(&|q| q.median),
            intervals: Some(
                post(&|q| q.q025)
                    .into_iter()
                    .zip(post(&|q| q.q975))
                    .collect(),
            ),
            fill: Fill::Uniform(palette::series(0)),
        });
    }
    let top = series
        .iter()
        .flat_map(|s| s.intervals.iter().flatten().map(|i| i.1))
        .fold(0.0, f64::max);
    BarChart {
        title: "Fit of each target before and after calibration".into(),
        subtitle: Some(format!(
            "{} Bars: the target and the median of the statistic over prior and over \
             {}; whiskers: the tolerance and the central 95% ranges.",
            context(c),
            if c.calibrated {
                "accepted samples"
            } else {
                "the closest fit"
            }
        )),
        categories,
        x_label: String::new(),
        y: Axis::new("probability (%)", ValueFormat::PERCENT)
            .with_range(0.0, (top * 1.1).clamp(0.05, 1.0)),
        series,
        value_labels: Some(ValueFormat::PERCENT),
        legend: None,
    }
}

/// The figures of a calibration with their captions.
pub fn calibration_figures(c: &Calibration) -> Vec<RunFigure> {
    vec![
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[0],
            caption: format!(
                "Prior (grey) and {} (blue) distribution of each uncertain parameter.",
                fitted_label(c)
            ),
            figure: AnyFigure::Panels(marginals_chart(c)),
        },
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[1],
            caption: if c.calibrated {
                "Accepted samples of the two parameters whose accepted values are the most correlated."
                    .into()
            } else {
                "Samples of the two parameters the targets narrowed most.".into()
            },
            figure: AnyFigure::Line(pairs_chart(c)),
        },
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[2],
            caption: "Each target against the statistic before and after calibration.".into(),
            figure: AnyFigure::Bar(targets_chart(c)),
        },
    ]
}

/// Renders the calibration plots as PNG and SVG; the marginal panels are
/// taller when there are many parameters.
pub fn render_calibration_plots(c: &Calibration) -> Result<Vec<RunPlot>, PlotError> {
    let rows = c.parameters.len().div_ceil(marginal_columns(c)).max(1) as u32;
    calibration_figures(c)
        .into_iter()
        .map(|f| {
            let size = if f.name == "marginals" {
                (DEFAULT_SIZE.0, 220 + 340 * rows)
            } else {
                DEFAULT_SIZE
            };
            f.render(size)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silverman_bandwidth_matches_its_formula() {
        // sd 1.581, IQR 2 / 1.34 = 1.493 is the smaller: 0.9 * 1.493 * 5^-0.2.
        let h = silverman_bandwidth(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        let expected = 0.9 * (2.0 / 1.34) * 5f64.powf(-0.2);
        assert!((h - expected).abs() < 1e-12, "{h} vs {expected}");
        assert!(silverman_bandwidth(&[2.0, 2.0, 2.0]).is_none());
        assert!(silverman_bandwidth(&[2.0]).is_none());
    }

    #[test]
    fn the_reflected_density_integrates_to_one_over_the_range() {
        // Uniform values on [0, 1]: reflection keeps the mass inside.
        let values: Vec<f64> = (0..400).map(|k| (k as f64 + 0.5) / 400.0).collect();
        let d = density(&values, 0.0, 1.0);
        let area: f64 = d
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
            .sum();
        assert!((area - 1.0).abs() < 0.01, "area {area}");
        // And it is flat there, within the kernel's smoothing at the ends.
        assert!(d.iter().all(|p| (p.1 - 1.0).abs() < 0.1), "{d:?}");
    }

    #[test]
    fn ticks_are_few_round_and_written_with_the_decimals_they_need() {
        let t = nice_ticks(0.03, 0.97, 4);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0.2", "0.4", "0.6", "0.8"]);
        let t = nice_ticks(-3.0, 3.0, 4);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["-2", "0", "2"]);
        assert_eq!(axis_path("war.collapse"), "war.collapse");
        assert_eq!(
            axis_path("bargaining.issues.sanctions_relief.us.reservation"),
            "…s.sanctions_relief.us.reservation"
        );
    }
}
