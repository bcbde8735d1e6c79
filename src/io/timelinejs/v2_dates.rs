//! TimelineJS 2 dates: the `startDate` / `endDate` strings of version 2's
//! JSON and the Start Date / End Date cells of its spreadsheet, read into
//! the cells of a date (year, month, day, hour, minute, second) that
//! [`super::dates::read_date`] then checks as it checks version 3's, so
//! that both versions keep the same precision and give the same messages.
//!
//! The forms TimelineJS 2 reads (`VMM.Date.parse`):
//!
//! - `year,month,day[,hour,minute,second]`: `2011,12,10`, `2011,12` (a
//!   month), `2011`, `-500`, `2011,12,10,14,30`;
//! - `m/d/yyyy [h:m[:s]]` and `m/yyyy`: `12/10/2011`, `12/10/2011 14:30`,
//!   `12/2011`;
//! - a bare year: `1963`, `-500`;
//! - ISO 8601: `2012-01-10T14:30:00`, with `Z` or an offset and fractional
//!   seconds (kept to the second; the offset is not kept: the time of day
//!   is the one written), and its dates alone (`2012-01-10`, `2012-01`).
//!
//! A year is as TimelineJS numbers it in every form (`-500` is 500 BCE;
//! see [`super::dates::astronomical_year`]). Nothing is invented: `2011,12`
//! is a month, `2011` a year.

use serde_json::Value;

use super::dates::{Cell, DateCells, parse_time};

/// What a TimelineJS 2 date string holds.
#[derive(Debug)]
pub(crate) enum V2Date {
    /// Nothing (an empty string): no date.
    Empty,
    /// The cells of the date, for [`super::dates::read_date`]; `offset`
    /// when an ISO time gave a time shift (`Z`, `+02:00`), which is not kept.
    Cells { cells: Box<DateCells>, offset: bool },
    /// In no form TimelineJS 2 reads (the message says which forms are).
    NotADate(String),
}

/// The forms a TimelineJS 2 date takes, for messages.
pub(crate) const FORMS: &str = "TimelineJS2 writes dates as year,month,day (\"2011,12,10\"), m/d/yyyy (\"12/10/2011\"), a year (\"2011\") or ISO 8601 (\"2011-12-10T14:30:00\")";

/// The longest date string read (a date is short; a longer one is no date).
const MAX_DATE_CHARS: usize = 64;

/// Reads a TimelineJS 2 date string `text` (already trimmed), shown as
/// `name` (`startDate`, `End Date`); `at(i)` is where byte `i` of `text`
/// stands in the file.
pub(crate) fn v2_date(name: &str, text: &str, at: &dyn Fn(usize) -> usize) -> V2Date {
    if text.is_empty() {
        return V2Date::Empty;
    }
    let shown = if text.chars().count() > MAX_DATE_CHARS {
        let cut: String = text.chars().take(MAX_DATE_CHARS).collect();
        format!("{cut:?}…")
    } else {
        format!("{text:?}")
    };
    let not_a_date = || V2Date::NotADate(format!("{name} {shown} is not a date: {FORMS}"));
    if text.len() > 4 * MAX_DATE_CHARS {
        return not_a_date();
    }
    let cell_name = format!("{name} {shown}");
    // Each part of the string, as a cell at its place.
    let part = |piece: &str| -> Cell {
        let offset = piece.as_ptr() as usize - text.as_ptr() as usize;
        Cell {
            name: cell_name.clone().into(),
            value: number_or_text(piece),
            at: at(offset),
        }
    };
    let mut cells: DateCells = Default::default();
    if text.contains(',') {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() > 7 {
            return not_a_date();
        }
        // A trailing empty part (`2011,12,`) is nothing; an empty one
        // inside (`2011,,10`) leaves its field out, which the check reports.
        for (slot, piece) in cells.iter_mut().zip(&parts) {
            if !piece.is_empty() {
                *slot = Some(part(piece));
            }
        }
        return V2Date::Cells {
            cells: Box::new(cells),
            offset: false,
        };
    }
    if text.contains('/') {
        let (date, time) = match text.split_once(char::is_whitespace) {
            Some((d, t)) => (d, Some(t.trim())),
            None => (text, None),
        };
        let parts: Vec<&str> = date.split('/').map(str::trim).collect();
        let (month, day, year) = match parts.as_slice() {
            [m, d, y] => (m, Some(d), y),
            // `m/yyyy`; `m/d` has no year.
            [m, y] if y.trim_start_matches(['-', '+']).len() > 2 => (m, None, y),
            _ => return not_a_date(),
        };
        if [Some(month), day, Some(year)]
            .into_iter()
            .flatten()
            .any(|p| p.is_empty())
        {
            return not_a_date();
        }
        cells[0] = Some(part(year));
        cells[1] = Some(part(month));
        cells[2] = day.map(|d| part(d));
        if let Some(time) = time.filter(|t| !t.is_empty()) {
            let Some(hms) = parse_time(time) else {
                return V2Date::NotADate(format!(
                    "{name} {shown}: {time:?} is not a time of day (like 14:30 or 14:30:15)"
                ));
            };
            set_time(&mut cells, hms, &part(time));
        }
        return V2Date::Cells {
            cells: Box::new(cells),
            offset: false,
        };
    }
    if let Some(iso) = iso(text) {
        let Iso {
            year,
            month,
            day,
            time,
            offset,
        } = iso;
        cells[0] = Some(part(year));
        cells[1] = month.map(&part);
        cells[2] = day.map(&part);
        for (slot, piece) in cells.iter_mut().skip(3).zip(time) {
            *slot = piece.map(&part);
        }
        return V2Date::Cells {
            cells: Box::new(cells),
            offset,
        };
    }
    // A bare year; a word with a digit is read as one too, so that the
    // check says what is wrong with it (`"20x1"` is not a year).
    let word = text.strip_prefix(['-', '+']).unwrap_or(text);
    if word.bytes().any(|b| b.is_ascii_digit()) && word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        cells[0] = Some(part(text));
        return V2Date::Cells {
            cells: Box::new(cells),
            offset: false,
        };
    }
    not_a_date()
}

