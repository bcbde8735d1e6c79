//! Fuzzy, honestly-imprecise time: one type for every date in mapline.
//!
//! A [`FuzzyTime`] is parsed from an EDTF string (ISO 8601-2, the Library of
//! Congress Extended Date/Time Format) and keeps three things:
//!
//! - the text as written, so a date is shown and saved exactly as the source
//!   gave it;
//! - its earliest and latest calendar day ([`Day`]), `None` for an open end;
//! - its [`Precision`], so "the 1990s" stays a decade and is never drawn as
//!   New Year's day 1990.
//!
//! Invariant: when both ends are known, `earliest <= latest`.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike as _, NaiveDate};
use edtf_core::{Bound, Edtf, IntervalEndpoint, YearKind};

/// A calendar day, counted from 1970-01-01 (day 0). Negative before 1970.
///
/// Days are what every bound, window and axis in mapline is measured in. The
/// count is 64-bit so that one unit serves from a day in 2022 to the Big Bang
/// (13.8 billion years is about 5·10¹² days; years run to ±[`MAX_YEARS`]),
/// in the proleptic Gregorian calendar throughout. chrono's dates stop near
/// ±262,000 years, so the calendar arithmetic here is Howard Hinnant's
/// `days_from_civil` (public domain), which is exact for any year an `i64`
/// of days holds; chrono remains for formatting within its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

/// The furthest year either way mapline holds: a trillion years, well past
/// the Big Bang, and small enough that every day of it is exact in an `f64`
/// (about 3.7·10¹⁴ days, under 2⁵³).
pub const MAX_YEARS: i64 = 1_000_000_000_000;

/// Days in `month` of `year` (proleptic Gregorian), `None` for no such month.
#[must_use]
pub fn days_in_month(year: i64, month: u32) -> Option<u32> {
    let leap = year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0);
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

impl Day {
    /// The day of a calendar date (astronomical years: 0 is 1 BCE).
    ///
    /// ```
    /// use mapline::model::time::Day;
    /// assert_eq!(Day::from_ymd(1970, 1, 2), Some(Day(1)));
    /// assert_eq!(Day::from_ymd(2022, 2, 30), None);
    /// assert_eq!(Day::from_ymd(-13_800_000_000, 1, 1).map(Day::civil), Some((-13_800_000_000, 1, 1)));
    /// ```
    #[must_use]
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Self> {
        if !(-MAX_YEARS - 1..=MAX_YEARS + 1).contains(&year)
            || day == 0
            || day > days_in_month(year, month)?
        {
            return None;
        }
        // Hinnant, "chrono-Compatible Low-Level Date Algorithms": years counted
        // from March, in 400-year eras of 146,097 days.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Self(era * 146_097 + doe - 719_468))
    }

    /// The day of a chrono date.
    #[must_use]
    pub fn from_date(date: NaiveDate) -> Self {
        // Every chrono date is a day mapline holds.
        Self::from_ymd(i64::from(date.year()), date.month(), date.day()).unwrap_or(Self(0))
    }

    /// Year (astronomical), month and day of this day.
    #[must_use]
    pub fn civil(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// This day as a chrono date (`None` beyond chrono's ±262,000 years).
    #[must_use]
    pub fn to_date(self) -> Option<NaiveDate> {
        let (y, m, d) = self.civil();
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }

    /// ISO 8601 `YYYY-MM-DD` (a year past four digits written in full,
    /// as ISO 8601's expanded form does).
    #[must_use]
    pub fn iso(self) -> String {
        let (y, m, d) = self.civil();
        if y < 0 {
            format!("-{:04}-{m:02}-{d:02}", y.unsigned_abs())
        } else {
            format!("{y:04}-{m:02}-{d:02}")
        }
    }

    /// The calendar year this day falls in (astronomical).
    #[must_use]
    pub fn year(self) -> i64 {
        self.civil().0
    }

    /// The day a point of time falls in (days since 1970 as an `f64`, as the
    /// time axis holds them), clamped to the days mapline holds; NaN is day 0.
    #[must_use]
    pub fn at(t: f64) -> Self {
        let most = MAX_YEARS as f64 * 366.0;
        Self(if t.is_nan() {
            0
        } else {
            t.floor().clamp(-most, most) as i64
        })
    }

    /// This day as a point of time on the axis.
    #[must_use]
    pub fn as_f64(self) -> f64 {
        self.0 as f64
    }

    /// The day as a short label: ISO 8601 (`2022-07-15`, `-0043-03-15`)
    /// within ±9999 years, where a day means something; beyond, its year in
    /// words (`12,000 BCE`, `65 million years ago`).
    #[must_use]
    pub fn label(self) -> String {
        let year = self.year();
        if (-9999..=9999).contains(&year) {
            self.iso()
        } else {
            year_words(year)
        }
    }

    /// The day as EDTF: the day (`2022-07-15`) within ±9999 years, the year
    /// alone in EDTF's long form beyond (`Y-13800000000`: EDTF's long years
    /// take no month or day).
    #[must_use]
    pub fn edtf(self) -> String {
        let year = self.year();
        if (-9999..=9999).contains(&year) {
            self.iso()
        } else {
            format!("Y{year}")
        }
    }

    /// The first day of `year`, clamped to the years mapline holds.
    #[must_use]
    pub fn first_of_year(year: i64) -> Self {
        Self::from_ymd(year.clamp(-MAX_YEARS, MAX_YEARS), 1, 1).unwrap_or(Self(0))
    }
}

/// How finely one date (one end of an interval) is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DatePrecision {
    /// A calendar day, `2022-07-15`.
    Day,
    /// A month, `2022-07`.
    Month,
    /// A season or quarter (EDTF sub-year groupings, `2022-21`).
    Season,
    /// A year, `2022`.
    Year,
    /// A decade, `199X`.
    Decade,
    /// A century, `19XX`.
    Century,
    /// A year given to some significant digits (ISO 8601-2's `S`: `1950S2`,
    /// `Y-138E8S3`): an estimate whose bounds are the years those digits
    /// allow, not one exact year.
    Significant,
}

impl DatePrecision {
    /// The lower-case word used in JSON and on screen.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Season => "season",
            Self::Year => "year",
            Self::Decade => "decade",
            Self::Century => "century",
            Self::Significant => "significant digits",
        }
    }
}

/// How precisely a [`FuzzyTime`] is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// A single date of this precision.
    Date(DatePrecision),
    /// An interval; each end has its own precision, `None` for an open or
    /// unknown end.
    Interval {
        /// Precision of the start, `None` when open (`../2012`).
        start: Option<DatePrecision>,
        /// Precision of the end, `None` when open (`2022-09/..`).
        end: Option<DatePrecision>,
    },
}

