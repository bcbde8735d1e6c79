//! Writing a story in the window: File → New story, edits shown at once,
//! Ctrl+Z / Ctrl+Shift+Z, Ctrl+S, and bad input that keeps the edits.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, missing_docs)]

use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mapline::app::App;
use mapline::app::dialogs::{NEW_STORY_FOLDER_LABEL, NEW_STORY_TITLE_LABEL};
use mapline::io::format::{EventEntry, EventPlaceEntry, PlaceEntry};
use mapline::io::story::{Edit, Entry, SourceForm};

const ARTICLE: &str = "The fire started at the harbour of Durrës on Tuesday night. \
Officials said the fire was contained by morning.\n";

fn harness() -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|_cc| App::embedded().unwrap());
    h.run();
    h
}

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn has_label(h: &Harness<'static, App>, words: &str) -> bool {
    h.query_all_by_label_contains(words).next().is_some()
}

/// The Test Wire's article as the source form would give it.
fn wire_form() -> SourceForm {
    SourceForm {
        outlet: "Test Wire".into(),
        title: "Fire".into(),
        perspective: "wire".into(),
        licence: "test".into(),
        ..SourceForm::default()
    }
}

/// Into the story being written: the Test Wire's article, Durrës, and the
/// event "Fire at the harbour" (2022-07) citing the article's first
/// sentence. The source's id.
fn write_fire_story(app: &mut App) -> String {
    let add = app
        .authoring()
        .unwrap()
        .story
        .add_source(wire_form(), ARTICLE);
    app.edit(add).unwrap();
    let place: PlaceEntry = serde_json::from_value(serde_json::json!({
        "id": "durres", "name": "Durrës", "lon": 19.45, "lat": 41.32,
        "kind": "city", "precision": "city", "country": "Albania"
    }))
    .unwrap();
    app.edit(Edit::Insert {
        at: 0,
        entry: Entry::Place(place),
    })
    .unwrap();
    let story = &app.authoring().unwrap().story;
    let source = story.manifest.sources[0].id.clone();
    let sentence = "The fire started at the harbour of Durrës on Tuesday night.";
    let cite = story
        .new_event_citing(
            EventEntry {
                title: "Fire at the harbour".into(),
                time: "2022-07".into(),
                places: vec![EventPlaceEntry {
                    place: "durres".into(),
                    role: mapline::model::PlaceRole::Location,
                }],
                ..EventEntry::default()
            },
            &source,
            0..sentence.len(),
        )
        .unwrap();
    app.edit(cite).unwrap();
    source
}

#[test]
fn a_new_story_is_edited_undone_redone_and_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("harbour");
    let mut h = harness();

    // File → New story…, a title and a folder typed, Create.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New story…").click();
    h.run();
    type_into(&mut h, NEW_STORY_TITLE_LABEL, "A fire at the harbour");
    type_into(&mut h, NEW_STORY_FOLDER_LABEL, folder.to_str().unwrap());
    h.get_by_label("Create").click();
    h.run();
    assert!(
        h.state().authoring().is_some(),
        "the new story is being edited"
    );
    assert_eq!(h.state().dataset().title, "A fire at the harbour");
    assert_eq!(h.state().origin(), Some(folder.as_path()));
    assert!(
        folder.join("dataset.json").exists(),
        "created on disk at once"
    );
    assert!(!has_label(&h, "New story"), "the window closed");

    // An article, a place and an event citing the first sentence.
    let sentence = "The fire started at the harbour of Durrës on Tuesday night.";
    write_fire_story(h.state_mut());
    h.run();
    let durres = h.state().dataset().place_by_id("durres").unwrap();
    assert_eq!(h.state().dataset().events.len(), 1, "shown at once");
    assert_eq!(h.state().place_count(durres), 1, "the map counts it");
    assert!(h.state().authoring().unwrap().dirty);
    assert!(has_label(&h, "Durrës, 1 event in window"), "on the map");

    // Ctrl+Z takes the event back off the map; Ctrl+Shift+Z brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().dataset().events.len(), 0);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_eq!(h.state().dataset().events.len(), 1);

    // Opening something else with unsaved edits is refused, and says why.
    h.state_mut().open(tmp.path().to_path_buf());
    h.run();
    assert!(!h.state().is_loading());
    assert!(has_label(&h, "has unsaved edits"));

    // Ctrl+S saves; the folder reads back with the event and its quote.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert!(!h.state().authoring().unwrap().dirty);
    let ds = mapline::io::load_dir(&folder).unwrap().dataset;
    assert_eq!(ds.events.len(), 1);
    let e = ds.event(mapline::model::EventIdx(0));
    let x = e.excerpts().iter().next().unwrap();
    assert_eq!(x.text(&ds.sources), sentence);
}

