//! Timestamps as the world writes them, read into the EDTF date-time that
//! mapline keeps (`2017-01-21T20:26:52Z`, as the TimelineJS hours are kept):
//!
//! - **ISO 8601 / RFC 3339 date-times** ([`read_iso`]): `YYYY-MM-DD`, then
//!   `T` (or `t`, or a space), `hh:mm` or `hh:mm:ss`, any fraction of a
//!   second (`.340`, `,5`), and an offset or none: `Z`, `+02:00`, `+0200`,
//!   `-05`. The time is kept to the second (a fraction is cut, never
//!   rounded, so the day never moves), the offset as written in EDTF's form
//!   (`Z`, `±hh`, `±hh:mm`; `+0200` becomes `+02:00`, `-00:00`, RFC 3339's
//!   "UTC, local offset unknown", becomes `Z`); no offset stays no offset
//!   (a local time whose zone the file does not give). The day is the day
//!   as written, in its own offset. EDTF takes offsets up to ±14:00 and the
//!   years 0000 to 9999 in a date-time; beyond them is an error.
//! - **Unix epoch numbers** ([`read_epoch`]), in a field named for time
//!   (GeoJSON's `time`, ACLED's `event_date`: see [`TIME_NAMES`]): seconds
//!   or milliseconds since 1970-01-01T00:00:00Z, read in UTC (`Z`). With
//!   `--time-unit auto` (the default, and the window's) the size decides:
//!   |n| ≥ 10^11 is milliseconds (past 1973-03-03, or before 1966-10-31, in
//!   milliseconds; in seconds it would be beyond the year 5138),
//!   10^8 ≤ |n| < 10^11 is seconds (1973-03-03 to 5138 in seconds, or back to
//!   the year 0; in milliseconds it would be 1966-10-31 to 1973-03-03), and
//!   a smaller number is refused as too small to tell (a year like 2022 or
//!   a day like 20220715 is far likelier than a second of 1970), unless
//!   `--time-unit s` or `ms` says the unit. `mapline check` says in one
//!   warning per file which unit it took ([`Tally`]). A fraction (1.5) or a
//!   time outside the years 0000 to 9999 is an error.
//!
//! The shape of a date-time is read here, field by field, so that a fault
//! is named and placed to the character ("the hour \"2x\" is not two
//! digits"); what a calendar knows (days in a month, leap years, epoch
//! arithmetic) is chrono's. A text in no such form is left to the EDTF
//! parser (or to the format's own date forms) unchanged.

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveTime};

use crate::model::time::MONTHS;

/// How epoch numbers are read: `--time-unit`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeUnit {
    /// By their size (see the module).
    #[default]
    Auto,
    /// Seconds since 1970-01-01T00:00:00Z.
    Seconds,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Milliseconds,
}

impl std::str::FromStr for TimeUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "s" | "sec" | "seconds" => Ok(Self::Seconds),
            "ms" | "milliseconds" => Ok(Self::Milliseconds),
            other => Err(format!(
                "{other:?} is not a time unit: s (seconds), ms (milliseconds) or auto"
            )),
        }
    }
}

/// How a stranger's file is read, beside its content: what the commands
/// that open files (`check`, `export`, `brief`, `open`) pass to the readers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The unit of epoch numbers.
    pub time_unit: TimeUnit,
}

/// The unit an epoch number was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Milliseconds,
}

impl Unit {
    /// "seconds" or "milliseconds".
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Milliseconds => "milliseconds",
        }
    }
}

/// How an epoch number was read: its unit, and whether its size chose it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Epoch {
    /// The unit taken.
    pub unit: Unit,
    /// Chosen by the number's size (`--time-unit auto`), not by the user.
    pub guessed: bool,
}

/// A timestamp read: its EDTF date-time and its day as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// `2017-01-21T20:26:52Z`, `2022-07-15T10:30:00+02:00`, `2022-07-15T10:30:00`.
    pub edtf: String,
    /// The calendar day of the date-time, in its own offset.
    pub date: NaiveDate,
    /// For an epoch number, how it was read.
    pub epoch: Option<Epoch>,
}

