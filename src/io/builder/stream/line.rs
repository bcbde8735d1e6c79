//! One event line of a clean dataset, parsed borrowed and built at once.

use super::book::{FxMap, fx_hash};
use crate::io::builder::rules;
use crate::io::quote::fold_quote;
use crate::model::{
    ActorIdx, EventExtra, EventParts, EventPlace, Events, Excerpt, Media, PlaceIdx, SourceIdx,
    TimeBounds, TimeRef,
};
use serde::Deserialize;

/// A JSON string, borrowed from the line when it has no escapes.
#[derive(Deserialize)]
pub(crate) struct Text<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// An event line as [`EventEntry`] reads it (same fields, same rules), but
/// borrowing its strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventLine<'a> {
    #[serde(borrow)]
    pub(crate) id: Text<'a>,
    #[serde(borrow)]
    pub(crate) title: Text<'a>,
    #[serde(borrow)]
    pub(crate) time: Text<'a>,
    #[serde(default)]
    pub(crate) time_note: Option<String>,
    pub(crate) category: crate::model::Category,
    #[serde(default, borrow)]
    pub(crate) places: Vec<PlaceLine<'a>>,
    #[serde(default, borrow)]
    pub(crate) actors: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub(crate) excerpts: Vec<ExcerptLine<'a>>,
    #[serde(default)]
    pub(crate) text: Option<String>,
    #[serde(default, borrow)]
    pub(crate) links: Vec<LinkLine<'a>>,
    #[serde(default)]
    pub(crate) media: Option<crate::io::format::MediaEntry>,
    #[serde(default)]
    pub(crate) group: Option<String>,
    #[serde(default)]
    pub(crate) display_date: Option<String>,
    #[serde(default)]
    pub(crate) event_type: Option<String>,
    #[serde(default)]
    pub(crate) attribution: Option<String>,
    #[serde(default)]
    pub(crate) timelinejs: Option<crate::io::format::TimelineJsDates>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlaceLine<'a> {
    #[serde(borrow)]
    pub(crate) place: Text<'a>,
    pub(crate) role: crate::model::PlaceRole,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExcerptLine<'a> {
    #[serde(borrow)]
    pub(crate) source: Text<'a>,
    #[serde(borrow)]
    pub(crate) quote: Text<'a>,
    #[serde(default)]
    pub(crate) occurrence: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkLine<'a> {
    pub(crate) relation: crate::model::LinkRelation,
    #[serde(borrow)]
    pub(crate) event: Text<'a>,
}

/// The ids every event line is resolved against.
pub(crate) struct Lookups<'m> {
    pub(crate) sources: FxMap<&'m str, u32>,
    pub(crate) actors: FxMap<&'m str, u32>,
    pub(crate) places: FxMap<&'m str, u32>,
    /// Imported data may have events without excerpts.
    pub(crate) imported: bool,
}

/// A quote of an event line, folded, waiting to be interned: its text is
/// `folded[start..end]` of the [`BuiltLines`] that holds it.
pub(crate) struct LineQuote {
    pub(crate) source: u32,
    pub(crate) hash: u64,
    start: u32,
    end: u32,
    pub(crate) occurrence: u32,
}

/// Event lines read into columns: the events (resolved but for their links
/// and their excerpts' spans), their quotes in order, and their links by the
/// index of the event (in these lines) that holds them.
#[derive(Default)]
pub(crate) struct BuiltLines {
    pub(crate) events: Events,
    pub(crate) quotes: Vec<LineQuote>,
    /// The quotes' folded texts, end to end: the lines they came from
    /// need not outlive the run.
    folded: String,
    pub(crate) links: Vec<(u32, crate::model::LinkRelation, Box<str>)>,
    /// Room reused from one line to the next.
    places: Vec<EventPlace>,
    actors: Vec<ActorIdx>,
    excerpts: Vec<Excerpt>,
}

impl BuiltLines {
    /// The folded text of one of its quotes.
    pub(crate) fn folded(&self, q: &LineQuote) -> &str {
        self.folded
            .get(q.start as usize..q.end as usize)
            .unwrap_or_default()
    }
}

/// Reads event lines (their JSON texts) into columns; `None` at any problem.
pub(crate) fn build_events(raws: &[&str], lk: &Lookups<'_>) -> Option<BuiltLines> {
    let mut out = BuiltLines::default();
    out.events.reserve(raws.len());
    for raw in raws {
        build_event(raw, lk, &mut out)?;
    }
    Some(out)
}