#[test]
fn an_edit_that_breaks_the_checks_is_kept_listed_and_not_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("story");
    let mut h = harness();
    h.state_mut().new_story(&folder, "Checks").unwrap();
    let saved = std::fs::read(folder.join("dataset.json")).unwrap();
    // An event at a place the story does not have: the edit is made and
    // kept; the window lists the problem and keeps showing the last good
    // version; Save refuses and leaves the folder as it was.
    let app = h.state_mut();
    app.edit(Edit::Insert {
        at: 0,
        entry: Entry::Event(Box::new(EventEntry {
            id: "lost".into(),
            title: "Somewhere".into(),
            time: "2022-07".into(),
            places: vec![EventPlaceEntry {
                place: "atlantis".into(),
                role: mapline::model::PlaceRole::Location,
            }],
            ..EventEntry::default()
        })),
    })
    .unwrap();
    h.run();
    assert_eq!(
        h.state().authoring().unwrap().story.manifest.events.len(),
        1
    );
    assert_eq!(h.state().dataset().events.len(), 0, "the last good version");
    assert!(has_label(&h, "does not pass the checks (1 problem(s))"));
    assert!(has_label(&h, "atlantis"), "the problem is named");
    let err = h.state_mut().save_story().unwrap_err().to_string();
    assert!(err.contains("does not pass the checks"), "{err}");
    assert_eq!(std::fs::read(folder.join("dataset.json")).unwrap(), saved);
    assert!(h.state().authoring().unwrap().dirty, "the edit is kept");
    // Undone, the problem goes.
    assert!(h.state_mut().undo());
    h.run();
    assert!(!has_label(&h, "does not pass the checks"));
}

#[test]
fn only_a_dataset_folder_is_edited() {
    let mut h = harness();
    let err = h.state_mut().start_editing().unwrap_err().to_string();
    assert!(
        err.contains("only a dataset opened from a mapline folder"),
        "{err}"
    );
    // A new story in a folder that holds files already is refused.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let err = h
        .state_mut()
        .new_story(tmp.path(), "X")
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(
        std::fs::read(tmp.path().join("notes.txt")).unwrap(),
        b"mine"
    );
}

/// Presses or releases the primary button at `pos` (after moving there).
fn pointer(h: &mut Harness<'static, App>, pos: egui::Pos2, pressed: Option<bool>) {
    h.event(egui::Event::PointerMoved(pos));
    if let Some(pressed) = pressed {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}

/// The quotes of the story's first event.
fn quotes(h: &Harness<'static, App>) -> Vec<String> {
    h.state().authoring().unwrap().story.manifest.events[0]
        .excerpts
        .iter()
        .map(|x| x.quote.clone())
        .collect()
}

#[test]
fn a_passage_selected_by_keys_or_by_dragging_is_cited_as_the_events_excerpt() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("harbour");
    let mut h = harness();
    h.state_mut().new_story(&folder, "Harbour").unwrap();
    let source_id = write_fire_story(h.state_mut());
    let first = "The fire started at the harbour of Durrës on Tuesday night.";
    h.run();
    // Select the event, open its article.
    let e = mapline::model::EventIdx(0);
    let source = mapline::model::SourceIdx(
        h.state()
            .dataset()
            .sources
            .iter()
            .position(|s| s.id == source_id)
            .unwrap() as u32,
    );
    h.state_mut().apply(mapline::state::Action::SelectEvent(e));
    h.state_mut()
        .apply(mapline::state::Action::ShowArticle(source, 0..first.len()));
    h.run();
    h.run();
    let label = mapline::reader::article::text_label("Test Wire");
    assert!(has_label(&h, "Select a passage"), "a hint says how to cite");

    // By keys: into the text, to its start, then Shift+Right over "The fire".
    h.get_by_label(&label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::CTRL | Modifiers::COMMAND, egui::Key::Home);
    for _ in 0.."The fire".chars().count() {
        h.key_press_modifiers(Modifiers::SHIFT, egui::Key::ArrowRight);
    }
    h.run();
    h.get_by_label("Cite as excerpt of Fire at the harbour")
        .click();
    h.run();
    assert_eq!(quotes(&h), [first, "The fire"]);

    // By pointer: a drag along the second line's words.
    let rect = h.get_by_label(&label).rect();
    let y = rect.top() + 10.0;
    pointer(&mut h, egui::pos2(rect.left() + 40.0, y), Some(true));
    pointer(&mut h, egui::pos2(rect.left() + 160.0, y), None);
    pointer(&mut h, egui::pos2(rect.left() + 260.0, y), Some(false));
    h.run();
    h.get_by_label("Cite as excerpt of Fire at the harbour")
        .click();
    h.run();
    let all = quotes(&h);
    assert_eq!(all.len(), 3, "{all:?}");
    let dragged = &all[2];
    assert!(
        dragged.chars().count() > 8,
        "a passage of some words: {dragged:?}"
    );
    assert!(ARTICLE.contains(dragged.as_str()), "verbatim: {dragged:?}");
    // The story passes the checks with every excerpt proven.
    h.key_press(egui::Key::Escape);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::S);
    h.run();
    let ds = mapline::io::load_dir(&folder).unwrap().dataset;
    let shown: Vec<&str> = ds
        .event(e)
        .excerpts()
        .iter()
        .map(|x| x.text(&ds.sources))
        .collect();
    assert_eq!(shown.len(), 3);
    assert_eq!(shown[1], "The fire");
}

