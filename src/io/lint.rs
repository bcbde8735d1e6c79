//! Warnings about data that loads but says something odd: written once and
//! called by every loader (the streaming loader hands a dataset with any of
//! these to the careful loader, which locates each in its file).

use crate::model::{EventIdx, Events, LinkRelation};

use super::escape::is_invisible_control;

/// A quote shorter than this many words proves little.
pub const MIN_QUOTE_WORDS: usize = 3;
/// A quote shorter than this many characters proves little.
pub const MIN_QUOTE_CHARS: usize = 12;

/// What is doubtful about a quote as written, if anything: too short to
/// prove a passage, or holding characters that change how it reads.
///
/// ```
/// use mapline::io::lint::quote_concern;
/// assert!(quote_concern(",").is_some());
/// assert!(quote_concern("Albania severed diplomatic ties").is_none());
/// assert!(quote_concern("Albania severed \u{202e}diplomatic ties").is_some());
/// ```
#[must_use]
pub fn quote_concern(quote: &str) -> Option<String> {
    // One pass: the words and characters the quote has once its runs of
    // white space are folded to one space (as `split_whitespace` counts
    // them), and the first invisible control, if any.
    let (mut words, mut chars) = (0usize, 0usize);
    if quote.is_ascii() {
        // ASCII holds no invisible control: the pass can stop as soon as the
        // quote is long enough (a short one is read to its end, so its
        // counts are whole).
        let mut after_space = true;
        for &b in quote.as_bytes() {
            let space = b.is_ascii_whitespace() || b == 0x0B;
            words += usize::from(after_space && !space);
            chars += usize::from(!space);
            after_space = space;
            if words >= MIN_QUOTE_WORDS && chars + words > MIN_QUOTE_CHARS {
                return None;
            }
        }
    } else {
        let mut after_space = true;
        for c in quote.chars() {
            if is_invisible_control(c) {
                return Some(format!(
                    "the quote holds the invisible character U+{:04X} (a bidirectional or zero-width control): it can make the quote read differently from the passage it matches; remove it",
                    u32::from(c)
                ));
            }
            let space = c.is_whitespace();
            words += usize::from(after_space && !space);
            chars += usize::from(!space);
            after_space = space;
        }
    }
    let chars = chars + words.saturating_sub(1);
    (words < MIN_QUOTE_WORDS || chars < MIN_QUOTE_CHARS).then(|| {
        format!(
            "the quote is very short ({words} word(s), {chars} character(s)): so short a passage stands almost anywhere and proves little; quote at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} characters"
        )
    })
}

/// A doubtful link: the event that holds it, which of its links, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkConcern {
    /// The event holding the link (index into the events).
    pub event: usize,
    /// Which of its links.
    pub link: usize,
    /// Why it is doubtful.
    pub message: String,
}

fn relation_words(r: LinkRelation) -> &'static str {
    match r {
        LinkRelation::CausedBy => "caused by",
        LinkRelation::RespondsTo => "a response to",
    }
}

/// Links to the event itself, links whose earlier event begins after this
/// one ends, and links that run in a cycle (each cycle once, at the link
/// that closes it).
#[must_use]
pub fn link_concerns(events: &Events) -> Vec<LinkConcern> {
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        for (k, l) in e.links().iter().enumerate() {
            let j = l.event.index();
            if j == i {
                out.push(LinkConcern {
                    event: i,
                    link: k,
                    message: format!(
                        "the event is linked to itself ({} {:?}): a link names an earlier event",
                        l.relation,
                        e.id()
                    ),
                });
                continue;
            }
            let other = events.get(l.event);
            if let (Some(cause), Some(effect)) = (other.time().earliest(), e.time().latest())
                && cause > effect
            {
                out.push(LinkConcern {
                    event: i,
                    link: k,
                    message: format!(
                        "the event is {} {:?}, which begins on {}, after this event ends on {}: what an event answers comes before it",
                        relation_words(l.relation),
                        other.id(),
                        cause.iso(),
                        effect.iso()
                    ),
                });
            }
        }
    }
    out.extend(cycles(events));
    out
}