/// Why a timestamp was refused: what is wrong, and the byte in its text
/// where it is (0 for a number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StampError {
    /// What is wrong and what was expected.
    pub message: String,
    /// Byte offset into the text.
    pub offset: usize,
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, StampError> {
    Err(StampError {
        message: message.into(),
        offset,
    })
}

/// The field names that are named for time: a number in such a field is
/// Unix epoch time. GeoJSON reads the event's time from `time`, ACLED from
/// `event_date`; the others are shown as date-times where a reader shows a
/// file's other fields (GeoJSON's extra properties, such as USGS `updated`).
/// A name ending in `_time`, `_date`, `_timestamp` or `_at` counts too.
pub const TIME_NAMES: [&str; 10] = [
    "time",
    "timestamp",
    "date",
    "datetime",
    "date_time",
    "event_date",
    "event_time",
    "updated",
    "created",
    "modified",
];

/// Is `name` named for time ([`TIME_NAMES`])? Case does not matter.
#[must_use]
pub fn is_time_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    TIME_NAMES.contains(&lower.as_str())
        || ["_time", "_date", "_timestamp", "_at"]
            .iter()
            .any(|s| lower.len() > s.len() && lower.ends_with(s))
}

/// Does `text` start as a date-time does (`2017-01-21T…`, `2017-01-21 20…`),
/// so that its faults are the date-time's to explain? An EDTF interval
/// (with a `/`) is not: the EDTF parser explains those.
#[must_use]
pub fn looks_like_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[11].is_ascii_digit()
        && !text.contains('/')
}

/// `len` ASCII digits at `from`, as a number; else what is there, named.
fn digits(text: &str, from: usize, len: usize, what: &str) -> Result<u32, StampError> {
    let part = text.get(from..).unwrap_or_default();
    let good = part.len() >= len && part.as_bytes()[..len].iter().all(u8::is_ascii_digit);
    if good {
        return Ok(part.as_bytes()[..len]
            .iter()
            .fold(0, |n, d| n * 10 + u32::from(d - b'0')));
    }
    let shown: String = part
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(len.max(1) + 2)
        .collect();
    let count = if len == 4 { "four" } else { "two" };
    if shown.is_empty() {
        fail(
            from,
            format!("the {what} is missing (expected {count} digits here)"),
        )
    } else {
        fail(from, format!("the {what} {shown:?} is not {count} digits"))
    }
}

/// `sep` at `at`, or an error saying what stands there instead.
fn separator(text: &str, at: usize, sep: u8, after: &str) -> Result<(), StampError> {
    if text.as_bytes().get(at) == Some(&sep) {
        return Ok(());
    }
    let found = text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or_else(|| "the end".to_owned(), |c| format!("{c:?}"));
    fail(
        at,
        format!(
            "expected {:?} after the {after}, found {found}",
            char::from(sep)
        ),
    )
}

