//! The full article, its excerpt highlighted and scrolled into view. The
//! text is selectable, by pointer or by Shift and the arrow keys; while a
//! story is being written, the passage selected can be cited as the
//! selected event's excerpt (the app makes the edit; this view only asks).

use std::ops::Range;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Align, Color32, FontId, RichText, ScrollArea, TextEdit, Ui};

use super::{source_line, tag_color};
use crate::model::{Dataset, EventIdx};
use crate::state::{Action, ArticleView};

/// The accessible name of the article's text, for a source's outlet.
#[must_use]
pub fn text_label(outlet: &str) -> String {
    format!("Article text of {outlet}; the excerpt is highlighted")
}

/// Draws the article; `(citing, event)`: a story is being written, and the
/// event a selected passage would be cited for.
pub(super) fn show(
    ui: &mut Ui,
    ds: &Dataset,
    (article, pending): (&ArticleView, Option<Range<usize>>),
    (citing, event): (bool, Option<EventIdx>),
    actions: &mut Vec<Action>,
) {
    let source = ds.source(article.source);
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        if ui
            .button("Back to excerpts")
            .on_hover_text("Back to the excerpts (Esc)")
            .clicked()
        {
            actions.push(Action::CloseArticle);
        }
        ui.weak("Full text, excerpt highlighted");
    });
    ui.label(RichText::new(&source.title).size(15.0).strong());
    source_line(
        ui,
        ds,
        article.source,
        tag_color(article.source.index(), dark),
    );
    if let Some(note) = &source.published_note {
        ui.weak(note);
    }
    ui.weak(format!("Licence: {}", source.licence));
    let text = source.text.as_str();
    let id = ui.make_persistent_id(("article-text", article.source.0));
    // The passage selected (as of the last frame), in bytes.
    let selected = TextEdit::load_state(ui.ctx(), id)
        .and_then(|s| s.cursor.char_range())
        .and_then(|r| {
            let (p, q) = (r.primary.index.0, r.secondary.index.0);
            let (a, b) = (p.min(q), p.max(q));
            (a < b).then(|| byte_of(text, a)..byte_of(text, b))
        });
    if citing {
        cite_bar(ui, ds, (text, selected), event, article, actions);
    }
    ui.separator();
    let span = article.span.start.min(text.len())..article.span.end.min(text.len());
    let text_color = ui.visuals().text_color();
    let mark = if dark {
        Color32::from_rgb(0x6b, 0x55, 0x12)
    } else {
        Color32::from_rgb(0xff, 0xe5, 0x8f)
    };
    let plain = TextFormat {
        font_id: FontId::proportional(14.0),
        color: text_color,
        line_height: Some(20.0),
        ..Default::default()
    };
    let marked = TextFormat {
        background: mark,
        ..plain.clone()
    };
    // The passage being cited: underlined in the accent colour.
    let citing_format = TextFormat {
        underline: egui::Stroke::new(2.0, crate::style::accent(dark)),
        ..plain.clone()
    };
    let pending = pending.filter(|p| {
        p.start < p.end
            && text.is_char_boundary(p.start)
            && text.is_char_boundary(p.end.min(text.len()))
    });
    let label = text_label(&source.outlet);
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .id_salt(("article", article.source.0))
        .show(ui, |ui| {
            let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
                let t = buf.as_str();
                let mut job = LayoutJob::default();
                // Cut points: the excerpt's span, and the passage being cited.
                let mut cuts = vec![0, span.start, span.end, t.len()];
                if let Some(p) = &pending {
                    cuts.extend([p.start, p.end.min(t.len())]);
                }
                cuts.sort_unstable();
                cuts.dedup();
                for w in cuts.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let in_excerpt = a >= span.start && b <= span.end && span.start < span.end;
                    let in_pending = pending.as_ref().is_some_and(|p| a >= p.start && b <= p.end);
                    let mut format = if in_excerpt {
                        marked.clone()
                    } else {
                        plain.clone()
                    };
                    if in_pending {
                        format.underline = citing_format.underline;
                    }
                    job.append(t.get(a..b).unwrap_or(""), 0.0, format);
                }
                job.wrap.max_width = wrap_width;
                ui.painter().layout_job(job)
            };
            // Read-only (a `&str`): the caret and the selection, no edits.
            let mut shown: &str = text;
            let output = TextEdit::multiline(&mut shown)
                .id(id)
                .frame(egui::Frame::NONE)
                .desired_width(f32::INFINITY)
                .layouter(&mut layouter)
                .show(ui);
            output.response.widget_info(|| {
                let mut info =
                    egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, &label);
                info.label = Some(label.clone());
                info
            });
            if article.scroll_pending {
                let start_char = text.get(..span.start).map_or(0, |t| t.chars().count());
                let end_char = start_char + text.get(span.clone()).map_or(0, |t| t.chars().count());
                let a = output.galley.pos_from_cursor(CCursor::new(start_char));
                let b = output.galley.pos_from_cursor(CCursor::new(end_char));
                let rect = a.union(b).translate(output.galley_pos.to_vec2());
                ui.scroll_to_rect(rect, Some(Align::Center));
                actions.push(Action::ArticleScrolled);
            }
        });
}

/// Above the text while a story is being written: what a selection can
/// become.
fn cite_bar(
    ui: &mut Ui,
    ds: &Dataset,
    (text, selected): (&str, Option<Range<usize>>),
    event: Option<EventIdx>,
    article: &ArticleView,
    actions: &mut Vec<Action>,
) {
    // One row, as tall as a button whether or not a passage is selected,
    // so that the text does not move under the pointer as a selection begins.
    ui.horizontal_wrapped(|ui| {
        ui.set_min_height(ui.spacing().interact_size.y);
        let Some(span) = &selected else {
            ui.weak("Select a passage (drag, or Shift and the arrow keys) to cite it.");
            return;
        };
        if ui
            .button("Cite as a new event…")
            .on_hover_text("The passage becomes the first excerpt of a new event")
            .clicked()
        {
            actions.push(Action::CiteAsNewEvent {
                source: article.source,
                span: span.clone(),
            });
        }
        match event {
            Some(e) => {
                let words = text.get(span.clone()).unwrap_or("").trim();
                let name = format!("Cite as excerpt of {}", ds.event(e).title());
                if ui
                    .button(&name)
                    .on_hover_text(format!(
                        "Add “{}” to the event's excerpts",
                        elide(words, 80)
                    ))
                    .clicked()
                {
                    actions.push(Action::CiteSelection {
                        source: article.source,
                        span: span.clone(),
                    });
                }
            }
            None => {
                ui.weak("or select an event to cite it as its excerpt");
            }
        }
    });
}

/// At most `n` characters of `text`, with an ellipsis when cut.
fn elide(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The byte offset of character `chars` of `text` (its end past the last).
fn byte_of(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}
