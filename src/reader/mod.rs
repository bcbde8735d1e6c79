//! The reader: what the sources said about the selection, verbatim and
//! attributed, and each article in full with the excerpt highlighted
//! ([`article`]).
//! It returns actions (select, open an article, the article scrolled to
//! its span) and changes no state itself.

use egui::{
    Color32, Frame, Label, Margin, RichText, Role, ScrollArea, Sense, Stroke, Ui, WidgetInfo,
};

use crate::model::{
    Claim, Dataset, EventIdx, Excerpt, ExtraRef, SourceIdx, Stance, StanceWord, TimeWindow,
};
use crate::state::{Action, ArticleView, Selection};

pub mod article;

/// The reader panel, shown with [`Reader::show`].
pub struct Reader<'a> {
    ds: &'a Dataset,
    selection: Selection,
    /// Events in the window, in time order.
    in_window: &'a [EventIdx],
    article: Option<&'a ArticleView>,
    /// The time window, when it is narrower than the story: a stance with
    /// a time stands when that time overlaps it ([`Stance::is_current`]).
    window: Option<TimeWindow>,
    /// Read like a slide: for a timeline without places, where the reader
    /// has the map's room (a large headline, the text at reading size).
    slide: bool,
    /// A story is being written: a passage selected in an article can be
    /// cited.
    citing: bool,
    /// A passage of the open article being cited (its form is open): marked
    /// in the text while the form has the focus.
    pending: Option<std::ops::Range<usize>>,
}

/// Colours of the perspective tags, by source position.
fn tag_color(i: usize, dark: bool) -> Color32 {
    const LIGHT: [Color32; 6] = [
        Color32::from_rgb(0x1f, 0x5f, 0xc9),
        Color32::from_rgb(0x8a, 0x4b, 0x08),
        Color32::from_rgb(0x0b, 0x7a, 0x4b),
        Color32::from_rgb(0x8e, 0x24, 0xaa),
        Color32::from_rgb(0xb0, 0x25, 0x3c),
        Color32::from_rgb(0x3d, 0x5a, 0x6c),
    ];
    const DARK: [Color32; 6] = [
        Color32::from_rgb(0x6c, 0xb6, 0xff),
        Color32::from_rgb(0xf0, 0xb4, 0x5a),
        Color32::from_rgb(0x5f, 0xd0, 0x9a),
        Color32::from_rgb(0xd6, 0x8a, 0xf0),
        Color32::from_rgb(0xff, 0x8a, 0x9a),
        Color32::from_rgb(0x9f, 0xc0, 0xd4),
    ];
    if dark {
        DARK[i % DARK.len()]
    } else {
        LIGHT[i % LIGHT.len()]
    }
}

impl<'a> Reader<'a> {
    /// A reader for the selection; `article` is the open article, if any.
    #[must_use]
    pub fn new(
        ds: &'a Dataset,
        selection: Selection,
        in_window: &'a [EventIdx],
        article: Option<&'a ArticleView>,
    ) -> Self {
        Self {
            ds,
            selection,
            in_window,
            article,
            window: None,
            slide: false,
            citing: false,
            pending: None,
        }
    }

    /// A story is being written: the article view offers to cite the
    /// passage selected in it.
    #[must_use]
    pub fn citing(mut self, citing: bool) -> Self {
        self.citing = citing;
        self
    }

    /// Marks `span` of the article as the passage being cited.
    #[must_use]
    pub fn pending(mut self, span: Option<std::ops::Range<usize>>) -> Self {
        self.pending = span;
        self
    }

    /// Reads like a slide (see the field): a timeline without places.
    #[must_use]
    pub fn as_slides(mut self, slide: bool) -> Self {
        self.slide = slide;
        self
    }

    /// Judges which stances still stand in `window` (`None`, the default:
    /// over the whole story, at the claim's latest publication).
    #[must_use]
    pub fn with_window(mut self, window: Option<TimeWindow>) -> Self {
        self.window = window;
        self
    }

