//! Events: what happened, when, where, and the excerpts that report it.

use super::time::FuzzyTime;
use super::{ActorIdx, Excerpt, PlaceIdx, index_type, word_enum};

index_type!(
    /// Index of an [`Event`] in [`super::Dataset::events`].
    EventIdx
);

word_enum!(
    /// The kind of event.
    Category {
        /// Attacks and operations in cyberspace.
        Cyber => "cyber",
        /// Relations between states: ties, embassies, talks, votes.
        Diplomatic => "diplomatic",
        /// Armed forces, arms, wars.
        Military => "military",
        /// Politics and government: revolutions, alliances, statements.
        Political => "political",
        /// Trade, sanctions' economic side, energy.
        Economic => "economic",
        /// Law: designations, sanctions, investigations, reports.
        Legal => "legal",
        /// Attacks on people.
        Violence => "violence",
        /// People moving: exile, evacuation, resettlement.
        Relocation => "relocation",
        /// Anything else (imported events whose format has no category).
        Other => "other",
    }
);

word_enum!(
    /// What part a place plays in an event.
    PlaceRole {
        /// Where it happened.
        Location => "location",
        /// What it was aimed at.
        Target => "target",
        /// Where it came from (as fact; an alleged origin lives in a claim).
        Origin => "origin",
        /// Where it went to.
        Destination => "destination",
        /// The forum where it took place (the UN Security Council).
        Venue => "venue",
        /// The capital from which a government acted.
        Seat => "seat",
    }
);

word_enum!(
    /// How one event relates to an earlier one.
    LinkRelation {
        /// This event was caused by the earlier one.
        CausedBy => "caused-by",
        /// This event responds to the earlier one.
        RespondsTo => "responds-to",
    }
);

/// A place an event touches, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventPlace {
    /// The place.
    pub place: PlaceIdx,
    /// Its role in the event.
    pub role: PlaceRole,
}

/// A link from an event to an earlier event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventLink {
    /// How they relate.
    pub relation: LinkRelation,
    /// The earlier event.
    pub event: EventIdx,
}

/// Something that happened, as the sources report it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable id, unique among events.
    pub id: String,
    /// A neutral title.
    pub title: String,
    /// When, as precisely as the sources give it.
    pub time: FuzzyTime,
    /// How the time was read from the sources.
    pub time_note: Option<String>,
    /// What kind of event.
    pub category: Category,
    /// Places it touches, with roles.
    pub places: Vec<EventPlace>,
    /// Actors involved.
    pub actors: Vec<ActorIdx>,
    /// Verified excerpts; empty only for imported events (reported as unsourced).
    pub excerpts: Vec<Excerpt>,
    /// Free text from an importer that has no excerpts (never shown as a quote).
    pub text: Option<String>,
    /// Links to earlier events.
    pub links: Vec<EventLink>,
    /// What an imported format carries beyond the native fields (boxed: most
    /// events have none, and a million events should stay small).
    pub extra: Option<Box<EventExtra>>,
}

/// Fields an importer keeps that the native model has no place for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventExtra {
    /// A picture or page the file links to; never fetched.
    pub media: Option<Box<Media>>,
    /// The file's own grouping (TimelineJS `group`).
    pub group: Option<String>,
    /// How the file wants the date shown (TimelineJS `display_date`).
    pub display_date: Option<String>,
    /// The file's own type words (ACLED `event_type / sub_event_type`, TimelineJS `Type`).
    pub event_type: Option<String>,
    /// The sources the file cites (ACLED `source`): a citation, not a verified excerpt.
    pub attribution: Option<String>,
    /// The TimelineJS `start_date` and `end_date` objects exactly as read, so
    /// that an export gives them back field for field.
    pub timelinejs_dates: Option<Box<(serde_json::Value, Option<serde_json::Value>)>>,
}

impl EventExtra {
    /// The bytes its fields own on the heap (by capacity).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        let media = self.media.as_ref().map_or(0, |m| {
            size_of::<Media>() + m.url.capacity() + text(&m.caption) + text(&m.credit)
        });
        // A JSON value's own heap is not walked: only TimelineJS imports keep them.
        let dates = self.timelinejs_dates.as_ref().map_or(0, |_| {
            size_of::<(serde_json::Value, Option<serde_json::Value>)>()
        });
        media
            + text(&self.group)
            + text(&self.display_date)
            + text(&self.event_type)
            + text(&self.attribution)
            + dates
    }

    /// The times of day the kept TimelineJS date objects give (`10:30` or
    /// `10:30 – 14:00`), which an EDTF interval cannot hold: shown beside the
    /// day so that no hour the file gives is dropped silently.
    ///
    /// ```
    /// use mapline::model::EventExtra;
    /// let start = serde_json::json!({"year": 2022, "month": 7, "day": 15, "hour": 10, "minute": 30});
    /// let end = serde_json::json!({"year": 2022, "month": 7, "day": 15, "hour": "14"});
    /// let extra = EventExtra { timelinejs_dates: Some(Box::new((start, Some(end)))), ..EventExtra::default() };
    /// assert_eq!(extra.clock_times().as_deref(), Some("10:30 – 14:00"));
    /// ```
    #[must_use]
    pub fn clock_times(&self) -> Option<String> {
        let (start, end) = self.timelinejs_dates.as_deref()?;
        let clock = |v: &serde_json::Value| -> Option<String> {
            let field = |k: &str| -> Option<u32> {
                match v.get(k)? {
                    serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                    serde_json::Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                }
            };
            let hour = field("hour").filter(|h| *h < 24)?;
            let minute = field("minute").filter(|m| *m < 60).unwrap_or(0);
            Some(format!("{hour:02}:{minute:02}"))
        };
        match (clock(start), end.as_ref().and_then(clock)) {
            (Some(a), Some(b)) => Some(format!("{a} – {b}")),
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(format!("until {b}")),
            (None, None) => None,
        }
    }
}

/// A linked picture or page, with its caption and credit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Media {
    /// Where it lives (never fetched by mapline).
    pub url: String,
    /// Its caption.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
}

impl Event {
    /// Does the event touch `place`?
    #[must_use]
    pub fn touches(&self, place: PlaceIdx) -> bool {
        self.places.iter().any(|p| p.place == place)
    }
}
