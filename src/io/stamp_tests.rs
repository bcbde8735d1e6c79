//! Tests of [`super`]: date-times and epoch numbers into EDTF, what is
//! refused and where, the reader's time of day, the file's one warning.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::FuzzyTime;

fn iso(text: &str) -> String {
    read_iso(text).unwrap().edtf
}

fn iso_err(text: &str) -> (String, usize) {
    let e = read_iso(text).unwrap_err();
    (e.message, e.offset)
}

#[test]
fn iso_date_times_become_edtf_to_the_second_with_their_offset() {
    assert_eq!(iso("2017-01-21T20:26:52.340Z"), "2017-01-21T20:26:52Z");
    assert_eq!(iso("2017-01-21T20:26:52Z"), "2017-01-21T20:26:52Z");
    assert_eq!(
        iso("2017-01-21t20:26:52.999999999z"),
        "2017-01-21T20:26:52Z"
    );
    assert_eq!(
        iso("2017-01-21 20:26:52+02:00"),
        "2017-01-21T20:26:52+02:00"
    );
    assert_eq!(iso("2017-01-21T20:26:52+0200"), "2017-01-21T20:26:52+02:00");
    assert_eq!(iso("2017-01-21T20:26:52-05"), "2017-01-21T20:26:52-05");
    assert_eq!(
        iso("2017-01-21T20:26:52,5-05:30"),
        "2017-01-21T20:26:52-05:30"
    );
    assert_eq!(iso("2017-01-21T20:26:52-00:00"), "2017-01-21T20:26:52Z");
    assert_eq!(iso("2017-01-21T20:26"), "2017-01-21T20:26:00");
    assert_eq!(iso("2016-12-31T23:59:60Z"), "2016-12-31T23:59:60Z");
    // The day is the day as written, in its own offset.
    let late = read_iso("2017-01-21T23:30:00-05:00").unwrap();
    assert_eq!(late.date, NaiveDate::from_ymd_opt(2017, 1, 21).unwrap());
    // Every EDTF it makes is EDTF, on its day.
    for text in [
        "2017-01-21T20:26:52.340Z",
        "2017-01-21T20:26:52+0200",
        "2017-01-21T20:26:52-05",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59+14:00",
    ] {
        let stamp = read_iso(text).unwrap();
        let t = FuzzyTime::parse(&stamp.edtf).unwrap();
        assert_eq!(t.earliest(), Some(crate::model::Day::from_date(stamp.date)));
        assert!(t.is_single_day(), "{text}");
    }
}

/// What chrono's RFC 3339 reader accepts is the same instant here.
#[test]
fn rfc3339_agrees_with_chrono() {
    for text in [
        "2017-01-21T20:26:52.340Z",
        "1985-04-12T23:20:50.52Z",
        "1996-12-19T16:39:57-08:00",
        "1990-12-31T15:59:59-08:00",
        "1937-01-01T12:00:27.87+00:20",
        "2024-02-29T00:00:00+14:00",
    ] {
        let theirs = DateTime::parse_from_rfc3339(text).unwrap();
        let ours = read_iso(text).unwrap();
        let back = DateTime::parse_from_rfc3339(&ours.edtf).unwrap();
        assert_eq!(back.timestamp(), theirs.timestamp(), "{text}");
        assert_eq!(back.offset(), theirs.offset(), "{text}");
        assert_eq!(ours.date, theirs.date_naive(), "{text}");
    }
}

#[test]
fn a_broken_date_time_says_what_and_where() {
    assert_eq!(
        iso_err("2017-01-21T2x:26:52Z"),
        ("the hour \"2x\" is not two digits".to_owned(), 11)
    );
    assert_eq!(
        iso_err("2017-02-30T00:00:00Z"),
        (
            "there is no day 30 in February 2017 (it has 28 days)".to_owned(),
            8
        )
    );
    assert_eq!(iso_err("2017-13-01T00:00:00Z").1, 5);
    assert_eq!(
        iso_err("2017-01-21T25:00:00Z"),
        ("the hour 25 is not 00 to 23".to_owned(), 11)
    );
    assert_eq!(iso_err("2017-01-21T20:61:00Z").1, 14);
    assert_eq!(iso_err("2017-01-21T20:26:52+15:00").1, 19);
    assert_eq!(
        iso_err("2017-01-21T20:26:52 UTC"),
        (
            "\" UTC\" after the time of day is not an offset (Z, +02:00, +0200 or -05)".to_owned(),
            19
        )
    );
    assert_eq!(iso_err("2017-01-21T20:26:52.Z").1, 20);
    assert_eq!(iso_err("2017-01-21T20").1, 13);
    assert!(iso_err("2017-01-21T24:00:00Z").0.contains("next day"));
}