/// Reads an ISO 8601 / RFC 3339 date-time (see the module).
///
/// # Errors
/// What is wrong and where: a field that is not digits, a month, day, hour,
/// minute or second out of range (an impossible day names its month's
/// length), an offset in no known form or beyond ±14:00, text after it.
pub fn read_iso(text: &str) -> Result<Stamp, StampError> {
    let year = digits(text, 0, 4, "year")?;
    separator(text, 4, b'-', "year")?;
    let month = digits(text, 5, 2, "month")?;
    separator(text, 7, b'-', "month")?;
    let day = digits(text, 8, 2, "day")?;
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return fail(
            10,
            "expected T (or a space) between the date and the time of day",
        );
    }
    let hour = digits(text, 11, 2, "hour")?;
    separator(text, 13, b':', "hour (a time of day is hh:mm or hh:mm:ss)")?;
    let minute = digits(text, 14, 2, "minute")?;
    let mut at = 16;
    let second = if text.as_bytes().get(at) == Some(&b':') {
        at = 19;
        digits(text, 17, 2, "second")?
    } else {
        0
    };
    if matches!(text.as_bytes().get(at), Some(b'.' | b',')) {
        let fraction = text.as_bytes()[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction == 0 {
            return fail(at + 1, "the fraction of a second has no digits");
        }
        at += 1 + fraction;
    }
    let shift = read_offset(text, at)?;
    // The calendar: chrono's.
    let Ok(year) = i32::try_from(year) else {
        return fail(0, "the year is out of range");
    };
    if !(1..=12).contains(&month) {
        return fail(5, format!("the month {month:02} is not 01 to 12"));
    }
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        let length = NaiveDate::from_ymd_opt(year, month, 1).map_or(31, |d| d.num_days_in_month());
        let name = MONTHS.get(month as usize - 1).copied().unwrap_or_default();
        return fail(
            8,
            format!("there is no day {day:02} in {name} {year:04} (it has {length} days)"),
        );
    };
    if hour == 24 {
        return fail(
            11,
            "the hour 24 is not 00 to 23: write 00:00 of the next day",
        );
    }
    // A leap second (:60) is kept as EDTF keeps it; chrono holds it as
    // the second 59 and a thousand milliseconds more.
    let time = if second == 60 {
        NaiveTime::from_hms_milli_opt(hour, minute, 59, 1000)
    } else {
        NaiveTime::from_hms_opt(hour, minute, second)
    };
    if time.is_none() {
        let (what, value, at, most) = if hour > 23 {
            ("hour", hour, 11, "23")
        } else if minute > 59 {
            ("minute", minute, 14, "59")
        } else {
            ("second", second, 17, "59 (or 60, a leap second)")
        };
        return fail(at, format!("the {what} {value:02} is not 00 to {most}"));
    }
    let edtf = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{shift}");
    Ok(Stamp {
        edtf,
        date,
        epoch: None,
    })
}

/// The offset from `at` to the end of `text`, in EDTF's form.
fn read_offset(text: &str, at: usize) -> Result<String, StampError> {
    let rest = text.get(at..).unwrap_or_default();
    let b = rest.as_bytes();
    let bad = || {
        fail(
            at,
            format!("{rest:?} after the time of day is not an offset (Z, +02:00, +0200 or -05)"),
        )
    };
    let sign = match b.first() {
        None => return Ok(String::new()),
        Some(b'Z' | b'z') if b.len() == 1 => return Ok("Z".to_owned()),
        Some(b'+') => '+',
        Some(b'-') => '-',
        Some(_) => return bad(),
    };
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
    };
    let (hours, minutes, hours_only) = match b.len() {
        3 => (two(1), Some(0), true),
        5 => (two(1), two(3), false),
        6 if b[3] == b':' => (two(1), two(4), false),
        _ => return bad(),
    };
    let (Some(hours), Some(minutes)) = (hours, minutes) else {
        return bad();
    };
    if minutes > 59 {
        return fail(at, format!("the offset {rest} has minutes past 59"));
    }
    if hours * 60 + minutes > 14 * 60 {
        return fail(
            at,
            format!("the offset {rest} is beyond ±14:00 (the furthest any place keeps)"),
        );
    }
    if hours == 0 && minutes == 0 && sign == '-' {
        // RFC 3339's "-00:00": the time is UTC, its place's offset unknown.
        return Ok("Z".to_owned());
    }
    Ok(if hours_only {
        format!("{sign}{hours:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}")
    })
}

/// Numbers under this (in size) are too small to tell their unit by.
const LEAST_GUESSED: u64 = 100_000_000;
/// Numbers of this size and more are milliseconds when guessed.
const LEAST_MILLISECONDS: u64 = 100_000_000_000;

