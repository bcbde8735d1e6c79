//! *Cite as a new event*: the passage selected in an article becomes the
//! first excerpt of a new event, with its title, its time (EDTF, its
//! reading shown as typed), its category and its place: one of the story's,
//! or a new one from typed coordinates or a click on the map.

use std::ops::Range;

use egui::{ComboBox, RichText, TextEdit, Ui};

use crate::io::format::{EventEntry, EventPlaceEntry, PlaceEntry};
use crate::io::story::{Edit, Entry, Kind, Story};
use crate::model::{Category, FuzzyTime, LocationPrecision, PlaceKind, PlaceRole, SourceIdx};

/// The accessible names of the form's text fields.
pub const TITLE: &str = "Event title";
/// The time field.
pub const TIME: &str = "When (EDTF)";
/// A new place's name.
pub const PLACE_NAME: &str = "New place: name";
/// A new place's longitude.
pub const LON: &str = "Longitude (degrees east)";
/// A new place's latitude.
pub const LAT: &str = "Latitude (degrees north)";
/// The button that takes the next map click as the new place.
pub const PICK: &str = "Pick on the map";

/// The window's fields, and the passage it cites.
#[derive(Debug, Default)]
pub struct EventWindow {
    /// Is it shown?
    pub open: bool,
    /// The article and the passage.
    pub passage: Option<(SourceIdx, Range<usize>)>,
    title: String,
    time: String,
    category: Option<Category>,
    /// The story's place chosen (its id), or `None` for a new one.
    place: Option<String>,
    place_name: String,
    lon: String,
    lat: String,
    /// The next click on the map gives the new place's coordinates.
    pub picking: bool,
    /// Why the last try failed.
    pub message: Option<String>,
}

impl EventWindow {
    /// Opens the window to cite `span` of `source`.
    pub fn open_for(&mut self, source: SourceIdx, span: Range<usize>) {
        *self = Self {
            open: true,
            passage: Some((source, span)),
            ..Self::default()
        };
    }

    /// A click on the map while picking: the new place stands there.
    pub fn set_point(&mut self, lon: f64, lat: f64) {
        // The map repeats past the antimeridian: the longitude comes back
        // into ±180°.
        let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
        self.place = None;
        self.lon = format!("{lon:.4}");
        self.lat = format!("{lat:.4}");
        self.picking = false;
    }