impl Precision {
    /// `day`, `month`, `season`, `year`, `decade`, `century` or `interval`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Date(p) => p.as_str(),
            Self::Interval { .. } => "interval",
        }
    }
}

/// Why an EDTF string was not accepted as a [`FuzzyTime`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {})", offset + 1)]
pub struct TimeError {
    /// What was expected.
    pub message: String,
    /// Byte offset into the EDTF text where the problem is.
    pub offset: usize,
}

impl TimeError {
    fn new(message: impl Into<String>, offset: usize) -> Self {
        Self {
            message: message.into(),
            offset,
        }
    }
}

/// A date or interval as precise as its source, and no more.
///
/// ```
/// use mapline::model::time::{FuzzyTime, Day};
/// let t = FuzzyTime::parse("199X").unwrap();
/// assert_eq!(t.earliest(), Day::from_ymd(1990, 1, 1));
/// assert_eq!(t.latest(), Day::from_ymd(1999, 12, 31));
/// assert_eq!(t.display(), "the 1990s");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuzzyTime {
    edtf: Box<str>,
    bounds: TimeBounds,
}

/// What a [`FuzzyTime`] means without its text: its earliest and latest day,
/// its precision and its marks, in 16 bytes (a million events' times are
/// held as a column of these, their texts in an arena).
///
/// Each end is one `i64`: the day in its upper 56 bits (days reach ±3.7·10¹⁴
/// in a trillion years, far inside ±2⁵⁵), and in its low byte the precision
/// and marks (see [`TimeBounds::pack`]). An open start is the day
/// [`OPEN_START`], an open end [`OPEN_END`]: beyond every day, so comparing
/// days needs no test for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeBounds {
    /// The earliest day `<< 8`, and in the low byte: bit 7 set for an
    /// interval, bits 0–2 the precision of the date or of the start.
    lo: i64,
    /// The latest day `<< 8`, and in the low byte: bits 0–2 the precision
    /// of an interval's end, bit 3 approximate, bit 4 uncertain.
    hi: i64,
}

/// [`TimeBounds`] in 12 bytes, for a time whose known days fit an `i32`
/// (within about ±5.8 million years of 1970): how the event store holds
/// its column of times while every time fits, which is almost always.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NarrowBounds {
    /// The earliest day (`i32::MIN`: an open start).
    lo: i32,
    /// The latest day (`i32::MAX`: an open end).
    hi: i32,
    /// The low bytes of [`TimeBounds`]'s two ends.
    marks: [u8; 2],
}

impl NarrowBounds {
    /// The bounds at full width.
    pub(crate) fn widen(self) -> TimeBounds {
        let day = |d: i32, narrow_open: i32, open: i64| {
            if d == narrow_open { open } else { i64::from(d) }
        };
        TimeBounds {
            lo: (day(self.lo, i32::MIN, OPEN_START) << 8) | i64::from(self.marks[0]),
            hi: (day(self.hi, i32::MAX, OPEN_END) << 8) | i64::from(self.marks[1]),
        }
    }
}

impl TimeBounds {
    /// In 12 bytes, when its known days fit an `i32` (see [`NarrowBounds`]).
    pub(crate) fn narrow(&self) -> Option<NarrowBounds> {
        let day = |d: i64, open: i64, narrow_open: i32| {
            if d == open {
                Some(narrow_open)
            } else {
                i32::try_from(d)
                    .ok()
                    .filter(|&d| d != i32::MIN && d != i32::MAX)
            }
        };
        Some(NarrowBounds {
            lo: day(self.lo_day(), OPEN_START, i32::MIN)?,
            hi: day(self.hi_day(), OPEN_END, i32::MAX)?,
            marks: [(self.lo & 0xFF) as u8, (self.hi & 0xFF) as u8],
        })
    }
}

/// The day an open start is held as: before every day mapline holds.
const OPEN_START: i64 = -(1 << 55);
/// The day an open end is held as: after every day mapline holds.
const OPEN_END: i64 = (1 << 55) - 1;

/// A precision (or none, for an open end) as three bits.
fn precision_code(p: Option<DatePrecision>) -> i64 {
    match p {
        Some(DatePrecision::Day) => 0,
        Some(DatePrecision::Month) => 1,
        Some(DatePrecision::Season) => 2,
        Some(DatePrecision::Year) => 3,
        Some(DatePrecision::Decade) => 4,
        Some(DatePrecision::Century) => 5,
        Some(DatePrecision::Significant) => 6,
        None => 7,
    }
}

/// The precision of three bits (see [`precision_code`]).
fn precision_of_code(code: i64) -> Option<DatePrecision> {
    Some(match code & 7 {
        0 => DatePrecision::Day,
        1 => DatePrecision::Month,
        2 => DatePrecision::Season,
        3 => DatePrecision::Year,
        4 => DatePrecision::Decade,
        5 => DatePrecision::Century,
        6 => DatePrecision::Significant,
        _ => return None,
    })
}

/// A [`FuzzyTime`] borrowed from where it is stored: its text and bounds.
/// A store keeps no text for a time its bounds spell exactly
/// ([`TimeBounds::canonical_edtf`]); such a time carries its text inline.
#[derive(Clone, Copy, Debug)]
pub struct TimeRef<'a> {
    edtf: EdtfText<'a>,
    bounds: TimeBounds,
}

/// The EDTF text of a [`TimeRef`]: borrowed, or spelled from the bounds.
#[derive(Clone, Copy, Debug)]
enum EdtfText<'a> {
    Borrowed(&'a str),
    Inline(InlineEdtf),
}

/// An EDTF text of at most 23 bytes (`-9999-12-31/-9999-12-31` is the
/// longest a [`TimeBounds`] spells), held without an allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlineEdtf {
    len: u8,
    bytes: [u8; 23],
}

impl InlineEdtf {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Write for InlineEdtf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let at = usize::from(self.len);
        let end = at + s.len();
        self.bytes
            .get_mut(at..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = u8::try_from(end).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

impl PartialEq for TimeRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bounds == other.bounds && self.edtf() == other.edtf()
    }
}

impl Eq for TimeRef<'_> {}

impl std::hash::Hash for TimeRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.edtf().hash(state);
        self.bounds.hash(state);
    }
}

/// Years outside this range are rejected: a trillion years either way (see
/// [`MAX_YEARS`]).
pub const YEAR_RANGE: std::ops::RangeInclusive<i64> = -MAX_YEARS..=MAX_YEARS;

