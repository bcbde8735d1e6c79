//! Resolving entries into the model: ids, references with their "did you
//! mean", places, sources (their articles read and hashed), events, claims.

use std::collections::HashSet;

use crate::io::builder::quotes::{PendingQuote, QuoteTarget};
use crate::io::builder::{Ctx, Item, Loc, Span, Step, rules};
use crate::io::diagnostic::{Diagnostic, LineIndex};
use crate::io::files::DatasetFiles;
use crate::io::format::{ClaimEntry, EraEntry, EventEntry, PlaceEntry, SourceEntry};
use crate::io::quote::{QuoteQuery, fold_quote};
use crate::io::suggest::Suggester;
use crate::model::{
    ActorIdx, Category, Claim, Era, Event, EventExtra, EventIdx, EventLink, EventPlace, Excerpt,
    FuzzyTime, Media, Place, PlaceIdx, Source, SourceIdx, Stance,
};
use sha2::{Digest as _, Sha256};

/// Ids are short keys from the file: a fast hash, not `SipHash`.
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Unique ids of one kind, reporting duplicates.
pub(crate) fn index_ids<'a>(
    ctx: &mut Ctx<'_>,
    kind: &str,
    items: &[Item<'a>],
) -> FxMap<&'a str, u32> {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    ids.reserve(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = item.id;
        if !rules::id_given(id) {
            let at = ctx.key_at(item.span, &[Step::Key("id")]);
            ctx.error(at, &item.label(), format!("{kind} id is empty"));
        } else if let Some(&first) = ids.get(id) {
            let first = items[first as usize].loc();
            let first_line = ctx.files[first.file].2.pos(first.offset).line;
            let at = ctx.value_at(item.span, &[Step::Key("id")]);
            ctx.error(
                at,
                &item.label(),
                format!("duplicate {kind} id {id:?} (first defined at line {first_line})"),
            );
        } else {
            ids.insert(id, i as u32);
        }
    }
    ids
}

/// Resolves references: `'t` is the files' text, `'e` the entries' ids.
pub(crate) struct Resolver<'t, 'e, 'c> {
    pub(crate) ctx: &'c mut Ctx<'t>,
    /// Ids of items that are broken themselves (already reported): a
    /// reference to one is not reported again as unknown.
    pub(crate) broken: HashSet<String>,
    pub(crate) source_ids: FxMap<&'e str, u32>,
    pub(crate) actor_ids: FxMap<&'e str, u32>,
    pub(crate) place_ids: FxMap<&'e str, u32>,
    pub(crate) event_ids: FxMap<&'e str, u32>,
    /// "Did you mean" indexes of the source, actor, place and event ids,
    /// built at the first unknown reference of each kind.
    pub(crate) suggesters: [Option<Suggester<'e>>; 4],
    pub(crate) pending: Vec<PendingQuote<'e>>,
}