#[test]
fn edits_left_unsaved_by_a_run_that_ended_are_offered_and_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let folder = tmp.path().join("story");
    {
        let mut app = App::embedded().unwrap();
        app.use_settings(mapline::app::settings::SettingsStore::in_dir(&config));
        app.new_story(&folder, "Left unsaved").unwrap();
        let add = app
            .authoring()
            .unwrap()
            .story
            .add_source(wire_form(), ARTICLE);
        app.edit(add).unwrap();
        app.edit(Edit::SetTitle {
            title: "Left unsaved, retitled".into(),
        })
        .unwrap();
        // The run ends here without a save (as a crash or a kill would).
        std::mem::forget(app);
    }
    let mut app = App::embedded().unwrap();
    app.use_settings(mapline::app::settings::SettingsStore::in_dir(&config));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| app);
    h.run();
    assert!(
        has_label(&h, "2 unsaved edit(s) of the story in"),
        "offered"
    );
    h.get_by_label("Restore").click();
    h.run();
    let a = h.state().authoring().unwrap();
    assert!(a.dirty);
    assert_eq!(a.story.manifest.sources.len(), 1);
    assert_eq!(h.state().dataset().title, "Left unsaved, retitled");
    assert_eq!(h.state().origin(), Some(folder.as_path()));
    // Undo goes on where the run stopped.
    assert!(h.state_mut().undo());
    h.run();
    assert_eq!(h.state().dataset().title, "Left unsaved");
}

#[test]
fn closing_with_unsaved_edits_asks_first() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("story");
    let mut h = harness();
    h.state_mut().new_story(&folder, "Closing").unwrap();
    h.state_mut()
        .edit(Edit::SetTitle {
            title: "Closing, retitled".into(),
        })
        .unwrap();
    h.run();
    let ask_to_close = |h: &mut Harness<'static, App>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.run();
    };
    ask_to_close(&mut h);
    assert!(has_label(&h, "has edits that are not saved"), "it asks");
    h.get_by_label("Keep editing").click();
    h.run();
    assert!(!has_label(&h, "has edits that are not saved"));
    assert!(h.state().authoring().unwrap().dirty, "still editing");
    // Save and close: the edits are written.
    ask_to_close(&mut h);
    h.get_by_label("Save and close").click();
    h.run();
    let ds = mapline::io::load_dir(&folder).unwrap().dataset;
    assert_eq!(ds.title, "Closing, retitled");
    assert!(!h.state().authoring().unwrap().dirty);
}