impl FuzzyTime {
    /// Parses an EDTF string: `2022-07-15`, `2022-07`, `2022`, `199X`,
    /// `1980/2003`, `../2012`, `2022-09/..`, `2022-07-15~`, `2022?`.
    ///
    /// # Errors
    /// A [`TimeError`] saying what was expected and where, for text that is
    /// not EDTF, impossible days (`2022-02-30`), years beyond ±9999,
    /// intervals ending before they start, and EDTF sets (not supported).
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        Ok(Self {
            edtf: text.into(),
            bounds: TimeBounds::parse(text)?,
        })
    }

    /// A single known day.
    #[must_use]
    pub fn day(day: Day) -> Self {
        Self {
            edtf: day.iso().into(),
            bounds: TimeBounds::day(day),
        }
    }

    /// The time from its parts (its text must be what `bounds` was parsed from).
    #[must_use]
    pub(crate) fn from_parts(edtf: &str, bounds: TimeBounds) -> Self {
        Self {
            edtf: edtf.into(),
            bounds,
        }
    }

    /// The EDTF text as written.
    #[must_use]
    pub fn edtf(&self) -> &str {
        &self.edtf
    }

    /// What it means, without its text.
    #[must_use]
    pub fn bounds(&self) -> TimeBounds {
        self.bounds
    }

    /// Borrowed: its text and bounds.
    #[must_use]
    pub fn as_ref(&self) -> TimeRef<'_> {
        TimeRef {
            edtf: EdtfText::Borrowed(&self.edtf),
            bounds: self.bounds,
        }
    }

    /// The time in words, as a source would say it: "July 15, 2022",
    /// "September 2022", "2022", "the 1990s", "from September 2022",
    /// "until 2012", "the 1960s – 1979"; "about …" for `~`, "… (uncertain)" for `?`.
    #[must_use]
    pub fn display(&self) -> String {
        self.as_ref().display()
    }
}

impl std::ops::Deref for FuzzyTime {
    type Target = TimeBounds;
    fn deref(&self) -> &TimeBounds {
        &self.bounds
    }
}

impl<'a> TimeRef<'a> {
    /// A time stored as its text and its bounds (parsed from that text).
    #[must_use]
    pub(crate) fn new(edtf: &'a str, bounds: TimeBounds) -> Self {
        Self {
            edtf: EdtfText::Borrowed(edtf),
            bounds,
        }
    }

    /// A time whose text is the one its bounds spell.
    pub(crate) fn spelled(text: InlineEdtf, bounds: TimeBounds) -> Self {
        Self {
            edtf: EdtfText::Inline(text),
            bounds,
        }
    }

    /// The EDTF text as written.
    #[must_use]
    pub fn edtf(&self) -> &str {
        match &self.edtf {
            EdtfText::Borrowed(s) => s,
            EdtfText::Inline(t) => t.as_str(),
        }
    }

    /// What it means, without its text.
    #[must_use]
    pub fn bounds(self) -> TimeBounds {
        self.bounds
    }

    /// An owned copy.
    #[must_use]
    pub fn to_fuzzy(self) -> FuzzyTime {
        FuzzyTime::from_parts(self.edtf(), self.bounds)
    }

    /// The time in words: see [`FuzzyTime::display`].
    #[must_use]
    pub fn display(self) -> String {
        let edtf = self.edtf();
        let text = match Edtf::parse(edtf) {
            Ok(Edtf::Date(d)) => describe_date(&d),
            Ok(Edtf::DateTime(dt)) => describe_date(&dt.date),
            Ok(Edtf::Interval(iv)) => match (endpoint_date(&iv.start), endpoint_date(&iv.end)) {
                (Some(a), Some(b)) => format!("{} – {}", describe_date(a), describe_date(b)),
                (None, Some(b)) => format!("until {}", describe_date(b)),
                (Some(a), None) => format!("from {}", describe_date(a)),
                (None, None) => edtf.to_string(),
            },
            _ => edtf.to_string(),
        };
        let text = if self.bounds.is_approximate() {
            format!("about {text}")
        } else {
            text
        };
        if self.bounds.is_uncertain() {
            format!("{text} (uncertain)")
        } else {
            text
        }
    }
}

impl std::ops::Deref for TimeRef<'_> {
    type Target = TimeBounds;
    fn deref(&self) -> &TimeBounds {
        &self.bounds
    }
}

impl PartialEq<FuzzyTime> for TimeRef<'_> {
    fn eq(&self, other: &FuzzyTime) -> bool {
        *self == other.as_ref()
    }
}

