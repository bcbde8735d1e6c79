//! The one mapping between time (days, f64) and screen x (points) that
//! every part of the strip uses. f64 throughout: at a day's zoom over a
//! 70-year axis, f32 would lose the day.

/// The visible time range of the strip, in days since 1970-01-01 (f64).
///
/// Invariant: `end - start >= MIN_SPAN_DAYS`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    /// Time at the left edge.
    pub start: f64,
    /// Time at the right edge.
    pub end: f64,
}

impl TimeAxis {
    /// The narrowest view: two days across the strip.
    pub const MIN_SPAN_DAYS: f64 = 2.0;
    /// The widest view: 20,000 years (the model's years run from -9999 to 9999).
    pub const MAX_SPAN_DAYS: f64 = 20_000.0 * 365.25;

    /// An axis from `start` to `end` (days).
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
        }
    }

    /// Days across the strip.
    #[must_use]
    pub fn span_days(&self) -> f64 {
        self.end - self.start
    }

    /// Screen x of a time, for a strip from `left` to `right`.
    #[must_use]
    pub fn x_from_time(&self, day: f64, left: f32, right: f32) -> f32 {
        let t = (day - self.start) / self.span_days();
        (f64::from(left) + t * f64::from(right - left)) as f32
    }

    /// Time at a screen x.
    #[must_use]
    pub fn time_from_x(&self, x: f32, left: f32, right: f32) -> f64 {
        let t = f64::from(x - left) / f64::from((right - left).max(1.0));
        self.start + t * self.span_days()
    }

    /// Pans by a screen distance (positive moves the view to earlier times,
    /// as when the ruler is dragged to the right).
    pub fn pan(&mut self, dx: f32, width: f32) {
        let days = f64::from(dx) / f64::from(width.max(1.0)) * self.span_days();
        self.start -= days;
        self.end -= days;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time under `x` fixed.
    pub fn zoom_at(&mut self, x: f32, factor: f64, left: f32, right: f32) {
        let anchor = self.time_from_x(x, left, right);
        let span = (self.span_days() / factor).clamp(Self::MIN_SPAN_DAYS, Self::MAX_SPAN_DAYS);
        let t = (anchor - self.start) / self.span_days();
        self.start = anchor - t * span;
        self.end = self.start + span;
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
            let axis = TimeAxis {
                start,
                end: start + span,
            };
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
}
