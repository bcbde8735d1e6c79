//! TimelineJS: the JSON format (<https://timeline.knightlab.com/docs/json-format.html>)
//! and the Google-spreadsheet template saved as CSV; the same slides wrapped
//! in a `timeline` object; and the files of TimelineJS 2, which years of
//! published timelines still are (see "Other forms" below).
//!
//! - The `title` slide (or the spreadsheet row of Type `title`) gives the
//!   dataset's title and description; `events` (rows of any other Type) become
//!   events of category `other`, without places; `eras` (rows of Type `era`)
//!   become the dataset's eras, never events.
//! - Dates keep their precision: a `year` alone is a year (`2022`), with a
//!   `month` a month (`2022-07`), with a `day` a day (`2022-07-15`), with an
//!   `hour` a date-time (`2022-07-15T10:30:00`); an `end_date` makes an
//!   interval. No month or day is ever invented: a day without a month is an
//!   error, a time of day without a day is ignored (with a warning). Values may
//!   be numbers or strings (`"2022"`); years beyond ±9999 are refused.
//! - Years are as TimelineJS shows them: it has no year 0, so `-500` is
//!   500 BCE (EDTF, which counts astronomically, `-0499`) and `-1` is 1 BCE
//!   (`0000`); a year 0 is read as 1 BCE, with a warning. The export writes
//!   them back the same way (astronomical `a ≤ 0` as `a - 1`). Both
//!   conversions are `dates::astronomical_year` and `dates::timelinejs_year`,
//!   and nothing else converts a year.
//! - The `start_date` / `end_date` objects are kept as read, so that an export
//!   gives them back field for field. For a CSV row they are built the way
//!   TimelineJS's own spreadsheet reader builds them: `year`, `month` and
//!   `day` as the cells' text (whitespace and thousands commas removed), the
//!   Time column split into numeric `hour`, `minute`, `second` and
//!   `millisecond`; empty cells are left out.
//! - HTML in headlines, texts, captions and credits is reduced to its text.
//!   Media are kept as links (never fetched); thumbnails, slide backgrounds
//!   and `autolink` have no place in mapline and are dropped (one warning says
//!   how many).
//! - Ids: `unique_id` (duplicates are errors), else a slug of the headline
//!   and the event's number.
//! - An event written by mapline's own export carries a `mapline` object (see
//!   `MaplineEvent` below) with the exact EDTF time, id, category, places, actors
//!   and links; they are taken from it, so that a native → TimelineJS →
//!   native round trip keeps them. When the TimelineJS dates were edited
//!   since, the edited dates win (with a warning).
//! - The title slide of mapline's own export carries a `mapline` object too
//!   (`MaplineStory` below): the claims, with the articles their stances
//!   quote, and the actors and places they name. They are read back as the
//!   dataset's claims and sources, and the loader proves every quote against
//!   its article (and every article against its `sha256`), as for a native
//!   folder. A claim's events that are not in the file are dropped (with a
//!   warning), as links are.
//!
//! Other forms, detected from their content:
//!
//! - **Wrapped** (`top`): `{"timeline": {"title", "events" | "slides",
//!   "eras"}}`, version 3 content inside a `timeline` object; `slides` are
//!   read as `events` (a file giving both is refused: which one holds the
//!   slides cannot be told).
//! - **TimelineJS 2 JSON** (`v2`): `{"timeline": {"headline", "type",
//!   "text", "startDate", "asset", "date": […], "era": […]}}`. The `timeline`
//!   object's `headline` and `text` are the title and description (its own
//!   `startDate` and `asset` are not kept); each `date` item is an event
//!   (`headline`, `text` from HTML as above, `asset.media` as a link with its
//!   `credit` and `caption`, `tag` as the group; `asset.thumbnail` and
//!   `classname` are not kept); `era` items are eras. A `type` other than
//!   `default` is warned about: nothing is fetched. Items are `date 3
//!   ("Headline…")` in messages.
//! - **TimelineJS 2 dates** (`v2_dates`): `startDate` / `endDate` strings
//!   `year,month,day[,hour,minute,second]`, `m/d/yyyy [h:m[:s]]`, `m/yyyy`,
//!   a bare year, or ISO 8601 (`2012-01-10T14:30:00`, with `Z` or an offset
//!   and fractional seconds: kept to the second as an EDTF date-time, the
//!   time of day as written; the shifts are not kept, one warning says how
//!   many). Each keeps its precision (`2011,12` is a month, `2011` a year),
//!   and is checked field by field as a version 3 date object is, each
//!   problem at its place inside the string. The event keeps version 3 date
//!   objects that say the same, which the export writes.
//! - **JSONP** (`jsonp`): `storyjs_jsonp_data = {…};`, with `var`, `let` or
//!   `const`, any whitespace, and the semicolon or none; the object is read
//!   as TimelineJS 2 (or 3) JSON where it stands, so positions are the file's.
//! - **TimelineJS 2 spreadsheet** (`v2_sheet`): the columns Start Date, End
//!   Date, Headline, Text, Media, Media Credit, Media Caption, Media
//!   Thumbnail, Type and Tag, told by Start Date without Year; dates as in
//!   TimelineJS 2 JSON; Type `title` (or `start`) is the title row, `era`
//!   rows are eras, Tag is the group.
//!
//! Every problem is reported at its line and column in the imported file,
//! with the item (`event 3 ("Headline…")`); all of them, not just the first.

