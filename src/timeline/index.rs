//! Events of a lane indexed by their drawn span, built once per (dataset,
//! filters, lanes, clock): how many touch any stretch of time, and which,
//! in O(log n) and O(shown) rather than by walking every event each frame.

use crate::model::{EventIdx, TimeBounds};
use crate::state::axis::TimeAxis;

/// Events per block for the "latest end" skip list.
const BLOCK: usize = 64;

/// Days are tabulated (one count per day) when the data spans at most this many.
const MAX_TABLE_DAYS: i64 = 400_000;

/// One lane's events sorted by where they start on the strip.
#[derive(Debug, Default)]
pub struct SpanIndex {
    /// Events in start order (then index order).
    sorted: Vec<EventIdx>,
    /// Their first day (`i64::MIN`: open start), aligned with `sorted`.
    starts: Vec<i64>,
    /// Their end, exclusive (last day + 1; `i64::MAX`: open end), aligned.
    ends: Vec<i64>,
    /// The ends, sorted.
    ends_sorted: Vec<i64>,
    /// The latest end of each block of `BLOCK` events of `sorted`.
    block_end: Vec<i64>,
    /// Per day from `table_base`: events starting on or before it, and
    /// events ending (exclusive) on or before it.
    table_base: i64,
    start_le: Vec<u32>,
    end_le: Vec<u32>,
    /// Open starts (before any day of the table), open ends are never ≤ a day.
    open_starts: usize,
    /// How much each event (aligned with `sorted`) deserves a label: its
    /// excerpts, so the best-attested events are named first.
    weights: Vec<u16>,
    /// The greatest weight of each block of `BLOCK` events of `sorted`.
    block_weight: Vec<u16>,
}

/// The (start, end exclusive) days of a time on the strip.
#[must_use]
pub fn span_days(t: &TimeBounds) -> (i64, i64) {
    (
        t.earliest().map_or(i64::MIN, |d| d.0),
        t.latest().map_or(i64::MAX, |d| d.0.saturating_add(1)),
    )
}

impl SpanIndex {
    /// Indexes `events` (with their spans), in any order.
    #[must_use]
    pub fn new(events: impl Iterator<Item = (EventIdx, (i64, i64))>) -> Self {
        Self::weighted(events, |_| 0)
    }

    /// Indexes `events` (with their spans), each weighted by `weight` for
    /// [`SpanIndex::heaviest_starting`].
    #[must_use]
    pub fn weighted(
        events: impl Iterator<Item = (EventIdx, (i64, i64))>,
        weight: impl Fn(EventIdx) -> u16,
    ) -> Self {
        let mut all: Vec<(i64, EventIdx, i64)> = events.map(|(e, (s, x))| (s, e, x)).collect();
        all.sort_unstable();
        let sorted: Vec<EventIdx> = all.iter().map(|a| a.1).collect();
        let starts: Vec<i64> = all.iter().map(|a| a.0).collect();
        let ends: Vec<i64> = all.iter().map(|a| a.2).collect();
        drop(all);
        let mut ends_sorted = ends.clone();
        ends_sorted.sort_unstable();
        let block_end = ends
            .chunks(BLOCK)
            .map(|c| c.iter().copied().max().unwrap_or(i64::MIN))
            .collect();
        let finite = starts
            .iter()
            .chain(&ends)
            .copied()
            .filter(|&d| d != i64::MIN && d != i64::MAX);
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for d in finite {
            lo = lo.min(d);
            hi = hi.max(d);
        }
        let weights: Vec<u16> = sorted.iter().map(|&e| weight(e)).collect();
        let block_weight = weights
            .chunks(BLOCK)
            .map(|c| c.iter().copied().max().unwrap_or(0))
            .collect();
        let mut index = Self {
            weights,
            block_weight,
            sorted,
            starts,
            ends,
            ends_sorted,
            block_end,
            table_base: lo,
            start_le: Vec::new(),
            end_le: Vec::new(),
            open_starts: 0,
        };
        index.open_starts = index.starts.partition_point(|&s| s == i64::MIN);
        if lo <= hi && hi - lo < MAX_TABLE_DAYS {
            let days = (hi - lo + 1) as usize;
            let tabulate = |keys: &[i64]| {
                let mut per_day = vec![0u32; days];
                let mut before = 0u32;
                for &d in keys {
                    if d == i64::MIN {
                        before += 1;
                    } else if d != i64::MAX {
                        per_day[(d - lo) as usize] += 1;
                    }
                }
                let mut running = before;
                for c in &mut per_day {
                    running += *c;
                    *c = running;
                }
                per_day
            };
            index.start_le = tabulate(&index.starts);
            index.end_le = tabulate(&index.ends_sorted);
        }
        index
    }