    /// Draws the reader and returns what the user asked for.
    pub fn show(self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        if let Some(article) = self.article {
            let cite_for = match self.selection {
                Selection::Event(e) if self.citing => Some(e),
                _ => None,
            };
            article::show(
                ui,
                self.ds,
                (article, self.pending.clone()),
                (self.citing, cite_for),
                &mut actions,
            );
            return actions;
        }
        ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.set_width(ui.available_width());
            match self.selection {
                Selection::None if self.slide => {
                    ui.label(RichText::new(&self.ds.title).strong().size(24.0));
                    ui.add_space(6.0);
                    if !self.ds.description.is_empty() {
                        ui.label(RichText::new(&self.ds.description).size(15.0));
                        ui.add_space(6.0);
                    }
                    ui.weak(format!(
                        "{} events. Click one on the timeline, or press the right arrow key for the first; the arrow keys walk them in time order.",
                        self.ds.events.len()
                    ));
                }
                Selection::None => claims_in_window(
                    ui,
                    self.ds,
                    (self.in_window, self.window.as_ref()),
                    &mut actions,
                ),
                Selection::Place(p) => {
                    let place = self.ds.place(p);
                    ui.heading(&place.name);
                    let mut kind = place.kind.as_str().to_owned();
                    if let Some(c) = place.country.as_deref().filter(|c| !c.is_empty() && *c != place.name) {
                        kind = format!("{kind} in {c}");
                    }
                    if !place.aliases.is_empty() {
                        kind = format!("{kind} · also {}", place.aliases.join(", "));
                    }
                    ui.weak(kind);
                    let events: Vec<EventIdx> = self
                        .in_window
                        .iter()
                        .rev()
                        .copied()
                        .filter(|&e| self.ds.event(e).touches(p))
                        .collect();
                    let total = self.ds.events_at(p).len();
                    ui.label(format!(
                        "{} event{} in the window (of {total} in all), newest first",
                        events.len(),
                        if events.len() == 1 { "" } else { "s" }
                    ));
                    ui.add_space(6.0);
                    if events.is_empty() {
                        ui.weak("Nothing here in the current time window. Widen the window on the time strip to see more.");
                    }
                    for e in events {
                        event_card(ui, self.ds, e, (false, None, false), &mut actions);
                        ui.add_space(8.0);
                    }
                }
                Selection::Event(e) if self.slide => {
                    slide_card(ui, self.ds, e, &mut actions);
                }
                Selection::Event(e) => {
                    event_card(
                        ui,
                        self.ds,
                        e,
                        (true, self.window.as_ref(), false),
                        &mut actions,
                    );
                }
            }
        });
        actions
    }
}

/// One event: title, time as the sources give it, places, actors, and its
/// excerpts grouped by source.
/// `window`: see [`Reader::with_window`].
fn event_card(
    ui: &mut Ui,
    ds: &Dataset,
    e: EventIdx,
    (expanded, window, headed): (bool, Option<&TimeWindow>, bool),
    actions: &mut Vec<Action>,
) {
    let event = ds.event(e);
    Frame::group(ui.style())
        .inner_margin(Margin::same(10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if headed {
                event_details(ui, ds, e, (expanded, window, headed), actions);
                return;
            }
            let title = RichText::new(event.title()).strong().size(15.0);
            if expanded {
                ui.label(title);
            } else {
                let r = ui
                    .add(Label::new(title).sense(Sense::click()))
                    .on_hover_text("Select this event");
                let name = format!("Select event: {}", event.title());
                r.widget_info(|| WidgetInfo::labeled(Role::Link, true, &name));
                if r.clicked() {
                    actions.push(Action::SelectEvent(e));
                }
            }
            ui.label(RichText::new(event.time().display()).strong());
            if let Some(shown) = event.extra().and_then(ExtraRef::display_date)
                && *shown != event.time().display()
            {
                ui.weak(format!("The file shows the date as: {shown}"));
            }
            event_details(ui, ds, e, (expanded, window, headed), actions);
        });
}