#[test]
fn epoch_units_by_size_or_as_told() {
    let ms = read_epoch(1_485_030_412_340, TimeUnit::Auto).unwrap();
    assert_eq!(ms.edtf, "2017-01-21T20:26:52Z");
    assert_eq!(
        ms.epoch,
        Some(Epoch {
            unit: Unit::Milliseconds,
            guessed: true
        })
    );
    let s = read_epoch(1_485_030_412, TimeUnit::Auto).unwrap();
    assert_eq!(s.edtf, "2017-01-21T20:26:52Z");
    assert_eq!(s.epoch.unwrap().unit, Unit::Seconds);
    // Before 1970, a fraction of a second cut towards the past.
    assert_eq!(
        read_epoch(-1, TimeUnit::Milliseconds).unwrap().edtf,
        "1969-12-31T23:59:59Z"
    );
    assert_eq!(
        read_epoch(-14_182_940, TimeUnit::Seconds).unwrap().edtf,
        "1969-07-20T20:17:40Z"
    );
    // Told, a small number is read as told.
    let told = read_epoch(2022, TimeUnit::Seconds).unwrap();
    assert_eq!(told.edtf, "1970-01-01T00:33:42Z");
    assert!(!told.epoch.unwrap().guessed);
    let small = read_epoch(2022, TimeUnit::Auto).unwrap_err().message;
    assert!(small.starts_with("2022 is too small a number to tell its unit: as Unix epoch seconds it is 1970-01-01T00:33:42Z"), "{small}");
    let far = read_epoch(1_485_030_412_340, TimeUnit::Seconds).unwrap_err();
    assert!(
        far.message.contains("past the year 9999"),
        "{}",
        far.message
    );
    assert!(read_epoch(i64::MIN, TimeUnit::Auto).is_err());
    assert!(read_epoch(i64::MAX, TimeUnit::Milliseconds).is_err());
    let n: serde_json::Number = serde_json::from_str("1485030412.34").unwrap();
    assert!(
        read_json_number(&n, TimeUnit::Auto)
            .unwrap_err()
            .message
            .contains("not a whole number")
    );
    let n: serde_json::Number = serde_json::from_str("1485030412340.0").unwrap();
    assert_eq!(
        read_json_number(&n, TimeUnit::Auto).unwrap().edtf,
        "2017-01-21T20:26:52Z"
    );
    let n: serde_json::Number = serde_json::from_str("18446744073709551615").unwrap();
    assert!(read_json_number(&n, TimeUnit::Auto).is_err());
}

#[test]
fn cells_are_numbers_date_times_or_left_alone() {
    let unit = TimeUnit::Auto;
    assert_eq!(
        read_cell("1485030412", unit).unwrap().unwrap().edtf,
        "2017-01-21T20:26:52Z"
    );
    assert_eq!(
        read_cell("1485030412.000", unit).unwrap().unwrap().edtf,
        "2017-01-21T20:26:52Z"
    );
    assert!(read_cell("1485030412.5", unit).unwrap().is_err());
    assert!(read_cell("99999999999999999999", unit).unwrap().is_err());
    assert_eq!(
        read_cell("2022-07-15T10:30:00+02:00", unit)
            .unwrap()
            .unwrap()
            .edtf,
        "2022-07-15T10:30:00+02:00"
    );
    for other in [
        "15 July 2022",
        "2022-07-15",
        "2022",
        "x",
        "1.",
        "-",
        "2022-07-15T10:00/2022-07-16",
    ] {
        assert!(!matches!(read_cell(other, unit), Some(Ok(_))), "{other}");
    }
    assert!(read_cell("15 July 2022", unit).is_none());
    assert!(read_cell("2022-07-15", unit).is_none());
}

