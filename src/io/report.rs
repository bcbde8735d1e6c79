//! What `mapline check` prints: a summary for people, JSON for programs.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::diagnostic::{Diagnostic, Severity};
use crate::model::{Dataset, Day, EventRef, FuzzyTime};

/// ISO date of a bound, or null for an open end.
fn iso_or_null(day: Option<Day>) -> Value {
    day.map_or(Value::Null, |d| Value::String(d.iso()))
}

/// The whole dataset as JSON: sources, actors, places, events and claims,
/// with every excerpt's verified quote and byte span.
#[must_use]
pub fn dataset_json(ds: &Dataset, warnings: &[Diagnostic]) -> Value {
    let sources: Vec<Value> = ds
        .sources
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "outlet": s.outlet, "title": s.title, "authors": s.authors,
                "published": s.published.as_ref().map(FuzzyTime::edtf),
                "perspective": s.perspective, "licence": s.licence, "file": s.file, "sha256": s.sha256,
            })
        })
        .collect();
    let actors: Vec<Value> = ds
        .actors
        .iter()
        .map(|a| json!({ "id": a.id, "name": a.name, "kind": a.kind, "aliases": a.aliases }))
        .collect();
    let places: Vec<Value> = ds
        .places
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "name": p.name, "aliases": p.aliases, "lon": p.lon, "lat": p.lat,
                "kind": p.kind, "precision": p.precision,
            })
        })
        .collect();
    let excerpt_json = |x: &crate::model::Excerpt| {
        json!({
            "source": ds.source(x.source).id,
            "quote": x.text(&ds.sources),
            "span": [x.span().start, x.span().end],
        })
    };
    let events: Vec<Value> = ds
        .events
        .iter()
        .map(|e| {
            json!({
                "id": e.id(), "title": e.title(),
                "time": e.time().edtf(),
                "earliest": iso_or_null(e.time().earliest()),
                "latest": iso_or_null(e.time().latest()),
                "precision": e.time().precision().as_str(),
                "display": e.time().display(),
                "category": e.category(),
                "places": e.places().iter().map(|p| ds.place(p.place).id.clone()).collect::<Vec<_>>(),
                "place_roles": e.places().iter().map(|p| json!({"place": ds.place(p.place).id, "role": p.role})).collect::<Vec<_>>(),
                "actors": e.actors().iter().map(|a| ds.actor(*a).id.clone()).collect::<Vec<_>>(),
                "excerpts": e.excerpts().iter().map(|x| excerpt_json(&x)).collect::<Vec<_>>(),
                "links": e.links().iter().map(|l| json!({"relation": l.relation, "event": ds.event(l.event).id()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let claims: Vec<Value> = ds
        .claims
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "statement": c.statement,
                "events": c.events.iter().map(|e| ds.event(*e).id().to_owned()).collect::<Vec<_>>(),
                "alleged_origin": c.alleged_origin.map(|p| ds.place(p).id.clone()),
                "contested": ds.claim_contested(c),
                "stances": c.stances.iter().map(|s| json!({
                    "actor": ds.actor(s.actor).id,
                    "stance": s.stance,
                    "source": ds.source(s.excerpt.source).id,
                    "time": s.time.as_ref().map(crate::model::FuzzyTime::edtf),
                    "quote": s.excerpt.text(&ds.sources),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": ds.title,
        "time_span": ds.time_extent().map(|w| json!({"earliest": w.start.iso(), "latest": w.end.iso()})),
        "sources": sources, "actors": actors, "places": places, "events": events, "claims": claims,
        "warnings": warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "diagnostics": diagnostics_json(warnings),
    })
}

/// One diagnostic as JSON: file, line, column, item, severity and message.
#[must_use]
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    json!({
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "item": d.item,
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": d.message,
    })
}

/// Diagnostics as a JSON array.
#[must_use]
pub fn diagnostics_json(diagnostics: &[Diagnostic]) -> Value {
    Value::Array(diagnostics.iter().map(diagnostic_json).collect())
}

/// What `mapline check --json` prints when the check fails.
#[must_use]
pub fn failure_json(errors: &[Diagnostic]) -> Value {
    json!({ "ok": false, "diagnostics": diagnostics_json(errors) })
}

/// The human summary: counts, time span, excerpts per source, unsourced events.
#[must_use]
pub fn summary(ds: &Dataset, warnings: &[Diagnostic]) -> String {
    let mut out = String::new();
    let excerpts: usize = ds.events.iter().map(|e| e.excerpts().len()).sum();
    let stances: usize = ds.claims.iter().map(|c| c.stances.len()).sum();
    let _ = writeln!(out, "{}: ok", ds.title);
    let _ = writeln!(
        out,
        "  {} sources, {} actors, {} places, {} events, {} excerpts, {} claims ({} contested), {} stances",
        ds.sources.len(),
        ds.actors.len(),
        ds.places.len(),
        ds.events.len(),
        excerpts,
        ds.claims.len(),
        ds.claims.iter().filter(|c| ds.claim_contested(c)).count(),
        stances
    );
    if let Some(span) = ds.time_extent() {
        let _ = writeln!(
            out,
            "  time span: {} to {}",
            span.start.label(),
            span.end.label()
        );
    }
    let _ = writeln!(out, "  excerpts per source (events + stances):");
    for (i, s) in ds.sources.iter().enumerate() {
        let in_events = ds
            .events
            .iter()
            .flat_map(EventRef::excerpts)
            .filter(|x| x.source.index() == i)
            .count();
        let in_stances = ds
            .claims
            .iter()
            .flat_map(|c| &c.stances)
            .filter(|st| st.excerpt.source.index() == i)
            .count();
        let _ = writeln!(
            out,
            "    {:<14} {:>4} + {:<4} {} ({})",
            s.id, in_events, in_stances, s.outlet, s.perspective
        );
    }
    let unsourced: Vec<&str> = ds.unsourced_events().map(EventRef::id).collect();
    let _ = writeln!(out, "  unsourced events: {}", unsourced.len());
    for id in unsourced.iter().take(20) {
        let _ = writeln!(out, "    {id}");
    }
    if !warnings.is_empty() {
        let _ = writeln!(out, "  {} warning(s):", warnings.len());
        for w in warnings.iter().take(50) {
            let _ = writeln!(out, "    {w}");
        }
    }
    out
}