/// Each cycle of links (longer than a self-link), found by one depth-first
/// walk with an explicit stack, reported at the link that closes it.
fn cycles(events: &Events) -> Vec<LinkConcern> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; events.len()];
    let mut out = Vec::new();
    // (event, next link to follow)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..events.len() {
        if state[root] != NEW || events.get(EventIdx(root as u32)).links().is_empty() {
            continue;
        }
        state[root] = OPEN;
        stack.push((root, 0));
        while let Some(&mut (at, ref mut next)) = stack.last_mut() {
            let Some(link) = events.get(EventIdx(at as u32)).links().get(*next) else {
                state[at] = DONE;
                stack.pop();
                continue;
            };
            let k = *next;
            *next += 1;
            let to = link.event.index();
            if to == at {
                continue; // a self-link, said already
            }
            match state[to] {
                NEW => {
                    state[to] = OPEN;
                    stack.push((to, 0));
                }
                OPEN => {
                    let from = stack.iter().position(|(e, _)| *e == to).unwrap_or(0);
                    let mut ids: Vec<&str> = stack[from..]
                        .iter()
                        .map(|(e, _)| events.get(EventIdx(*e as u32)).id())
                        .collect();
                    ids.push(events.get(EventIdx(to as u32)).id());
                    let shown = if ids.len() > 12 {
                        format!(
                            "{} → … → {}",
                            ids[..6].join(" → "),
                            ids[ids.len() - 3..].join(" → ")
                        )
                    } else {
                        ids.join(" → ")
                    };
                    out.push(LinkConcern {
                        event: at,
                        link: k,
                        message: format!(
                            "the links run in a cycle ({shown}): each event names the next as earlier, so none of them comes first"
                        ),
                    });
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts as `split_whitespace` gives them, the way they were first written.
    fn counted(quote: &str) -> (usize, usize) {
        let words = quote.split_whitespace().count();
        let chars = quote
            .split_whitespace()
            .map(|w| w.chars().count())
            .sum::<usize>()
            + words.saturating_sub(1);
        (words, chars)
    }

    #[test]
    fn the_one_pass_counts_words_and_characters_as_split_whitespace_does() {
        let quotes = [
            "",
            " ",
            "Albania severed ties",
            "  Albania\tsevered\n\nties  ",
            "a\u{0B}b\u{0C}c\rd",
            "Tirana\u{85}blamed\u{2003}Iran",
            "Durrës, Shkodër, Vlorë",
            "ab cd",
            "one two three",
            "abcdefghijk l",
        ];
        for q in quotes {
            let (words, chars) = counted(q);
            let short = words < MIN_QUOTE_WORDS || chars < MIN_QUOTE_CHARS;
            assert_eq!(quote_concern(q).is_some(), short, "{q:?}");
            if short {
                let said = quote_concern(q).unwrap_or_default();
                assert!(
                    said.contains(&format!("({words} word(s), {chars} character(s))")),
                    "{q:?}: {said}"
                );
            }
        }
        assert!(quote_concern("Albania \u{200B}severed diplomatic ties").is_some());
    }
}

/// Words that hedge what a quote says: on the outlet's own assertion they
/// make it a suggestion, and on an event's excerpt they make what it
/// reports one side's reading.
pub const HEDGES: &[&str] = &[
    "allegedly",
    "reportedly",
    "apparently",
    "said to",
    "likely",
    "suspicions",
    "claimed",
];

/// The starts of words that attribute a quote to a speaker ("said",
/// "according to", "accused", "blamed", "announced", "statement"), each
/// matched at the start of a word, so "blames" and "accusing" count too.
pub const SAYING: &[&str] = &[
    "said",
    "says",
    "according to",
    "accus",
    "blam",
    "announc",
    "statement",
];

/// Does `word` (lower case) stand in `hay` (lower-cased) at a word's start,
/// and also at a word's end unless `stem`?
fn find_word(hay: &str, word: &str, stem: bool) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + word.len()..].chars().next();
        if !is_word(before) && (stem || !is_word(after)) {
            return true;
        }
        from = at + word.len().max(1);
    }
    false
}

/// The hedge words, found in one pass, ASCII case ignored.
static HEDGE_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(HEDGES)
            .ok()
    });

/// The first hedge word the quote holds (as a whole word), if any. One
/// pass over the quote and no allocation: the loaders run it on every
/// excerpt of events no claim is about.
#[must_use]
pub fn hedge_in(quote: &str) -> Option<&'static str> {
    let Some(finder) = HEDGE_FINDER.as_ref() else {
        let hay = quote.to_ascii_lowercase();
        return HEDGES.iter().copied().find(|h| find_word(&hay, h, false));
    };
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    finder.find_overlapping_iter(quote).find_map(|m| {
        let before = quote[..m.start()].chars().next_back();
        let after = quote[m.end()..].chars().next();
        (!is_word(before) && !is_word(after)).then(|| HEDGES[m.pattern().as_usize()])
    })
}

/// What an actor's stance needs for its attribution to be shown.
#[derive(Clone, Copy, Debug)]
pub struct StanceFacts<'a> {
    /// Asserts (the only stance a hedge weakens)?
    pub asserts: bool,
    /// The quote as written.
    pub quote: &'a str,
    /// Is the actor the outlet speaking for itself (the source's `actor`)?
    pub own_voice: bool,
    /// The actor's names: name, short name, aliases.
    pub names: &'a [&'a str],
}