impl TimeBounds {
    /// The bounds of an EDTF string (see [`FuzzyTime::parse`]).
    ///
    /// # Errors
    /// As [`FuzzyTime::parse`].
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        match plain_date(text) {
            Some(plain) => plain
                .bounds()
                .ok_or(())
                .or_else(|()| Self::parse_edtf(text)),
            None => Self::parse_edtf(text),
        }
    }

    /// [`Self::parse`] by the EDTF parser, whatever the form.
    fn parse_edtf(text: &str) -> Result<Self, TimeError> {
        let edtf = Edtf::parse(text).map_err(|e| {
            // EDTF has no interval of date-times; say so rather than what the
            // parser stumbled on, and keep the hours somewhere.
            if let Some(slash) = text.find('/')
                && text.contains('T')
            {
                let t = text.find('T').unwrap_or(0);
                return TimeError::new(
                    format!(
                        "an EDTF interval takes dates, not times of day: write the days ({}/{}) and put the hours in `time_note`",
                        text[..slash].split('T').next().unwrap_or_default(),
                        text[slash + 1..].split('T').next().unwrap_or_default()
                    ),
                    t,
                );
            }
            TimeError::new(e.message, e.offset)
        })?;
        let (precision, approximate, uncertain) = match &edtf {
            Edtf::Date(d) => (
                Precision::Date(date_precision(d)),
                d.is_approximate(),
                d.is_uncertain(),
            ),
            Edtf::DateTime(dt) => (
                Precision::Date(DatePrecision::Day),
                dt.date.is_approximate(),
                dt.date.is_uncertain(),
            ),
            Edtf::Interval(iv) => (
                Precision::Interval {
                    start: endpoint_precision(&iv.start),
                    end: endpoint_precision(&iv.end),
                },
                edtf.is_approximate(),
                edtf.is_uncertain(),
            ),
            Edtf::Set(_) => {
                return Err(TimeError::new(
                    "EDTF sets ([..] or {..}) are not supported; use an interval",
                    0,
                ));
            }
        };
        let bounds = edtf.bounds();
        let earliest = bound_day(bounds.earliest, text)?;
        let latest = bound_day(bounds.latest, text)?;
        if let (Some(a), Some(b)) = (earliest, latest)
            && a > b
        {
            let slash = text.find('/').unwrap_or(0);
            return Err(TimeError::new(
                format!("interval ends ({}) before it starts ({})", b.iso(), a.iso()),
                slash + 1,
            ));
        }
        if earliest.is_none() && latest.is_none() {
            return Err(TimeError::new("interval needs at least one known end", 0));
        }
        Ok(Self::pack(
            earliest,
            latest,
            precision,
            (approximate, uncertain),
        ))
    }

    /// A single known day.
    #[must_use]
    pub fn day(day: Day) -> Self {
        Self::pack(
            Some(day),
            Some(day),
            Precision::Date(DatePrecision::Day),
            (false, false),
        )
    }

    /// Bounds from their parts: the earliest and latest day (`None` for an
    /// open end; days within the trillion years mapline holds), the
    /// precision, and whether it is marked approximate and uncertain.
    #[must_use]
    pub fn pack(
        earliest: Option<Day>,
        latest: Option<Day>,
        precision: Precision,
        (approximate, uncertain): (bool, bool),
    ) -> Self {
        let bound = MAX_YEARS * 367;
        let day = |d: Option<Day>, open: i64| d.map_or(open, |d| d.0.clamp(-bound, bound));
        let (interval, start, end) = match precision {
            Precision::Date(p) => (0, Some(p), Some(p)),
            Precision::Interval { start, end } => (0x80, start, end),
        };
        Self {
            lo: (day(earliest, OPEN_START) << 8) | interval | precision_code(start),
            hi: (day(latest, OPEN_END) << 8)
                | precision_code(end)
                | (i64::from(approximate) << 3)
                | (i64::from(uncertain) << 4),
        }
    }

    /// The earliest day as held (an open start is [`OPEN_START`]).
    fn lo_day(&self) -> i64 {
        self.lo >> 8
    }

    /// The latest day as held (an open end is [`OPEN_END`]).
    fn hi_day(&self) -> i64 {
        self.hi >> 8
    }

    /// The EDTF text these bounds spell when it is the plain form of a day,
    /// month, year, decade or century (years 0 to 9999), or an interval of
    /// two such with known ends, unmarked: `2022-07-15`, `2022-07`, `2022`,
    /// `199X`, `19XX`, `1980/2003-05`. `None` for any other time (seasons,
    /// marks, open ends, years before 0): its text is kept as written.
    ///
    /// A store keeps no text for a time whose text is this spelling.
    ///
    /// ```
    /// use mapline::model::time::FuzzyTime;
    /// for text in ["2022-07-15", "2022-07", "2022", "199X", "19XX", "1980/2003-05"] {
    ///     let t = FuzzyTime::parse(text).unwrap();
    ///     assert_eq!(t.canonical_edtf().unwrap().as_str(), text);
    /// }
    /// assert!(FuzzyTime::parse("2022~").unwrap().canonical_edtf().is_none());
    /// ```
    #[must_use]
    pub fn canonical_edtf(&self) -> Option<InlineEdtf> {
        use fmt::Write as _;
        if self.is_approximate() || self.is_uncertain() {
            return None;
        }
        let mut out = InlineEdtf::default();
        let spell = |out: &mut InlineEdtf, day: Day, p: DatePrecision, start: bool| {
            let (y, m, d) = day.civil();
            if !(0..=9999).contains(&y) {
                return None;
            }
            // The spelling must also be where that precision puts the bound.
            let at_start = match p {
                DatePrecision::Day => true,
                DatePrecision::Month => d == 1,
                DatePrecision::Year | DatePrecision::Decade | DatePrecision::Century => {
                    m == 1 && d == 1
                }
                DatePrecision::Season | DatePrecision::Significant => return None,
            };
            if start && !at_start {
                return None;
            }
            match p {
                DatePrecision::Day => write!(out, "{y:04}-{m:02}-{d:02}"),
                DatePrecision::Month => write!(out, "{y:04}-{m:02}"),
                DatePrecision::Year => write!(out, "{y:04}"),
                DatePrecision::Decade => write!(out, "{:03}X", y / 10),
                DatePrecision::Century => write!(out, "{:02}XX", y / 100),
                DatePrecision::Season | DatePrecision::Significant => return None,
            }
            .ok()
        };
        match self.precision() {
            Precision::Date(p) => spell(&mut out, self.earliest()?, p, true)?,
            Precision::Interval {
                start: Some(a),
                end: Some(b),
            } => {
                spell(&mut out, self.earliest()?, a, true)?;
                out.write_char('/').ok()?;
                spell(&mut out, self.latest()?, b, false)?;
            }
            Precision::Interval { .. } => return None,
        }
        Some(out)
    }

    /// The first day this time may cover; `None` for an open start.
    #[must_use]
    pub fn earliest(&self) -> Option<Day> {
        let day = self.lo_day();
        (day != OPEN_START).then_some(Day(day))
    }

    /// The last day this time may cover; `None` for an open end.
    #[must_use]
    pub fn latest(&self) -> Option<Day> {
        let day = self.hi_day();
        (day != OPEN_END).then_some(Day(day))
    }

    /// How precisely this time is known.
    #[must_use]
    pub fn precision(&self) -> Precision {
        if self.lo & 0x80 == 0 {
            Precision::Date(precision_of_code(self.lo).unwrap_or(DatePrecision::Day))
        } else {
            Precision::Interval {
                start: precision_of_code(self.lo),
                end: precision_of_code(self.hi),
            }
        }
    }

    /// Marked approximate (`~`) anywhere.
    #[must_use]
    pub fn is_approximate(&self) -> bool {
        self.hi & (1 << 3) != 0
    }

    /// Marked uncertain (`?`) anywhere.
    #[must_use]
    pub fn is_uncertain(&self) -> bool {
        self.hi & (1 << 4) != 0
    }

    /// A single calendar day, known to the day.
    #[must_use]
    pub fn is_single_day(&self) -> bool {
        self.earliest().is_some() && self.lo_day() == self.hi_day()
    }

    /// The earliest day, or the latest for an open start: where the time sits
    /// when one point is needed (sorting, a mark's anchor).
    #[must_use]
    pub fn anchor(&self) -> Day {
        self.earliest().or(self.latest()).unwrap_or(Day(0))
    }

    /// Does any part of this time fall in `window`? Open ends reach forever
    /// (an open start and end are held beyond every day: no test is needed).
    ///
    /// ```
    /// use mapline::model::time::{FuzzyTime, TimeWindow, Day};
    /// let w = TimeWindow::new(Day::from_ymd(1995, 1, 1).unwrap(), Day::from_ymd(2005, 12, 31).unwrap());
    /// assert!(FuzzyTime::parse("199X").unwrap().overlaps(&w));
    /// assert!(!FuzzyTime::parse("199X").unwrap().lies_inside(&w));
    /// ```
    #[must_use]
    pub fn overlaps(&self, window: &TimeWindow) -> bool {
        self.lo_day() <= window.end.0 && self.hi_day() >= window.start.0
    }

    /// Does all of this time fall in `window`? An open end never does.
    #[must_use]
    pub fn lies_inside(&self, window: &TimeWindow) -> bool {
        matches!((self.earliest(), self.latest()), (Some(e), Some(l)) if e >= window.start && l <= window.end)
    }

    /// Order by earliest (open start first), then latest (open end last).
    #[must_use]
    pub fn cmp_bounds(&self, other: &Self) -> Ordering {
        self.bounds_key().cmp(&other.bounds_key())
    }

    /// The key [`Self::cmp_bounds`] orders by: earliest day (open: lowest),
    /// then latest (open: highest).
    #[must_use]
    pub fn bounds_key(&self) -> (i64, i64) {
        (
            self.earliest().map_or(i64::MIN, |d| d.0),
            self.latest().map_or(i64::MAX, |d| d.0),
        )
    }
}