impl<'e> Resolver<'_, 'e, '_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn lookup<T: Copy>(
        ctx: &mut Ctx<'_>,
        broken: &HashSet<String>,
        ids: &FxMap<&'e str, u32>,
        suggester: &mut Option<Suggester<'e>>,
        make: impl Fn(u32) -> T,
        kind: &str,
        id: &str,
        (item, path): (&Item<'_>, &[Step]),
    ) -> Option<T> {
        if let Some(&i) = ids.get(id) {
            return Some(make(i));
        }
        if broken.contains(&format!("{kind} {id}")) {
            return None;
        }
        let hint = suggester
            .get_or_insert_with(|| Suggester::new(ids.keys().copied()))
            .nearest(id)
            .map_or_else(String::new, |k| format!(" (did you mean {k:?}?)"));
        let at = ctx.value_at(item.span, path);
        ctx.error(at, &item.label(), format!("unknown {kind} id {id:?}{hint}"));
        None
    }

    /// The place `id` named at `path` in `item`.
    pub(crate) fn place(&mut self, id: &str, item: &Item<'_>, path: &[Step]) -> Option<PlaceIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.place_ids,
            &mut self.suggesters[2],
            PlaceIdx,
            "place",
            id,
            (item, path),
        )
    }

    /// The actor `id` named at `path` in `item`.
    pub(crate) fn actor(&mut self, id: &str, item: &Item<'_>, path: &[Step]) -> Option<ActorIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.actor_ids,
            &mut self.suggesters[1],
            ActorIdx,
            "actor",
            id,
            (item, path),
        )
    }

    /// A stance's `time`, or an error at it.
    pub(crate) fn stance_time(
        &mut self,
        text: &str,
        item: &Item<'_>,
        stance: usize,
    ) -> Option<FuzzyTime> {
        match FuzzyTime::parse(text) {
            Ok(t) => Some(t),
            Err(err) => {
                let path = [
                    Step::Key("stances"),
                    Step::Index(stance - 1),
                    Step::Key("time"),
                ];
                let at = self.ctx.value_at(item.span, &path);
                self.ctx.error(
                    Loc {
                        offset: at.offset + 1 + err.offset,
                        ..at
                    },
                    &format!("{} stance {stance}", item.label()),
                    format!("time {text:?} is not EDTF: {}", err.message),
                );
                None
            }
        }
    }

    /// The event `id` named at `path` in `item`.
    pub(crate) fn event(&mut self, id: &str, item: &Item<'_>, path: &[Step]) -> Option<EventIdx> {
        Self::lookup(
            self.ctx,
            &self.broken,
            &self.event_ids,
            &mut self.suggesters[3],
            EventIdx,
            "event",
            id,
            (item, path),
        )
    }

    /// Queues a quote for proof; the excerpt's span is filled in afterwards.
    pub(crate) fn quote(
        &mut self,
        entry: (&str, &str, Option<usize>),
        item: &Item<'e>,
        what: (&'static str, usize),
        target: QuoteTarget,
    ) -> Option<Excerpt> {
        let (source_id, quote, occurrence) = entry;
        // `excerpts[n]` of an event, `stances[n]` of a claim.
        let list = match what.0 {
            "stance" => "stances",
            _ => "excerpts",
        };
        let member = |key| [Step::Key(list), Step::Index(what.1 - 1), Step::Key(key)];
        let source = Self::lookup(
            self.ctx,
            &self.broken,
            &self.source_ids,
            &mut self.suggesters[0],
            SourceIdx,
            "source",
            source_id,
            (item, &member("source")),
        )?;
        let meant = match rules::occurrence(occurrence) {
            Ok(n) => n,
            Err(rule) => {
                let label = format!("{} {} {}", item.label(), what.0, what.1);
                let at = self.ctx.key_at(item.span, &member("occurrence"));
                self.ctx.error(at, &label, rule);
                return None;
            }
        };
        if let Some(concern) = crate::io::lint::quote_concern(quote) {
            let label = format!("{} {} {}", item.label(), what.0, what.1);
            let at = self.ctx.value_at(item.span, &member("quote"));
            self.ctx.warn(at, &label, concern);
        }
        self.pending.push(PendingQuote {
            source,
            query: QuoteQuery {
                folded: fold_quote(quote),
                occurrence: meant,
            },
            item: *item,
            what,
            explicit: occurrence.is_some(),
            target,
        });
        Some(Excerpt::new(source, 0..0))
    }
}

/// Reads the eras: each needs a title and an EDTF time.
/// (`at` is the span of the object whose `eras` they are.)
pub(crate) fn resolve_eras(ctx: &mut Ctx<'_>, at: Span, entries: &[EraEntry]) -> Vec<Era> {
    let mut eras = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        let label = format!("era {} ({:?})", n + 1, e.title);
        match FuzzyTime::parse(&e.time) {
            Ok(time) => eras.push(Era {
                title: e.title.clone(),
                time,
                text: e.text.clone(),
            }),
            Err(err) => {
                let path = [Step::Key("eras"), Step::Index(n), Step::Key("time")];
                let at = ctx.value_at(at, &path);
                ctx.error(at, &label, format!("time {:?}: {}", e.time, err.message));
            }
        }
    }
    eras
}

/// The text of a file, or an error at the first byte that is not UTF-8.
pub(crate) fn utf8_or_error<'b>(label: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let pos = LineIndex::new(valid).pos(valid.len());
        Diagnostic::error(
            label,
            pos,
            "file",
            format!(
                "not UTF-8: byte 0x{:02x} at offset {} is not valid UTF-8 text",
                bytes.get(e.valid_up_to()).copied().unwrap_or(0),
                e.valid_up_to()
            ),
        )
    })
}