pub(crate) mod clock;
pub(crate) mod collect;
pub(crate) mod dates;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod json_dates;
pub(crate) mod jsonp;
pub(crate) mod raw;
pub(crate) mod sheet;
pub(crate) mod slide;
pub(crate) mod text;
#[cfg(test)]
mod time_tests;
pub(crate) mod top;
pub(crate) mod v2;
pub(crate) mod v2_dates;
pub(crate) mod v2_sheet;
pub mod write;

pub use json::import_json;
pub use sheet::import_csv;

use serde::{Deserialize, Serialize};

use crate::io::format::{ActorEntry, ClaimEntry, LinkEntry, PlaceEntry, SourceEntry};
use crate::model::{Category, LocationPrecision, PlaceKind, PlaceRole};

/// Longest headline shown in an item label.
pub(crate) const LABEL_CHARS: usize = 40;

/// Longest start of a text used as a title when the headline is empty.
pub(crate) const TITLE_CHARS: usize = 60;

// ---------------------------------------------------------------------------
// The `mapline` object of mapline's own export.

/// The `mapline` object that mapline's TimelineJS export adds to each event,
/// so that reading the file back loses nothing TimelineJS cannot hold:
///
/// ```json
/// "mapline": {
///   "id": "cyberattack-2022-07-15",
///   "time": "2022-07-15",
///   "time_note": "AP, teleSUR and the US statement agree on the day.",
///   "category": "cyber",
///   "places": [{"id": "tirana", "name": "Tirana", "lon": 19.82, "lat": 41.33,
///               "kind": "city", "precision": "city", "country": "Albania",
///               "role": "target"}],
///   "actors": [{"id": "iran", "name": "Iran", "kind": "state"}],
///   "links": [{"relation": "responds-to", "event": "earlier-event-id"}],
///   "event_type": "…", "attribution": "…"
/// }
/// ```
///
/// Places are the native place entries plus the `role` the place plays in
/// the event; actors are native actor entries. Both are de-duplicated by id
/// on import (the first description wins).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct MaplineEvent {
    /// The event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    /// The exact EDTF time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) time: Option<String>,
    /// How the time was read from the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) time_note: Option<String>,
    /// The category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) category: Option<Category>,
    /// Places, each with its role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) places: Vec<MaplinePlace>,
    /// Actors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) actors: Vec<ActorEntry>,
    /// Links to earlier events (by id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) links: Vec<LinkEntry>,
    /// The imported type words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) event_type: Option<String>,
    /// The imported attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attribution: Option<String>,
}

/// A place of an event in the `mapline` object: the native place entry and
/// the place's role in the event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaplinePlace {
    /// Unique id.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) aliases: Vec<String>,
    /// Longitude.
    pub(crate) lon: f64,
    /// Latitude.
    pub(crate) lat: f64,
    /// What kind of place.
    pub(crate) kind: PlaceKind,
    /// How precise the coordinates are.
    pub(crate) precision: LocationPrecision,
    /// Its country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<String>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// Its role in the event.
    pub(crate) role: PlaceRole,
}

impl MaplinePlace {
    /// The place of `entry` in the role `role`.
    pub(crate) fn new(entry: PlaceEntry, role: PlaceRole) -> Self {
        Self {
            id: entry.id,
            name: entry.name,
            aliases: entry.aliases,
            lon: entry.lon,
            lat: entry.lat,
            kind: entry.kind,
            precision: entry.precision,
            country: entry.country,
            note: entry.note,
            role,
        }
    }