#[test]
fn a_source_is_added_from_a_file_through_the_form_by_keyboard() {
    use mapline::app::source_form::{FIELDS, FILE_FIELD};
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("story");
    let article = tmp.path().join("wire.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    let mut h = harness();
    h.state_mut().new_story(&folder, "Sources").unwrap();
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Add a source…").click();
    h.run();
    for (field, value) in [
        (FIELDS[0], "Test Wire"),
        (FIELDS[1], "Fire at the harbour"),
        (FIELDS[2], "A. Reporter, B. Writer"),
        (FIELDS[3], "2022-13"),
        (FIELDS[4], "wire"),
        (FIELDS[5], "CC BY 4.0"),
        (FIELDS[6], "https://example.org/fire"),
    ] {
        type_into(&mut h, field, value);
    }
    // An impossible month is said where it stands, and Add waits.
    assert!(
        has_label(&h, "published \"2022-13\""),
        "the date's problem shows"
    );
    let add_disabled = |h: &Harness<'static, App>| {
        h.query_all_by(|n| n.label().as_deref() == Some("Add") && n.is_disabled())
            .next()
            .is_some()
    };
    assert!(add_disabled(&h), "Add waits for a valid date");
    h.get_by_label(FIELDS[3]).focus();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.key_press(egui::Key::Backspace);
    h.get_by_label(FIELDS[3]).type_text("07");
    h.run();
    assert!(has_label(&h, "July 2022 (a month)"), "read as typed");
    assert!(add_disabled(&h), "and for the article's text");
    // The text from a file, by its path; then Add.
    type_into(&mut h, FILE_FIELD, article.to_str().unwrap());
    h.get_by_label("Read").click();
    h.run();
    assert!(has_label(&h, "Read 19 words."), "the file was read");
    h.get_by_label("Add").focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let story = &h.state().authoring().unwrap().story;
    assert_eq!(story.manifest.sources.len(), 1);
    let s = &story.manifest.sources[0];
    assert_eq!(
        (s.outlet.as_str(), s.published.as_deref(), s.url.as_deref()),
        (
            "Test Wire",
            Some("2022-07"),
            Some("https://example.org/fire")
        )
    );
    assert_eq!(s.authors, ["A. Reporter", "B. Writer"]);
    assert_eq!(story.article(&s.file), Some(ARTICLE));
    assert_eq!(s.sha256.len(), 64);
    assert!(!has_label(&h, "Add a source"), "the window closed");
    // A file that is neither text nor a web page is refused with a reason.
    let err = mapline::app::source_form::read_article(&tmp.path().join("scan.pdf")).unwrap_err();
    assert!(
        err.contains("read from a .txt file or a saved web page"),
        "{err}"
    );
}

#[test]
fn a_saved_web_page_gives_its_readable_text_and_what_it_says_of_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("fire.html");
    let para = |n: usize| {
        format!(
            "<p>Paragraph {n}: the fire started at the harbour of Durrës on Tuesday night, \
             and officials said it was contained by the morning, after crews from three \
             towns had worked through the dark to keep it from the fuel depot.</p>"
        )
    };
    let body: String = (1..=6).map(para).collect();
    std::fs::write(
        &page,
        format!(
            "<!doctype html><html><head><title>Fire at the harbour | Test Wire</title>\
             <meta property=\"og:site_name\" content=\"Test Wire\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> Subscribe now</nav>\
             <article><h1>Fire at the harbour</h1><p class=\"byline\">By A. Reporter</p>{body}</article>\
             <footer>Cookie settings · Advertise with us</footer></body></html>"
        ),
    )
    .unwrap();
    let read = mapline::app::source_form::read_article(&page).unwrap();
    assert!(
        read.text.contains("Paragraph 1: the fire started"),
        "{}",
        read.text
    );
    assert!(read.text.contains("Paragraph 6:"));
    assert!(
        read.text.contains("\n\n"),
        "paragraphs stay apart: {:?}",
        read.text
    );
    assert!(!read.text.contains("Subscribe now") && !read.text.contains("Cookie settings"));
    assert_eq!(read.outlet.as_deref(), Some("Test Wire"));
    assert!(
        read.title
            .as_deref()
            .is_some_and(|t| t.contains("Fire at the harbour"))
    );
}