    /// How many of `keys` (sorted, or tabulated in `table`) are ≤ `day`.
    fn le(&self, keys: &[i64], table: &[u32], before: usize, day: i64) -> usize {
        if let Some(&last) = table.last() {
            let at = day - self.table_base;
            return if at < 0 {
                before
            } else if (at as usize) < table.len() {
                table[at as usize] as usize
            } else {
                last as usize
            };
        }
        keys.partition_point(|&k| k <= day)
    }

    fn starts_le(&self, day: i64) -> usize {
        self.le(&self.starts, &self.start_le, self.open_starts, day)
    }

    fn ends_le(&self, day: i64) -> usize {
        self.le(&self.ends_sorted, &self.end_le, 0, day)
    }

    /// How many events are drawn in the days `lo..hi` (fractional): they
    /// start before `hi` and end after `lo`.
    #[must_use]
    pub fn count_between(&self, lo: f64, hi: f64) -> usize {
        let starting = self.starts_le(hi.ceil() as i64 - 1);
        let ended = self.ends_le(lo.floor() as i64);
        starting.saturating_sub(ended)
    }

    /// The events drawn in the days `lo..=hi` as the strip draws them
    /// (start ≤ `hi`, end ≥ `lo`), in start order, into `out`.
    pub fn between(&self, lo: f64, hi: f64, out: &mut Vec<EventIdx>) {
        out.clear();
        let upto = self.starts.partition_point(|&s| (s as f64) <= hi);
        for (b, &latest) in self.block_end.iter().enumerate() {
            let from = b * BLOCK;
            if from >= upto {
                break;
            }
            if (latest as f64) < lo {
                continue;
            }
            let to = (from + BLOCK).min(upto);
            for k in from..to {
                if (self.ends[k] as f64) >= lo {
                    out.push(self.sorted[k]);
                }
            }
        }
    }

    /// Events per column of a strip from `left` to `right` on `axis`, one
    /// column per point (`width` of them): those drawn over some of the
    /// column's time. Story time's columns hold unequal times; each is
    /// asked for its own.
    pub fn columns(
        &self,
        axis: &TimeAxis,
        (left, right): (f32, f32),
        width: usize,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        let mut t0 = axis.time_from_x(left, left, right);
        out.extend((0..width).map(|px| {
            let t1 = axis.time_from_x(left + px as f32 + 1.0, left, right);
            let n = self.count_between(t0, t1) as u32;
            t0 = t1;
            n
        }));
    }

    /// The heaviest event starting in the days `lo..hi` (the first in start
    /// order among equals), with its first day: O(blocks + 2·BLOCK).
    #[must_use]
    pub fn heaviest_starting(&self, lo: f64, hi: f64) -> Option<(EventIdx, i64)> {
        let from = self.starts.partition_point(|&s| (s as f64) < lo);
        let to = self.starts.partition_point(|&s| (s as f64) < hi);
        let mut best: Option<(u16, usize)> = None;
        let consider = |k: usize, best: &mut Option<(u16, usize)>| {
            let w = self.weights[k];
            if best.is_none_or(|(bw, _)| w > bw) {
                *best = Some((w, k));
            }
        };
        let mut k = from;
        while k < to {
            if k % BLOCK == 0 && k + BLOCK <= to {
                let b = k / BLOCK;
                if best.is_none_or(|(bw, _)| self.block_weight[b] > bw) {
                    for j in k..k + BLOCK {
                        consider(j, &mut best);
                    }
                }
                k += BLOCK;
            } else {
                consider(k, &mut best);
                k += 1;
            }
        }
        best.map(|(_, k)| (self.sorted[k], self.starts[k]))
    }
}