pub(crate) fn resolve_source(
    ctx: &mut Ctx<'_>,
    files: &dyn DatasetFiles,
    e: &SourceEntry,
    item: &Item<'_>,
) -> Source {
    let published = e
        .published
        .as_deref()
        .and_then(|p| match FuzzyTime::parse(p) {
            Ok(t) => Some(t),
            Err(err) => {
                let at = ctx.value_at(item.span, &[Step::Key("published")]);
                ctx.error(
                    Loc {
                        offset: at.offset + 1 + err.offset,
                        ..at
                    },
                    &item.label(),
                    format!("published {p:?}: {}", err.message),
                );
                None
            }
        });
    if let Some(url) = &e.url
        && !crate::model::is_web_url(url)
    {
        let at = ctx.value_at(item.span, &[Step::Key("url")]);
        ctx.warn(
            at,
            &item.label(),
            format!(
                "url {url:?} is not an http:// or https:// address; it is kept but never linked"
            ),
        );
    }
    let label = files.display_path(&e.file);
    let text = match files.read(&e.file) {
        Err(message) => {
            ctx.error(
                ctx.value_at(item.span, &[Step::Key("file")]),
                &item.label(),
                format!("article {}: {message}", e.file),
            );
            String::new()
        }
        Ok(bytes) => {
            let actual = format!("{:x}", Sha256::digest(&bytes));
            let is_hash = e.sha256.len() == 64 && e.sha256.bytes().all(|b| b.is_ascii_hexdigit());
            if !e.sha256.is_empty() && !is_hash {
                ctx.error(
                    ctx.value_at(item.span, &[Step::Key("sha256")]),
                    &item.label(),
                    format!(
                        "sha256 {:?} is not a SHA-256 hash (64 hexadecimal digits); the article {} has sha256 {actual}",
                        e.sha256, e.file
                    ),
                );
            } else if !actual.eq_ignore_ascii_case(&e.sha256) {
                let at = if e.sha256.is_empty() {
                    ctx.key_at(item.span, &[Step::Key("sha256")])
                } else {
                    ctx.value_at(item.span, &[Step::Key("sha256")])
                };
                let message = if e.sha256.is_empty() {
                    format!(
                        "sha256 is missing; the article {} has sha256 {actual}",
                        e.file
                    )
                } else {
                    format!(
                        "the article {} was changed after its hash was taken: the manifest says sha256 {}, the file has {actual}",
                        e.file, e.sha256
                    )
                };
                ctx.error(at, &item.label(), message);
            }
            match utf8_or_error(&label, &bytes) {
                Ok(t) => t.to_owned(),
                Err(d) => {
                    ctx.diags.push(Diagnostic {
                        item: item.label(),
                        ..d
                    });
                    String::new()
                }
            }
        }
    };
    Source {
        id: e.id.clone(),
        outlet: e.outlet.clone(),
        title: e.title.clone(),
        authors: e.authors.clone(),
        published,
        published_note: e.published_note.clone(),
        perspective: e.perspective.clone(),
        // Set by the loaders once the actors are known.
        actor: None,
        url: e.url.clone(),
        licence: e.licence.clone(),
        file: e.file.clone(),
        sha256: e.sha256.to_ascii_lowercase(),
        text,
    }
}

pub(crate) fn resolve_place(ctx: &mut Ctx<'_>, e: &PlaceEntry, item: &Item<'_>) -> Place {
    if !e.lon.is_finite() || !(-180.0..=180.0).contains(&e.lon) {
        ctx.error(
            ctx.key_at(item.span, &[Step::Key("lon")]),
            &item.label(),
            format!("longitude {} is outside -180..180", e.lon),
        );
    }
    if !e.lat.is_finite() || !(-90.0..=90.0).contains(&e.lat) {
        ctx.error(
            ctx.key_at(item.span, &[Step::Key("lat")]),
            &item.label(),
            format!("latitude {} is outside -90..90", e.lat),
        );
    }
    if !rules::says_something(&e.name) {
        let at = ctx.key_at(item.span, &[Step::Key("name")]);
        ctx.error(at, &item.label(), "name is empty");
    }
    Place {
        id: e.id.clone(),
        name: e.name.clone(),
        aliases: e.aliases.clone(),
        lon: e.lon,
        lat: e.lat,
        kind: e.kind,
        precision: e.precision,
        country: e.country.clone(),
        note: e.note.clone(),
    }
}