impl fmt::Display for FuzzyTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.edtf)
    }
}

impl fmt::Display for TimeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.edtf())
    }
}

/// A closed range of days `[start, end]`: the time window the user looks at.
///
/// Invariant: `start <= end` (the constructor swaps them otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    /// First day in the window.
    pub start: Day,
    /// Last day in the window (inclusive).
    pub end: Day,
}

impl TimeWindow {
    /// A window from `start` to `end` inclusive, in either order.
    #[must_use]
    pub fn new(start: Day, end: Day) -> Self {
        if start <= end {
            Self { start, end }
        } else {
            Self {
                start: end,
                end: start,
            }
        }
    }

    /// The window that covers all of `time` (open ends clamp to `fallback`).
    #[must_use]
    pub fn covering(time: &TimeBounds, fallback: Self) -> Self {
        Self::new(
            time.earliest().unwrap_or(fallback.start),
            time.latest().unwrap_or(fallback.end),
        )
    }

    /// Number of days in the window.
    #[must_use]
    pub fn len_days(&self) -> i64 {
        self.end.0 - self.start.0 + 1
    }
}

/// Which events count as "in the window".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WindowRule {
    /// Any part of the event's time falls in the window (the default).
    #[default]
    Overlaps,
    /// All of the event's time falls in the window.
    Inside,
}

impl WindowRule {
    /// Does `time` count as in `window` under this rule?
    #[must_use]
    pub fn admits(self, time: &TimeBounds, window: &TimeWindow) -> bool {
        match self {
            Self::Overlaps => time.overlaps(window),
            Self::Inside => time.lies_inside(window),
        }
    }
}

fn date_precision(d: &edtf_core::Date) -> DatePrecision {
    match d.precision() {
        edtf_core::Precision::Day => DatePrecision::Day,
        edtf_core::Precision::Month => DatePrecision::Month,
        edtf_core::Precision::Season => DatePrecision::Season,
        edtf_core::Precision::Year if d.year.significant_digits.is_some() => {
            DatePrecision::Significant
        }
        edtf_core::Precision::Year => match d.year.kind {
            YearKind::Standard { digits, .. } => match digits {
                [_, _, None, None] => DatePrecision::Century,
                [_, _, _, None] => DatePrecision::Decade,
                _ => DatePrecision::Year,
            },
            _ => DatePrecision::Year,
        },
    }
}

fn endpoint_date(e: &IntervalEndpoint) -> Option<&edtf_core::Date> {
    match e {
        IntervalEndpoint::Date(d)
        | IntervalEndpoint::OnOrBefore(d)
        | IntervalEndpoint::OnOrAfter(d) => Some(d),
        IntervalEndpoint::Open | IntervalEndpoint::Unknown => None,
    }
}

fn endpoint_precision(e: &IntervalEndpoint) -> Option<DatePrecision> {
    endpoint_date(e).map(date_precision)
}

fn bound_day(bound: Bound, text: &str) -> Result<Option<Day>, TimeError> {
    match bound {
        Bound::Date(b) => {
            if !YEAR_RANGE.contains(&b.year) {
                return Err(TimeError::new(
                    format!(
                        "year {} is beyond the years mapline holds (a trillion years either way)",
                        b.year
                    ),
                    0,
                ));
            }
            Day::from_ymd(b.year, u32::from(b.month), u32::from(b.day))
                .map(Some)
                .ok_or_else(|| TimeError::new(format!("no such day in {text}"), 0))
        }
        Bound::NegativeInfinity | Bound::PositiveInfinity | Bound::Unknown => Ok(None),
    }
}

/// A day, month or year written in its plain form (`2022-07-15`, `2022-07`,
/// `2022`), which most times are: read without the EDTF parser, and spelled
/// back by [`TimeBounds::canonical_edtf`] exactly as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlainDate {
    year: i64,
    month: Option<u32>,
    day: Option<u32>,
}

/// `text` as a [`PlainDate`] when it has that form: four digits, then
/// optionally `-` and a month `01`–`12`, then optionally `-` and two digits.
pub(crate) fn plain_date(text: &str) -> Option<PlainDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    let year = i64::from(digits(0..4)?);
    let (month, day) = match b.len() {
        4 => (None, None),
        7 if b[4] == b'-' => (Some(digits(5..7)?), None),
        10 if b[4] == b'-' && b[7] == b'-' => (Some(digits(5..7)?), Some(digits(8..10)?)),
        _ => return None,
    };
    // Months past 12 are EDTF's seasons, for the parser.
    if month.is_some_and(|m| !(1..=12).contains(&m)) {
        return None;
    }
    Some(PlainDate { year, month, day })
}

impl PlainDate {
    /// Its bounds, as the EDTF parser gives them; `None` for a day the
    /// month does not have (the parser says why).
    fn bounds(self) -> Option<TimeBounds> {
        let (first, last, precision) = match (self.month, self.day) {
            (None, _) => (
                Day::from_ymd(self.year, 1, 1)?,
                Day::from_ymd(self.year, 12, 31)?,
                DatePrecision::Year,
            ),
            (Some(m), None) => {
                let first = Day::from_ymd(self.year, m, 1)?;
                let next = if m == 12 {
                    Day::from_ymd(self.year + 1, 1, 1)?
                } else {
                    Day::from_ymd(self.year, m + 1, 1)?
                };
                (first, Day(next.0 - 1), DatePrecision::Month)
            }
            (Some(m), Some(d)) => {
                let day = Day::from_ymd(self.year, m, d)?;
                (day, day, DatePrecision::Day)
            }
        };
        Some(TimeBounds::pack(
            Some(first),
            Some(last),
            Precision::Date(precision),
            (false, false),
        ))
    }
}

