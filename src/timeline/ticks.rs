//! Tick marks for the time axis: the unit (days, months, years, decades …
//! up to billions of years) follows the zoom so that labels stay readable.
//! Calendar steps use [`Day::civil`], so they hold from the Big Bang to a
//! day in 2022.

use crate::model::Day;
use crate::model::time::{YEARS_AGO_FROM, year_words};
use crate::state::axis::TimeAxis;

/// The unit of the labelled ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TickUnit {
    /// Every day.
    Day,
    /// Every month.
    Month,
    /// Every year.
    Year,
    /// Every decade.
    Decade,
    /// Every century.
    Century,
    /// Every thousand years.
    Millennium,
    /// Every 10ⁿ years, n from 4 (ten thousand) to 12 (a trillion).
    Deep(u8),
}

/// The plural words of [`TickUnit::Deep`], from 10⁴ years to 10¹² years.
const DEEP_WORDS: [&str; 9] = [
    "ten thousand years",
    "hundred thousand years",
    "million years",
    "ten million years",
    "hundred million years",
    "billion years",
    "ten billion years",
    "hundred billion years",
    "trillion years",
];

impl TickUnit {
    /// Every unit, finest first.
    pub const ALL: [Self; 15] = [
        Self::Day,
        Self::Month,
        Self::Year,
        Self::Decade,
        Self::Century,
        Self::Millennium,
        Self::Deep(4),
        Self::Deep(5),
        Self::Deep(6),
        Self::Deep(7),
        Self::Deep(8),
        Self::Deep(9),
        Self::Deep(10),
        Self::Deep(11),
        Self::Deep(12),
    ];

    /// Lower-case word, for tests and the accessible description.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "days",
            Self::Month => "months",
            Self::Year => "years",
            Self::Decade => "decades",
            Self::Century => "centuries",
            Self::Millennium => "millennia",
            Self::Deep(n) => DEEP_WORDS[usize::from(n.clamp(4, 12) - 4)],
        }
    }

    /// Years in one step (0 for days and months).
    #[must_use]
    pub fn years(self) -> i64 {
        match self {
            Self::Day | Self::Month => 0,
            Self::Year => 1,
            Self::Decade => 10,
            Self::Century => 100,
            Self::Millennium => 1000,
            Self::Deep(n) => 10_i64.pow(u32::from(n.clamp(4, 12))),
        }
    }

    /// Roughly how many days one step of this unit is.
    #[must_use]
    pub fn approx_days(self) -> f64 {
        match self {
            Self::Day => 1.0,
            Self::Month => 30.44,
            unit => unit.years() as f64 * 365.2425,
        }
    }

    /// The next finer unit (`None` for days).
    #[must_use]
    pub fn finer(self) -> Option<Self> {
        let at = Self::ALL.iter().position(|u| *u == self)?;
        at.checked_sub(1).map(|i| Self::ALL[i])
    }
}

/// One tick: where, and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// The tick's day.
    pub day: Day,
    /// The label ("1990", "Jul 2022", "15 Jul", "65 million years ago").
    pub label: String,
}