/// Why a stance's quote does not show the stance as it is recorded, if it
/// does not: the outlet's own assertion in hedged words, or another actor's
/// stance in words that neither name it nor say that anyone said it.
///
/// ```
/// use mapline::io::lint::{StanceFacts, stance_concern};
/// let names = ["Government of Albania", "Albania"];
/// let facts = |quote, own_voice| StanceFacts { asserts: true, quote, own_voice, names: &names };
/// assert!(stance_concern(facts("Iran has apparently limited its actions", true)).is_some());
/// assert!(stance_concern(facts("which Tirana also blamed on Iran", false)).is_none());
/// assert!(stance_concern(facts("Albania cut ties with Iran", false)).is_none());
/// assert!(stance_concern(facts("the attack came from Iran", false)).is_some());
/// ```
#[must_use]
pub fn stance_concern(f: StanceFacts<'_>) -> Option<String> {
    if f.own_voice {
        let hedge = hedge_in(f.quote).filter(|_| f.asserts)?;
        return Some(format!(
            "the outlet's own words hedge (\"{hedge}\"), but the stance asserts: make it `suggests`, or add a note citing the article's words"
        ));
    }
    let hay = f.quote.to_ascii_lowercase();
    let named = f
        .names
        .iter()
        .any(|n| !n.trim().is_empty() && find_word(&hay, &n.trim().to_ascii_lowercase(), false));
    let said = SAYING.iter().any(|w| find_word(&hay, w, true));
    (!named && !said).then(|| {
        format!(
            "the quote neither names {} nor says that anyone said it (\"said\", \"according to\", \"accused\", \"blamed\", \"announced\", \"statement\"): it shows the outlet's words, not this actor's stance; quote the passage that attributes it, or add a note",
            f.names.first().map_or("the actor", |n| *n)
        )
    })
}

/// Why an excerpt that hedges with `hedge` should be a stance, when no
/// claim is about its event: one side's reading is drawn as what happened.
fn hedged_excerpt(hedge: &str) -> String {
    format!(
        "the excerpt hedges (\"{hedge}\") but no claim is about the event: what it reports is drawn as fact; add the claim with each side's stance, or a note"
    )
}

/// A dataset's parts, as the loaders hold them before the dataset is
/// built, for [`attribution_concerns`].
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    /// The articles.
    pub sources: &'a [crate::model::Source],
    /// The actors.
    pub actors: &'a [crate::model::Actor],
    /// The events.
    pub events: &'a Events,
    /// The claims.
    pub claims: &'a [crate::model::Claim],
    /// The notes on event excerpts, by passage.
    pub excerpt_notes: &'a std::collections::HashMap<crate::model::Excerpt, String>,
}

/// A concern about an item of a list inside another: (claim, stance) or
/// (event, excerpt), by position, and why.
pub type Concern = (usize, usize, String);

/// The attribution concerns: stances (by claim and stance) and event
/// excerpts (by event and excerpt) with their messages; items with a note
/// are skipped. The fast loader hands a dataset with any to the careful
/// loader, which reports each where it stands in the file.
#[must_use]
pub fn attribution_concerns(p: Parts<'_>) -> (Vec<Concern>, Vec<Concern>) {
    let mut stances = Vec::new();
    for (c, claim) in p.claims.iter().enumerate() {
        for (k, s) in claim.stances.iter().enumerate() {
            let Some(actor) = p.actors.get(s.actor.index()) else {
                continue;
            };
            if s.note.is_some() {
                continue;
            }
            let names = actor_names(actor);
            let facts = StanceFacts {
                asserts: s.stance == crate::model::StanceWord::Asserts,
                quote: s.excerpt.text(p.sources),
                own_voice: p
                    .sources
                    .get(s.excerpt.source.index())
                    .is_some_and(|src| src.actor == Some(s.actor)),
                names: &names,
            };
            if let Some(m) = stance_concern(facts) {
                stances.push((c, k, m));
            }
        }
    }
    let mut claimed = vec![false; p.events.len()];
    for claim in p.claims {
        for e in &claim.events {
            if let Some(flag) = claimed.get_mut(e.index()) {
                *flag = true;
            }
        }
    }
    let mut excerpts = Vec::new();
    // Events share passages: each is read once.
    let mut hedge_of: rustc_hash::FxHashMap<crate::model::Excerpt, Option<&'static str>> =
        rustc_hash::FxHashMap::default();
    for (i, e) in p.events.iter().enumerate() {
        if claimed[i] {
            continue;
        }
        for (k, x) in e.excerpts().iter().enumerate() {
            let hedge = *hedge_of
                .entry(x)
                .or_insert_with(|| hedge_in(x.text(p.sources)));
            if let Some(hedge) = hedge
                && !p.excerpt_notes.contains_key(&x)
            {
                excerpts.push((i, k, hedged_excerpt(hedge)));
            }
        }
    }
    (stances, excerpts)
}

/// An actor's names for [`StanceFacts::names`]: name, short name, aliases,
/// and a state's country.
#[must_use]
pub fn actor_names(actor: &crate::model::Actor) -> Vec<&str> {
    let mut names = vec![actor.name.as_str()];
    // A state is named by its country: "Government of Iran" by "Iran",
    // "Government of the United States" by "United States".
    if actor.kind == crate::model::ActorKind::State
        && let Some((_, country)) = actor.name.rsplit_once(" of ")
    {
        let country = country.split(" (").next().unwrap_or(country);
        names.push(country.strip_prefix("the ").unwrap_or(country));
    }
    names.extend(actor.short.as_deref());
    names.extend(actor.aliases.iter().map(String::as_str));
    names
}
