//! The one mapping between time (days, f64) and screen x (points) that
//! every part of the strip uses. f64 throughout: at a day's zoom over a
//! 70-year axis, f32 would lose the day.
//!
//! Two modes share it. *Linear*: x is proportional to time. *Story time*:
//! long stretches in which no event starts are squeezed to a short, marked
//! break (as Rerun's time panel collapses empty stretches), so that the
//! months a story is about get the room; between breaks the axis is linear,
//! so every tick there is honest. Both are one piecewise-linear map, days ↔
//! "story units", with pan and zoom done in story units.

use std::sync::Arc;

/// A monotone piecewise-linear map from days to story units: linear with
/// slope 1 except over its breaks, each squeezed to a few units.
#[derive(Clone, Debug, PartialEq)]
pub struct Warp {
    /// Knot days, strictly increasing.
    days: Vec<f64>,
    /// Story units at the knots, strictly increasing.
    units: Vec<f64>,
    /// The squeezed stretches, (first day, last day exclusive), in order.
    breaks: Vec<(f64, f64)>,
}

impl Warp {
    /// Stretches are squeezed when longer than this share of the story.
    const GAP_SHARE: f64 = 1.0 / 400.0;
    /// ...and never when shorter than a week.
    const MIN_GAP_DAYS: f64 = 7.0;
    /// A squeezed stretch takes this share of the gap threshold, growing
    /// slowly (logarithmically) with its length, so a longer jump still
    /// looks a little longer.
    const BREAK_SHARE: f64 = 0.2;

    /// Story time for events starting on `starts` (days, any order, with
    /// repeats) within `extent` (first day, last day exclusive): every
    /// stretch between consecutive starts (and from the last start to the
    /// end) longer than the gap threshold is squeezed. `None` when nothing
    /// is (the axis is then linear).
    #[must_use]
    pub fn story(starts: impl IntoIterator<Item = i64>, extent: (f64, f64)) -> Option<Self> {
        let (lo, hi) = extent;
        let points = Self::knots(starts, extent)?;
        let gap = ((hi - lo) * Self::GAP_SHARE).max(Self::MIN_GAP_DAYS);
        let short = gap * Self::BREAK_SHARE;
        let mut units = Vec::with_capacity(points.len());
        let mut breaks = Vec::new();
        let mut u = lo;
        units.push(u);
        for pair in points.windows(2) {
            let g = pair[1] - pair[0];
            if g > gap {
                u += short * (1.0 + 0.25 * (g / gap).ln());
                breaks.push((pair[0], pair[1]));
            } else {
                u += g;
            }
            units.push(u);
        }
        (!breaks.is_empty()).then_some(Self {
            days: points,
            units,
            breaks,
        })
    }

    /// Whether story time should be on by default: the longest stretch
    /// without an event start is over 30% of the story's span.
    #[must_use]
    pub fn wanted(starts: impl IntoIterator<Item = i64>, extent: (f64, f64)) -> bool {
        let (lo, hi) = extent;
        let Some(points) = Self::knots(starts, extent) else {
            return false;
        };
        let longest = points
            .windows(2)
            .map(|p| p[1] - p[0])
            .fold(0.0_f64, f64::max);
        longest > 0.3 * (hi - lo)
    }

    /// The starts within `extent` and its two ends, sorted, without
    /// repeats; `None` for an empty or non-finite extent.
    fn knots(starts: impl IntoIterator<Item = i64>, (lo, hi): (f64, f64)) -> Option<Vec<f64>> {
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return None;
        }
        let mut points: Vec<f64> = starts
            .into_iter()
            .map(|d| d as f64)
            .filter(|d| *d >= lo && *d <= hi)
            .collect();
        points.push(lo);
        points.push(hi);
        points.sort_unstable_by(f64::total_cmp);
        points.dedup();
        Some(points)
    }

    /// The squeezed stretches, (first day, last day exclusive).
    #[must_use]
    pub fn breaks(&self) -> &[(f64, f64)] {
        &self.breaks
    }

    /// Story units at a day.
    #[must_use]
    pub fn to_units(&self, day: f64) -> f64 {
        lerp_through(&self.days, &self.units, day)
    }

    /// The day at story units.
    #[must_use]
    pub fn to_days(&self, units: f64) -> f64 {
        lerp_through(&self.units, &self.days, units)
    }
}

