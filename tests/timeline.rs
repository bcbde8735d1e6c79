//! The time strip as an instrument, through `egui_kittest` on the real `App`.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use mapline::app::App;
use mapline::model::{Day, TimeWindow, WindowRule};
use mapline::state::{Action, LaneMode, Selection};
use mapline::timeline::ticks::TickUnit;

fn harness() -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(|_cc| App::embedded().expect("the embedded dataset loads"));
    h.run();
    h
}

fn strip_rect(h: &Harness<'_, App>) -> egui::Rect {
    h.get_by(|n| {
        n.role() == Role::Slider && n.label().is_some_and(|l| l.starts_with("Time window from"))
    })
    .rect()
}

fn day(y: i64, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap()
}

#[test]
fn zooming_over_july_2022_goes_from_years_to_months_to_days() {
    let mut h = harness();
    let rect = strip_rect(&h);
    let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
    let mut units = vec![mapline::timeline::tick_unit(
        &h.state().state().axis,
        right - left,
    )];
    for _ in 0..40 {
        let x = h
            .state()
            .state()
            .axis
            .x_from_time(day(2022, 7, 15).as_f64(), left, right);
        let pos = egui::pos2(x, rect.center().y);
        h.hover_at(pos);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(6);
        let unit = mapline::timeline::tick_unit(&h.state().state().axis, right - left);
        if units.last() != Some(&unit) {
            units.push(unit);
        }
        // The time under the pointer stays put.
        let under = h.state().state().axis.time_from_x(x, left, right);
        assert!(
            (under - day(2022, 7, 15).as_f64()).abs() < 2.0,
            "zoom drifted to {under}"
        );
    }
    let pos = |u: TickUnit| units.iter().position(|x| *x == u);
    let (y, m, d) = (
        pos(TickUnit::Year),
        pos(TickUnit::Month),
        pos(TickUnit::Day),
    );
    assert!(y.is_some() && m.is_some() && d.is_some(), "{units:?}");
    assert!(y < m && m < d, "{units:?}");
}

#[test]
fn right_arrow_selects_the_next_event_and_left_returns() {
    let mut h = harness();
    let ds = h.state().dataset();
    let attack = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    h.state_mut().apply(Action::SelectEvent(attack));
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let next = mapline::model::EventIdx(attack.0 + 1);
    assert_eq!(h.state().state().selection, Selection::Event(next));
    let ds = h.state().dataset();
    let (a, b) = (&ds.event(attack).time(), &ds.event(next).time());
    assert!(
        a.cmp_bounds(b).is_le(),
        "the next event does not start earlier"
    );
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().state().selection, Selection::Event(attack));
    // Home and End go to the ends of the story.
    h.key_press(egui::Key::End);
    h.run();
    let last = mapline::model::EventIdx(h.state().dataset().events.len() as u32 - 1);
    assert_eq!(h.state().state().selection, Selection::Event(last));
    h.key_press(egui::Key::Home);
    h.run();
    assert_eq!(
        h.state().state().selection,
        Selection::Event(mapline::model::EventIdx(0))
    );
}

#[test]
fn arrows_move_the_window_to_keep_the_selected_event_in_view() {
    let mut h = harness();
    h.state_mut().apply(Action::SetWindow(TimeWindow::new(
        day(1960, 1, 1),
        day(1965, 12, 31),
    )));
    let attack = h
        .state()
        .dataset()
        .event_by_id("cyberattack-2022-07-15")
        .unwrap();
    h.state_mut()
        .apply(Action::SelectEvent(mapline::model::EventIdx(attack.0 - 1)));
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let w = h.state().state().window;
    assert!(
        w.start <= day(2022, 7, 15) && day(2022, 7, 15) <= w.end,
        "{w:?}"
    );
    assert_eq!(
        w.end.0 - w.start.0,
        day(1965, 12, 31).0 - day(1960, 1, 1).0,
        "the window keeps its width"
    );
}