/// Reads a Unix epoch number (see the module).
///
/// # Errors
/// A time outside the years 0000 to 9999, or (when guessing) a number too
/// small to tell its unit by.
pub fn read_epoch(n: i64, unit: TimeUnit) -> Result<Stamp, StampError> {
    let (unit, guessed) = match unit {
        TimeUnit::Seconds => (Unit::Seconds, false),
        TimeUnit::Milliseconds => (Unit::Milliseconds, false),
        TimeUnit::Auto if n.unsigned_abs() >= LEAST_MILLISECONDS => (Unit::Milliseconds, true),
        TimeUnit::Auto if n.unsigned_abs() >= LEAST_GUESSED => (Unit::Seconds, true),
        TimeUnit::Auto => {
            let as_text = |u| utc(n, u).map_or_else(|| "out of range".to_owned(), |(edtf, _)| edtf);
            return fail(
                0,
                format!(
                    "{n} is too small a number to tell its unit: as Unix epoch seconds it is {}, as milliseconds {}; a year or a day is written as text (\"2022\", \"2022-07-15\"), and --time-unit s or ms reads the number as epoch time",
                    as_text(Unit::Seconds),
                    as_text(Unit::Milliseconds)
                ),
            );
        }
    };
    let Some((edtf, date)) = utc(n, unit) else {
        let side = if n < 0 {
            "before the year 0000"
        } else {
            "past the year 9999"
        };
        return fail(
            0,
            format!(
                "{n} is out of range: as Unix epoch {} it is {side} (a date-time has the years 0000 to 9999)",
                unit.name()
            ),
        );
    };
    Ok(Stamp {
        edtf,
        date,
        epoch: Some(Epoch { unit, guessed }),
    })
}

/// The epoch number as a UTC date-time in EDTF, to the second (a fraction
/// cut towards the past), and its day; `None` outside the years 0000–9999.
fn utc(n: i64, unit: Unit) -> Option<(String, NaiveDate)> {
    let t = match unit {
        Unit::Seconds => DateTime::from_timestamp(n, 0)?,
        Unit::Milliseconds => DateTime::from_timestamp_millis(n)?,
    };
    (0..=9999)
        .contains(&t.year())
        .then(|| (t.format("%Y-%m-%dT%H:%M:%SZ").to_string(), t.date_naive()))
}

/// The error for a number that is not a whole one.
fn fractional(shown: &str) -> StampError {
    StampError {
        message: format!(
            "{shown} is not a whole number: Unix epoch time is whole seconds or milliseconds"
        ),
        offset: 0,
    }
}

/// Reads a JSON number as epoch time; a float with no fraction is whole.
///
/// # Errors
/// As [`read_epoch`], and a number with a fraction.
pub fn read_json_number(n: &serde_json::Number, unit: TimeUnit) -> Result<Stamp, StampError> {
    if let Some(i) = n.as_i64() {
        return read_epoch(i, unit);
    }
    let shown = n.to_string();
    let whole = n.as_f64().filter(|f| f.fract() == 0.0);
    match (n.as_u64(), whole) {
        (None, None) => Err(fractional(&shown)),
        #[allow(clippy::cast_possible_truncation)]
        (None, Some(f)) if f.abs() < 9.0e18 => read_epoch(f as i64, unit),
        _ => fail(0, format!("{shown} is out of range for a Unix epoch time")),
    }
}

/// Reads a CSV cell that is a timestamp: an integer (`1485030412`, epoch
/// time), a decimal (refused: not whole, unless its fraction is zeros) or
/// an ISO date-time; `None` for any other text, which the format's own date
/// forms explain.
#[must_use]
pub fn read_cell(text: &str, unit: TimeUnit) -> Option<Result<Stamp, StampError>> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(whole)
        && (fraction.is_empty() || all_digits(fraction))
        && !unsigned.ends_with('.')
    {
        if fraction.bytes().any(|b| b != b'0') {
            return Some(Err(fractional(text)));
        }
        let number = &text[..text.len() - fraction.len() - usize::from(!fraction.is_empty())];
        return Some(match number.parse::<i64>() {
            Ok(n) => read_epoch(n, unit),
            Err(_) => fail(0, format!("{text} is out of range for a Unix epoch time")),
        });
    }
    looks_like_date_time(text).then(|| read_iso(text))
}