/// The months' English names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn describe_year(d: &edtf_core::Date) -> String {
    let value = d.year.value();
    if let (Some(digits), Some(y)) = (d.year.significant_digits, value) {
        let plural = if digits == 1 { "" } else { "s" };
        return format!(
            "about {} ({digits} significant digit{plural})",
            year_words(y)
        );
    }
    match (date_precision(d), d.year.kind) {
        (DatePrecision::Decade, YearKind::Standard { digits, negative }) => {
            let decade: i64 = digits[..3]
                .iter()
                .fold(0, |acc, x| acc * 10 + i64::from(x.unwrap_or(0)))
                * 10;
            if negative {
                format!("the {decade}s BCE")
            } else {
                format!("the {decade}s")
            }
        }
        (DatePrecision::Century, YearKind::Standard { digits, negative }) => {
            let century =
                i64::from(digits[0].unwrap_or(0)) * 10 + i64::from(digits[1].unwrap_or(0)) + 1;
            let suffix = match century % 10 {
                1 if century % 100 != 11 => "st",
                2 if century % 100 != 12 => "nd",
                3 if century % 100 != 13 => "rd",
                _ => "th",
            };
            let era = if negative { " BCE" } else { "" };
            format!("the {century}{suffix} century{era}")
        }
        _ => value.map_or_else(|| "an unknown year".to_owned(), year_words),
    }
}

/// The astronomical year from which years are said as "… years ago":
/// `-99_999` (100,000 BCE) is the last year said with BCE, as `TimelineJS3`
/// switches to its cosmological scale there.
pub const YEARS_AGO_FROM: i64 = -100_000;

/// A year as people write it, from a day in history to deep time:
/// `1990`, `44 BCE`, `12,000 BCE`, then `250,000 years ago`, `65 million
/// years ago`, `13.8 billion years ago` (astronomical year 0 is 1 BCE). "Ago"
/// counts back from year 0, as `TimelineJS3`'s cosmological scale does: the
/// two thousand years since are under 2% of any year said that way.
///
/// ```
/// use mapline::model::time::year_words;
/// assert_eq!(year_words(2022), "2022");
/// assert_eq!(year_words(-43), "44 BCE");
/// assert_eq!(year_words(-11_999), "12,000 BCE");
/// assert_eq!(year_words(-65_000_000), "65 million years ago");
/// assert_eq!(year_words(-13_800_000_000), "13.8 billion years ago");
/// assert_eq!(year_words(-13_799_999_999), "13,799,999,999 years ago");
/// ```
#[must_use]
pub fn year_words(year: i64) -> String {
    if year > 0 {
        if year < 100_000 {
            grouped(year.unsigned_abs(), year >= 10_000)
        } else {
            format!("{} CE", scaled(year.unsigned_abs()))
        }
    } else if year > YEARS_AGO_FROM {
        let bce = (1 - year).unsigned_abs();
        format!("{} BCE", grouped(bce, bce >= 10_000))
    } else {
        format!("{} years ago", scaled(year.unsigned_abs()))
    }
}

/// `n` in words for deep time: `250,000`, `65 million`, `13.8 billion`; in
/// full digits when a scale word would round it (`13,799,999,999`).
fn scaled(n: u64) -> String {
    for (unit, word) in [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
    ] {
        if n >= unit && n.is_multiple_of(unit / 1000) {
            let whole = n / unit;
            let thousandths = (n % unit) / (unit / 1000);
            let fraction = format!("{thousandths:03}");
            let fraction = fraction.trim_end_matches('0');
            return if fraction.is_empty() {
                format!("{} {word}", grouped(whole, true))
            } else {
                format!("{}.{fraction} {word}", grouped(whole, true))
            };
        }
    }
    grouped(n, true)
}