    /// The native place entry, and the role.
    pub(crate) fn into_entry(self) -> (PlaceEntry, PlaceRole) {
        (
            PlaceEntry {
                id: self.id,
                name: self.name,
                aliases: self.aliases,
                lon: self.lon,
                lat: self.lat,
                kind: self.kind,
                precision: self.precision,
                country: self.country,
                note: self.note,
            },
            self.role,
        )
    }
}

/// The `mapline` object of the title slide of mapline's export: the claims
/// about the view's events, and what they need that the events' own
/// `mapline` objects do not carry:
///
/// ```json
/// "title": {"text": {…}, "mapline": {
///   "sources": [{"id": "ap", "outlet": "…", "title": "…", "published": "2022-09-07",
///                "perspective": "US wire", "actor": "ap", "licence": "…",
///                "file": "sources/ap.txt", "sha256": "…", "text": "the whole article"}],
///   "actors": [{"id": "albania", "name": "Albania", "kind": "state"}],
///   "places": [{"id": "iran", "name": "Iran", …}],
///   "claims": [{"id": "…", "statement": "…", "events": ["cyberattack-2022-07-15"],
///               "alleged_origin": "iran",
///               "stances": [{"actor": "us", "stance": "asserts", "source": "ap",
///                            "quote": "…", "time": "../2012", "note": "…"}]}]
/// }}
/// ```
///
/// Claims are the native claim entries (events and places by id, stances
/// with actor and source ids, each quote verbatim with the `occurrence`
/// that resolves it to the same passage); sources are the native source
/// entries of the articles the stances quote, each with the article's
/// whole `text` (its `sha256` is the text's), so that the quotes can be
/// proven again; actors are those of the stances and the sources' own
/// voices; places the claims' alleged origins.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct MaplineStory {
    /// The articles the stances quote, with their text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) sources: Vec<MaplineSource>,
    /// The actors of the stances and of the sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) actors: Vec<ActorEntry>,
    /// The claims' alleged origins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) places: Vec<PlaceEntry>,
    /// The claims.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) claims: Vec<ClaimEntry>,
}

impl MaplineStory {
    /// Nothing to carry?
    pub(crate) fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.actors.is_empty()
            && self.places.is_empty()
            && self.claims.is_empty()
    }
}

/// A source in the title slide's `mapline` object: the native source entry
/// and the article's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaplineSource {
    /// Unique id.
    pub(crate) id: String,
    /// The outlet.
    pub(crate) outlet: String,
    /// The headline.
    pub(crate) title: String,
    /// Named authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) authors: Vec<String>,
    /// Publication time as EDTF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) published: Option<String>,
    /// How the publication time was established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) published_note: Option<String>,
    /// The perspective tag.
    pub(crate) perspective: String,
    /// The actor that is the outlet speaking for itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) actor: Option<String>,
    /// Where the article was published on the web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    /// Licence or copyright note.
    #[serde(default)]
    pub(crate) licence: String,
    /// The article's file name in a native dataset folder.
    pub(crate) file: String,
    /// SHA-256 of the article text.
    pub(crate) sha256: String,
    /// The whole article.
    pub(crate) text: String,
}

impl MaplineSource {
    /// The source of `entry`, with its article `text`.
    pub(crate) fn new(entry: SourceEntry, text: String) -> Self {
        Self {
            id: entry.id,
            outlet: entry.outlet,
            title: entry.title,
            authors: entry.authors,
            published: entry.published,
            published_note: entry.published_note,
            perspective: entry.perspective,
            actor: entry.actor,
            url: entry.url,
            licence: entry.licence,
            file: entry.file,
            sha256: entry.sha256,
            text,
        }
    }

    /// The native source entry, and the article's text.
    pub(crate) fn into_entry(self) -> (SourceEntry, String) {
        (
            SourceEntry {
                id: self.id,
                outlet: self.outlet,
                title: self.title,
                authors: self.authors,
                published: self.published,
                published_note: self.published_note,
                perspective: self.perspective,
                actor: self.actor,
                url: self.url,
                licence: self.licence,
                file: self.file,
                sha256: self.sha256,
            },
            self.text,
        )
    }
}