/// Is `quote` already what [`fold_quote`] makes of it?
pub(crate) fn is_folded(quote: &str) -> bool {
    // Starting as if after a space refuses a leading space.
    let mut previous_space = true;
    if quote.is_ascii() {
        for &b in quote.as_bytes() {
            if b == b' ' {
                if previous_space {
                    return false;
                }
                previous_space = true;
            } else if b.is_ascii_whitespace() || b == 0x0b {
                return false;
            } else {
                previous_space = false;
            }
        }
    } else {
        for c in quote.chars() {
            if c.is_whitespace() {
                if c != ' ' || previous_space {
                    return false;
                }
                previous_space = true;
            } else {
                previous_space = false;
            }
        }
    }
    !previous_space || quote.is_empty()
}

/// Reads one event (its JSON text) into `out`; `None` at any problem.
fn build_event(raw: &str, lk: &Lookups<'_>, out: &mut BuiltLines) -> Option<()> {
    let line: EventLine<'_> = serde_json::from_str(raw).ok()?;
    // Typed fields refuse a repeated key themselves; the kept TimelineJS
    // date objects are free JSON, so they are scanned (the careful loader
    // reports what it finds).
    if line.timelinejs.is_some() && !crate::io::json_keys::duplicate_keys(raw, 1).is_empty() {
        return None;
    }
    if !rules::id_given(&line.id.0) || !rules::says_something(&line.title.0) {
        return None;
    }
    let bounds = TimeBounds::parse(&line.time.0).ok()?;
    let (places, actors, excerpts) = (&mut out.places, &mut out.actors, &mut out.excerpts);
    places.clear();
    actors.clear();
    excerpts.clear();
    for p in &line.places {
        places.push(EventPlace {
            place: PlaceIdx(*lk.places.get(&*p.place.0)?),
            role: p.role,
        });
    }
    for a in &line.actors {
        actors.push(ActorIdx(*lk.actors.get(&*a.0)?));
    }
    if line.excerpts.is_empty() && !rules::unsourced_allowed(lk.imported) {
        return None;
    }
    let quotes_before = out.quotes.len();
    for x in line.excerpts {
        let source = *lk.sources.get(&*x.source.0)?;
        let occurrence = u32::try_from(rules::occurrence(x.occurrence).ok()?).ok()?;
        if crate::io::lint::quote_concern(&x.quote.0).is_some() {
            return None; // a warning: the careful loader says it
        }
        let folded = match x.quote.0 {
            std::borrow::Cow::Borrowed(q) if is_folded(q) => std::borrow::Cow::Borrowed(q),
            q => std::borrow::Cow::Owned(fold_quote(&q)),
        };
        if folded.is_empty() {
            return None;
        }
        excerpts.push(Excerpt::new(SourceIdx(source), 0..0));
        let start = u32::try_from(out.folded.len()).ok()?;
        out.folded.push_str(&folded);
        out.quotes.push(LineQuote {
            source,
            hash: fx_hash(folded.as_bytes()),
            start,
            end: u32::try_from(out.folded.len()).ok()?,
            occurrence,
        });
    }
    debug_assert_eq!(out.quotes.len() - quotes_before, excerpts.len());
    let index = u32::try_from(out.events.len()).ok()?;
    out.links.extend(
        line.links
            .into_iter()
            .map(|l| (index, l.relation, Box::<str>::from(&*l.event.0))),
    );
    let extra = EventExtra {
        media: line.media.map(|m| {
            Box::new(Media {
                url: m.url,
                caption: m.caption,
                credit: m.credit,
            })
        }),
        group: line.group,
        display_date: line.display_date,
        event_type: line.event_type,
        attribution: line.attribution,
        timelinejs_dates: line
            .timelinejs
            .map(|d| Box::new((d.start_date, d.end_date))),
    };
    out.events.push_parts(EventParts {
        id: &line.id.0,
        title: &line.title.0,
        time: TimeRef::new(&line.time.0, bounds),
        time_note: line.time_note.as_deref(),
        category: line.category,
        places,
        actors,
        excerpts,
        text: line.text.map(std::borrow::Cow::Owned),
        links: &[],
        words: crate::model::EventWords::default(),
        extra: (extra != EventExtra::default()).then_some(extra),
    });
    Some(())
}