#[test]
fn overlaps_counts_the_1990s_event_and_inside_does_not_and_the_map_follows() {
    let mut h = harness();
    h.state_mut().apply(Action::SetWindow(TimeWindow::new(
        day(1995, 1, 1),
        day(2005, 12, 31),
    )));
    h.run();
    let ds = h.state().dataset();
    let sarajevo = ds.place_by_id("sarajevo").unwrap();
    let arms = ds.event_by_id("iran-arms-bosnians").unwrap();
    assert_eq!(h.state().state().rule, WindowRule::Overlaps);
    let w = h.state().state().window;
    let count = |rule: WindowRule| {
        ds.events_at(sarajevo)
            .iter()
            .filter(|&&e| rule.admits(&ds.event(e).time(), &w))
            .count() as u32
    };
    let (overlapping, inside) = (count(WindowRule::Overlaps), count(WindowRule::Inside));
    assert!(WindowRule::Overlaps.admits(&ds.event(arms).time(), &w));
    assert!(!WindowRule::Inside.admits(&ds.event(arms).time(), &w));
    assert!(inside < overlapping);
    assert_eq!(h.state().place_count(sarajevo), overlapping);
    let name = |n: u32| {
        format!(
            "Sarajevo, {n} event{} in window",
            if n == 1 { "" } else { "s" }
        )
    };
    assert!(h.query_by_label(&name(overlapping)).is_some());
    h.get_by_label("inside").click();
    h.run();
    assert_eq!(h.state().state().rule, WindowRule::Inside);
    assert_eq!(
        h.state().place_count(sarajevo),
        inside,
        "the map's count follows the rule"
    );
    assert!(
        h.query_by_label(&name(inside)).is_some(),
        "and so does the marker's name"
    );
    // The reader follows too.
    h.state_mut().apply(Action::SelectPlace(sarajevo));
    h.run();
    let title = h.state().dataset().event(arms).title().to_owned();
    assert!(
        h.query_by_label(&format!("Select event: {title}"))
            .is_none()
    );
    h.get_by_label("overlaps").click();
    h.run();
    assert!(
        h.query_by_label(&format!("Select event: {title}"))
            .is_some()
    );
}

#[test]
fn playback_moves_the_window_half_a_width_in_5_seconds_at_1x_and_a_whole_width_at_2x() {
    for (speed, expected_widths) in [(1.0, 0.5), (2.0, 1.0)] {
        let mut h = harness();
        h.state_mut().apply(Action::SetWindow(TimeWindow::new(
            day(1965, 1, 1),
            day(1970, 12, 31),
        )));
        h.state_mut().apply(Action::SetSpeed(speed));
        h.run();
        // Zoom the strip in once (+) so that a whole width fits before the story ends.
        h.key_press(egui::Key::Plus);
        h.run();
        // Widths are the strip's, on screen: in story time a squeezed
        // stretch passes quickly, so the pace is steady in x, not in days.
        let axis = h.state().state().axis.clone();
        let start = h.state().state().window.start.0;
        h.get_by_label("Play").click();
        h.run_steps(1);
        let started = h.state().state().window.start.0;
        h.run_steps(300); // 5 simulated seconds at 60 frames a second
        h.get_by_label("Pause").click();
        h.run_steps(1);
        let ended = h.state().state().window.start.0;
        let moved = axis.position(ended as f64) - axis.position(started as f64);
        let want = expected_widths; // position runs 0..1 across the view
        // A window edge is a whole day: allow a day's width of slack.
        let day_units = axis.position((ended as f64) + 1.0) - axis.position(ended as f64);
        assert!(
            (moved - want).abs() <= want * 0.01 + day_units,
            "{speed}×: moved {moved} of the view, wanted {want}"
        );
        assert!(started - start <= 2);
        let w = h.state().state().window;
        assert_eq!(
            w.end.0 - w.start.0,
            day(1970, 12, 31).0 - day(1965, 1, 1).0,
            "the window keeps its width"
        );
    }
}

