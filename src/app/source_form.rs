//! *Add a source*: an article's text, pasted or read from a `.txt` file,
//! and what the story needs to cite it (outlet, title, authors, published,
//! perspective, licence, URL). The text is kept under `sources/` and its
//! SHA-256 computed; nobody types a hash.

use std::path::Path;

use egui::{RichText, TextEdit, Ui};

use crate::io::story::SourceForm;
use crate::model::FuzzyTime;

/// The accessible names of the form's fields, in order.
pub const FIELDS: [&str; 8] = [
    "Outlet",
    "Title",
    "Authors (separated by commas)",
    "Published (EDTF)",
    "Perspective",
    "Licence",
    "URL (kept as a citation, never opened)",
    "Article text",
];

/// The accessible name of the field that takes a file to read the text from.
pub const FILE_FIELD: &str = "Or read it from a .txt file or a saved web page";

/// The largest article a file may give.
const MAX_ARTICLE_BYTES: u64 = 16 * 1024 * 1024;

/// The *Add a source* window's fields.
#[derive(Debug, Default)]
pub struct SourceWindow {
    /// Is it shown?
    pub open: bool,
    values: [String; 8],
    file: String,
    /// Why the last try failed, or what the file gave.
    pub message: Option<Result<String, String>>,
}

impl SourceWindow {
    /// Shows the window; the form and the text when *Add* is pressed and
    /// every field holds.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<(SourceForm, String)> {
        if !self.open {
            return None;
        }
        let mut out = None;
        let mut open = self.open;
        egui::Window::new("Add a source")
            .open(&mut open)
            .collapsible(false)
            .default_width(620.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| out = self.fields(ui));
        self.open = open && out.is_none();
        out
    }

    fn fields(&mut self, ui: &mut Ui) -> Option<(SourceForm, String)> {
        egui::Grid::new("source-form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                for (i, name) in FIELDS.iter().enumerate().take(7) {
                    let label = ui.label(*name);
                    ui.add(TextEdit::singleline(&mut self.values[i]).desired_width(420.0))
                        .labelled_by(label.id);
                    ui.end_row();
                    if i == 3 {
                        ui.label("");
                        match published_reading(&self.values[3]) {
                            Ok(Some(words)) => ui.weak(words),
                            Ok(None) => ui.weak("unknown (leave empty)"),
                            Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                        };
                        ui.end_row();
                    }
                }
            });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label(FILE_FIELD);
            ui.add(TextEdit::singleline(&mut self.file).desired_width(300.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(!self.file.trim().is_empty(), egui::Button::new("Read"))
                .clicked()
            {
                self.message = Some(match read_article(Path::new(self.file.trim())) {
                    Ok(read) => {
                        let words = read.text.split_whitespace().count();
                        // What the page says of itself fills the fields left empty.
                        for (i, found) in [(0, read.outlet), (1, read.title), (2, read.byline)] {
                            if let Some(found) = found
                                && self.values[i].trim().is_empty()
                            {
                                self.values[i] = found;
                            }
                        }
                        self.values[7] = read.text;
                        Ok(format!("Read {words} words."))
                    }
                    Err(e) => Err(e),
                });
            }
        });
        let label = ui.label(FIELDS[7]);
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                ui.add(
                    TextEdit::multiline(&mut self.values[7])
                        .desired_width(f32::INFINITY)
                        .desired_rows(8)
                        .hint_text("Paste the article's text here, as published"),
                )
                .labelled_by(label.id);
            });
        let problems = self.problems();
        let mut out = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(problems.is_empty(), egui::Button::new("Add"))
                .clicked()
            {
                out = Some(self.form());
            }
            if !problems.is_empty() {
                ui.weak(problems.join("; "));
            }
        });
        match &self.message {
            Some(Ok(m)) => {
                ui.label(RichText::new(m).weak());
            }
            Some(Err(m)) => {
                ui.colored_label(ui.visuals().error_fg_color, m);
            }
            None => {}
        }
        out
    }

    /// What keeps the form from being added.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, what) in [(0, "an outlet"), (1, "a title"), (4, "a perspective")] {
            if self.values[i].trim().is_empty() {
                out.push(format!("needs {what}"));
            }
        }
        if let Err(e) = published_reading(&self.values[3]) {
            out.push(e);
        }
        let url = self.values[6].trim();
        if !url.is_empty() && !crate::model::is_web_url(url) {
            out.push("the URL is not an http or https address".to_owned());
        }
        if self.values[7].trim().is_empty() {
            out.push("needs the article's text".to_owned());
        }
        out
    }

    fn form(&mut self) -> (SourceForm, String) {
        let v = &self.values;
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let form = SourceForm {
            outlet: v[0].trim().to_owned(),
            title: v[1].trim().to_owned(),
            authors: v[2]
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            published: opt(&v[3]),
            perspective: v[4].trim().to_owned(),
            licence: v[5].trim().to_owned(),
            url: opt(&v[6]),
        };
        let text = std::mem::take(&mut self.values[7]);
        *self = Self::default();
        (form, text)
    }
}

/// How the published date reads: `Ok(None)` when empty, the words and the
/// precision when valid ("July 2022 (a month)"), or what is wrong.
///
/// # Errors
/// The words of the EDTF error, with where it is.
pub fn published_reading(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match FuzzyTime::parse(text) {
        Ok(t) => Ok(Some(format!(
            "{} (a {})",
            t.display(),
            t.precision().as_str()
        ))),
        Err(e) => Err(format!(
            "published {text:?}: {} (at character {})",
            e.message,
            text.get(..e.offset).map_or(0, |s| s.chars().count()) + 1
        )),
    }
}

/// What a file gives: the article's text and, from a web page, what the
/// page says of itself (title, outlet, byline) to fill empty fields with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadArticle {
    /// The text, as it will be kept and quoted.
    pub text: String,
    /// The page's headline.
    pub title: Option<String>,
    /// The site's name.
    pub outlet: Option<String>,
    /// The byline.
    pub byline: Option<String>,
}

/// The article in a `.txt` file (as UTF-8) or a saved web page (`.html`,
/// `.htm`: reduced to its readable text, paragraph by paragraph), read
/// within bounds.
///
/// # Errors
/// Another kind of file, unreadable, too large, not UTF-8, or a page with
/// no readable article in it.
pub fn read_article(path: &Path) -> Result<ReadArticle, String> {
    let ext = path
        .extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "txt" | "html" | "htm") {
        return Err(format!(
            "{}: an article is read from a .txt file or a saved web page (.html); paste other text instead",
            path.display()
        ));
    }
    // Opened as a stranger's file: a regular file only (never a pipe that
    // would block), read within bounds.
    let bytes = crate::io::guard::read_file(path, MAX_ARTICLE_BYTES)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("{}: not UTF-8 text ({e})", path.display()))?;
    if ext == "txt" {
        return Ok(ReadArticle {
            text,
            ..ReadArticle::default()
        });
    }
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..dom_smoothie::Config::default()
    };
    let no_article = |e: dom_smoothie::ReadabilityError| {
        format!("{}: no readable article in the page ({e})", path.display())
    };
    let article = dom_smoothie::Readability::new(text, None, Some(config))
        .and_then(|mut r| r.parse())
        .map_err(no_article)?;
    let body = article.text_content.trim().to_owned();
    if body.is_empty() {
        return Err(format!(
            "{}: the page holds no readable text",
            path.display()
        ));
    }
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(ReadArticle {
        text: body + "\n",
        title: some(&article.title),
        outlet: article.site_name.as_deref().and_then(some),
        byline: article.byline.as_deref().and_then(some),
    })
}
