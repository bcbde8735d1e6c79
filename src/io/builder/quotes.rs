//! Proving the quotes of excerpts and stances against their articles, all
//! the quotes of one article in one pass.

use crate::io::builder::{Ctx, Item, Loc, Step};
use crate::io::quote::{FoldedText, QuoteQuery, QuoteResult, find_quotes};
use crate::model::{Claim, EventIdx, Events, Source, SourceIdx};

/// A quote waiting to be proven, and where its result goes.
pub(crate) struct PendingQuote<'t> {
    pub(crate) source: SourceIdx,
    pub(crate) query: QuoteQuery,
    /// The item quoting and which part of it ("excerpt", 2): enough to say
    /// where, when something is wrong.
    pub(crate) item: Item<'t>,
    pub(crate) what: (&'static str, usize),
    /// `occurrence` was written out (so a quote that stands twice is meant).
    pub(crate) explicit: bool,
    pub(crate) target: QuoteTarget,
}

impl PendingQuote<'_> {
    pub(crate) fn label(&self) -> String {
        format!("{} {} {}", self.item.label(), self.what.0, self.what.1)
    }

    /// Where its quote stands: `excerpts[n].quote` of an event,
    /// `stances[n].quote` of a claim.
    pub(crate) fn loc(&self, ctx: &Ctx<'_>) -> Loc {
        let list = match self.what.0 {
            "stance" => "stances",
            _ => "excerpts",
        };
        let path = [
            Step::Key(list),
            Step::Index(self.what.1 - 1),
            Step::Key("quote"),
        ];
        ctx.value_at(self.item.span, &path)
    }
}

#[derive(Clone, Copy)]
pub(crate) enum QuoteTarget {
    Excerpt { event: usize, slot: usize },
    Stance { claim: usize, slot: usize },
}

/// Proves every pending quote, one pass per article, and fills in spans.
pub(crate) fn prove_quotes(
    ctx: &mut Ctx<'_>,
    sources: &[Source],
    pending: Vec<PendingQuote<'_>>,
    events: &mut Events,
    claims: &mut [Claim],
) {
    let mut by_source: Vec<Vec<PendingQuote>> = (0..sources.len()).map(|_| Vec::new()).collect();
    for p in pending {
        by_source[p.source.index()].push(p);
    }
    for (source, quotes) in sources.iter().zip(by_source) {
        if quotes.is_empty() || source.text.is_empty() {
            continue;
        }
        let folded = FoldedText::new(&source.text);
        let queries: Vec<QuoteQuery> = quotes.iter().map(|p| p.query.clone()).collect();
        for (p, result) in quotes.iter().zip(find_quotes(&folded, &queries)) {
            match result {
                QuoteResult::Found { span, count } => {
                    if count > 1 && !p.explicit {
                        ctx.warn(
                            p.loc(ctx),
                            &p.label(),
                            format!(
                                "the quote occurs {count} times in source {:?}; resolved to the first (add \"occurrence\" to choose another)",
                                source.id
                            ),
                        );
                    }
                    let excerpt = match p.target {
                        QuoteTarget::Excerpt { event, slot } => {
                            events
                                .excerpts_mut(EventIdx(event as u32))
                                .and_then(|x| x.get_mut(slot))
                        }
                        QuoteTarget::Stance { claim, slot } => claims
                            .get_mut(claim)
                            .and_then(|c| c.stances.get_mut(slot))
                            .map(|s| &mut s.excerpt),
                    };
                    if let Some(x) = excerpt {
                        x.set_span(span);
                    }
                }
                QuoteResult::TooFewOccurrences { count } => ctx.error(
                    p.loc(ctx),
                    &p.label(),
                    format!(
                        "occurrence {} asked for, but the quote occurs only {count} time(s) in source {:?}",
                        p.query.occurrence, source.id
                    ),
                ),
                QuoteResult::NotFound(closest) => {
                    let mut shown: String = p.query.folded.chars().take(80).collect();
                    if p.query.folded.chars().count() > 80 {
                        shown.push('…');
                    }
                    ctx.error(
                        p.loc(ctx),
                        &p.label(),
                        format!(
                            "quote not found in source {:?} ({}): «{shown}»; {}",
                            source.id,
                            source.file,
                            closest.describe()
                        ),
                    );
                }
                QuoteResult::Empty => ctx.error(p.loc(ctx), &p.label(), "the quote is empty"),
            }
        }
    }
}
