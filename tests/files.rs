//! Opening, watching, dropping and remembering datasets, through the real
//! `App` in `egui_kittest`.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mapline::app::App;
use mapline::app::settings::SettingsStore;
use mapline::state::Selection;

const DATASET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/albania-iran");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn harness_on(app: App) -> Harness<'static, App> {
    let mut app = Some(app);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |_cc| app.take().expect("built once"));
    h.run();
    h
}

/// Steps frames (real time passing) until `done` holds; the frame count.
fn step_until(
    h: &mut Harness<'static, App>,
    what: &str,
    mut done: impl FnMut(&Harness<'static, App>) -> bool,
) -> usize {
    let start = Instant::now();
    let mut frames = 0;
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_mins(2),
            "timed out waiting for {what}"
        );
        h.step();
        frames += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    h.step();
    frames
}

fn open_copy(dir: &Path) -> Harness<'static, App> {
    let opened = mapline::io::import::open(dir, None).unwrap();
    harness_on(App::from_opened(opened, dir))
}

/// Rewrites a file the way an editor does: whole, then renamed into place.
fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    mapline::io::atomic::write_atomic(path, f(text).as_bytes()).unwrap();
}

#[test]
fn a_broken_edit_keeps_the_last_good_data_and_shows_where() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("story");
    copy_dir(Path::new(DATASET), &dir);
    let mut h = open_copy(&dir);
    let tirana = h.state().dataset().place_by_id("tirana").unwrap();
    h.state_mut()
        .apply(mapline::state::Action::SelectPlace(tirana));
    h.run();
    let window = h.state().state().window;
    // Let the watcher start, then break the manifest: Tirana's latitude is not a number.
    step_until(&mut h, "the watcher", |_| true);
    let manifest = dir.join("dataset.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let at = text
        .find("\"id\": \"tirana\"")
        .expect("tirana in the manifest");
    let lat = at + text[at..].find("\"lat\":").unwrap();
    let line = text[..lat].matches('\n').count() + 1;
    edit(&manifest, |t| {
        format!(
            "{}\"lat\": \"north\",{}",
            &t[..lat],
            &t[lat..].split_once(',').unwrap().1
        )
    });

    step_until(&mut h, "the reload to fail", |h| {
        h.state().load_errors().is_some()
    });
    let errors = h.state().load_errors().unwrap();
    let shown = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        shown.contains(&format!("dataset.json:{line}:")) && shown.contains("place tirana"),
        "the error names the file, line and item:\n{shown}"
    );
    // The last good data is still there, selection and window too.
    assert_eq!(h.state().dataset().events.len(), 46);
    assert_eq!(h.state().state().selection, Selection::Place(tirana));
    assert_eq!(h.state().state().window, window);
    assert!(
        h.query_all_by_label_contains("could not be loaded")
            .next()
            .is_some(),
        "the errors panel shows"
    );
    assert!(
        h.query_all_by_label_contains(&format!("dataset.json:{line}:"))
            .next()
            .is_some()
    );
    // Clicking Tirana still works and lists its events.
    assert!(
        h.query_all_by_label_contains("Select event:")
            .next()
            .is_some()
    );

    // A good edit: the title changes; the selection survives by id.
    edit(&manifest, |_| {
        text.replacen("\"title\": \"", "\"title\": \"Edited: ", 1)
    });
    step_until(&mut h, "the good reload", |h| {
        h.state().load_errors().is_none() && h.state().dataset().title.starts_with("Edited: ")
    });
    let tirana_now = h.state().dataset().place_by_id("tirana").unwrap();
    assert_eq!(h.state().state().selection, Selection::Place(tirana_now));
    assert_eq!(h.state().state().window, window);
    assert!(
        h.query_all_by_label_contains("could not be loaded")
            .next()
            .is_none()
    );
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_folder_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dropped");
    copy_dir(Path::new(DATASET), &dir);
    edit(&dir.join("dataset.json"), |t| {
        t.replacen("\"title\": \"", "\"title\": \"Dropped: ", 1)
    });
    let mut h = harness_on(App::embedded().unwrap());
    assert!(!h.state().dataset().title.starts_with("Dropped: "));
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(dir.clone())));
    step_until(&mut h, "the dropped dataset", |h| {
        h.state().dataset().title.starts_with("Dropped: ")
    });
    assert_eq!(h.state().origin(), Some(dir.as_path()));
    assert!(h.query_all_by_label_contains("Dropped: ").next().is_some());

    // A dropped TimelineJS file opens too, its format read from its content.
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/timelinejs/sky-watchers.json");
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file.clone())));
    step_until(&mut h, "the dropped TimelineJS file", |h| {
        h.state().origin() == Some(file.as_path())
    });
    assert_eq!(h.state().dataset().events.len(), 7);
    assert_eq!(h.state().dataset().eras.len(), 1);
    // Its events have no verified excerpt, and the reader says so.
    h.key_press(egui::Key::Home);
    h.run();
    assert!(
        h.query_all_by_label_contains("No verified excerpt")
            .next()
            .is_some(),
        "an imported event says it has no verified excerpt"
    );
}