    /// Shows the window over `story`; the edit to make when *Create* is
    /// pressed and every field holds (`source_id` names the article).
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        story: &Story,
        quote: &str,
        source_id: &str,
    ) -> Option<Edit> {
        if !self.open {
            return None;
        }
        let mut out = None;
        let mut open = self.open;
        egui::Window::new("Cite as a new event")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .anchor(egui::Align2::LEFT_TOP, [20.0, 60.0])
            .show(ctx, |ui| out = self.fields(ui, story, quote, source_id));
        self.open = open && out.is_none();
        if !self.open {
            self.picking = false;
        }
        out
    }

    fn fields(&mut self, ui: &mut Ui, story: &Story, quote: &str, source_id: &str) -> Option<Edit> {
        ui.label(RichText::new(format!("“{}”", quote.trim())).italics());
        ui.add_space(4.0);
        egui::Grid::new("event-form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(TITLE);
                ui.add(TextEdit::singleline(&mut self.title).desired_width(380.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(TIME);
                ui.add(
                    TextEdit::singleline(&mut self.time)
                        .desired_width(380.0)
                        .hint_text("2022-07-15, 2022-07, 199X, 2022-09/.."),
                )
                .labelled_by(label.id);
                ui.end_row();
                ui.label("");
                match reading(&self.time) {
                    Ok(words) => ui.weak(words),
                    Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                };
                ui.end_row();
                let label = ui.label("Category");
                let chosen = self.category.unwrap_or(Category::Other);
                ComboBox::from_id_salt("event-category")
                    .selected_text(chosen.as_str())
                    .show_ui(ui, |ui| {
                        for &c in Category::ALL {
                            ui.selectable_value(&mut self.category, Some(c), c.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Place");
                let shown = self.place.as_deref().and_then(|id| {
                    story
                        .manifest
                        .places
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| p.name.clone())
                });
                ComboBox::from_id_salt("event-place")
                    .selected_text(shown.unwrap_or_else(|| "a new place".to_owned()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.place, None, "a new place");
                        for p in &story.manifest.places {
                            ui.selectable_value(&mut self.place, Some(p.id.clone()), &p.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                if self.place.is_none() {
                    for (name, value) in [
                        (PLACE_NAME, &mut self.place_name),
                        (LON, &mut self.lon),
                        (LAT, &mut self.lat),
                    ] {
                        let label = ui.label(name);
                        ui.add(TextEdit::singleline(value).desired_width(380.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                    ui.label("");
                    let text = if self.picking {
                        "Click the map where it is…"
                    } else {
                        PICK
                    };
                    if ui.selectable_label(self.picking, text).clicked() {
                        self.picking = !self.picking;
                    }
                    ui.end_row();
                }
            });
        let problems = self.problems();
        let mut out = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(problems.is_empty(), egui::Button::new("Create"))
                .clicked()
            {
                match self.edit(story, source_id) {
                    Ok(edit) => out = Some(edit),
                    Err(e) => self.message = Some(e),
                }
            }
            if !problems.is_empty() {
                ui.weak(problems.join("; "));
            }
        });
        if let Some(m) = &self.message {
            ui.colored_label(ui.visuals().error_fg_color, m);
        }
        out
    }

    /// What keeps the event from being created.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("needs a title".to_owned());
        }
        if self.time.trim().is_empty() {
            out.push("needs a time".to_owned());
        } else if let Err(e) = reading(&self.time) {
            out.push(e);
        }
        if self.place.is_none() {
            if self.place_name.trim().is_empty() {
                out.push("the new place needs a name".to_owned());
            }
            match coordinates(&self.lon, &self.lat) {
                Ok(_) => {}
                Err(e) => out.push(e),
            }
        }
        out
    }

    /// The edit: the new place (if any) and the event citing the passage,
    /// as one step.
    fn edit(&self, story: &Story, source_id: &str) -> Result<Edit, String> {
        let Some((_, span)) = &self.passage else {
            return Err("no passage is selected".to_owned());
        };
        let mut edits = Vec::new();
        let mut scratch = story.clone();
        let place_id = if let Some(id) = &self.place {
            id.clone()
        } else {
            let (lon, lat) = coordinates(&self.lon, &self.lat)?;
            let id = story.fresh_id(Kind::Place, &self.place_name);
            let entry = PlaceEntry {
                id: id.clone(),
                name: self.place_name.trim().to_owned(),
                aliases: Vec::new(),
                lon,
                lat,
                kind: PlaceKind::Site,
                precision: LocationPrecision::Locality,
                country: None,
                note: None,
            };
            let insert = Edit::Insert {
                at: story.len(Kind::Place),
                entry: Entry::Place(entry),
            };
            scratch.apply(insert.clone()).map_err(|e| e.to_string())?;
            edits.push(insert);
            id
        };
        let event = EventEntry {
            title: self.title.trim().to_owned(),
            time: self.time.trim().to_owned(),
            category: self.category.unwrap_or(Category::Other),
            places: vec![EventPlaceEntry {
                place: place_id,
                role: PlaceRole::Location,
            }],
            ..EventEntry::default()
        };
        edits.push(
            scratch
                .new_event_citing(event, source_id, span.clone())
                .map_err(|e| e.to_string())?,
        );
        Ok(Edit::Group { edits })
    }
}

/// The time in words with its precision, or what is wrong and where.
fn reading(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok("as EDTF: 2022-07-15, 2022-07, 2022, 199X, 1980/2003, 2022-09/..".to_owned());
    }
    FuzzyTime::parse(text)
        .map(|t| format!("{} (a {})", t.display(), t.precision().as_str()))
        .map_err(|e| {
            format!(
                "{text:?}: {} (at character {})",
                e.message,
                text.get(..e.offset).map_or(0, |s| s.chars().count()) + 1
            )
        })
}

/// Typed coordinates, checked.
fn coordinates(lon: &str, lat: &str) -> Result<(f64, f64), String> {
    let parse = |s: &str, what: &str, max: f64| -> Result<f64, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err(format!(
                "the new place needs a {what} (type it, or pick it on the map)"
            ));
        }
        let v: f64 = s
            .parse()
            .map_err(|_| format!("the {what} {s:?} is not a number of degrees"))?;
        if !v.is_finite() || v.abs() > max {
            return Err(format!("the {what} {s} is beyond ±{max}°"));
        }
        Ok(v)
    };
    Ok((
        parse(lon, "longitude", 180.0)?,
        parse(lat, "latitude", 90.0)?,
    ))
}
