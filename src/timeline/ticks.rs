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
    ]
    .into_iter()
    .find(|u| u.approx_days() * px_per_day >= f64::from(min_px))
    .unwrap_or(TickUnit::Decade)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The ticks of `unit` within the axis (stepping by `every` units, so a
/// crowded unit can show every 2nd, 5th…).
#[must_use]
pub fn ticks(axis: &TimeAxis, unit: TickUnit, every: u32) -> Vec<Tick> {
    let every = every.max(1);
    let Some(start) = Day(axis.start.floor() as i32).to_date() else {
        return Vec::new();
    };
    let end = axis.end.ceil();
    let mut out = Vec::new();
    let mut date = match unit {
        TickUnit::Day => Some(start),
        TickUnit::Month => NaiveDate::from_ymd_opt(start.year(), start.month(), 1),
        TickUnit::Year => NaiveDate::from_ymd_opt(start.year(), 1, 1),
        TickUnit::Decade => NaiveDate::from_ymd_opt(start.year().div_euclid(10) * 10, 1, 1),
    };
    while let Some(d) = date {
        let day = Day::from_date(d);
        if f64::from(day.0) > end || out.len() > 2000 {
            break;
        }
        let keep = match unit {
            TickUnit::Day => d.day0() % every == 0,
            TickUnit::Month => d.month0() % every == 0,
            TickUnit::Year => d.year().rem_euclid(every as i32) == 0,
            TickUnit::Decade => (d.year() / 10).rem_euclid(every as i32) == 0,
        };
        if f64::from(day.0) >= axis.start.floor() && keep {
            let label = match unit {
                TickUnit::Day => format!("{} {}", d.day(), MONTHS[d.month0() as usize]),
                TickUnit::Month if d.month() == 1 => d.year().to_string(),
                TickUnit::Month => format!("{} {}", MONTHS[d.month0() as usize], d.year()),
                TickUnit::Year => d.year().to_string(),
                TickUnit::Decade => format!("{}s", d.year()),
            };
            out.push(Tick { day, label });
        }
        date = match unit {
            TickUnit::Day => d.succ_opt(),
            TickUnit::Month => d.checked_add_months(chrono::Months::new(1)),
            TickUnit::Year => d.with_year(d.year() + 1),
            TickUnit::Decade => d.with_year(d.year() + 10),
        };
    }
    out
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
}