/// The time of day of an EDTF date-time, as the reader shows it:
/// `20:26:52 UTC`, `10:30:00 UTC+02:00`, `10:30:00 (no time zone given)`;
/// `None` for any other time.
#[must_use]
pub fn clock(edtf: &str) -> Option<String> {
    let Ok(edtf_core::Edtf::DateTime(dt)) = edtf_core::Edtf::parse(edtf) else {
        return None;
    };
    let t = dt.time;
    let zone = match t.shift {
        None => " (no time zone given)".to_owned(),
        Some(edtf_core::TimeShift::Utc) => " UTC".to_owned(),
        Some(edtf_core::TimeShift::Offset {
            minutes,
            hours_only,
        }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
            if hours_only {
                format!(" UTC{sign}{h:02}")
            } else {
                format!(" UTC{sign}{h:02}:{m:02}")
            }
        }
    };
    Some(format!(
        "{:02}:{:02}:{:02}{zone}",
        t.hour, t.minute, t.second
    ))
}

/// The first epoch number read in one unit: where, as written, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct First<P> {
    at: P,
    number: String,
    edtf: String,
}

/// The epoch numbers of one file whose unit was guessed, counted by unit,
/// with the first of each, for the one warning that says which unit was
/// taken ([`Tally::warning`]). `P` is how a reader places a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally<P> {
    seconds: (usize, Option<First<P>>),
    milliseconds: (usize, Option<First<P>>),
}

impl<P> Default for Tally<P> {
    fn default() -> Self {
        Self {
            seconds: (0, None),
            milliseconds: (0, None),
        }
    }
}

impl<P: Copy + Ord> Tally<P> {
    /// Counts `stamp`, read from `number` at `at`, if its unit was guessed.
    pub fn count(&mut self, at: P, number: &str, stamp: &Stamp) {
        let Some(Epoch {
            unit,
            guessed: true,
        }) = stamp.epoch
        else {
            return;
        };
        let slot = match unit {
            Unit::Seconds => &mut self.seconds,
            Unit::Milliseconds => &mut self.milliseconds,
        };
        slot.0 += 1;
        if slot.1.is_none() {
            slot.1 = Some(First {
                at,
                number: number.to_owned(),
                edtf: stamp.edtf.clone(),
            });
        }
    }

    /// Was any unit guessed?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.seconds.0 == 0 && self.milliseconds.0 == 0
    }

    /// Adds the tally of a later part of the same file.
    pub fn merge(&mut self, later: Self) {
        for (mine, theirs) in [
            (&mut self.seconds, later.seconds),
            (&mut self.milliseconds, later.milliseconds),
        ] {
            mine.0 += theirs.0;
            if mine.1.is_none() {
                mine.1 = theirs.1;
            }
        }
    }

    /// The one warning of the file, at its first guessed number: which unit
    /// was taken, by what rule, and how to say otherwise.
    #[must_use]
    pub fn warning(&self) -> Option<(P, String)> {
        let said = |f: &First<P>| format!("the first, {}, is {}", f.number, f.edtf);
        match (&self.seconds, &self.milliseconds) {
            ((0, _), (n, Some(f))) => Some((
                f.at,
                format!(
                    "{n} time(s) are Unix epoch numbers, read as milliseconds by their size (10^11 or more is milliseconds): {}; --time-unit s reads them as seconds",
                    said(f)
                ),
            )),
            ((n, Some(f)), (0, _)) => Some((
                f.at,
                format!(
                    "{n} time(s) are Unix epoch numbers, read as seconds by their size (under 10^11 is seconds): {}; --time-unit ms reads them as milliseconds",
                    said(f)
                ),
            )),
            ((s, Some(fs)), (ms, Some(fm))) => Some((
                fs.at.min(fm.at),
                format!(
                    "{} time(s) are Unix epoch numbers of two sizes: {ms} read as milliseconds ({}) and {s} as seconds ({}), by their size (10^11 or more is milliseconds); if they are all one unit, say which with --time-unit s or ms",
                    s + ms,
                    said(fm),
                    said(fs)
                ),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "stamp_tests.rs"]
mod tests;
