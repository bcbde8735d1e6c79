//! The briefing as one self-contained HTML file: pictures embedded as
//! `data:` URIs, one stylesheet for screen and print, and a content security
//! policy that lets no script run and nothing load from the network.
//!
//! Every dataset string goes through [`text`] (escaped, bidi overrides made
//! visible) and sits in a `<bdi>` or a `dir="auto"` block, so a right-to-left
//! quote reads right to left and cannot reorder the citation after it.

use std::fmt::Write as _;

use super::{Brief, ClaimEntry, EventEntry, Picture, Pictures, SourceEntry, show_overrides};
use crate::model::StanceWord;

/// `s` escaped for HTML text or a quoted attribute, bidi overrides shown.
#[must_use]
pub fn text(s: &str) -> String {
    let s = show_overrides(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An inline dataset string, isolated from the text around it.
fn bdi(s: &str) -> String {
    format!("<bdi>{}</bdi>", text(s))
}

/// A quote, as paragraphs, right to left where its script is.
fn quote_block(quote: &str, class: &str) -> String {
    let mut out = format!("<blockquote class=\"{class}\" dir=\"auto\">");
    for para in quote.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = write!(
            out,
            "<p dir=\"auto\">{}</p>",
            text(para.trim()).replace('\n', "<br>")
        );
    }
    out.push_str("</blockquote>");
    out
}

fn cite(n: usize) -> String {
    format!("<a class=\"cite\" href=\"#source-{n}\" title=\"Source {n}\">[{n}]</a>")
}

const STYLE: &str = r#"
:root { --ink: #1d232b; --soft: #5a6470; --rule: #d7dce2; --paper: #fff;
  --for: #1f6f4a; --against: #a63a2b; --hedge: #8a6a12; --accent: #24527a; }
* { box-sizing: border-box; }
html { background: #eef1f4; }
body { margin: 0; color: var(--ink); font: 16px/1.55 Georgia, "Noto Serif", "DejaVu Serif", serif; }
main { max-width: 52rem; margin: 2rem auto; background: var(--paper); padding: 2.5rem 3rem;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1, h2, h3, .kicker, .meta, .badge, .byline, .facts, figcaption, .sources li, .cite, .aside {
  font-family: "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: .75rem; color: var(--accent); margin: 0; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .3rem 0 .2rem; }
.focus { font-size: 1.15rem; color: var(--soft); margin: 0 0 1rem; }
.meta { display: grid; grid-template-columns: 9rem 1fr; gap: .25rem 1rem; font-size: .9rem; margin: 1rem 0; }
.meta dt { color: var(--soft); }
.meta dd { margin: 0; }
.aside { font-size: .85rem; color: var(--soft); border-left: 3px solid var(--rule); padding-left: .8rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin: 2.5rem 0 1rem; }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; line-height: 1.3; }
figure { margin: 1.2rem 0; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: .8rem; color: var(--soft); margin-top: .3rem; }
.event, .claim { border-top: 1px solid var(--rule); padding: 1rem 0; }
.when { display: block; font-size: .8rem; font-weight: 600; color: var(--accent); text-transform: uppercase; letter-spacing: .05em; }
.facts { font-size: .85rem; color: var(--soft); margin: .2rem 0 .5rem; }
.facts b { color: var(--ink); font-weight: 600; }
blockquote { margin: .5rem 0 .4rem; padding: .1rem 0 .1rem 1rem; border-left: 3px solid var(--rule); }
blockquote p { margin: .3rem 0; }
div.stance { margin: .8rem 0 0 0; color: var(--ink); }
.sides { font-family: "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; font-size: .9rem; font-weight: 600; margin: .3rem 0 .4rem; }
.byline { font-size: .85rem; }
.badge { display: inline-block; font-size: .7rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
  padding: .05rem .4rem; border-radius: 3px; border: 1px solid currentColor; margin-right: .35rem; }
.asserts { color: var(--for); } .suggests { color: var(--hedge); }
.denies, .disputes { color: var(--against); }
blockquote.asserts { border-color: var(--for); } blockquote.suggests { border-color: var(--hedge); }
blockquote.denies, blockquote.disputes { border-color: var(--against); }
blockquote.asserts, blockquote.suggests, blockquote.denies, blockquote.disputes, blockquote.evidence { color: var(--ink); }
.contested { color: var(--against); }
.lapsed { opacity: .75; }
.cite { font-size: .8rem; text-decoration: none; color: var(--accent); vertical-align: super; line-height: 0; }
.sources ol { padding-left: 1.6rem; }
.sources li { font-size: .88rem; margin: 0 0 .7rem; }
.sources .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .75rem; word-break: break-all; color: var(--soft); }
a { color: var(--accent); }
@media print {
  html { background: none; }
  main { box-shadow: none; margin: 0; max-width: none; padding: 0; }
  body { font-size: 11pt; }
  section { break-before: page; }
  blockquote, figure, .sources li { break-inside: avoid; }
  h2, h3, .when, .facts, .sides, p.byline:has(+ blockquote) { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 18mm 16mm; }
}
"#;

fn picture(p: &Picture, alt: &str, caption: &str) -> String {
    use base64::Engine as _;
    format!(
        "<figure><img alt=\"{}\" width=\"{}\" height=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>{}</figcaption></figure>",
        text(alt),
        p.display_size[0],
        p.display_size[1],
        base64::engine::general_purpose::STANDARD.encode(&p.png),
        caption
    )
}

fn stance_class(s: StanceWord) -> &'static str {
    s.as_str()
}

fn event_html(out: &mut String, n: usize, e: &EventEntry) {
    let _ = write!(
        out,
        "<article class=\"event\" id=\"event-{n}\"><span class=\"when\">{}</span><h3 dir=\"auto\">{}</h3>",
        text(&e.time),
        text(&e.title)
    );
    let mut facts = Vec::new();
    if !e.places.is_empty() {
        facts.push(format!(
            "<b>Places</b> {}",
            e.places
                .iter()
                .map(|p| bdi(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !e.actors.is_empty() {
        facts.push(format!(
            "<b>Actors</b> {}",
            e.actors
                .iter()
                .map(|p| bdi(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    facts.push(format!("<b>Category</b> {}", bdi(&e.category)));
    facts.push(format!("<b>Reported by</b> {}", bdi(&e.corroboration)));
    if !e.claims.is_empty() {
        facts.push(format!(
            "<b>Claims</b> {}",
            e.claims
                .iter()
                .map(|c| format!("<a href=\"#claim-{c}\">{c}</a>"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let _ = write!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    if let Some(note) = &e.time_note {
        let _ = write!(
            out,
            "<p class=\"aside\" dir=\"auto\">Date: {}</p>",
            text(note)
        );
    }
    if let Some(t) = &e.text {
        let _ = write!(out, "<p dir=\"auto\">{}</p>", text(t));
    }
    for q in &e.quotes {
        out.push_str(&quote_block(&q.quote, "evidence"));
        let _ = write!(
            out,
            "<p class=\"byline\">— {} {}</p>",
            bdi(&q.outlet),
            cite(q.cite)
        );
        if let Some(note) = &q.note {
            let _ = write!(out, "<p class=\"aside\" dir=\"auto\">{}</p>", text(note));
        }
    }
    if e.quotes.is_empty() {
        out.push_str("<p class=\"aside\">No source passage is recorded for this event.</p>");
    }
    out.push_str("</article>");
}

fn claim_html(out: &mut String, n: usize, c: &ClaimEntry) {
    let _ = write!(
        out,
        "<article class=\"claim\" id=\"claim-{n}\"><h3 dir=\"auto\">{n}. {}</h3>",
        text(&c.statement)
    );
    let mut facts = Vec::new();
    if c.contested {
        facts.push("<span class=\"badge contested\">Contested</span>".to_owned());
    }
    if !c.about.is_empty() {
        facts.push(format!(
            "<b>About</b> {}",
            c.about
                .iter()
                .map(|a| bdi(a))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if let Some(o) = &c.alleged_origin {
        facts.push(format!(
            "<b>Alleged origin</b> {} (a claim, not a finding)",
            bdi(o)
        ));
    }
    let _ = write!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    if !c.sides.is_empty() {
        let _ = write!(out, "<p class=\"sides\">{}</p>", text(&c.sides));
    }
    let mut previous: Option<(&str, &str)> = None;
    for s in &c.stances {
        let class = stance_class(s.stance);
        let lapsed = if s.current { "" } else { " lapsed" };
        let _ = write!(out, "<div class=\"stance {class}{lapsed}\">");
        // Consecutive quotes of one actor's one stance share their heading.
        if previous != Some((s.actor.as_str(), s.words.as_str())) {
            let _ = write!(
                out,
                "<p class=\"byline\"><b>{}</b> <span class=\"badge {class}\">{}</span>{}</p>",
                bdi(&s.actor),
                text(&s.words),
                if s.current {
                    ""
                } else {
                    " <em>(no longer held in this window)</em>"
                }
            );
        }
        previous = Some((s.actor.as_str(), s.words.as_str()));
        out.push_str(&quote_block(&s.quote, class));
        let _ = write!(
            out,
            "<p class=\"byline\">— {} {}</p>",
            bdi(&s.outlet),
            cite(s.cite)
        );
        if let Some(note) = &s.note {
            let _ = write!(out, "<p class=\"aside\" dir=\"auto\">{}</p>", text(note));
        }
        out.push_str("</div>");
    }
    out.push_str("</article>");
}

fn source_html(out: &mut String, s: &SourceEntry) {
    let _ = write!(
        out,
        "<li id=\"source-{}\"><b>{}</b>, {}",
        s.number,
        bdi(&s.outlet),
        if s.title.starts_with('[') {
            bdi(&s.title)
        } else {
            format!("“{}”", bdi(&s.title))
        }
    );
    if !s.authors.is_empty() {
        let names: Vec<String> = s.authors.iter().map(|a| bdi(a)).collect();
        let _ = write!(out, ", by {}", names.join(", "));
    }
    let _ = write!(out, ". Published: {}.", text(&s.published));
    if let Some(note) = &s.published_note {
        let _ = write!(out, " <span dir=\"auto\">{}</span>", text(note));
    }
    let _ = write!(out, "<br>Perspective: {}.", bdi(&s.perspective));
    match (&s.link, &s.url) {
        (Some(link), _) => {
            let _ = write!(
                out,
                " <a href=\"{}\" rel=\"noreferrer\">{}</a>",
                text(link),
                text(link)
            );
        }
        (None, Some(url)) => {
            let _ = write!(
                out,
                " Address as given (not a web address, not linked): <code>{}</code>.",
                text(url)
            );
        }
        (None, None) => out.push_str(" No web address is recorded."),
    }
    let _ = write!(
        out,
        "<br>Article text: <code>{}</code>, <span class=\"hash\">SHA-256 {}</span>. {}</li>",
        text(&s.file),
        text(&s.sha256),
        text(&s.licence)
    );
}

/// The briefing as a self-contained HTML document.
#[must_use]
pub fn write(brief: &Brief, pictures: &Pictures) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"mapline {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        text(&brief.title)
    );
    let _ = write!(
        out,
        "<header><p class=\"kicker\">Briefing</p><h1 dir=\"auto\">{}</h1>",
        text(&brief.dataset)
    );
    if let Some(f) = &brief.focus {
        let _ = write!(out, "<p class=\"focus\">Focus: {}</p>", bdi(f));
    }
    let filters = if brief.filters.is_empty() {
        "none".to_owned()
    } else {
        brief
            .filters
            .iter()
            .map(|f| bdi(f))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let _ = write!(
        out,
        "<dl class=\"meta\"><dt>Time window</dt><dd>{}</dd><dt>Filters</dt><dd>{filters}</dd>\
         <dt>Contents</dt><dd>{}</dd><dt>Made</dt><dd>{} by mapline {} from {}</dd></dl>",
        text(&brief.window),
        text(&brief.counts()),
        text(&brief.provenance.made_at),
        env!("CARGO_PKG_VERSION"),
        bdi(&brief.provenance.origin),
    );
    if !brief.description.is_empty() {
        let _ = write!(out, "<p dir=\"auto\">{}</p>", text(&brief.description));
    }
    out.push_str(
        "<p class=\"aside\">Every quote below is a verbatim passage of its article, proven against \
         the article's file when the dataset was loaded (each file's SHA-256 is in the sources list). \
         A stance is what an outlet or an actor says, attributed to them; it is not a finding.</p></header>\n",
    );
    if let Some(map) = &pictures.map {
        out.push_str(&picture(
            map,
            "The map of the view",
            "The map as mapline showed it: places with events in the window; the selection highlighted.",
        ));
    }
    if let Some(strip) = &pictures.strip {
        out.push_str(&picture(
            strip,
            "The time strip of the view",
            "The time strip: the window and the events in it.",
        ));
    }
    out.push_str("<section class=\"events\"><h2>Events, in time order</h2>\n");
    if brief.events.is_empty() {
        out.push_str("<p>No event is in the view.</p>");
    }
    for (i, e) in brief.events.iter().enumerate() {
        event_html(&mut out, i + 1, e);
        out.push('\n');
    }
    if brief.more_events > 0 {
        let _ = write!(
            out,
            "<p class=\"aside\">And {} more events in the view, not listed: narrow the window, the filters or the selection to brief them.</p>",
            brief.more_events
        );
    }
    out.push_str("</section>\n<section class=\"claims\"><h2>Claims, contested first</h2>\n");
    if brief.claims.is_empty() {
        out.push_str("<p>No claim is made about these events.</p>");
    }
    for (i, c) in brief.claims.iter().enumerate() {
        claim_html(&mut out, i + 1, c);
        out.push('\n');
    }
    out.push_str("</section>\n<section class=\"sources\"><h2>Sources</h2>\n<ol>");
    for s in &brief.sources {
        source_html(&mut out, s);
        out.push('\n');
    }
    out.push_str("</ol></section>\n</main>\n</body>\n</html>\n");
    out
}
