//! The briefing: what it holds, that its quotes are the articles' own words,
//! and that no dataset string can become markup in it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Command;

use mapline::io::brief::{self, Brief, Focus, Pictures, Provenance, Scope};

fn mapline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mapline"))
}

/// The article text a hostile dataset quotes from.
const ARTICLE: &str = "Officials said <img src=x onerror=alert(1)> was found on the servers.\n\n\
    The ministry denied that <script>alert('x')</script> had run.\n\n\
    دولت گفت که حمله از خارج بود.\n";

/// A small native dataset whose every string tries to become markup.
fn hostile_dataset(dir: &Path) {
    use sha2::Digest as _;
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("sources/a.txt"), ARTICLE).unwrap();
    let sha = format!("{:x}", sha2::Sha256::digest(ARTICLE.as_bytes()));
    let manifest = serde_json::json!({
        "title": "Hostile <b>story</b>",
        "description": "[click](javascript:alert(1)) and <iframe src=//evil>",
        "sources": [{
            "id": "a",
            "outlet": "<b onmouseover=alert(1)>Evil Outlet</b> \u{202E}txt.exe",
            "title": "*bold* _em_ `code` # heading | cell",
            "authors": ["<svg onload=alert(1)>"],
            "published": "2022-09-07",
            "perspective": "<script>tag</script>",
            "url": "javascript:alert(document.cookie)",
            "licence": "&copy; nobody",
            "file": "sources/a.txt",
            "sha256": sha,
        }],
        "actors": [
            {"id": "gov", "name": "<script>alert('actor')</script>", "kind": "state"},
            {"id": "ministry", "name": "Ministry \u{202E}dias", "kind": "state"},
        ],
        "places": [{
            "id": "town", "name": "Town <img src=y>", "lon": 19.8, "lat": 41.3,
            "kind": "city", "precision": "city", "country": "Albania",
        }],
        "events": [{
            "id": "e1",
            "title": "<script>alert('title')</script> \u{202E}evil",
            "time": "2022-07-15",
            "category": "cyber",
            "places": [{"place": "town", "role": "target"}],
            "actors": ["gov"],
            "excerpts": [{"source": "a", "quote": "Officials said <img src=x onerror=alert(1)> was found on the servers."}],
        }],
        "claims": [{
            "id": "c1",
            "statement": "<a href=\"javascript:alert(1)\">It</a> happened",
            "events": ["e1"],
            "stances": [
                {"actor": "gov", "stance": "asserts", "source": "a",
                 "quote": "Officials said <img src=x onerror=alert(1)> was found on the servers."},
                {"actor": "ministry", "stance": "denies", "source": "a",
                 "quote": "The ministry denied that <script>alert('x')</script> had run."},
                {"actor": "ministry", "stance": "disputes", "source": "a",
                 "quote": "دولت گفت که حمله از خارج بود."},
            ],
        }],
    });
    std::fs::write(
        dir.join("dataset.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

fn hostile_brief() -> Brief {
    let dir = tempfile::tempdir().unwrap();
    hostile_dataset(dir.path());
    let loaded = mapline::io::load_dir(dir.path()).expect("the hostile dataset loads");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("not an http:// or https:// address")),
        "the javascript: url is warned about: {:?}",
        loaded.warnings
    );
    Brief::new(
        &loaded.dataset,
        &Scope::whole(&loaded.dataset),
        Provenance::now("<script>origin</script>".to_owned()),
    )
}