#[test]
fn lanes_per_source_hold_exactly_the_events_each_outlet_reports() {
    let mut h = harness();
    h.get_by_label("per source").click();
    h.run();
    assert_eq!(h.state().state().lanes, LaneMode::Source);
    let ds = h.state().dataset();
    let lanes = &h.state().timeline().lanes_shown;
    assert_eq!(lanes.len(), ds.sources.len(), "one lane per outlet");
    for (s, source) in ds.sources.iter().enumerate() {
        let (name, members) = lanes
            .iter()
            .find(|(n, _)| n.starts_with(&source.outlet))
            .unwrap();
        let reported: Vec<_> = ds
            .event_indices()
            .filter(|&e| ds.event_sources(e).iter().any(|x| x.index() == s))
            .collect();
        assert_eq!(members, &reported, "lane {name}");
    }
    // The July 15 attack is in all four lanes; the Bosnian vote only in MEI's.
    let attack = ds.event_by_id("cyberattack-2022-07-15").unwrap();
    assert!(lanes.iter().all(|(_, m)| m.contains(&attack)));
    let vote = ds.event_by_id("bosnia-un-sanctions-vote").unwrap();
    assert_eq!(lanes.iter().filter(|(_, m)| m.contains(&vote)).count(), 1);
    let title = ds.event(vote).title().to_owned();
    assert_eq!(
        h.query_all_by_label_contains(&format!("Event: {title}"))
            .count(),
        1
    );
}

#[test]
fn the_reported_clock_puts_events_at_their_first_publication() {
    let mut h = harness();
    h.get_by_label("when it was reported").click();
    h.run();
    let w = h.state().state().window;
    // Every source was published on or after 7 September 2022.
    assert!(w.start >= day(2022, 9, 1), "{w:?}");
    let ds = h.state().dataset();
    let founding = ds
        .event(ds.event_by_id("mek-founded").unwrap())
        .title()
        .to_owned();
    let labels: Vec<String> = h
        .query_all_by_label_contains("Event: ")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert!(
        h.query_by_label_contains(&format!("Event: {founding}, September 7, 2022"))
            .is_some(),
        "{labels:#?}"
    );
}

#[test]
fn selecting_a_linked_event_draws_its_links_and_the_legend_explains_the_marks() {
    let mut h = harness();
    let ds = h.state().dataset();
    let breaking = ds.event_by_id("albania-breaks-relations").unwrap();
    let links = ds.links_of(breaking);
    assert!(
        links
            .iter()
            .any(|(a, _)| *a == ds.event_by_id("cyberattack-2022-07-15").unwrap())
    );
    assert!(
        links
            .iter()
            .any(|(_, b)| *b == ds.event_by_id("us-nsc-statement").unwrap())
    );
    h.get_by_label("Legend").click();
    h.run();
    assert!(h.state().timeline().show_legend);
}

#[test]
fn keys_work_after_clicking_the_map() {
    let mut h = harness();
    h.get_by(|n| n.role() == Role::Canvas).click();
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    let last = mapline::model::EventIdx(h.state().dataset().events.len() as u32 - 1);
    assert_eq!(h.state().state().selection, Selection::Event(last));
    h.key_press(egui::Key::Space);
    h.run_steps(2);
    assert!(
        h.state().state().playback.playing,
        "Space plays after a click on the map"
    );
    h.key_press(egui::Key::Space);
    h.run_steps(2);
    assert!(!h.state().state().playback.playing, "and pauses");
}

#[test]
fn a_crowded_strip_shows_density_and_names_it_then_marks_when_zoomed_in() {
    let mut h = common::generated_app(3000, 5);
    let density = h
        .query_all_by_label_contains("events in view: zoom in to see each")
        .count();
    assert_eq!(density, 1, "one lane, drawn as density");
    // Drawn as density, only the few titles that fit are named events (the
    // busiest first), never a mark per event.
    let named = h.query_all_by_label_contains("Event: ").count();
    let labels = h.state().timeline().labels_shown.len();
    assert_eq!(named, labels, "each named event is a title on the strip");
    assert!(
        named < 100,
        "{named} of 3000 events named at the start view"
    );
    // Zoomed in to a few days, the events there are marks again, each named.
    let (a, b) = (day(2000, 6, 1), day(2000, 6, 10));
    h.state_mut()
        .apply(Action::SetWindow(TimeWindow::new(a, b)));
    for _ in 0..12 {
        h.key_press(egui::Key::Plus);
    }
    h.run();
    assert_eq!(
        h.query_all_by_label_contains("events in view: zoom in to see each")
            .count(),
        0
    );
    assert!(h.query_all_by_label_contains("Event: ").count() > 0);
}