/// The card's body below its title and time: time of day, places, actors,
/// category, the text (unless `headed`: a slide has shown it), media, the
/// excerpts by source, and (when `expanded`) the claims.
fn event_details(
    ui: &mut Ui,
    ds: &Dataset,
    e: EventIdx,
    (expanded, window, headed): (bool, Option<&TimeWindow>, bool),
    actions: &mut Vec<Action>,
) {
    let event = ds.event(e);
    let dark = ui.visuals().dark_mode;
    if let Some(clock) = event.extra().and_then(ExtraRef::clock_times)
        && !event.time().edtf().contains('T')
    {
        ui.label(format!("Time of day in the file: {clock}"));
    }
    // stamps hook: a date-time's hour, which the day above leaves out.
    if let Some(clock) = crate::io::stamp::clock(event.time().edtf()) {
        ui.label(format!("Time of day: {clock}"));
    }
    if let Some(note) = event.time_note() {
        ui.weak(note);
    }
    let places: Vec<String> = event
        .places()
        .iter()
        .map(|p| format!("{} ({})", ds.place(p.place).name, p.role))
        .collect();
    if !places.is_empty() {
        ui.label(format!("Where: {}", places.join(", ")));
    }
    let actors: Vec<&str> = event
        .actors()
        .iter()
        .map(|a| ds.actor(*a).name.as_str())
        .collect();
    if !actors.is_empty() {
        ui.label(format!("Who: {}", actors.join(", ")));
    }
    let extra = event.extra();
    match extra.and_then(ExtraRef::event_type) {
        Some(t) => ui.weak(format!(
            "Category: {} · type in the file: {t}",
            event.category()
        )),
        None => ui.weak(format!("Category: {}", event.category())),
    };
    if let Some(group) = extra.and_then(ExtraRef::group) {
        ui.weak(format!("Group: {group}"));
    }
    if event.excerpts().is_empty() {
        ui.add_space(4.0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "No verified excerpt: this event was imported without one, so nothing \
                     here is quoted from a checked source.",
        );
        if let Some(cited) = extra.and_then(ExtraRef::attribution) {
            ui.label(format!("The file cites: {cited} (not verified)"));
        }
        if let Some(text) = event.text().filter(|_| !headed) {
            ui.label(RichText::new("Text in the file:").weak());
            ui.label(text);
        }
    } else {
        ui.label(RichText::new(format!("Reported by {}", ds.corroboration(e))).size(12.5));
        if let Some(text) = event.text().filter(|_| !headed) {
            ui.weak(text);
        }
    }
    if let Some(media) = extra.and_then(ExtraRef::media).filter(|_| !headed) {
        ui.add_space(4.0);
        ui.weak("Linked media (not fetched):");
        ui.add(Label::new(RichText::new(&media.url).monospace().size(11.5)).selectable(true));
        if let Some(c) = &media.caption {
            ui.weak(format!("Caption: {c}"));
        }
        if let Some(c) = &media.credit {
            ui.weak(format!("Credit: {c}"));
        }
    }
    ui.add_space(4.0);
    // Excerpts grouped by source, in source order.
    for s in ds.event_sources(e) {
        ui.add_space(4.0);
        source_line(ui, ds, s, tag_color(s.index(), dark));
        for x in event.excerpts().iter().filter(|x| x.source == s) {
            quote_block(ui, ds, &x, tag_color(s.index(), dark), actions);
        }
    }
    if expanded {
        let claims: Vec<_> = ds.claims_about(e).collect();
        if !claims.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Who says what").strong().size(14.0));
            for claim in claims {
                claim_block(ui, ds, claim, window, actions);
            }
        }
    }
}