/// `x` mapped through the knots `(from[i], to[i])`, slope 1 beyond them.
fn lerp_through(from: &[f64], to: &[f64], value: f64) -> f64 {
    let (Some(&first), Some(&first_to), Some(&last), Some(&last_to)) =
        (from.first(), to.first(), from.last(), to.last())
    else {
        return value;
    };
    if value <= first {
        return first_to + (value - first);
    }
    if value >= last {
        return last_to + (value - last);
    }
    let k = from
        .partition_point(|&f| f <= value)
        .clamp(1, from.len() - 1);
    let (lo, hi) = (from[k - 1], from[k]);
    let share = (value - lo) / (hi - lo);
    to[k - 1] + share * (to[k] - to[k - 1])
}

/// The visible time range of the strip, in days since 1970-01-01 (f64),
/// and how time is spread across it (linear, or story time).
///
/// Invariant: `end - start >= MIN_SPAN_DAYS`.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeAxis {
    /// Time at the left edge.
    pub start: f64,
    /// Time at the right edge.
    pub end: f64,
    /// Story time's squeeze (`None`: linear).
    pub warp: Option<Arc<Warp>>,
}

/// A visible piece of the axis: linear days, or a squeezed stretch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    /// First day shown.
    pub from: f64,
    /// Last day shown (exclusive).
    pub to: f64,
    /// A squeezed stretch of story time (no honest ticks inside).
    pub squeezed: bool,
}

impl TimeAxis {
    /// The narrowest view: two days across the strip.
    pub const MIN_SPAN_DAYS: f64 = 2.0;
    /// The widest view: every year the model holds (a trillion years either
    /// way, [`crate::model::time::MAX_YEARS`]), so that deep time fits.
    pub const MAX_SPAN_DAYS: f64 = 2.0 * crate::model::time::MAX_YEARS as f64 * 365.25;

    /// A linear axis from `start` to `end` (days).
    #[must_use]
    pub fn new(start: f64, end: f64) -> Self {
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let span = (end - start).clamp(Self::MIN_SPAN_DAYS, Self::MAX_SPAN_DAYS);
        let mid = f64::midpoint(start, end);
        Self {
            start: mid - span / 2.0,
            end: mid + span / 2.0,
            warp: None,
        }
    }

    /// A linear axis showing `window` with a margin of 3% of its width
    /// (at least a month wide) on each side.
    #[must_use]
    pub fn around(window: crate::model::TimeWindow) -> Self {
        let span = ((window.end.0 - window.start.0) as f64).max(30.0);
        let margin = span * 0.03;
        Self::new(
            window.start.as_f64() - margin,
            window.end.as_f64() + 1.0 + margin,
        )
    }

    /// The axis showing the days `lo..hi` with a margin of 3% of the width
    /// on each side, spread by `warp`: the whole story.
    #[must_use]
    pub fn whole((lo, hi): (f64, f64), warp: Option<Arc<Warp>>) -> Self {
        let mut axis = Self::new(lo, hi).with_warp(warp);
        axis.zoom_at(500.0, 1.0 / 1.06, 0.0, 1000.0);
        axis
    }

    /// The same visible days, spread by `warp` (`None`: linear).
    #[must_use]
    pub fn with_warp(mut self, warp: Option<Arc<Warp>>) -> Self {
        self.warp = warp;
        self
    }

    /// Whether the axis is in story time.
    #[must_use]
    pub fn is_story(&self) -> bool {
        self.warp.is_some()
    }

    fn units(&self, day: f64) -> f64 {
        self.warp.as_ref().map_or(day, |w| w.to_units(day))
    }

    fn days(&self, units: f64) -> f64 {
        self.warp.as_ref().map_or(units, |w| w.to_days(units))
    }

    /// Days across the strip.
    #[must_use]
    pub fn span_days(&self) -> f64 {
        self.end - self.start
    }

    /// Story units across the strip (days, when linear).
    #[must_use]
    pub fn span_units(&self) -> f64 {
        (self.units(self.end) - self.units(self.start)).max(f64::MIN_POSITIVE)
    }