/// A whole number as a JSON number, so that messages show it as written
/// (`13`); anything else (a number too large to hold, `20x1`) as text,
/// which the check refuses in its own words.
fn number_or_text(piece: &str) -> Value {
    let digits = piece.strip_prefix(['-', '+']).unwrap_or(piece);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = piece.parse::<i64>()
    {
        return Value::from(n);
    }
    Value::String(piece.to_owned())
}

/// The hour, minute and second of a time of day (milliseconds are not
/// kept: EDTF times are to the second), all at the time's place.
fn set_time(cells: &mut DateCells, hms: [Option<u32>; 4], at: &Cell) {
    for (slot, v) in cells.iter_mut().skip(3).zip(hms.into_iter().take(3)) {
        *slot = v.map(|v| Cell {
            value: Value::from(v),
            ..at.clone()
        });
    }
}

/// The parts of an ISO 8601 date (and time), each a slice of the text.
struct Iso<'t> {
    year: &'t str,
    month: Option<&'t str>,
    day: Option<&'t str>,
    /// Hour, minute, second.
    time: [Option<&'t str>; 3],
    /// A time shift was given.
    offset: bool,
}

/// `2012`-`01`-`10`T`14`:`30`:`00`(`.250`)(`Z`|`±hh`(`:mm`)), to any
/// precision from the month down; `None` when it is not that shape (a
/// part's value is checked by the caller).
fn iso(text: &str) -> Option<Iso<'_>> {
    let two = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    // The year may be signed; the rest of the date is split at `-`.
    let sign = usize::from(date.starts_with(['-', '+']));
    let (year_end, rest) = match date[sign..].find('-') {
        Some(i) => (sign + i, &date[sign + i + 1..]),
        None => return None,
    };
    let year = &date[..year_end];
    if year.len() - sign < 4 || !year[sign..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut parts = rest.split('-');
    let month = parts.next().filter(|m| two(m))?;
    let day = match parts.next() {
        None => None,
        Some(d) if two(d) => Some(d),
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    let Some(time) = time else {
        return Some(Iso {
            year,
            month: Some(month),
            day,
            time: [None; 3],
            offset: false,
        });
    };
    day?;
    // The time shift, if any, and the fraction of a second, are cut off.
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => {
            let shift = &time[i..];
            let ok = matches!(shift, "Z" | "z") || {
                // `hh`, `hh:mm` or `hhmm`, all ASCII (so every cut below
                // falls between characters).
                let s = &shift[1..];
                let part = |r: std::ops::Range<usize>| s.get(r).unwrap_or_default();
                s.is_ascii()
                    && (two(s)
                        || (s.len() == 5
                            && two(part(0..2))
                            && part(2..3) == ":"
                            && two(part(3..5)))
                        || (s.len() == 4 && two(part(0..2)) && two(part(2..4))))
            };
            if !ok {
                return None;
            }
            (&time[..i], true)
        }
        None => (time, false),
    };
    let clock = match clock.split_once(['.', ',']) {
        Some((whole, fraction))
            if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        Some(_) => return None,
        None => clock,
    };
    let mut hms = [None; 3];
    let mut pieces = clock.split(':');
    for slot in &mut hms {
        match pieces.next() {
            Some(p) if two(p) => *slot = Some(p),
            Some(_) => return None,
            None => break,
        }
    }
    if pieces.next().is_some() || hms[0].is_none() {
        return None;
    }
    Some(Iso {
        year,
        month: Some(month),
        day,
        time: hms,
        offset,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    /// The values of the cells a date string gives, as numbers (`None`
    /// where a cell is empty), or the message.
    fn read(text: &str) -> Result<Vec<Option<Value>>, String> {
        match v2_date("startDate", text, &|i| i) {
            V2Date::Empty => Ok(Vec::new()),
            V2Date::Cells { cells, .. } => Ok(cells
                .iter()
                .map(|c| c.as_ref().map(|c| c.value.clone()))
                .collect()),
            V2Date::NotADate(m) => Err(m),
        }
    }

    fn nums(values: &[i64]) -> Vec<Option<Value>> {
        let mut out: Vec<Option<Value>> = values.iter().map(|v| Some(Value::from(*v))).collect();
        out.resize(7, None);
        out
    }

    #[test]
    fn reads_each_form_to_its_precision() {
        assert_eq!(read("2011,12,10").unwrap(), nums(&[2011, 12, 10]));
        assert_eq!(read("2011,12").unwrap(), nums(&[2011, 12]));
        assert_eq!(read("2011").unwrap(), nums(&[2011]));
        assert_eq!(read("-500").unwrap(), nums(&[-500]));
        assert_eq!(
            read("2011, 12, 10, 14, 30").unwrap(),
            nums(&[2011, 12, 10, 14, 30])
        );
        assert_eq!(read("2011,12,").unwrap(), nums(&[2011, 12]));
        assert_eq!(read("12/10/2011").unwrap(), nums(&[2011, 12, 10]));
        assert_eq!(read("12/2011").unwrap(), nums(&[2011, 12]));
        assert_eq!(
            read("12/10/2011 14:30:15").unwrap(),
            nums(&[2011, 12, 10, 14, 30, 15])
        );
        assert_eq!(
            read("12/10/2011 2:30 PM").unwrap(),
            nums(&[2011, 12, 10, 14, 30])
        );
        assert_eq!(read("2012-01-10").unwrap(), nums(&[2012, 1, 10]));
        assert_eq!(read("2012-01").unwrap(), nums(&[2012, 1]));
        assert_eq!(
            read("2012-01-10T14:30:00").unwrap(),
            nums(&[2012, 1, 10, 14, 30, 0])
        );
        assert_eq!(
            read("2012-01-10T14:30:05.250Z").unwrap(),
            nums(&[2012, 1, 10, 14, 30, 5])
        );
        assert_eq!(
            read("2012-01-10T14:30+05:30").unwrap(),
            nums(&[2012, 1, 10, 14, 30])
        );
        assert_eq!(read("").unwrap(), Vec::<Option<Value>>::new());
    }

    #[test]
    fn iso_times_say_when_they_had_a_shift() {
        for (text, shifted) in [
            ("2012-01-10T14:30:00", false),
            ("2012-01-10T14:30:00Z", true),
            ("2012-01-10T14:30:00.5-04:00", true),
            ("2012-01-10T14:30+0200", true),
        ] {
            let V2Date::Cells { offset, .. } = v2_date("startDate", text, &|i| i) else {
                panic!("{text}");
            };
            assert_eq!(offset, shifted, "{text}");
        }
    }

    #[test]
    fn what_is_no_date_is_said() {
        for text in [
            "soon",
            "12/10",
            "1/2/3/4",
            "2012-01-10T14:30:00Q",
            "1,2,3,4,5,6,7,8",
        ] {
            let message = read(text).unwrap_err();
            assert!(message.starts_with("startDate \""), "{message}");
            assert!(message.contains("is not a date"), "{message}");
        }
        // A part that is not a number is left for the check to name.
        assert_eq!(
            read("20x1,5,1").unwrap()[0],
            Some(Value::String("20x1".to_owned()))
        );
        assert_eq!(
            read("99999999999999999999").unwrap()[0],
            Some(Value::String("99999999999999999999".to_owned()))
        );
        assert!(
            read("12/10/2011 noon")
                .unwrap_err()
                .contains("is not a time of day")
        );
    }

    #[test]
    fn odd_strings_never_panic() {
        for text in [
            "2012-01-10T14:30+é:00",
            "2012-01-10T14:30+1é00",
            "2012-01-10T14:30-",
            "2012-01-10T",
            "2012-01-10Té",
            "-",
            "+",
            "--",
            ",",
            ",,,,,,",
            "/",
            "//",
            "é/é/é",
            "1/é/2000",
            "12/10/2011 ",
            "12/10/2011 25:00",
            "2012-é",
            "é",
            "-é",
            "２０１１",
            "2011,١٢",
            "99999999999999999999,1,1",
            "-9223372036854775808",
            "2011\u{0},1",
        ] {
            let _ = read(text);
        }
        let long = "1,".repeat(10_000);
        assert!(read(&long).unwrap_err().contains("is not a date"));
    }

    #[test]
    fn each_part_stands_where_it_is_written() {
        let V2Date::Cells { cells, .. } = v2_date("startDate", "2011,13,45", &|i| 100 + i) else {
            panic!();
        };
        let at: Vec<usize> = cells.iter().flatten().map(|c| c.at).collect();
        assert_eq!(at, [100, 105, 108]);
        assert_eq!(cells[0].as_ref().unwrap().name, "startDate \"2011,13,45\"");
    }
}