/// The `mapline` object of an exported era: its exact EDTF time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MaplineEra {
    /// The exact EDTF time.
    pub(crate) time: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::collect::*;
    use super::dates::*;
    use super::text::collapse;

    fn fields(year: i64, month: Option<u32>, day: Option<u32>) -> DateFields {
        DateFields {
            year,
            month,
            day,
            ..DateFields::default()
        }
    }

    #[test]
    fn composes_edtf_to_the_given_precision() {
        assert_eq!(compose(&fields(2022, None, None), None).unwrap(), "2022");
        assert_eq!(
            compose(&fields(2022, Some(7), None), None).unwrap(),
            "2022-07"
        );
        assert_eq!(
            compose(&fields(2022, Some(7), Some(15)), None).unwrap(),
            "2022-07-15"
        );
        assert_eq!(compose(&fields(-500, None, None), None).unwrap(), "-0500");
        let mut timed = fields(2022, Some(7), Some(15));
        timed.hour = Some(10);
        timed.minute = Some(30);
        assert_eq!(compose(&timed, None).unwrap(), "2022-07-15T10:30:00");
        assert_eq!(
            compose(&timed, Some(&fields(2022, Some(9), None))).unwrap(),
            "2022-07-15/2022-09"
        );
        assert!(matches!(
            compose(&fields(2022, None, None), Some(&fields(2020, None, None))),
            Err(ComposeError::End(_))
        ));
    }

    #[test]
    fn timelinejs_years_have_no_zero() {
        // TimelineJS's -500 is 500 BCE: astronomical -499, EDTF -0499.
        assert_eq!(astronomical_year(-500), -499);
        assert_eq!(astronomical_year(-1), 0);
        assert_eq!(astronomical_year(0), 0);
        assert_eq!(astronomical_year(1), 1);
        assert_eq!(astronomical_year(2022), 2022);
        assert_eq!(timelinejs_year(-499), -500);
        assert_eq!(timelinejs_year(0), -1);
        assert_eq!(timelinejs_year(1), 1);
        assert_eq!(timelinejs_year(i64::MIN), i64::MIN);
        // Every astronomical year comes back; no TimelineJS year 0 is written.
        for a in -10_000..=10_000 {
            let t = timelinejs_year(a);
            assert_ne!(t, 0);
            assert_eq!(astronomical_year(t), a);
        }
        assert_eq!(year_text(astronomical_year(-500)), "-0499");
        // Deep years stand as written: TimelineJS3 draws them on its
        // cosmological scale, where there is no calendar to lack a year 0.
        assert_eq!(astronomical_year(-13_800_000_000), -13_800_000_000);
        assert_eq!(timelinejs_year(-13_800_000_000), -13_800_000_000);
        assert_eq!(year_text(-13_800_000_000), "Y-13800000000");
        assert_eq!(year_words(-13_800_000_000), "13.8 billion years ago");
        for a in (-CALENDAR_YEARS - 10_000..-CALENDAR_YEARS)
            .chain(-CALENDAR_YEARS + 1..-CALENDAR_YEARS + 10_000)
        {
            assert_eq!(astronomical_year(timelinejs_year(a)), a, "{a}");
        }
        assert_eq!(year_words(-499), "500 BCE");
        assert_eq!(year_words(0), "1 BCE");
        assert_eq!(year_words(1), "1");
    }

    #[test]
    fn collapse_joins_the_words_by_one_space() {
        for text in [
            "",
            "a",
            "a b",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{b}b",
            "a\u{c}b",
            "a\rb",
            "a\u{a0}b",
            "a\u{2003}b",
            "é b",
            "  ",
            "one two three",
        ] {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(collapse(text), words.join(" "), "{text:?}");
        }
    }

    #[test]
    fn reads_spreadsheet_times() {
        assert_eq!(parse_time("10:30"), Some([Some(10), Some(30), None, None]));
        assert_eq!(
            parse_time("10:30:15.25"),
            Some([Some(10), Some(30), Some(15), Some(250)])
        );
        assert_eq!(parse_time("1030"), Some([Some(10), Some(30), None, None]));
        assert_eq!(parse_time("2:05 PM"), Some([Some(14), Some(5), None, None]));
        assert_eq!(parse_time("12 a.m."), Some([Some(0), None, None, None]));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("10:61"), None);
        assert_eq!(parse_time("noon"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn strips_html_to_text() {
        assert_eq!(
            strip_html("<p>Hello <b>world</b> &amp; <a href='x'>you</a></p><p>Two</p>"),
            "Hello world & you\n\nTwo"
        );
        assert_eq!(strip_html("  plain\n text "), "plain text");
        assert_eq!(slug("Ada Lovelace, née Byron!"), "ada-lovelace-née-byron");
        assert_eq!(short("one two three four", 9), "one two…");
    }
}