#[test]
fn the_reader_shows_the_time_of_day() {
    assert_eq!(
        clock("2017-01-21T20:26:52Z").as_deref(),
        Some("20:26:52 UTC")
    );
    assert_eq!(
        clock("2017-01-21T20:26:52+02:00").as_deref(),
        Some("20:26:52 UTC+02:00")
    );
    assert_eq!(
        clock("2017-01-21T20:26:52-05").as_deref(),
        Some("20:26:52 UTC-05")
    );
    assert_eq!(
        clock("2022-07-15T10:30:00").as_deref(),
        Some("10:30:00 (no time zone given)")
    );
    assert_eq!(clock("2022-07-15"), None);
}

#[test]
fn one_warning_per_file_says_the_unit() {
    let mut tally: Tally<usize> = Tally::default();
    assert!(tally.warning().is_none());
    let told = read_epoch(1_485_030_412_340, TimeUnit::Milliseconds).unwrap();
    tally.count(1, "1485030412340", &told);
    assert!(tally.is_empty(), "a unit the user gave is not guessed");
    for (at, n) in [(10, 1_485_030_412_340_i64), (20, 1_485_030_999_000)] {
        let s = read_epoch(n, TimeUnit::Auto).unwrap();
        tally.count(at, &n.to_string(), &s);
    }
    let (at, text) = tally.warning().unwrap();
    assert_eq!(at, 10);
    assert_eq!(
        text,
        "2 time(s) are Unix epoch numbers, read as milliseconds by their size (10^11 or more is milliseconds): the first, 1485030412340, is 2017-01-21T20:26:52Z; --time-unit s reads them as seconds"
    );
    let mut later: Tally<usize> = Tally::default();
    later.count(
        5,
        "1485030412",
        &read_epoch(1_485_030_412, TimeUnit::Auto).unwrap(),
    );
    tally.merge(later);
    let (at, text) = tally.warning().unwrap();
    assert_eq!(at, 5);
    assert!(
        text.starts_with("3 time(s) are Unix epoch numbers of two sizes"),
        "{text}"
    );
    assert!(is_time_name("updated") && is_time_name("Event_Date") && is_time_name("created_at"));
    assert!(!is_time_name("mag") && !is_time_name("at"));
}

/// Over epoch times spread across the years 0000–9999 and offsets of every
/// size: the EDTF made is the instant chrono makes, cut to the second, and
/// EDTF reads it on the day it was written for.
#[test]
fn random_instants_agree_with_chrono() {
    let mut seed: u64 = 0x5eed_1234_abcd_0042;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 11
    };
    let (first, last) = (-62_167_219_200_000_i64, 253_402_300_799_999_i64);
    let span = u64::try_from(last - first).unwrap();
    for _ in 0..5000 {
        let ms = first + i64::try_from(next() % span).unwrap();
        let stamp = read_epoch(ms, TimeUnit::Milliseconds).unwrap();
        let back = DateTime::parse_from_rfc3339(&stamp.edtf).unwrap();
        assert_eq!(back.timestamp(), ms.div_euclid(1000), "{ms}");
        assert_eq!(stamp.date, back.date_naive(), "{ms}");
        // The same instant written with an offset and milliseconds.
        let minutes = i32::try_from(next() % (28 * 60 + 1)).unwrap() - 14 * 60;
        let offset = chrono::FixedOffset::east_opt(minutes * 60).unwrap();
        let local = DateTime::from_timestamp_millis(ms)
            .unwrap()
            .with_timezone(&offset);
        if !(0..=9999).contains(&local.year()) {
            continue;
        }
        let written = local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
        let ours = read_iso(&written).unwrap();
        let theirs = DateTime::parse_from_rfc3339(&ours.edtf).unwrap();
        assert_eq!(theirs.timestamp(), ms.div_euclid(1000), "{written}");
        assert_eq!(ours.date, local.date_naive(), "{written}");
        let t = FuzzyTime::parse(&ours.edtf).unwrap();
        assert_eq!(
            t.earliest(),
            Some(crate::model::Day::from_date(ours.date)),
            "{written}"
        );
    }
}