#[test]
fn html_shows_hostile_strings_as_text_and_links_no_script_url() {
    let brief = hostile_brief();
    let html = brief::html::write(&brief, &Pictures::default());
    // No element comes from the data: every tag in the file is one of ours.
    for tag in [
        "<script",
        "<img",
        "<svg",
        "<iframe",
        "<b onmouseover",
        "<a href=\"javascript",
    ] {
        assert!(!html.contains(tag), "{tag} is markup in:\n{html}");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;b onmouseover=alert(1)&gt;Evil Outlet&lt;/b&gt;"));
    // The javascript: address is shown, never linked.
    assert!(!html.to_lowercase().contains("href=\"javascript"));
    assert!(html.contains("not a web address, not linked"));
    assert!(html.contains("javascript:alert(document.cookie)"));
    // A bidi override cannot reorder what follows it: it is shown, not obeyed.
    assert!(!html.contains('\u{202E}'));
    assert!(html.contains("[U+202E]txt.exe"));
    // The Persian quote keeps its direction, and no script can run at all.
    assert!(html.contains("<p dir=\"auto\">دولت گفت که حمله از خارج بود.</p>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn markdown_escapes_hostile_strings_and_links_no_script_url() {
    let brief = hostile_brief();
    let md = brief::markdown::write(&brief, [None, None]);
    // Every `<` from the data is escaped: the only live ones open our web autolinks.
    for (i, _) in md.match_indices('<') {
        assert!(
            md[..i].ends_with('\\') || md[i..].starts_with("<https://"),
            "a live < at {i}: {}",
            &md[i.saturating_sub(40)..(i + 40).min(md.len())]
        );
    }
    for (i, _) in md.match_indices("](") {
        assert!(md[..i].ends_with('\\'), "a live link at {i}");
    }
    assert!(md.contains(r"\<script\>alert('title')\</script\>"));
    assert!(md.contains(r"\*bold\* \_em\_ \`code\` \# heading \| cell"));
    assert!(md.contains(r"\[click\](javascript:alert(1))"));
    assert!(md.contains("Address as given (not linked): javascript:alert(document.cookie)."));
    assert!(!md.contains('\u{202E}'));
    assert!(md.contains("[U+202E]txt.exe") || md.contains(r"\[U+202E\]txt.exe"));
    // What the escapes hide comes back with them undone.
    assert!(
        brief::markdown::unescape(&md).contains("<script>alert('title')</script>"),
        "unescaping gives the title back"
    );
}

#[test]
fn a_web_address_is_linked_in_both() {
    let dir = tempfile::tempdir().unwrap();
    hostile_dataset(dir.path());
    let path = dir.path().join("dataset.json");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "javascript:alert(document.cookie)",
        "https://example.org/news/a?x=1&y=\\\"2\\\"",
    );
    std::fs::write(&path, text).unwrap();
    let loaded = mapline::io::load_dir(dir.path()).unwrap();
    let b = Brief::new(
        &loaded.dataset,
        &Scope::whole(&loaded.dataset),
        Provenance::now("test".to_owned()),
    );
    let html = brief::html::write(&b, &Pictures::default());
    assert!(html.contains(
        "<a href=\"https://example.org/news/a?x=1&amp;y=&quot;2&quot;\" rel=\"noreferrer\">"
    ));
    let md = brief::markdown::write(&b, [None, None]);
    // A quote in the address is no whitespace or control: it is linked as it is.
    assert!(md.contains("<https://example.org/news/a?x=1&y=\"2\">"));
}

/// The text of each block quote in `md` with the citation number of the
/// line next to it (before it for a stance, after it for an event's quote).
fn quotes_with_citations(md: &str) -> Vec<(String, usize)> {
    let cite_in = |line: &str| -> Option<usize> {
        let start = line.rfind("\\[")? + 2;
        let end = start + line[start..].find("\\]")?;
        line[start..end].parse().ok()
    };
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('>') {
            let start = i;
            let mut paras = Vec::new();
            while i < lines.len() && lines[i].starts_with('>') {
                let l = lines[i].trim_start_matches('>').trim();
                if !l.is_empty() {
                    paras.push(brief::markdown::unescape(l));
                }
                i += 1;
            }
            let before = lines[..start].iter().rev().find(|l| !l.trim().is_empty());
            let after = lines[i..].iter().find(|l| !l.trim().is_empty());
            let n = after
                .filter(|l| l.starts_with('—'))
                .and_then(|l| cite_in(l))
                .or_else(|| before.and_then(|l| cite_in(l)))
                .expect("every quote has its citation beside it");
            out.push((paras.join(" "), n));
        } else {
            i += 1;
        }
    }
    out
}

/// The article file each numbered source names in the sources list.
fn cited_files(md: &str) -> std::collections::HashMap<usize, String> {
    let sources = &md[md.find("## Sources").expect("a sources list")..];
    sources
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(". ")?;
            let n: usize = n.parse().ok()?;
            let file = rest
                .split("Article text: ")
                .nth(1)?
                .split(", SHA-256")
                .next()?;
            Some((n, brief::markdown::unescape(file)))
        })
        .collect()
}