/// The finest unit whose labels are at least `min_px` points apart.
#[must_use]
pub fn unit_for(axis: &TimeAxis, width_px: f32, min_px: f32) -> TickUnit {
    let px_per_day = f64::from(width_px) / axis.span_days();
    TickUnit::ALL
        .into_iter()
        .find(|u| u.approx_days() * px_per_day >= f64::from(min_px))
        .unwrap_or(TickUnit::Deep(12))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// At most this many ticks are made for one call: a unit far too fine for
/// the axis gives none rather than millions.
const MOST_TICKS: i64 = 4000;

/// The ticks of `unit` within the axis (stepping by `every` units, so a
/// crowded unit can show every 2nd, 5th…).
#[must_use]
pub fn ticks(axis: &TimeAxis, unit: TickUnit, every: u32) -> Vec<Tick> {
    let every = i64::from(every.max(1));
    if unit.years() >= 10 {
        return year_ticks(axis, unit.years(), every);
    }
    let (lo, hi) = (axis.start.floor(), axis.end.ceil());
    if (hi - lo) / unit.approx_days() / every as f64 > MOST_TICKS as f64 {
        return Vec::new();
    }
    let (y0, m0, _) = Day::at(lo).civil();
    let mut out = Vec::new();
    match unit {
        TickUnit::Day => {
            let mut day = Day::at(lo);
            while (day.0 as f64) <= hi {
                let (_, m, d) = day.civil();
                if i64::from(d - 1) % every == 0 {
                    let label = format!("{d} {}", MONTHS[m as usize - 1]);
                    out.push(Tick { day, label });
                }
                day = Day(day.0 + 1);
            }
        }
        TickUnit::Month => {
            let (mut y, mut m) = (y0, m0);
            while let Some(day) = Day::from_ymd(y, m, 1) {
                if day.0 as f64 > hi {
                    break;
                }
                if i64::from(m - 1) % every == 0 && day.0 as f64 >= lo {
                    let label = if m == 1 {
                        year_label(y)
                    } else {
                        format!("{} {}", MONTHS[m as usize - 1], year_label(y))
                    };
                    out.push(Tick { day, label });
                }
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        _ => {
            let mut y = y0;
            while let Some(day) = Day::from_ymd(y, 1, 1) {
                if day.0 as f64 > hi {
                    break;
                }
                if y.rem_euclid(every) == 0 && day.0 as f64 >= lo {
                    out.push(Tick {
                        day,
                        label: year_label(y),
                    });
                }
                y += 1;
            }
        }
    }
    out
}

/// A year as people write it: `1990`, `44 BCE` (astronomical year 0 is 1
/// BCE), `65 million years ago` (see [`year_words`]).
#[must_use]
pub fn year_label(year: i64) -> String {
    year_words(year)
}

/// Ticks every `step` years (10, 100, … 10¹²), placed so that the labels are
/// round in the calendar people read: 1900, 2000, and 100 BCE, 200 BCE
/// (year 1 − k·step), and beyond 100,000 BCE round "years ago" (year
/// −k·step). Steps of 100,000 years and more are round in years ago alone,
/// with year 1 standing for year 0.
fn year_ticks(axis: &TimeAxis, step: i64, every: i64) -> Vec<Tick> {
    let first = Day::at(axis.start.floor()).year();
    let last = Day::at(axis.end.ceil()).year();
    let stride = step.saturating_mul(every);
    if (last - first) / stride > MOST_TICKS {
        return Vec::new();
    }
    // Multiples of the stride from `lo` to `hi`.
    let multiples = |lo: i64, hi: i64| {
        let start = lo.div_euclid(stride) * stride;
        let start = if start < lo { start + stride } else { start };
        (0..)
            .map(move |i| start + i * stride)
            .take_while(move |y| *y <= hi)
    };
    let mut years: Vec<i64> = Vec::new();
    if stride >= 100_000 {
        years.extend(multiples(first, last).map(|y| if y == 0 { 1 } else { y }));
    } else {
        // Deep: round years ago, strictly before 100,000 BCE.
        years.extend(multiples(first, last.min(YEARS_AGO_FROM - 1)));
        // Before the common era: year 1 - k·stride is "k·stride BCE".
        let (lo, hi) = (first.max(YEARS_AGO_FROM + 1), last.min(0));
        if lo <= hi {
            years.extend(multiples(1 - hi, 1 - lo).map(|k| 1 - k).filter(|&k| k <= 0));
        }
        // The common era: multiples of the stride.
        years.extend(multiples(first.max(1), last));
    }
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .filter(|y| (first..=last).contains(y))
        .filter_map(|y| {
            let day = Day::from_ymd(y, 1, 1)?;
            let label = match (step, y) {
                (10, y) if y > 0 => format!("{y}s"),
                (10, y) => format!("{}s BCE", 1 - y),
                (_, y) => year_label(y),
            };
            Some(Tick { day, label })
        })
        .filter(|t| t.day.0 as f64 >= axis.start.floor() && t.day.0 as f64 <= axis.end.ceil())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_follows_the_zoom() {
        let axis = |days: f64| TimeAxis::new(19_000.0, 19_000.0 + days);
        assert_eq!(
            unit_for(&axis(70.0 * 365.25), 1200.0, 60.0),
            TickUnit::Decade
        );
        assert_eq!(unit_for(&axis(10.0 * 365.25), 1200.0, 60.0), TickUnit::Year);
        assert_eq!(unit_for(&axis(300.0), 1200.0, 60.0), TickUnit::Month);
        assert_eq!(unit_for(&axis(14.0), 1200.0, 60.0), TickUnit::Day);
    }

    #[test]
    fn ticks_fall_on_calendar_boundaries() {
        let jul = Day::from_ymd(2022, 7, 1).map_or(0.0, Day::as_f64);
        let axis = TimeAxis::new(jul, jul + 92.0);
        let months = ticks(&axis, TickUnit::Month, 1);
        let labels: Vec<&str> = months.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Jul 2022", "Aug 2022", "Sep 2022", "Oct 2022"]);
        let decades = ticks(&TimeAxis::new(-3653.0, 19_358.0), TickUnit::Decade, 1);
        assert_eq!(decades.first().map(|t| t.label.as_str()), Some("1960s"));
        assert_eq!(decades.last().map(|t| t.label.as_str()), Some("2020s"));
    }

    #[test]
    fn wide_axes_get_centuries_and_millennia_with_bce_labels() {
        let day = |y: i64| Day::from_ymd(y, 1, 1).map_or(0.0, Day::as_f64);
        let axis = TimeAxis::new(day(-700), day(1990));
        assert_eq!(unit_for(&axis, 2000.0, 60.0), TickUnit::Century);
        let labels: Vec<String> = ticks(&axis, TickUnit::Century, 1)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels.first().map(String::as_str), Some("700 BCE"));
        assert!(labels.contains(&"100 BCE".to_owned()));
        assert!(labels.contains(&"100".to_owned()));
        assert_eq!(labels.last().map(String::as_str), Some("1900"));
        assert_eq!(year_label(-43), "44 BCE");
        let wide = TimeAxis::new(day(-9000), day(2000));
        assert_eq!(unit_for(&wide, 1200.0, 60.0), TickUnit::Millennium);
    }
}
