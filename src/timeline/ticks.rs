//! Tick marks for the time axis: the unit (decades, years, months, days)
//! follows the zoom so that labels stay readable.

use chrono::{Datelike as _, NaiveDate};

use super::axis::TimeAxis;
use crate::model::Day;

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
}

impl TickUnit {
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
        }
    }

    /// Roughly how many days one step of this unit is.
    #[must_use]
    pub fn approx_days(self) -> f64 {
        match self {
            Self::Day => 1.0,
            Self::Month => 30.44,
            Self::Year => 365.25,
            Self::Decade => 3652.5,
            Self::Century => 36_525.0,
            Self::Millennium => 365_250.0,
        }
    }
}

/// One tick: where, and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// The tick's day.
    pub day: Day,
    /// The label ("1990", "Jul 2022", "15 Jul").
    pub label: String,
}

/// The finest unit whose labels are at least `min_px` points apart.
#[must_use]
pub fn unit_for(axis: &TimeAxis, width_px: f32, min_px: f32) -> TickUnit {
    let px_per_day = f64::from(width_px) / axis.span_days();
    [
        TickUnit::Day,
        TickUnit::Month,
        TickUnit::Year,
        TickUnit::Decade,
        TickUnit::Century,
        TickUnit::Millennium,
    ]
    .into_iter()
    .find(|u| u.approx_days() * px_per_day >= f64::from(min_px))
    .unwrap_or(TickUnit::Millennium)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The ticks of `unit` within the axis (stepping by `every` units, so a
/// crowded unit can show every 2nd, 5th…).
#[must_use]
pub fn ticks(axis: &TimeAxis, unit: TickUnit, every: u32) -> Vec<Tick> {
    let every = every.max(1);
    let years_per_step = match unit {
        TickUnit::Decade => 10,
        TickUnit::Century => 100,
        TickUnit::Millennium => 1000,
        TickUnit::Day | TickUnit::Month | TickUnit::Year => 0,
    };
    if years_per_step > 0 {
        return year_ticks(axis, years_per_step, every);
    }
    let Some(start) = Day(axis.start.floor() as i32).to_date() else {
        return Vec::new();
    };
    let end = axis.end.ceil();
    let mut out = Vec::new();
    let mut date = match unit {
        TickUnit::Day => Some(start),
        TickUnit::Month => NaiveDate::from_ymd_opt(start.year(), start.month(), 1),
        _ => NaiveDate::from_ymd_opt(start.year(), 1, 1),
    };
    while let Some(d) = date {
        let day = Day::from_date(d);
        if f64::from(day.0) > end || out.len() > 2000 {
            break;
        }
        let keep = match unit {
            TickUnit::Day => d.day0() % every == 0,
            TickUnit::Month => d.month0() % every == 0,
            _ => d.year().rem_euclid(every as i32) == 0,
        };
        if f64::from(day.0) >= axis.start.floor() && keep {
            let label = match unit {
                TickUnit::Day => format!("{} {}", d.day(), MONTHS[d.month0() as usize]),
                TickUnit::Month if d.month() == 1 => year_label(d.year()),
                TickUnit::Month => {
                    format!("{} {}", MONTHS[d.month0() as usize], year_label(d.year()))
                }
                _ => year_label(d.year()),
            };
            out.push(Tick { day, label });
        }
        date = match unit {
            TickUnit::Day => d.succ_opt(),
            TickUnit::Month => d.checked_add_months(chrono::Months::new(1)),
            _ => d.with_year(d.year() + 1),
        };
    }
    out
}

/// A year as people write it: `1990`, `44 BCE` (astronomical year 0 is 1 BCE).
#[must_use]
pub fn year_label(year: i32) -> String {
    if year > 0 {
        year.to_string()
    } else {
        format!("{} BCE", 1 - i64::from(year))
    }
}

/// Ticks every `step` years (10, 100, 1000), placed so that the labels are
/// round in the calendar people read: 1900, 2000, and 100 BCE, 200 BCE.
fn year_ticks(axis: &TimeAxis, step: i32, every: u32) -> Vec<Tick> {
    let (Some(first), Some(last)) = (
        Day(axis.start.floor() as i32).to_date(),
        Day(axis.end.ceil() as i32).to_date(),
    ) else {
        return Vec::new();
    };
    let stride = step.saturating_mul(every as i32);
    let mut out = Vec::new();
    // Common era: years that are multiples of the stride.
    let mut year = first.year().max(1).div_euclid(stride) * stride;
    // Before the common era: year 1 - k·stride is "k·stride BCE".
    let mut bce_k = (1 - first.year().min(0)).div_euclid(stride);
    while bce_k >= 1 && out.len() <= 2000 {
        let y = 1 - bce_k * stride;
        if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1)
            && y >= first.year()
        {
            out.push(tick_at(d, step));
        }
        bce_k -= 1;
    }
    while year <= last.year() && out.len() <= 2000 {
        if year >= 1
            && year >= first.year()
            && let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1)
        {
            out.push(tick_at(d, step));
        }
        year += stride;
    }
    out.retain(|t| {
        f64::from(t.day.0) >= axis.start.floor() && f64::from(t.day.0) <= axis.end.ceil()
    });
    out
}

fn tick_at(d: NaiveDate, step: i32) -> Tick {
    let label = if step == 10 {
        match d.year() {
            y if y > 0 => format!("{y}s"),
            y => format!("{}s BCE", 1 - i64::from(y)),
        }
    } else {
        year_label(d.year())
    };
    Tick {
        day: Day::from_date(d),
        label,
    }
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
        let jul = f64::from(Day::from_ymd(2022, 7, 1).map_or(0, |d| d.0));
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
        let day = |y: i32| f64::from(Day::from_ymd(y, 1, 1).map_or(0, |d| d.0));
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