pub(crate) fn resolve_event<'e>(
    r: &mut Resolver<'_, 'e, '_>,
    (index, time): (usize, FuzzyTime),
    (id, e): (&str, &EventEntry),
    (body, looked_up): (Body, Option<Refs>),
    item: &Item<'e>,
) -> Event {
    let Body {
        title,
        category,
        time_note,
        text,
        extra,
    } = body;
    let (places, actors) = match looked_up {
        Some(Refs { places, actors }) => (places, actors),
        None => (
            e.places
                .iter()
                .enumerate()
                .filter_map(|(n, p)| {
                    let path = [Step::Key("places"), Step::Index(n), Step::Key("place")];
                    r.place(&p.place, item, &path).map(|place| EventPlace {
                        place,
                        role: p.role,
                    })
                })
                .collect(),
            e.actors
                .iter()
                .enumerate()
                .filter_map(|(n, a)| r.actor(a, item, &[Step::Key("actors"), Step::Index(n)]))
                .collect(),
        ),
    };
    let mut excerpts: Vec<Excerpt> = Vec::with_capacity(e.excerpts.len());
    for (n, x) in e.excerpts.iter().enumerate() {
        let target = QuoteTarget::Excerpt {
            event: index,
            slot: excerpts.len(),
        };
        if let Some(excerpt) = r.quote(
            (&x.source, &x.quote, x.occurrence),
            item,
            ("excerpt", n + 1),
            target,
        ) {
            excerpts.push(excerpt);
        }
    }
    let links = e
        .links
        .iter()
        .enumerate()
        .filter_map(|(n, l)| {
            let path = [Step::Key("links"), Step::Index(n), Step::Key("event")];
            r.event(&l.event, item, &path).map(|event| EventLink {
                relation: l.relation,
                event,
            })
        })
        .collect();
    if !rules::says_something(&title) {
        let at = r.ctx.key_at(item.span, &[Step::Key("title")]);
        r.ctx.error(at, &item.label(), "title is empty");
    }
    Event {
        id: id.to_owned(),
        title,
        time,
        time_note,
        category,
        places,
        actors,
        excerpts,
        text,
        links,
        extra,
    }
}

/// An event's places and actors, looked up ahead when every one is known.
#[derive(Default)]
pub(crate) struct Refs {
    pub(crate) places: Vec<EventPlace>,
    pub(crate) actors: Vec<ActorIdx>,
}

/// What moves from an event's entry into the event: its title, its text (an
/// ACLED note is hundreds of bytes) and its imported fields.
pub(crate) struct Body {
    pub(crate) title: String,
    pub(crate) category: Category,
    pub(crate) time_note: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) extra: Option<Box<EventExtra>>,
}

impl Default for Body {
    fn default() -> Self {
        Self {
            title: String::new(),
            category: Category::Other,
            time_note: None,
            text: None,
            extra: None,
        }
    }
}

impl Body {
    /// What moves out of `e` into its event.
    pub(crate) fn take(e: &mut EventEntry) -> Self {
        Self {
            title: std::mem::take(&mut e.title),
            category: e.category,
            time_note: e.time_note.take(),
            text: e.text.take(),
            extra: event_extra(e),
        }
    }
}

/// The imported fields of an event, boxed, or `None` when it has none.
pub(crate) fn event_extra(e: &mut EventEntry) -> Option<Box<EventExtra>> {
    let extra = EventExtra {
        media: e.media.take().map(|m| {
            Box::new(Media {
                url: m.url,
                caption: m.caption,
                credit: m.credit,
            })
        }),
        group: e.group.take(),
        display_date: e.display_date.take(),
        event_type: e.event_type.take(),
        attribution: e.attribution.take(),
        timelinejs_dates: e
            .timelinejs
            .take()
            .map(|d| Box::new((d.start_date, d.end_date))),
    };
    (extra != EventExtra::default()).then(|| Box::new(extra))
}

pub(crate) fn resolve_claim<'e>(
    r: &mut Resolver<'_, 'e, '_>,
    index: usize,
    e: &ClaimEntry,
    item: &Item<'e>,
) -> Claim {
    let events = e
        .events
        .iter()
        .enumerate()
        .filter_map(|(n, id)| r.event(id, item, &[Step::Key("events"), Step::Index(n)]))
        .collect();
    let alleged_origin = e
        .alleged_origin
        .as_deref()
        .and_then(|p| r.place(p, item, &[Step::Key("alleged_origin")]));
    if let Err(rule) = rules::stances_given(e.stances.len()) {
        let at = r.ctx.key_at(item.span, &[Step::Key("stances")]);
        r.ctx.error(at, &item.label(), rule);
    }
    // A failed lookup is an error that stops the load, so the slot of each
    // queued quote is simply the stance's position in the output.
    let mut stances: Vec<Stance> = Vec::with_capacity(e.stances.len());
    for (n, s) in e.stances.iter().enumerate() {
        let path = [Step::Key("stances"), Step::Index(n), Step::Key("actor")];
        let actor = r.actor(&s.actor, item, &path);
        let excerpt = r.quote(
            (&s.source, &s.quote, s.occurrence),
            item,
            ("stance", n + 1),
            QuoteTarget::Stance {
                claim: index,
                slot: stances.len(),
            },
        );
        let time = s
            .time
            .as_deref()
            .and_then(|t| r.stance_time(t, item, n + 1));
        if let (Some(actor), Some(excerpt)) = (actor, excerpt) {
            stances.push(Stance {
                actor,
                stance: s.stance,
                excerpt,
                time,
                note: s.note.clone(),
            });
        }
    }
    Claim {
        id: e.id.clone(),
        statement: e.statement.clone(),
        events,
        alleged_origin,
        stances,
    }
}