/// One event as a slide: its headline large, its time, its text at reading
/// size, then its media's caption and credit, and below the card every
/// other detail (the event card, whose excerpts and warnings stay).
fn slide_card(ui: &mut Ui, ds: &Dataset, e: EventIdx, actions: &mut Vec<Action>) {
    let event = ds.event(e);
    ui.label(RichText::new(event.title()).strong().size(24.0));
    ui.add_space(2.0);
    ui.label(RichText::new(event.time().display()).size(15.0).strong());
    if let Some(shown) = event.extra().and_then(ExtraRef::display_date)
        && *shown != event.time().display()
    {
        ui.weak(format!("The file shows the date as: {shown}"));
    }
    ui.add_space(8.0);
    if let Some(text) = event.text() {
        ui.add(Label::new(RichText::new(text).size(15.0)).wrap());
        ui.add_space(8.0);
    }
    if let Some(media) = event.extra().and_then(ExtraRef::media) {
        if let Some(c) = &media.caption {
            ui.label(RichText::new(c).italics().size(13.5));
        }
        if let Some(c) = &media.credit {
            ui.label(RichText::new(format!("Credit: {c}")).size(13.0));
        }
        ui.add(
            Label::new(RichText::new(&media.url).monospace().size(11.5).weak()).selectable(true),
        )
        .on_hover_text("Linked media, never fetched");
        ui.add_space(8.0);
    }
    ui.weak("The left and right arrow keys go to the previous and next event");
    ui.add_space(10.0);
    event_card(ui, ds, e, (true, None, true), actions);
}

/// The colour of a stance word: assertion, suggestion (the assertion's
/// colour, lighter), denial, dispute.
fn stance_color(word: StanceWord, dark: bool) -> Color32 {
    match word {
        StanceWord::Asserts => tag_color(2, dark),
        StanceWord::Suggests => tag_color(2, dark).gamma_multiply(0.6),
        StanceWord::Denies => tag_color(4, dark),
        StanceWord::Disputes => tag_color(1, dark),
    }
}

/// Whose word a stance rests on: "its own words" when the actor is the
/// outlet speaking for itself, else "per" the outlet (its actor's short
/// name when `short`, else its name as the text shows it).
fn rests_on(ds: &Dataset, s: &Stance, short: bool) -> String {
    let source = ds.source(s.excerpt.source);
    if source.actor == Some(s.actor) {
        "its own words".to_owned()
    } else if short {
        let outlet = source
            .actor
            .map_or(source.outlet.as_str(), |a| ds.actor(a).short_name());
        format!("per {outlet}")
    } else {
        format!("per {}", source.outlet)
    }
}

