//! What goes into a briefing: the events a scope shows, the claims about
//! them with who says what in words, and the citations numbered in
//! reading order ([`Brief::new`]).

use std::collections::HashSet;
use std::fmt::Write as _;

use super::*;

/// The events a scope shows, in time order.
#[must_use]
pub fn events_of(ds: &Dataset, scope: &Scope<'_>) -> Vec<EventIdx> {
    let mut out: Vec<EventIdx> = ds
        .event_indices()
        .filter(|&e| {
            let in_window = if scope.reported_clock {
                ds.reported_time(e)
                    .is_some_and(|t| scope.rule.admits(&t.bounds(), &scope.window))
            } else {
                scope.rule.admits(&ds.event(e).bounds(), &scope.window)
            };
            in_window && (scope.admits)(e)
        })
        .collect();
    match scope.focus {
        Focus::None => {}
        Focus::Place(p) => out.retain(|&e| ds.event(e).touches(p)),
        Focus::Event(e) => out = vec![e],
    }
    out
}

/// "Asserted by A, B · Denied by C": each side's actors, once each, in
/// the order asserts, suggests, denies, disputes.
fn sides_in_words(stances: &[StanceLine]) -> String {
    let mut parts = Vec::new();
    for word in [
        StanceWord::Asserts,
        StanceWord::Suggests,
        StanceWord::Denies,
        StanceWord::Disputes,
    ] {
        let mut who: Vec<&str> = Vec::new();
        for s in stances.iter().filter(|s| s.current && s.stance == word) {
            if !who.contains(&s.actor.as_str()) {
                who.push(&s.actor);
            }
        }
        if !who.is_empty() {
            let past = word.past();
            let mut verb = past[..1].to_ascii_uppercase();
            verb.push_str(&past[1..]);
            parts.push(format!("{verb} by {}", who.join(", ")));
        }
    }
    parts.join(" · ")
}

/// A day in words ("July 15, 2022").
fn day_words(d: crate::model::Day) -> String {
    FuzzyTime::day(d).display()
}

/// The citation numbers, given in reading order.
struct Citations {
    order: Vec<SourceIdx>,
}

impl Citations {
    fn cite(&mut self, s: SourceIdx) -> usize {
        if let Some(i) = self.order.iter().position(|x| *x == s) {
            i + 1
        } else {
            self.order.push(s);
            self.order.len()
        }
    }
}

