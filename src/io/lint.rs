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