#[test]
fn a_slow_load_shows_progress_and_frames_keep_coming() {
    // Loading gets faster as mapline improves: grow the dataset until one
    // load takes well over half a second, so that the progress bar is due.
    let tmp = tempfile::tempdir().unwrap();
    let mut n = 20_000;
    loop {
        let dir = tmp.path().join(format!("big{n}"));
        mapline::io::generate::generate(
            &dir,
            mapline::io::generate::GenerateOptions { events: n, seed: 3 },
        )
        .unwrap();
        let mut h = harness_on(App::embedded().unwrap());
        h.state_mut().open(dir.clone());
        let started = Instant::now();
        let mut saw_progress = false;
        let mut frames_while_loading = 0;
        let label = format!("Loading big{n}:");
        while h.state().is_loading() {
            assert!(started.elapsed() < Duration::from_mins(2), "load timed out");
            h.step();
            frames_while_loading += 1;
            if h.query_all_by_label_contains(&label).next().is_some() {
                saw_progress = true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let took = started.elapsed();
        h.step();
        assert_eq!(h.state().dataset().events.len(), n);
        assert!(h.query_all_by_label_contains(&label).next().is_none());
        if took < Duration::from_millis(800) {
            assert!(n < 2_000_000, "even {n} events load in {took:?}");
            n *= 3;
            continue;
        }
        assert!(
            saw_progress,
            "a progress bar with its stage showed ({took:?})"
        );
        // Frames kept coming: at least one every 100 ms on average.
        let expected = (took.as_millis() / 100) as usize;
        assert!(
            frames_while_loading >= expected,
            "{frames_while_loading} frames in {took:?}"
        );
        break;
    }
}

#[test]
fn the_view_is_remembered_and_a_broken_settings_file_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    // A run that changes the view and lanes, then stops.
    {
        let mut app = App::embedded().unwrap();
        app.use_settings(SettingsStore::in_dir(&config));
        let mut h = harness_on(app);
        let w = mapline::model::TimeWindow::new(
            mapline::model::Day::from_ymd(2022, 7, 1).unwrap(),
            mapline::model::Day::from_ymd(2022, 9, 30).unwrap(),
        );
        h.state_mut().apply(mapline::state::Action::SetWindow(w));
        h.state_mut().apply(mapline::state::Action::SetLanes(
            mapline::state::LaneMode::Source,
        ));
        h.run();
        h.state_mut().save_now();
    }
    let saved = std::fs::read_to_string(config.join("settings.json")).unwrap();
    assert!(saved.contains("\"lanes\": \"source\""), "{saved}");
    // The next run starts where the last one stopped.
    let mut app = App::embedded().unwrap();
    app.use_settings(SettingsStore::in_dir(&config));
    assert_eq!(app.state().lanes, mapline::state::LaneMode::Source);
    assert_eq!(
        app.state().window.start,
        mapline::model::Day::from_ymd(2022, 7, 1).unwrap()
    );
    // A corrupt file: defaults, a notice on screen, the file kept aside.
    std::fs::write(config.join("settings.json"), "{\"view\": {\"lanes\": ").unwrap();
    let mut app = App::embedded().unwrap();
    app.use_settings(SettingsStore::in_dir(&config));
    assert_eq!(app.state().lanes, mapline::state::LaneMode::None);
    let h = harness_on(app);
    assert!(
        h.query_all_by_label_contains("settings file")
            .next()
            .is_some(),
        "the notice shows"
    );
    assert!(config.join("settings.json.broken").exists());
}

/// A dataset folder whose article is a link out of the folder, and one whose
/// manifest is a named pipe: opening either shows the error panel, never
/// blocks the loader, and keeps the data on screen.
#[test]
fn hostile_folders_show_the_error_panel_and_keep_the_last_good_data() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "not for sharing").unwrap();
    let linked = tmp.path().join("linked-out");
    copy_dir(Path::new(DATASET), &linked);
    std::fs::remove_file(linked.join("sources/ap.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, linked.join("sources/ap.txt")).unwrap();
    let piped = tmp.path().join("piped");
    std::fs::create_dir(&piped).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(piped.join("dataset.json"))
        .status()
        .unwrap();
    assert!(status.success());

    let mut h = harness_on(App::embedded().unwrap());
    let tirana = h.state().dataset().place_by_id("tirana").unwrap();
    h.state_mut()
        .apply(mapline::state::Action::SelectPlace(tirana));
    h.run();
    let title = h.state().dataset().title.clone();
    for (dir, wanted) in [
        (&linked, "sources/ap.txt is a link to"),
        (&piped, "it is a named pipe (FIFO), not a regular file"),
    ] {
        h.state_mut().open(dir.clone());
        step_until(&mut h, "the refusal", |h| h.state().load_errors().is_some());
        let shown = h
            .state()
            .load_errors()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(shown.contains(wanted), "{shown}");
        assert!(!shown.contains("not for sharing"), "{shown}");
        assert!(
            h.query_all_by_label_contains("could not be loaded")
                .next()
                .is_some(),
            "the errors panel shows"
        );
        assert!(h.query_all_by_label_contains(wanted).next().is_some());
        // The embedded story is still there, Tirana still selected.
        assert_eq!(h.state().dataset().title, title);
        assert_eq!(h.state().dataset().events.len(), 46);
        assert_eq!(h.state().state().selection, Selection::Place(tirana));
        assert_eq!(h.state().origin(), None);
        h.get_by_label("Dismiss").click();
        h.run();
        assert!(h.state().load_errors().is_none());
    }
}

/// The watcher watches the files the manifest names: an article edit counts,
/// a note beside them does not, and nothing under a subfolder is watched.
#[test]
fn the_watcher_follows_the_named_files_only() {
    use mapline::app::files::{SETTLE, Watch};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("story");
    copy_dir(Path::new(DATASET), &dir);
    std::fs::create_dir(dir.join("big-tree")).unwrap();
    let opened = mapline::io::import::open(&dir, None).unwrap();
    let real = std::fs::canonicalize(&dir).unwrap();
    let mut names: Vec<PathBuf> = opened.files.clone();
    names.sort();
    assert_eq!(
        names,
        vec![
            real.join("dataset.json"),
            real.join("sources/ap.txt"),
            real.join("sources/mei.txt"),
            real.join("sources/tehran-times.txt"),
            real.join("sources/telesur.txt"),
        ]
    );
    let mut watch = Watch::new(&dir, &opened.files, None).unwrap();
    let settle = |watch: &mut Watch| {
        let until = Instant::now() + SETTLE * 3;
        while Instant::now() < until {
            if watch.settled_change() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    };
    std::fs::write(dir.join("notes.md"), "my notes").unwrap();
    std::fs::write(dir.join("big-tree/file.txt"), "x").unwrap();
    std::fs::write(dir.join("sources/draft.txt"), "x").unwrap();
    assert!(!settle(&mut watch), "unnamed files do not count");
    edit(&dir.join("sources/mei.txt"), |t| format!("{t}\n"));
    assert!(settle(&mut watch), "a named article counts");
}

/// Esc, or the Cancel button beside the progress bar, stops a load: the
/// data on screen stays and a notice says the load was cancelled.
#[test]
fn a_load_can_be_cancelled_by_esc_or_the_button() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("big");
    mapline::io::generate::generate(
        &dir,
        mapline::io::generate::GenerateOptions {
            events: 200_000,
            seed: 5,
        },
    )
    .unwrap();
    let mut h = harness_on(App::embedded().unwrap());
    let title = h.state().dataset().title.clone();

    h.state_mut().open(dir.clone());
    h.step();
    assert!(h.state().is_loading(), "a 200,000-event load takes a while");
    h.key_press(egui::Key::Escape);
    h.step();
    assert!(!h.state().is_loading(), "Esc cancelled the load");
    h.step();
    assert_eq!(h.state().dataset().title, title);
    assert_eq!(h.state().dataset().events.len(), 46);
    assert!(
        h.query_all_by_label_contains("was cancelled")
            .next()
            .is_some(),
        "a notice says so"
    );

    h.state_mut().open(dir.clone());
    step_until(&mut h, "the progress bar", |h| {
        h.query_all_by_label("Cancel").next().is_some()
    });
    h.get_by_label("Cancel").click();
    h.step();
    assert!(!h.state().is_loading(), "the button cancelled the load");
    assert_eq!(h.state().dataset().events.len(), 46);
    assert_eq!(h.state().origin(), None);
}