/// A claim: its statement, whether it is contested, a line saying who
/// stands where and on whose word, and each side (asserts, suggests,
/// denies, disputes; lapsed stances last) with each stance's verbatim
/// excerpt. `window`: see [`Reader::with_window`].
fn claim_block(
    ui: &mut Ui,
    ds: &Dataset,
    claim: &Claim,
    window: Option<&TimeWindow>,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    ui.add_space(4.0);
    let latest = claim.latest_publication(&ds.sources);
    let contested = if claim.is_contested(&ds.sources, window) {
        "  · contested"
    } else {
        ""
    };
    ui.label(RichText::new(format!("“{}”{contested}", claim.statement)).italics());
    if let Some(origin) = claim.alleged_origin {
        let by = if claim.only_suggested() {
            "Suggested"
        } else {
            "Alleged"
        };
        ui.weak(format!(
            "{by} origin: {} (drawn dashed on the map, never as fact)",
            ds.place(origin).name
        ));
    }
    let current = |s: &&Stance| s.is_current(window, latest);
    // The sides, strongest first; stances that no longer stand go last,
    // on a side of their own.
    let mut sides: Vec<(Option<StanceWord>, Vec<&Stance>)> = StanceWord::ALL
        .iter()
        .map(|&w| {
            let of: Vec<&Stance> = claim
                .stances
                .iter()
                .filter(|s| s.stance == w)
                .filter(current)
                .collect();
            (Some(w), of)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let lapsed: Vec<&Stance> = claim.stances.iter().filter(|s| !current(s)).collect();
    if !lapsed.is_empty() {
        sides.push((None, lapsed));
    }
    let side_name = |word: Option<StanceWord>| word.map_or("no longer held", StanceWord::as_str);
    let side =
        |ui: &mut Ui, word: Option<StanceWord>, stances: &[&Stance], actions: &mut Vec<Action>| {
            let head_color = word.map_or(ui.visuals().weak_text_color(), |w| stance_color(w, dark));
            ui.label(
                RichText::new(format!("{} ({})", side_name(word), stances.len()))
                    .color(head_color)
                    .strong(),
            );
            for stance in stances {
                let color = stance_color(stance.stance, dark);
                let source = ds.source(stance.excerpt.source);
                let mut job = egui::text::LayoutJob::default();
                let font = egui::FontId::proportional(13.5);
                let plain =
                    egui::TextFormat::simple(font.clone(), ui.visuals().strong_text_color());
                job.append(&ds.actor(stance.actor).name, 0.0, plain.clone());
                job.append(" ", 0.0, plain);
                let mut word_format = egui::TextFormat::simple(font.clone(), color);
                if stance.stance == StanceWord::Suggests {
                    word_format.italics = true;
                }
                job.append(&stance.words(), 0.0, word_format);
                job.append(
                    &if source.actor == Some(stance.actor) {
                        format!(
                            " — its own words ({}, {})",
                            source.outlet, source.perspective
                        )
                    } else {
                        format!(
                            " — {} ({})",
                            rests_on(ds, stance, false),
                            source.perspective
                        )
                    },
                    0.0,
                    egui::TextFormat::simple(font, ui.visuals().weak_text_color()),
                );
                ui.label(job);
                quote_block(ui, ds, &stance.excerpt, color, actions);
            }
        };
    // At a glance, a line a side: who stands where, and on whose word.
    for (word, stances) in &sides {
        // Each actor once, in the order the stances name them, with the
        // outlets its stances rest on ("own words": the outlet itself).
        let mut who: Vec<(&str, Vec<String>)> = Vec::new();
        for s in stances {
            let name = ds.actor(s.actor).short_name();
            let mut on = rests_on(ds, s, true)
                .trim_start_matches("per ")
                .replace("its own words", "own words");
            if word.is_none() {
                // "asserted until 2012, per AP": the time with the outlet.
                let per = if on == "own words" { "in its " } else { "per " };
                on = format!("{}, {per}{on}", s.words());
            }
            match who.iter_mut().find(|(n, _)| *n == name) {
                Some((_, list)) if !list.contains(&on) => list.push(on),
                Some(_) => {}
                None => who.push((name, vec![on])),
            }
        }
        let who: Vec<String> = who
            .into_iter()
            .map(|(name, on)| {
                let per = if word.is_none() || on.iter().all(|o| o.ends_with("own words")) {
                    ""
                } else {
                    "per "
                };
                format!("{name} ({per}{})", on.join(", "))
            })
            .collect();
        let color = word.map_or(ui.visuals().weak_text_color(), |w| stance_color(w, dark));
        let mut job = egui::text::LayoutJob::default();
        let font = egui::FontId::proportional(12.5);
        let mut head = egui::TextFormat::simple(font.clone(), color);
        head.italics = *word == Some(StanceWord::Suggests);
        job.append(&format!("{}: ", side_name(*word)), 0.0, head);
        job.append(
            &who.join(", "),
            0.0,
            egui::TextFormat::simple(font, ui.visuals().strong_text_color()),
        );
        ui.label(job);
    }
    ui.add_space(2.0);
    if sides.len() > 1 && ui.available_width() > 160.0 * sides.len() as f32 {
        ui.columns(sides.len(), |cols| {
            for (col, (word, stances)) in cols.iter_mut().zip(&sides) {
                side(col, *word, stances, actions);
            }
        });
    } else {
        for (word, stances) in &sides {
            side(ui, *word, stances, actions);
            ui.add_space(2.0);
        }
    }
}

/// Every claim about the events in the window, contested ones first.
fn claims_in_window(
    ui: &mut Ui,
    ds: &Dataset,
    (in_window, window): (&[EventIdx], Option<&TimeWindow>),
    actions: &mut Vec<Action>,
) {
    let mut claims: Vec<&Claim> = ds
        .claims
        .iter()
        .filter(|c| c.events.iter().any(|e| in_window.binary_search(e).is_ok()))
        .collect();
    claims.sort_by_key(|c| !c.is_contested(&ds.sources, window));
    ui.heading("Claims in the window");
    ui.label(format!(
        "{} claim(s), {} contested: who asserts, who suggests, who denies, who disputes",
        claims.len(),
        claims
            .iter()
            .filter(|c| c.is_contested(&ds.sources, window))
            .count()
    ));
    for claim in claims {
        Frame::group(ui.style())
            .inner_margin(Margin::same(10))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                claim_block(ui, ds, claim, window, actions);
                ui.horizontal_wrapped(|ui| {
                    ui.weak("About:");
                    for &e in &claim.events {
                        let title = ds.event(e).title();
                        let r = ui.link(title);
                        let name = format!("Select event: {title}");
                        r.widget_info(|| WidgetInfo::labeled(Role::Link, true, &name));
                        if r.clicked() {
                            actions.push(Action::SelectEvent(e));
                        }
                    }
                });
            });
        ui.add_space(6.0);
    }
}