/// `n` with thousands separators when `group` (`12,000`), else plain.
pub(crate) fn grouped(n: u64, group: bool) -> String {
    let digits = n.to_string();
    if !group {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn describe_date(d: &edtf_core::Date) -> String {
    let year = describe_year(d);
    let month = d.month.and_then(edtf_core::DateField::value);
    let day = d.day.and_then(edtf_core::DateField::value);
    match (month, day) {
        (Some(m @ 1..=12), Some(day)) => format!("{} {day}, {year}", MONTHS[usize::from(m - 1)]),
        (Some(m @ 1..=12), None) => format!("{} {year}", MONTHS[usize::from(m - 1)]),
        (Some(21 | 25 | 29 | 33), None) => format!("spring {year}"),
        (Some(22 | 26 | 30 | 34), None) => format!("summer {year}"),
        (Some(23 | 27 | 31 | 35), None) => format!("autumn {year}"),
        (Some(24 | 28 | 32 | 36), None) => format!("winter {year}"),
        (Some(37..=40), None) => format!("quarter {} of {year}", month.unwrap_or(37) - 36),
        _ => year,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn plain_dates_read_as_the_edtf_parser_reads_them() {
        let mut texts = Vec::new();
        for year in [
            "0000", "0001", "0004", "0100", "0400", "1900", "1960", "1999", "2000", "2022", "2024",
            "9999",
        ] {
            texts.push(year.to_owned());
            for month in (0..=14).chain([21, 24, 41, 99]) {
                texts.push(format!("{year}-{month:02}"));
                for day in 0..=32 {
                    texts.push(format!("{year}-{month:02}-{day:02}"));
                }
            }
        }
        let mut plain = 0;
        for text in &texts {
            let full = TimeBounds::parse_edtf(text);
            let fast = TimeBounds::parse(text);
            match (&fast, &full) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => assert_eq!(a.message, b.message, "{text}"),
                _ => panic!("{text}: {fast:?} but the EDTF parser gives {full:?}"),
            }
            if let (Some(_), Ok(b)) = (plain_date(text), &fast) {
                plain += 1;
                assert_eq!(b.canonical_edtf().unwrap().as_str(), text);
            }
        }
        assert!(plain > 4000, "{plain}");
        // Not plain: left to the parser.
        for text in [
            "2022~",
            "2022?",
            "-0652",
            "20222",
            "2022-7",
            "2022-07-1",
            "199X",
            "2022-21",
        ] {
            assert!(plain_date(text).is_none(), "{text}");
        }
    }

    fn t(s: &str) -> FuzzyTime {
        FuzzyTime::parse(s).unwrap()
    }
    fn d(y: i64, m: u32, day: u32) -> Day {
        Day::from_ymd(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_form_with_its_bounds_and_precision() {
        let cases: &[(&str, Option<Day>, Option<Day>, &str)] = &[
            (
                "2022-07-15",
                Some(d(2022, 7, 15)),
                Some(d(2022, 7, 15)),
                "day",
            ),
            (
                "2022-07",
                Some(d(2022, 7, 1)),
                Some(d(2022, 7, 31)),
                "month",
            ),
            (
                "2022-02",
                Some(d(2022, 2, 1)),
                Some(d(2022, 2, 28)),
                "month",
            ),
            (
                "2020-02",
                Some(d(2020, 2, 1)),
                Some(d(2020, 2, 29)),
                "month",
            ),
            ("2022", Some(d(2022, 1, 1)), Some(d(2022, 12, 31)), "year"),
            ("199X", Some(d(1990, 1, 1)), Some(d(1999, 12, 31)), "decade"),
            (
                "19XX",
                Some(d(1900, 1, 1)),
                Some(d(1999, 12, 31)),
                "century",
            ),
            (
                "1980/2003",
                Some(d(1980, 1, 1)),
                Some(d(2003, 12, 31)),
                "interval",
            ),
            (
                "198X/2003",
                Some(d(1980, 1, 1)),
                Some(d(2003, 12, 31)),
                "interval",
            ),
            ("../2012", None, Some(d(2012, 12, 31)), "interval"),
            ("2022-09/..", Some(d(2022, 9, 1)), None, "interval"),
            (
                "2022-07-15~",
                Some(d(2022, 7, 15)),
                Some(d(2022, 7, 15)),
                "day",
            ),
            ("2022?", Some(d(2022, 1, 1)), Some(d(2022, 12, 31)), "year"),
            (
                "2022-07-15/2022-09-07",
                Some(d(2022, 7, 15)),
                Some(d(2022, 9, 7)),
                "interval",
            ),
        ];
        for (text, earliest, latest, precision) in cases {
            let time = t(text);
            assert_eq!(time.earliest(), *earliest, "earliest of {text}");
            assert_eq!(time.latest(), *latest, "latest of {text}");
            assert_eq!(time.precision().as_str(), *precision, "precision of {text}");
            assert_eq!(time.edtf(), *text);
        }
        assert!(t("2022-07-15~").is_approximate());
        assert!(!t("2022-07-15~").is_uncertain());
        assert!(t("2022?").is_uncertain());
        assert_eq!(
            t("196X/1979").precision(),
            Precision::Interval {
                start: Some(DatePrecision::Decade),
                end: Some(DatePrecision::Year)
            }
        );
        assert_eq!(
            t("2022-09/..").precision(),
            Precision::Interval {
                start: Some(DatePrecision::Month),
                end: None
            }
        );
    }

    #[test]
    fn rejects_what_is_not_a_real_time() {
        for (text, expected) in [
            ("2022-02-30", "day is out of range for the month"),
            ("2022-13", "month must be 01-12"),
            ("July 2022", "whitespace is not allowed"),
            ("2022–07", "EDTF permits ASCII characters only"),
            ("", "empty input"),
            ("2005/1995", "interval end precedes interval start"),
            ("99999", "expected '-' before month"),
            (
                "Y9999999999999",
                "year 9999999999999 is beyond the years mapline holds (a trillion years either way)",
            ),
            ("../..", "interval needs at least one dated endpoint"),
            ("{2020,2021}", "EDTF sets"),
        ] {
            let err = FuzzyTime::parse(text).unwrap_err();
            assert!(
                err.message.contains(expected),
                "{text}: got {err:?}, wanted {expected}"
            );
        }
        assert_eq!(FuzzyTime::parse("2005/1995").unwrap_err().offset, 5);
    }

    #[test]
    fn orders_by_earliest_then_latest() {
        let mut times = [
            t("2022"),
            t("2022-07-15"),
            t("199X"),
            t("../2012"),
            t("2022-07"),
            t("2022-01/.."),
        ];
        times.sort_by(|a, b| a.cmp_bounds(b));
        let order: Vec<&str> = times.iter().map(FuzzyTime::edtf).collect();
        assert_eq!(
            order,
            [
                "../2012",
                "199X",
                "2022",
                "2022-01/..",
                "2022-07",
                "2022-07-15"
            ]
        );
    }

    #[test]
    fn overlaps_and_inside_a_window() {
        let w = TimeWindow::new(d(1995, 1, 1), d(2005, 12, 31));
        assert!(t("199X").overlaps(&w));
        assert!(!t("199X").lies_inside(&w));
        assert!(t("1999").lies_inside(&w));
        assert!(!t("2010-06").overlaps(&w));
        assert!(t("../2012").overlaps(&w));
        assert!(
            !t("../2012").lies_inside(&w),
            "an open start is never inside"
        );
        assert!(t("2000/..").overlaps(&w));
        assert!(!t("2006/..").overlaps(&w));
        assert!(t("1994-12-31/1995-01-01").overlaps(&w));
        assert!(!t("1994-12-31").overlaps(&w));
        assert!(WindowRule::Overlaps.admits(&t("199X"), &w));
        assert!(!WindowRule::Inside.admits(&t("199X"), &w));
        let july = TimeWindow::new(d(2022, 7, 1), d(2022, 7, 31));
        assert!(t("2022-07-15").lies_inside(&july));
        assert!(!t("2022-09-07").overlaps(&july));
    }

    #[test]
    fn says_the_time_as_a_source_would() {
        for (text, words) in [
            ("2022-07-15", "July 15, 2022"),
            ("2022-09", "September 2022"),
            ("2022", "2022"),
            ("199X", "the 1990s"),
            ("19XX", "the 20th century"),
            ("196X/1979", "the 1960s – 1979"),
            ("../2012", "until 2012"),
            ("2022-09/..", "from September 2022"),
            ("2022-07-15~", "about July 15, 2022"),
            ("2022?", "2022 (uncertain)"),
            ("-0043-03-15", "March 15, 44 BCE"),
        ] {
            assert_eq!(t(text).display(), words, "{text}");
        }
    }

    #[test]
    fn the_calendar_agrees_with_chrono_and_holds_deep_time() {
        // Every day chrono holds near the epoch and far from it, both ways.
        let mut date = NaiveDate::from_ymd_opt(-2000, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2400, 12, 31).unwrap();
        while date <= end {
            let day = Day::from_date(date);
            assert_eq!(day.to_date(), Some(date));
            assert_eq!(
                Day::from_ymd(i64::from(date.year()), date.month(), date.day()),
                Some(day)
            );
            date = date.succ_opt().unwrap();
        }
        for y in [-262_000_i64, -100_000, 100_000, 262_000] {
            let d = NaiveDate::from_ymd_opt(y as i32, 2, 28).unwrap();
            assert_eq!(Day::from_ymd(y, 2, 28), Some(Day::from_date(d)));
        }
        // Deep time: a year and its days come back, leap years included.
        for y in [
            -13_800_000_000_i64,
            -4_600_000_000,
            -66_000_000,
            -MAX_YEARS,
            MAX_YEARS,
        ] {
            for (m, dd) in [(1, 1), (2, 28), (12, 31)] {
                let day = Day::from_ymd(y, m, dd).unwrap();
                assert_eq!(day.civil(), (y, m, dd));
                assert_eq!(
                    Day(day.0 + 1).civil().0,
                    if (m, dd) == (12, 31) { y + 1 } else { y }
                );
            }
            assert_eq!(Day::from_ymd(y, 2, 29).is_some(), y % 400 == 0);
        }
        assert_eq!(Day::from_ymd(2023, 2, 29), None);
        assert_eq!(
            Day::from_ymd(2024, 2, 29).map(Day::civil),
            Some((2024, 2, 29))
        );
        assert_eq!(Day::from_ymd(2022, 13, 1), None);
        assert_eq!(Day::from_ymd(MAX_YEARS + 5, 1, 1), None);
        assert_eq!(Day::at(f64::NAN), Day(0));
        assert_eq!(Day::at(-0.5), Day(-1));
    }

    #[test]
    fn bounds_pack_into_sixteen_bytes_and_give_back_every_part() {
        assert_eq!(std::mem::size_of::<TimeBounds>(), 16);
        let all = [
            DatePrecision::Day,
            DatePrecision::Month,
            DatePrecision::Season,
            DatePrecision::Year,
            DatePrecision::Decade,
            DatePrecision::Century,
            DatePrecision::Significant,
        ];
        let mut precisions: Vec<Precision> = all.iter().map(|&p| Precision::Date(p)).collect();
        let ends = all.iter().map(|&p| Some(p)).chain([None]);
        for start in ends.clone() {
            for end in ends.clone() {
                precisions.push(Precision::Interval { start, end });
            }
        }
        let days = [
            None,
            Some(Day(0)),
            Some(Day(-1)),
            Some(Day(19_188)),
            Day::from_ymd(-MAX_YEARS, 1, 1),
            Day::from_ymd(MAX_YEARS, 12, 31),
        ];
        for p in precisions {
            for (a, b) in days.iter().zip(days.iter().rev()) {
                for marks in [(false, false), (true, false), (false, true), (true, true)] {
                    let t = TimeBounds::pack(*a, *b, p, marks);
                    assert_eq!((t.earliest(), t.latest(), t.precision()), (*a, *b, p));
                    assert_eq!((t.is_approximate(), t.is_uncertain()), marks);
                }
            }
        }
        // Open ends reach past every day a window can hold.
        let open = t("../2022").bounds();
        let w = TimeWindow::new(Day::at(f64::NEG_INFINITY), Day::at(f64::NEG_INFINITY));
        assert!(open.overlaps(&w));
    }

    #[test]
    fn narrow_bounds_hold_every_time_within_millions_of_years_exactly() {
        assert_eq!(std::mem::size_of::<NarrowBounds>(), 12);
        for text in [
            "2022-07-15",
            "2022-07-15~",
            "199X",
            "../2012",
            "2022-09/..",
            "-0499",
            "Y-5000000",
            "1950S2",
            "2022?",
            "2022-21",
            "Y-4600000000",
            "Y-138E8S3",
        ] {
            let b = t(text).bounds();
            match b.narrow() {
                Some(n) => assert_eq!(n.widen(), b, "{text}"),
                None => assert!(text.starts_with("Y-4") || text.starts_with("Y-1"), "{text}"),
            }
        }
        assert!(t("Y-4600000000").bounds().narrow().is_none());
    }

    #[test]
    fn deep_time_reads_with_its_honest_precision_and_says_itself() {
        let big_bang = t("Y-13800000000");
        assert_eq!(big_bang.earliest().map(Day::year), Some(-13_800_000_000));
        assert_eq!(
            big_bang.latest().map(Day::civil),
            Some((-13_800_000_000, 12, 31))
        );
        assert_eq!(big_bang.precision().as_str(), "year");
        assert_eq!(big_bang.display(), "13.8 billion years ago");
        // Three significant digits: the years those digits allow, an estimate.
        let est = t("Y-138E8S3");
        assert_eq!(est.precision(), Precision::Date(DatePrecision::Significant));
        assert_eq!(est.earliest().map(Day::year), Some(-13_899_999_999));
        assert_eq!(est.latest().map(Day::year), Some(-13_800_000_000));
        assert_eq!(
            est.display(),
            "about 13.8 billion years ago (3 significant digits)"
        );
        assert_eq!(t("Y-66000000").display(), "66 million years ago");
        assert_eq!(t("Y-250000").display(), "250,000 years ago");
        assert_eq!(t("Y-12000").display(), "12,001 BCE");
        assert_eq!(t("Y12000").display(), "12,000");
        assert_eq!(t("1950S2").display(), "about 1950 (2 significant digits)");
        assert_eq!(t("1950S2").earliest().map(Day::year), Some(1900));
        assert_eq!(
            t("Y-4600000000/Y-4500000000").display(),
            "4.6 billion years ago – 4.5 billion years ago"
        );
        let order = [
            t("Y-13800000000"),
            t("Y-66000000"),
            t("-3500"),
            t("2022-07-15"),
        ];
        assert!(order.windows(2).all(|w| w[0].cmp_bounds(&w[1]).is_lt()));
        assert!(
            FuzzyTime::parse("Y-2000000000000")
                .unwrap_err()
                .message
                .contains("a trillion years")
        );
        assert_eq!(
            Day::from_ymd(-13_800_000_000, 6, 1).unwrap().label(),
            "13.8 billion years ago"
        );
        assert_eq!(Day::from_ymd(2022, 7, 15).unwrap().label(), "2022-07-15");
    }

    #[test]
    fn day_round_trips_through_chrono() {
        for day in [d(1960, 1, 1), d(2022, 7, 15), d(1, 1, 1), d(-43, 3, 15)] {
            let date = day.to_date().unwrap();
            assert_eq!(Day::from_date(date), day);
        }
        assert_eq!(d(2022, 7, 15).iso(), "2022-07-15");
        assert_eq!(Day(0).iso(), "1970-01-01");
    }
}