/// The events in the window, as the strip's header reads them out.
fn in_window(h: &Harness<'_, App>) -> usize {
    let label = h
        .query_all_by(|n| {
            n.value()
                .is_some_and(|l| l.ends_with(" events in the window"))
        })
        .next()
        .unwrap()
        .accesskit_node()
        .value()
        .unwrap();
    label.split(' ').next().unwrap().parse().unwrap()
}

fn pointer(h: &mut Harness<'_, App>, pos: egui::Pos2, pressed: Option<bool>) {
    h.event(egui::Event::PointerMoved(pos));
    if let Some(pressed) = pressed {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run();
}

#[test]
fn a_first_drag_on_the_strip_scrubs_the_map_while_the_button_is_held() {
    let mut h = harness();
    let total = h.state().dataset().events.len();
    assert_eq!(in_window(&h), total, "first start: the whole story");
    let tirana = h.state().dataset().place_by_id("tirana").unwrap();
    let before = h.state().place_count(tirana);
    let rect = strip_rect(&h);
    let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
    let axis = h.state().state().axis.clone();
    let x = |d: Day| axis.x_from_time(d.as_f64(), left, right);
    // Over the marks, where a newcomer would grab: July to September 2022.
    let y = rect.top() + 60.0;
    let (from, to) = (x(day(2022, 7, 1)), x(day(2022, 9, 30)));
    pointer(&mut h, egui::pos2(from, y), None);
    pointer(&mut h, egui::pos2(from, y), Some(true));
    let mut counts = Vec::new();
    for k in 1..=8 {
        let at = from + (to - from) * k as f32 / 8.0;
        pointer(&mut h, egui::pos2(at, y), None);
        counts.push(in_window(&h));
    }
    // The button is still held: the map and the header have followed.
    let during = in_window(&h);
    assert!(
        during * 4 <= total * 3,
        "{during} of {total} events in the window during the drag ({counts:?})"
    );
    assert!(counts.windows(2).any(|w| w[0] != w[1]), "{counts:?}");
    let now = h.state().place_count(tirana);
    assert_ne!(now, before, "Tirana's marker count moves during the drag");
    assert!(shows(&h, &format!("Tirana, {now} events in window")));
    pointer(&mut h, egui::pos2(to, y), Some(false));
    let w = h.state().state().window;
    assert!(
        w.start >= day(2022, 6, 29) && w.start <= day(2022, 7, 3),
        "{w:?}"
    );
    assert!(
        w.end >= day(2022, 9, 27) && w.end <= day(2022, 10, 2),
        "{w:?}"
    );
}

fn shows(h: &Harness<'_, App>, text: &str) -> bool {
    h.query_all_by(|n| {
        n.label().is_some_and(|l| l.contains(text)) || n.value().is_some_and(|v| v.contains(text))
    })
    .next()
    .is_some()
}

fn assert_apart(labels: &[(mapline::model::EventIdx, egui::Rect, bool)]) {
    for (k, a) in labels.iter().enumerate() {
        for b in &labels[k + 1..] {
            let overlap = a.1.intersect(b.1);
            assert!(
                overlap.width() <= 0.5 || overlap.height() <= 0.5,
                "labels of {:?} and {:?} overlap: {:?} and {:?}",
                a.0,
                b.0,
                a.1,
                b.1
            );
        }
    }
}

#[test]
fn the_start_view_gives_the_summer_of_2022_room_and_zooming_there_shows_its_titles() {
    let mut h = harness();
    assert!(
        h.state().state().axis.is_story(),
        "story time by default here"
    );
    let rect = strip_rect(&h);
    let (left, right) = (rect.left() + 8.0, rect.right() - 8.0);
    let axis = h.state().state().axis.clone();
    let x = |d: Day| axis.x_from_time(d.as_f64(), left, right);
    let room = x(day(2022, 10, 1)) - x(day(2022, 7, 1));
    assert!(room >= 300.0, "July–September 2022 gets {room} px");
    assert!(h.state().timeline().labels_shown.len() >= 10);
    assert_apart(&h.state().timeline().labels_shown);
    // As a user would: drag the ruler to bring the summer of 2022 to the
    // middle, wheel in there, and again, until those months fill most of it.
    let ruler_y = rect.top() + 8.0;
    let middle = f32::midpoint(left, right);
    for _ in 0..40 {
        let axis = h.state().state().axis.clone();
        let x = |d: Day| axis.x_from_time(d.as_f64(), left, right);
        let (a, b) = (x(day(2022, 7, 1)), x(day(2022, 10, 1)));
        if b - a >= 0.7 * (right - left) {
            break;
        }
        let at = f32::midpoint(a, b);
        if (at - middle).abs() > 20.0 {
            pointer(&mut h, egui::pos2(at, ruler_y), None);
            pointer(&mut h, egui::pos2(at, ruler_y), Some(true));
            for k in 1..=4 {
                let to = at + (middle - at) * k as f32 / 4.0;
                pointer(&mut h, egui::pos2(to, ruler_y), None);
            }
            pointer(&mut h, egui::pos2(middle, ruler_y), Some(false));
            continue;
        }
        h.hover_at(egui::pos2(middle, rect.center().y));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 40.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(6);
    }
    let axis = h.state().state().axis.clone();
    assert!(
        axis.start <= day(2022, 7, 1).as_f64() && axis.end >= day(2022, 10, 1).as_f64(),
        "the view holds July to September 2022: {axis:?}"
    );
    let ds = h.state().dataset();
    let by_id = |id: &str| ds.event_by_id(id).unwrap();
    let (attack, split) = (
        by_id("cyberattack-2022-07-15"),
        by_id("albania-breaks-relations"),
    );
    let shown = &h.state().timeline().labels_shown;
    for e in [attack, split] {
        let label = shown.iter().find(|l| l.0 == e);
        assert!(
            label.is_some_and(|l| l.2 && rect.contains_rect(l.1)),
            "the title of {:?} is on the strip in full: {label:?}; shown: {:?}",
            ds.event(e).title(),
            shown
                .iter()
                .map(|l| (ds.event(l.0).title(), l.1, l.2))
                .collect::<Vec<_>>()
        );
    }
    assert_apart(shown);
}

#[test]
fn titles_never_overlap_and_ten_thousand_events_start_with_twenty() {
    let mut h = common::generated_app(10_000, 7);
    let shown = h.state().timeline().labels_shown.clone();
    assert!(
        shown.len() >= 20,
        "{} titles at the start view",
        shown.len()
    );
    assert_apart(&shown);
    // Zoomed in, still apart.
    for _ in 0..6 {
        h.key_press(egui::Key::Plus);
        h.run();
        assert_apart(&h.state().timeline().labels_shown);
    }
}

#[test]
fn the_axis_mode_the_divider_and_the_titles_are_named_for_a_screen_reader() {
    let mut h = harness();
    assert!(h.state().state().axis.is_story());
    h.get_by_label("Axis: linear").click();
    h.run();
    assert!(!h.state().state().axis.is_story(), "one click away");
    h.get_by_label("Axis: story time").click();
    h.run();
    assert!(h.state().state().axis.is_story());
    let divider = h.get_by(|n| {
        n.role() == Role::Splitter
            && n.label()
                .is_some_and(|l| l.starts_with("Divider between map and time strip"))
    });
    let height = h.state().timeline().panel_height;
    divider.focus();
    h.run();
    h.key_press(egui::Key::ArrowUp);
    h.run();
    h.run();
    let grown = h.state().timeline().panel_height;
    assert!(grown > height + 10.0, "{height} → {grown}");
    // Every title on the strip belongs to a mark named "Event: title, date".
    let ds = h.state().dataset();
    for (e, _, _) in &h.state().timeline().labels_shown {
        let event = ds.event(*e);
        let name = format!("Event: {}, {}", event.title(), event.time().display());
        assert!(shows(&h, &name), "{name}");
    }
}