#[test]
fn cli_markdown_quotes_are_verbatim_in_their_articles() {
    let out = tempfile::tempdir().unwrap();
    let md_path = out.path().join("story brief.md");
    let run = mapline().arg("brief").arg(&md_path).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let md = std::fs::read_to_string(&md_path).unwrap();
    let files = cited_files(&md);
    assert_eq!(files.len(), 4, "the four articles are cited: {files:?}");
    let quotes = quotes_with_citations(&md);
    assert!(quotes.len() > 100, "{} quotes", quotes.len());
    let folded = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (quote, n) in &quotes {
        let file = &files[n];
        let article = std::fs::read_to_string(Path::new("data/albania-iran").join(file)).unwrap();
        assert!(
            folded(&article).contains(&folded(quote)),
            "not verbatim in {file}: {quote}"
        );
    }
    // Contested claims come first, and the July attack's is among them.
    let claims = &md[md.find("## Claims, contested first").unwrap()..];
    let first = claims.find("### Claim 1:").unwrap();
    assert!(
        claims[first..]
            .lines()
            .nth(2)
            .unwrap()
            .starts_with("**Contested**")
    );
    assert!(
        claims.contains("Iran orchestrated and sponsored the July 2022 cyberattack on Albania")
    );
    // The pictures sit beside it, named after it and linked with the space encoded.
    for which in ["map", "strip"] {
        let png = std::fs::read(out.path().join(format!("story brief-{which}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{which} is a PNG");
        assert!(md.contains(&format!("(story%20brief-{which}.png)")));
    }
}

#[test]
fn cli_brief_of_a_place_in_a_window_lists_only_its_events() {
    let out = tempfile::tempdir().unwrap();
    let html_path = out.path().join("tirana.html");
    let run = mapline()
        .args([
            "brief", "--place", "tirana", "--from", "2022-07", "--to", "2022-07",
        ])
        .arg(&html_path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("Focus: <bdi>the place Tirana (Albania)</bdi>"));
    assert!(html.contains("July 1, 2022 – July 31, 2022"));
    assert!(
        html.contains("data:image/png;base64,"),
        "the pictures are embedded"
    );
    assert!(
        !html.contains("Albania cuts diplomatic relations with Iran and orders"),
        "a September event is out of the window"
    );
    // Wrong names and formats are refused with a reason.
    let bad = mapline()
        .args(["brief", "--place", "atlantis"])
        .arg(out.path().join("x.html"))
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no place has the id \"atlantis\""));
    let bad = mapline()
        .args(["brief"])
        .arg(out.path().join("x.pdf"))
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("OUT.html"));
}

#[test]
fn a_focus_on_one_event_lists_it_and_its_claims() {
    let loaded = mapline::io::load_embedded().unwrap();
    let ds = &loaded.dataset;
    let e = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    let mut scope = Scope::whole(ds);
    scope.focus = Focus::Event(e);
    let b = Brief::new(ds, &scope, Provenance::now("test".to_owned()));
    assert_eq!(b.events.len(), 1);
    assert!(b.claims.len() >= 2, "{} claims", b.claims.len());
    assert!(b.claims[0].contested);
    let c = b
        .claims
        .iter()
        .find(|c| c.id == "iran-orchestrated-july-attack")
        .unwrap();
    assert!(c.stances.iter().any(|s| s.stance.is_for()));
    assert!(c.stances.iter().any(|s| !s.stance.is_for()));
    // Citation numbers follow reading order and each names a source.
    assert_eq!(
        b.sources.iter().map(|s| s.number).collect::<Vec<_>>(),
        (1..=b.sources.len()).collect::<Vec<_>>()
    );
    for s in c
        .stances
        .iter()
        .chain(b.claims.iter().flat_map(|c| &c.stances))
    {
        assert!(s.cite >= 1 && s.cite <= b.sources.len());
        let src = ds
            .sources
            .iter()
            .find(|x| x.outlet == b.sources[s.cite - 1].outlet)
            .unwrap();
        assert!(
            src.text.contains(&s.quote),
            "the quote is the article's own text"
        );
    }
}

#[test]
fn a_large_view_lists_its_first_events_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    mapline::io::generate::generate(
        dir.path(),
        mapline::io::generate::GenerateOptions {
            events: brief::MAX_EVENTS + 200,
            seed: 3,
        },
    )
    .unwrap();
    let loaded = mapline::io::load_dir(dir.path()).unwrap();
    let b = Brief::new(
        &loaded.dataset,
        &Scope::whole(&loaded.dataset),
        Provenance::now("generated".to_owned()),
    );
    assert_eq!(b.events.len(), brief::MAX_EVENTS);
    assert_eq!(b.more_events, 200);
    assert!(b.counts().starts_with("the first 500 of 700 events"));
    let md = brief::markdown::write(&b, [None, None]);
    assert!(md.contains("And 200 more events in the view, not listed"));
}
