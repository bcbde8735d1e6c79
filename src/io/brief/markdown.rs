//! The briefing as Markdown (`CommonMark`), its pictures beside it as PNG
//! files. Every dataset string goes through [`text`]: Markdown and HTML
//! syntax in it is escaped, so a title holding `<script>` or `[x](javascript:…)`
//! shows as those characters and nothing else.
//!
//! A quote is a block quote of its own (`> `), its whitespace runs folded to
//! single spaces (the rule the loader proves quotes by), its attribution and
//! citation (`\[n\]`) on the line before or after, never inside it.

use std::fmt::Write as _;

use super::{Brief, ClaimEntry, EventEntry, SourceEntry, show_overrides};

/// Characters escaped wherever they stand: each could start emphasis, a
/// link, raw HTML, an entity, a table cell or a heading.
const ALWAYS: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&', '!',
];

/// `s` as Markdown inline text: on one line, its syntax escaped, bidi
/// overrides shown as code points.
#[must_use]
pub fn text(s: &str) -> String {
    let s = show_overrides(s);
    let folded: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len() + 8);
    for (i, c) in folded.char_indices() {
        if ALWAYS.contains(&c) {
            out.push('\\');
        } else if i == 0 && matches!(c, '-' | '+' | '=') {
            // A line that starts with one would be a list item or a heading underline.
            out.push('\\');
        } else if matches!(c, '.' | ')') && i > 0 && folded[..i].bytes().all(|b| b.is_ascii_digit())
        {
            // "1984. " at the start of a line would be an ordered list.
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Undoes [`text`]'s backslash escapes (for a reader, or a test, that
/// wants the characters back).
#[must_use]
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// A quote as a block quote, one paragraph per paragraph of the passage.
fn quote_block(out: &mut String, quote: &str) {
    let paras: Vec<&str> = quote
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    for (i, para) in paras.iter().enumerate() {
        if i > 0 {
            out.push_str(">\n");
        }
        let _ = writeln!(out, "> {}", text(para));
    }
    out.push('\n');
}

/// A relative file name as a link destination: what could end or break
/// it percent-encoded.
fn destination(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '\\' | '%' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn cite(n: usize) -> String {
    format!("\\[{n}\\]")
}

fn event_md(out: &mut String, n: usize, e: &EventEntry) {
    let _ = writeln!(out, "### {n}. {} — {}\n", text(&e.time), text(&e.title));
    let mut facts = Vec::new();
    if !e.places.is_empty() {
        let places: Vec<String> = e.places.iter().map(|p| text(p)).collect();
        facts.push(format!("**Places:** {}", places.join(", ")));
    }
    if !e.actors.is_empty() {
        let actors: Vec<String> = e.actors.iter().map(|p| text(p)).collect();
        facts.push(format!("**Actors:** {}", actors.join(", ")));
    }
    facts.push(format!("**Category:** {}", text(&e.category)));
    facts.push(format!("**Reported by:** {}", text(&e.corroboration)));
    if !e.claims.is_empty() {
        let claims: Vec<String> = e.claims.iter().map(ToString::to_string).collect();
        facts.push(format!("**Claims:** {}", claims.join(", ")));
    }
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    if let Some(note) = &e.time_note {
        let _ = writeln!(out, "*Date:* {}\n", text(note));
    }
    if let Some(t) = &e.text {
        let _ = writeln!(out, "{}\n", text(t));
    }
    for q in &e.quotes {
        quote_block(out, &q.quote);
        let _ = writeln!(out, "— {} {}\n", text(&q.outlet), cite(q.cite));
        if let Some(note) = &q.note {
            let _ = writeln!(out, "*Note:* {}\n", text(note));
        }
    }
    if e.quotes.is_empty() {
        out.push_str("*No source passage is recorded for this event.*\n\n");
    }
}

fn claim_md(out: &mut String, n: usize, c: &ClaimEntry) {
    let _ = writeln!(out, "### Claim {n}: {}\n", text(&c.statement));
    let mut facts = Vec::new();
    if c.contested {
        facts.push("**Contested**".to_owned());
    }
    if !c.about.is_empty() {
        let about: Vec<String> = c.about.iter().map(|a| text(a)).collect();
        facts.push(format!("**About:** {}", about.join("; ")));
    }
    if let Some(o) = &c.alleged_origin {
        facts.push(format!(
            "**Alleged origin:** {} (a claim, not a finding)",
            text(o)
        ));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if !c.sides.is_empty() {
        let _ = writeln!(out, "**{}**\n", text(&c.sides));
    }
    let mut previous: Option<(&str, &str)> = None;
    for s in &c.stances {
        // Consecutive quotes of one actor's one stance share their heading.
        if previous != Some((s.actor.as_str(), s.words.as_str())) {
            let lapsed = if s.current {
                ""
            } else {
                " (no longer held in this window)"
            };
            let _ = writeln!(out, "**{}** *{}*{lapsed}\n", text(&s.actor), text(&s.words));
        }
        previous = Some((s.actor.as_str(), s.words.as_str()));
        quote_block(out, &s.quote);
        let _ = writeln!(out, "— {} {}\n", text(&s.outlet), cite(s.cite));
        if let Some(note) = &s.note {
            let _ = writeln!(out, "*Note:* {}\n", text(note));
        }
    }
}

fn source_md(out: &mut String, s: &SourceEntry) {
    let _ = write!(
        out,
        "{}. **{}**, {}",
        s.number,
        text(&s.outlet),
        if s.title.starts_with('[') {
            text(&s.title)
        } else {
            format!("“{}”", text(&s.title))
        }
    );
    if !s.authors.is_empty() {
        let names: Vec<String> = s.authors.iter().map(|a| text(a)).collect();
        let _ = write!(out, ", by {}", names.join(", "));
    }
    let _ = write!(out, ". Published: {}.", text(&s.published));
    if let Some(note) = &s.published_note {
        let _ = write!(out, " {}", text(note));
    }
    let _ = write!(out, " Perspective: {}.", text(&s.perspective));
    match (&s.link, &s.url) {
        // An autolink holds no Markdown syntax; `<` and `>` cannot occur in
        // a web address mapline links (no whitespace or controls either).
        (Some(link), _) if !link.contains(['<', '>']) => {
            let _ = write!(out, " <{link}>");
        }
        (_, Some(url)) => {
            let _ = write!(out, " Address as given (not linked): {}.", text(url));
        }
        (_, None) => out.push_str(" No web address is recorded."),
    }
    let _ = writeln!(
        out,
        " Article text: {}, SHA-256 {}. {}",
        text(&s.file),
        text(&s.sha256),
        text(&s.licence)
    );
}

/// The briefing as Markdown; `pictures` are the file names of the map and
/// strip PNGs written beside it, if any.
#[must_use]
pub fn write(brief: &Brief, pictures: [Option<&str>; 2]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(out, "# Briefing: {}\n", text(&brief.dataset));
    let mut meta = Vec::new();
    if let Some(f) = &brief.focus {
        meta.push(format!("**Focus:** {}", text(f)));
    }
    meta.push(format!("**Time window:** {}", text(&brief.window)));
    meta.push(format!(
        "**Filters:** {}",
        if brief.filters.is_empty() {
            "none".to_owned()
        } else {
            brief
                .filters
                .iter()
                .map(|f| text(f))
                .collect::<Vec<_>>()
                .join("; ")
        }
    ));
    meta.push(format!("**Contents:** {}", text(&brief.counts())));
    meta.push(format!(
        "**Made:** {} by mapline {} from {}",
        text(&brief.provenance.made_at),
        env!("CARGO_PKG_VERSION"),
        text(&brief.provenance.origin)
    ));
    let _ = writeln!(out, "{}\n", meta.join("  \n"));
    if !brief.description.is_empty() {
        let _ = writeln!(out, "{}\n", text(&brief.description));
    }
    out.push_str(
        "*Every quote below is a verbatim passage of its article, proven against the article's file \
         when the dataset was loaded (each file's SHA-256 is in the sources list). A stance is what \
         an outlet or an actor says, attributed to them; it is not a finding.*\n\n",
    );
    let [map, strip] = pictures;
    if let Some(map) = map {
        let _ = writeln!(out, "![The map of the view]({})\n", destination(map));
    }
    if let Some(strip) = strip {
        let _ = writeln!(
            out,
            "![The time strip of the view]({})\n",
            destination(strip)
        );
    }
    out.push_str("## Events, in time order\n\n");
    if brief.events.is_empty() {
        out.push_str("No event is in the view.\n\n");
    }
    for (i, e) in brief.events.iter().enumerate() {
        event_md(&mut out, i + 1, e);
    }
    if brief.more_events > 0 {
        let _ = writeln!(
            out,
            "*And {} more events in the view, not listed: narrow the window, the filters or the selection to brief them.*\n",
            brief.more_events
        );
    }
    out.push_str("## Claims, contested first\n\n");
    if brief.claims.is_empty() {
        out.push_str("No claim is made about these events.\n\n");
    }
    for (i, c) in brief.claims.iter().enumerate() {
        claim_md(&mut out, i + 1, c);
    }
    out.push_str("## Sources\n\n");
    for s in &brief.sources {
        source_md(&mut out, s);
    }
    out
}