#[test]
fn end_to_end_a_story_built_in_the_window_is_saved_and_checked() {
    use mapline::app::event_form::{LAT, LON, PICK, PLACE_NAME, TIME, TITLE};
    use mapline::app::source_form::FIELDS;
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("harbour");
    let mut h = harness();
    // New story.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New story…").click();
    h.run();
    type_into(&mut h, NEW_STORY_TITLE_LABEL, "Harbour fire");
    type_into(&mut h, NEW_STORY_FOLDER_LABEL, folder.to_str().unwrap());
    h.get_by_label("Create").click();
    h.run();
    // Paste a short article.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Add a source…").click();
    h.run();
    for (field, value) in [
        (FIELDS[0], "Test Wire"),
        (FIELDS[1], "Fire at the harbour"),
        (FIELDS[4], "wire"),
        (FIELDS[5], "CC BY 4.0"),
        (FIELDS[7], ARTICLE),
    ] {
        type_into(&mut h, field, value);
    }
    h.get_by_label("Add").click();
    h.run();
    h.run();
    // The article opened: select its first sentence by dragging over it.
    let label = mapline::reader::article::text_label("Test Wire");
    let rect = h.get_by_label(&label).rect();
    let y = rect.top() + 10.0;
    pointer(&mut h, egui::pos2(rect.left() + 40.0, y), Some(true));
    pointer(&mut h, egui::pos2(rect.left() + 120.0, y), None);
    pointer(&mut h, egui::pos2(rect.left() + 200.0, y), Some(false));
    h.get_by_label("Cite as a new event…").click();
    h.run();
    // The event: a title, July 2022, a new place clicked on the map.
    type_into(&mut h, TITLE, "Fire at the harbour");
    type_into(&mut h, TIME, "2022-07");
    assert!(has_label(&h, "July 2022 (a month)"));
    type_into(&mut h, PLACE_NAME, "The harbour");
    h.get_by_label(PICK).click();
    h.run();
    let map = h
        .get_by(|n| n.label().is_some_and(|l| l.starts_with("Map: drag to pan")))
        .rect();
    let spot = egui::pos2(map.right() - 80.0, map.center().y + 80.0);
    // A click: pressed and released within one frame.
    h.event(egui::Event::PointerMoved(spot));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: spot,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    let lon: f64 = h.get_by_label(LON).value().unwrap().parse().unwrap();
    let lat: f64 = h.get_by_label(LAT).value().unwrap().parse().unwrap();
    assert!(lon.abs() <= 180.0 && lat.abs() <= 90.0, "{lon}, {lat}");
    h.get_by_label("Create").click();
    h.run();
    let quote = h.state().authoring().unwrap().story.manifest.events[0].excerpts[0]
        .quote
        .clone();
    assert!(ARTICLE.contains(&quote) && quote.len() > 10, "{quote:?}");
    // Save, then read the folder again from disk.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::S);
    h.run();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mapline"))
        .arg("check")
        .arg(&folder)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("1 sources, 0 actors, 1 places, 1 events, 1 excerpts"),
        "{said}"
    );
    let opened = mapline::io::import::open(&folder, None).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| App::from_opened(opened, &folder));
    h.run();
    assert!(
        has_label(&h, "The harbour, 1 event in window"),
        "the map shows it"
    );
    h.state_mut().select_by_id("the-harbour").unwrap();
    h.run();
    assert!(has_label(&h, &quote), "the reader shows the quote");
}

#[test]
fn the_embedded_story_is_saved_as_a_folder_and_edited_there() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("copy");
    let mut h = harness();
    assert!(
        h.state_mut().start_editing().is_err(),
        "embedded: not in place"
    );
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Save as a story folder…").click();
    h.run();
    type_into(&mut h, NEW_STORY_FOLDER_LABEL, folder.to_str().unwrap());
    h.get_by_label("Create").click();
    h.run();
    let a = h.state().authoring().unwrap();
    assert_eq!(a.story.manifest.events.len(), 46);
    assert_eq!(h.state().origin(), Some(folder.as_path()));
    assert_eq!(
        mapline::io::load_dir(&folder).unwrap().dataset.events.len(),
        46
    );
    // An edit there, saved: the copy changes, the embedded story does not.
    h.state_mut()
        .edit(Edit::SetTitle {
            title: "My copy".into(),
        })
        .unwrap();
    h.state_mut().save_story().unwrap();
    assert_eq!(
        mapline::io::load_dir(&folder).unwrap().dataset.title,
        "My copy"
    );
    assert_ne!(
        mapline::io::load_embedded().unwrap().dataset.title,
        "My copy"
    );
}