    /// Where a time falls across the strip: 0 at the left edge, 1 at the
    /// right (beyond them outside the view).
    #[must_use]
    pub fn position(&self, day: f64) -> f64 {
        (self.units(day) - self.units(self.start)) / self.span_units()
    }

    /// Screen x of a time, for a strip from `left` to `right`.
    #[must_use]
    pub fn x_from_time(&self, day: f64, left: f32, right: f32) -> f32 {
        (f64::from(left) + self.position(day) * f64::from(right - left)) as f32
    }

    /// Time at a screen x.
    #[must_use]
    pub fn time_from_x(&self, x: f32, left: f32, right: f32) -> f64 {
        let t = f64::from(x - left) / f64::from((right - left).max(1.0));
        self.days(self.units(self.start) + t * self.span_units())
    }

    /// Sets the visible story units, keeping the span within the limits.
    fn set_units(&mut self, u0: f64, span: f64) {
        let span = span.clamp(Self::MIN_SPAN_DAYS, Self::MAX_SPAN_DAYS);
        self.start = self.days(u0);
        self.end = self.days(u0 + span);
    }

    /// Pans by a screen distance (positive moves the view to earlier times,
    /// as when the ruler is dragged to the right).
    pub fn pan(&mut self, dx: f32, width: f32) {
        let span = self.span_units();
        let du = f64::from(dx) / f64::from(width.max(1.0)) * span;
        self.set_units(self.units(self.start) - du, span);
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time under `x` fixed.
    pub fn zoom_at(&mut self, x: f32, factor: f64, left: f32, right: f32) {
        let anchor = self.units(self.time_from_x(x, left, right));
        let old = self.span_units();
        let span = (old / factor).clamp(Self::MIN_SPAN_DAYS, Self::MAX_SPAN_DAYS);
        let t = (anchor - self.units(self.start)) / old;
        self.set_units(anchor - t * span, span);
    }

    /// Puts `day` at the centre, keeping the zoom.
    pub fn center_on(&mut self, day: f64) {
        let span = self.span_units();
        self.set_units(self.units(day) - span / 2.0, span);
    }

    /// Puts `day` at `share` (0: left edge, 1: right edge), keeping the zoom.
    pub fn place_at(&mut self, day: f64, share: f64) {
        let span = self.span_units();
        self.set_units(self.units(day) - span * share, span);
    }

    /// Moves `day` by `px` points on a strip `width` wide (playback's
    /// steady pace on screen, in either mode): the day that is there then.
    #[must_use]
    pub fn shift_by_px(&self, day: f64, px: f64, width: f32) -> f64 {
        let du = px / f64::from(width.max(1.0)) * self.span_units();
        self.days(self.units(day) + du)
    }

    /// The visible pieces, left to right: linear stretches and squeezed ones.
    #[must_use]
    pub fn pieces(&self) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut at = self.start;
        if let Some(w) = &self.warp {
            for &(a, b) in w.breaks() {
                if b <= self.start || a >= self.end {
                    continue;
                }
                if a > at {
                    out.push(Piece {
                        from: at,
                        to: a,
                        squeezed: false,
                    });
                }
                let to = b.min(self.end);
                out.push(Piece {
                    from: a.max(at),
                    to,
                    squeezed: true,
                });
                at = to;
            }
        }
        if at < self.end {
            out.push(Piece {
                from: at,
                to: self.end,
                squeezed: false,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_a_pixel_at_every_zoom() {
        // From 70 years to a day across 1200 points, anchored in 2022.
        let (left, right) = (100.0_f32, 1300.0_f32);
        let mut span = 70.0 * 365.25;
        while span >= 1.0 {
            let start = 19_000.0 - span / 2.0;
            let axis = TimeAxis::new(start, start + span);
            for k in 0..=10 {
                let day = start + span * f64::from(k) / 10.0;
                let x = axis.x_from_time(day, left, right);
                let back = axis.time_from_x(x, left, right);
                let px_per_day = f64::from(right - left) / span;
                assert!(
                    ((back - day) * px_per_day).abs() < 1.0,
                    "span {span}: {day} -> {x} -> {back}"
                );
            }
            span /= 1.7;
        }
    }

    #[test]
    fn deep_time_maps_monotonically_and_round_trips_at_random_zooms() {
        use rand::{Rng as _, SeedableRng as _};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        let (left, right) = (40.0_f32, 1640.0_f32);
        let width = f64::from(right - left);
        let year_day = |y: i64| crate::model::Day::first_of_year(y).as_f64();
        for round in 0..400 {
            // A view anywhere in ±10¹⁰ years, from two days to the whole span.
            let centre = year_day(rng.random_range(-10_000_000_000..=10_000_000_000));
            let span = 10f64.powf(rng.random_range(0.3..13.0));
            let mut axis = TimeAxis::new(centre - span / 2.0, centre + span / 2.0);
            if round % 3 == 0 {
                // Story time over random starts in deep time.
                let starts: Vec<i64> = (0..20)
                    .map(|_| rng.random_range(-10_000_000_000..=10_000_000_000))
                    .map(|y| crate::model::Day::first_of_year(y).0)
                    .collect();
                let lo = starts.iter().min().copied().unwrap_or(0) as f64;
                let hi = starts.iter().max().copied().unwrap_or(0) as f64 + 1.0;
                axis = axis.with_warp(Warp::story(starts, (lo, hi)).map(Arc::new));
            }
            let px_per_day = width / axis.span_units();
            // Random times in ±10¹⁰ years and in view, sorted.
            let mut times: Vec<f64> = (0..300)
                .map(|k| {
                    if k % 2 == 0 {
                        year_day(rng.random_range(-10_000_000_000..=10_000_000_000))
                            + rng.random_range(0.0..365.0)
                    } else {
                        axis.start + rng.random_range(0.0..1.0) * (axis.end - axis.start)
                    }
                })
                .collect();
            times.sort_unstable_by(f64::total_cmp);
            let xs: Vec<f32> = times
                .iter()
                .map(|&t| axis.x_from_time(t, left, right))
                .collect();
            for (pair, x) in times.windows(2).zip(xs.windows(2)) {
                assert!(
                    x[1] >= x[0],
                    "round {round}: x fell from {} to {} as time grew {pair:?}",
                    x[0],
                    x[1]
                );
                let apart = (axis.position(pair[1]) - axis.position(pair[0])) * width;
                let near = f64::from(x[0].abs().max(x[1].abs())) < 100.0 * width;
                if apart >= 1.0 && near {
                    assert!(
                        x[1] > x[0],
                        "round {round}: {pair:?} are {apart} px apart but share x {}",
                        x[0]
                    );
                }
            }
            for (&t, &x) in times.iter().zip(&xs) {
                if t >= axis.start && t <= axis.end {
                    let back = axis.time_from_x(x, left, right);
                    let off = (axis.position(back) - axis.position(t)).abs() * width;
                    assert!(
                        off < 1.0,
                        "round {round}: {t} -> {x} -> {back}, {off} px off (span {span}, {px_per_day} px/day)"
                    );
                }
            }
        }
    }

    #[test]
    fn zoom_keeps_the_time_under_the_pointer_and_respects_limits() {
        let mut axis = TimeAxis::new(-3653.0, 19_358.0);
        let before = axis.time_from_x(900.0, 0.0, 1200.0);
        axis.zoom_at(900.0, 8.0, 0.0, 1200.0);
        assert!((axis.time_from_x(900.0, 0.0, 1200.0) - before).abs() < 1e-6);
        for _ in 0..100 {
            axis.zoom_at(900.0, 3.0, 0.0, 1200.0);
        }
        assert!((axis.span_days() - TimeAxis::MIN_SPAN_DAYS).abs() < 1e-9);
        let mut pan = TimeAxis::new(0.0, 100.0);
        pan.pan(120.0, 1200.0);
        assert!((pan.start - -10.0).abs() < 1e-9);
    }

    fn story() -> Warp {
        // The embedded story's starts: 196X, 1979, 198X, 199X, 2003, 2009,
        // June 2010, 2013, 2014, 2015, 2020, 2022, and the summer of 2022.
        let d = |y, m, dd| crate::model::Day::from_ymd(y, m, dd).map_or(0, |d| d.0);
        let starts = [
            d(1960, 1, 1),
            d(1979, 1, 1),
            d(1980, 1, 1),
            d(1990, 1, 1),
            d(2003, 1, 1),
            d(2009, 1, 1),
            d(2010, 6, 1),
            d(2013, 1, 1),
            d(2014, 1, 1),
            d(2015, 1, 1),
            d(2020, 1, 1),
            d(2022, 1, 1),
            d(2022, 7, 1),
            d(2022, 7, 15),
            d(2022, 9, 1),
            d(2022, 9, 7),
        ];
        let extent = (d(1960, 1, 1) as f64, d(2023, 1, 1) as f64);
        assert!(Warp::wanted(starts, extent));
        let warp = Warp::story(starts, extent);
        assert!(
            warp.is_some(),
            "the embedded story has long empty stretches"
        );
        warp.unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn story_time_is_strictly_increasing_and_round_trips_within_a_pixel() {
        use rand::{Rng as _, SeedableRng as _};
        let warp = Arc::new(story());
        assert!(warp.breaks().len() >= 10, "{:?}", warp.breaks());
        let (left, right) = (120.0_f32, 1580.0_f32);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let whole = TimeAxis::new(-3700.0, 19_400.0).with_warp(Some(warp));
        // Several zooms: the whole story, a few years, a season, a week.
        for (factor, at) in [(1.0, 0.5), (6.0, 0.9), (40.0, 0.95), (400.0, 0.97)] {
            let mut axis = whole.clone();
            axis.zoom_at(left + (right - left) * at, factor, left, right);
            let mut times: Vec<f64> = (0..10_000)
                .map(|_| rng.random_range(axis.start..axis.end))
                .collect();
            times.sort_unstable_by(f64::total_cmp);
            times.dedup();
            for pair in times.windows(2) {
                assert!(
                    axis.position(pair[0]) < axis.position(pair[1]),
                    "zoom {factor}: {} and {} are not in order",
                    pair[0],
                    pair[1]
                );
            }
            for &t in &times {
                let x = axis.x_from_time(t, left, right);
                let back = axis.time_from_x(x, left, right);
                let again = axis.x_from_time(back, left, right);
                assert!(
                    (again - x).abs() < 1.0,
                    "zoom {factor}: {t} -> {x} -> {back} -> {again}"
                );
            }
        }
    }

    #[test]
    fn story_time_gives_the_summer_of_2022_the_room() {
        let d =
            |y, m, dd| crate::model::Day::from_ymd(y, m, dd).map_or(0.0, crate::model::Day::as_f64);
        let axis = TimeAxis::new(d(1960, 1, 1), d(2023, 1, 1)).with_warp(Some(Arc::new(story())));
        let (left, right) = (0.0, 1480.0);
        let summer = axis.x_from_time(d(2022, 10, 1), left, right)
            - axis.x_from_time(d(2022, 7, 1), left, right);
        assert!(summer >= 300.0, "July to September 2022 gets {summer} px");
        let linear = TimeAxis::new(d(1960, 1, 1), d(2023, 1, 1));
        let before = linear.x_from_time(d(2022, 10, 1), left, right)
            - linear.x_from_time(d(2022, 7, 1), left, right);
        assert!(before < 10.0, "{before}");
        // Pieces: linear between breaks, each break named.
        let pieces = axis.pieces();
        assert!(pieces.iter().any(|p| p.squeezed));
        assert!(
            pieces
                .windows(2)
                .all(|p| (p[0].to - p[1].from).abs() < 1e-9)
        );
        // Pan and zoom keep the time under the pointer in story time too.
        let mut zoomed = axis.clone();
        let under = zoomed.time_from_x(1300.0, left, right);
        zoomed.zoom_at(1300.0, 5.0, left, right);
        assert!((zoomed.time_from_x(1300.0, left, right) - under).abs() < 1.0);
        // Steady on screen: one width of pan, whatever the stretch.
        let moved = axis.shift_by_px(d(1965, 1, 1), 100.0, 1480.0);
        let dx =
            axis.x_from_time(moved, left, right) - axis.x_from_time(d(1965, 1, 1), left, right);
        assert!((dx - 100.0).abs() < 0.5, "{dx}");
    }
}