impl Brief {
    /// The briefing of `scope` over `ds`.
    #[must_use]
    pub fn new(ds: &Dataset, scope: &Scope<'_>, provenance: Provenance) -> Self {
        let mut events = events_of(ds, scope);
        let more_events = events.len().saturating_sub(MAX_EVENTS);
        events.truncate(MAX_EVENTS);
        let listed: HashSet<EventIdx> = events.iter().copied().collect();
        let whole = ds.time_extent();
        // Stances are judged in the window only when it is narrower than the
        // story (as the reader does).
        let judge_in = whole
            .filter(|w| scope.window.start > w.start || scope.window.end < w.end)
            .map(|_| scope.window);

        // The claims: contested first, then in the order of their first listed event.
        let mut claims: Vec<(usize, &Claim, bool)> = ds
            .claims
            .iter()
            .filter(|c| c.events.iter().any(|e| listed.contains(e)))
            .map(|c| {
                let first = c
                    .events
                    .iter()
                    .filter(|e| listed.contains(e))
                    .map(|e| e.index())
                    .min()
                    .unwrap_or(usize::MAX);
                (first, c, c.is_contested(&ds.sources, judge_in.as_ref()))
            })
            .collect();
        claims.sort_by_key(|(first, _, contested)| (!contested, *first));

        let mut cites = Citations { order: Vec::new() };
        let quote_of = |x: &Excerpt| x.text(&ds.sources).to_owned();

        let event_entries: Vec<EventEntry> = events
            .iter()
            .map(|&e| {
                let ev = ds.event(e);
                let mut time = ev.time().display();
                if let Some(shown) = ev.extra().and_then(crate::model::ExtraRef::display_date)
                    && shown != time
                {
                    let _ = write!(time, " (shown as “{shown}”)");
                }
                let quotes = ev
                    .excerpts()
                    .iter()
                    .map(|x| QuoteLine {
                        quote: quote_of(&x),
                        cite: cites.cite(x.source),
                        outlet: ds.source(x.source).outlet.clone(),
                        note: ds.excerpt_notes.get(&x).cloned(),
                    })
                    .collect();
                let claim_numbers = claims
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, c, _))| c.events.contains(&e))
                    .map(|(i, _)| i + 1)
                    .collect();
                EventEntry {
                    id: ev.id().to_owned(),
                    title: ev.title().to_owned(),
                    time,
                    time_note: ev.time_note().map(str::to_owned),
                    category: ev.category().to_string(),
                    places: ev
                        .places()
                        .iter()
                        .map(|p| format!("{} ({})", ds.place(p.place).name, p.role))
                        .collect(),
                    actors: ev
                        .actors()
                        .iter()
                        .map(|a| ds.actor(*a).name.clone())
                        .collect(),
                    corroboration: ds.corroboration(e),
                    text: ev.text().map(str::to_owned),
                    quotes,
                    claims: claim_numbers,
                }
            })
            .collect();

        let claim_entries: Vec<ClaimEntry> = claims
            .iter()
            .map(|(_, c, contested)| {
                let latest = c.latest_publication(&ds.sources);
                let mut stances: Vec<StanceLine> = c
                    .stances
                    .iter()
                    .map(|s| StanceLine {
                        actor: ds.actor(s.actor).name.clone(),
                        words: s.words(),
                        stance: s.stance,
                        current: s.is_current(judge_in.as_ref(), latest),
                        quote: quote_of(&s.excerpt),
                        cite: cites.cite(s.excerpt.source),
                        outlet: ds.source(s.excerpt.source).outlet.clone(),
                        note: s.note.clone(),
                    })
                    .collect();
                stances.sort_by_key(|s| !s.current);
                let sides = sides_in_words(&stances);
                ClaimEntry {
                    id: c.id.clone(),
                    statement: c.statement.clone(),
                    contested: *contested,
                    about: c
                        .events
                        .iter()
                        .filter(|e| listed.contains(e))
                        .map(|&e| {
                            let ev = ds.event(e);
                            format!("{} ({})", ev.title(), ev.time().display())
                        })
                        .collect(),
                    alleged_origin: c.alleged_origin.map(|p| ds.place(p).name.clone()),
                    sides,
                    stances,
                }
            })
            .collect();

        let sources = cites
            .order
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let src = ds.source(s);
                SourceEntry {
                    number: i + 1,
                    outlet: src.outlet.clone(),
                    title: src.title.clone(),
                    authors: src.authors.clone(),
                    published: src
                        .published
                        .as_ref()
                        .map_or_else(|| "date unknown".to_owned(), FuzzyTime::display),
                    published_note: src.published_note.clone(),
                    perspective: src.perspective.clone(),
                    url: src.url.clone(),
                    link: src.web_url().map(str::to_owned),
                    file: src.file.clone(),
                    sha256: src.sha256.clone(),
                    licence: src.licence.clone(),
                }
            })
            .collect();

        let rule = match scope.rule {
            WindowRule::Overlaps => "events that overlap it",
            WindowRule::Inside => "events that lie wholly inside it",
        };
        let clock = if scope.reported_clock {
            ", by when they were first reported"
        } else {
            ""
        };
        let span = if judge_in.is_none() {
            "the whole story, "
        } else {
            ""
        };
        let window = format!(
            "{span}{} – {} ({rule}{clock})",
            day_words(scope.window.start),
            day_words(scope.window.end)
        );
        let focus = match scope.focus {
            Focus::None => None,
            Focus::Place(p) => {
                let place = ds.place(p);
                Some(match &place.country {
                    Some(c) if *c != place.name => format!("the place {} ({c})", place.name),
                    _ => format!("the place {}", place.name),
                })
            }
            Focus::Event(e) => Some(format!("the event “{}”", ds.event(e).title())),
        };
        let title = match &focus {
            Some(f) => format!("Briefing: {}, {f}", ds.title),
            None => format!("Briefing: {}", ds.title),
        };
        Self {
            title,
            dataset: ds.title.clone(),
            description: ds.description.clone(),
            provenance,
            window,
            focus,
            filters: scope.filters.clone(),
            events: event_entries,
            more_events,
            claims: claim_entries,
            sources,
        }
    }

    /// The counts in words: "3 events, 4 claims (2 contested), 4 sources".
    #[must_use]
    pub fn counts(&self) -> String {
        let contested = self.claims.iter().filter(|c| c.contested).count();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let events = if self.more_events > 0 {
            format!(
                "the first {} of {} events",
                self.events.len(),
                self.events.len() + self.more_events
            )
        } else {
            plural(self.events.len(), "event", "events")
        };
        format!(
            "{events}, {} ({contested} contested), {}",
            plural(self.claims.len(), "claim", "claims"),
            plural(self.sources.len(), "source", "sources"),
        )
    }
}