/// "Outlet · authors · date · [perspective]".
fn source_line(ui: &mut Ui, ds: &Dataset, s: SourceIdx, color: Color32) {
    let source = ds.source(s);
    ui.horizontal(|ui| {
        Frame::new()
            .fill(color.gamma_multiply(0.15))
            .stroke(Stroke::new(1.0, color))
            .corner_radius(8.0)
            .inner_margin(Margin::symmetric(6, 1))
            .show(ui, |ui| {
                ui.add(
                    Label::new(RichText::new(&source.perspective).color(color).size(11.5)).extend(),
                );
            });
        ui.add(Label::new(RichText::new(&source.outlet).strong()).truncate());
    });
    let mut meta: Vec<String> = Vec::new();
    if !source.authors.is_empty() {
        meta.push(source.authors.join(", "));
    }
    meta.push(source.published.as_ref().map_or_else(
        || "publication date unknown".to_owned(),
        |t| {
            if t.latest().is_none() {
                format!(
                    "published {} or later",
                    t.display().trim_start_matches("from ")
                )
            } else {
                format!("published {}", t.display())
            }
        },
    ));
    ui.weak(meta.join(" · "));
}

/// The quote in quotation marks, unless it opens with its own.
fn quoted(text: &str) -> String {
    let text = text.trim();
    if text.starts_with(['“', '"', '‘', '«']) {
        text.to_owned()
    } else {
        format!("“{text}”")
    }
}

/// The verified quote, and a button to read it in its article.
fn quote_block(ui: &mut Ui, ds: &Dataset, x: &Excerpt, color: Color32, actions: &mut Vec<Action>) {
    Frame::new()
        .inner_margin(Margin {
            left: 10,
            right: 4,
            top: 2,
            bottom: 2,
        })
        .stroke(Stroke::NONE)
        .show(ui, |ui| {
            let r =
                ui.add(Label::new(RichText::new(quoted(x.text(&ds.sources))).size(13.5)).wrap());
            ui.painter().line_segment(
                [
                    r.rect.left_top() - egui::vec2(7.0, 0.0),
                    r.rect.left_bottom() - egui::vec2(7.0, 0.0),
                ],
                Stroke::new(3.0, color),
            );
            let outlet = &ds.source(x.source).outlet;
            let b = ui
                .small_button("Show in article")
                .on_hover_text(format!("Open the full {outlet} text at this passage"));
            let name = format!("Show in article: {outlet}");
            b.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
            if b.clicked() {
                actions.push(Action::ShowArticle(x.source, x.span()));
            }
        });
}
