//! The view state and the one reducer that changes it.
//!
//! Data flows one way: widgets draw from ([`Dataset`], [`AppState`]) and
//! return [`Action`]s; [`AppState::apply`] is the only code that changes
//! the view state (selection, window, rule, filters, lanes, clock,
//! playback, the map's camera, the strip's axis, the panels and dialogs);
//! the derived data ([`derived::WindowView`]: what is in the window, the
//! map's counts) is brought up to date by it, keyed by the dataset's
//! generation and the state it depends on. No drawing here: the app layer
//! turns input into actions and lays out the panels.

mod action;
mod apply;
pub mod axis;
pub mod camera;
pub mod derived;
mod filter;

pub use action::{Action, Dialog, ExportChoice, SavedView};
pub use axis::TimeAxis;
pub use camera::MapCamera;
pub use derived::WindowView;
pub use filter::{Filter, FilterChange};

use std::sync::Arc;

use crate::model::{Dataset, EventIdx, PlaceIdx, SourceIdx, TimeWindow, WindowRule};
use axis::Warp;

/// What the user has selected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    /// Nothing.
    #[default]
    None,
    /// A place: the reader lists its events in the window.
    Place(PlaceIdx),
    /// An event: the reader shows it; the map highlights its places.
    Event(EventIdx),
}

/// An article opened at a verified excerpt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleView {
    /// The article.
    pub source: SourceIdx,
    /// The byte span to highlight and scroll to.
    pub span: std::ops::Range<usize>,
    /// Scroll to the span on the next frame.
    pub scroll_pending: bool,
}

/// How the time strip is split into lanes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LaneMode {
    /// One track for all events.
    #[default]
    None,
    /// A lane per source: which outlet reports what.
    Source,
    /// A lane per category.
    Category,
}

/// Which clock the time strip and the window use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// When it happened.
    #[default]
    Happened,
    /// When it was first reported: the earliest publication among the
    /// sources that report it.
    Reported,
}

/// Playback of the time window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playback {
    /// Is the window moving?
    pub playing: bool,
    /// Speed factor: at 1× the window advances one visible axis width every 10 s.
    pub speed: f64,
    /// Start again from the beginning at the end.
    pub looping: bool,
    /// Fraction of a day carried between frames.
    pub carry_days: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            playing: false,
            speed: 1.0,
            looping: true,
            carry_days: 0.0,
        }
    }
}

impl Playback {
    /// The speeds offered.
    pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
    /// Seconds for the window to advance one visible width at 1×.
    pub const SECONDS_PER_WIDTH: f64 = 10.0;
}

/// The view state of the explorer.
#[derive(Debug)]
pub struct AppState {
    /// The selection.
    pub selection: Selection,
    /// The time window [start, end].
    pub window: TimeWindow,
    /// Which events count as in the window.
    pub rule: WindowRule,
    /// The article being read, if any.
    pub article: Option<ArticleView>,
    /// Lanes on the time strip.
    pub lanes: LaneMode,
    /// Which clock the strip and window use.
    pub clock: Clock,
    /// Playback.
    pub playback: Playback,
    /// Facet filters.
    pub filter: Filter,
    /// Where the map looks.
    pub camera: MapCamera,
    /// The strip's visible time range.
    pub axis: TimeAxis,
    /// The strip's whole-story view (double-click on the ruler, *Whole
    /// story*), in the same spread of time as [`Self::axis`].
    pub home: TimeAxis,
    /// Story time (`Some(true)`), linear (`Some(false)`), or chosen from
    /// the data (`None`: story time when a long stretch has no event start).
    pub strip_mode: Option<bool>,
    /// The facet panel is shown.
    pub show_filters: bool,
    /// The reader lists every claim in the window (when nothing is selected).
    pub show_claims: bool,
    /// The dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// What the window holds and the map counts, kept current by
    /// [`Self::apply`].
    pub derived: WindowView,
    /// Fitting the camera to the map's area.
    map_fit: MapFit,
    /// What the strip's warp was built for: the dataset's generation and
    /// the mode asked for.
    warp_for: Option<(u64, Option<bool>)>,
}

/// Fitting the camera to the map's area as it appears and changes size.
#[derive(Clone, Copy, Debug, Default)]
struct MapFit {
    /// The map's area when the camera was last fitted; `None` until the
    /// first frame says how large the map is.
    area: Option<egui::Rect>,
    /// *Fit to data* was asked for: done when the map's area is next known.
    requested: bool,
    /// The camera was set (remembered between runs): keep it on the first frame.
    keep: bool,
}

impl Clone for AppState {
    /// The same view; its derived data is computed again on the next
    /// [`AppState::apply`] (or [`AppState::refresh`]).
    fn clone(&self) -> Self {
        Self {
            selection: self.selection,
            window: self.window,
            rule: self.rule,
            article: self.article.clone(),
            lanes: self.lanes,
            clock: self.clock,
            playback: self.playback,
            filter: self.filter.clone(),
            camera: self.camera,
            axis: self.axis.clone(),
            home: self.home.clone(),
            strip_mode: self.strip_mode,
            show_filters: self.show_filters,
            show_claims: self.show_claims,
            dialog: self.dialog,
            derived: WindowView::default(),
            map_fit: self.map_fit,
            warp_for: self.warp_for,
        }
    }
}

impl AppState {
    /// Places the selection highlights on the map: the selected place, or
    /// the selected event's places.
    #[must_use]
    pub fn highlighted_places(&self, ds: &Dataset) -> Vec<PlaceIdx> {
        Self::highlighted_for(ds, self.selection)
    }

    /// Places a selection highlights.
    #[must_use]
    pub fn highlighted_for(ds: &Dataset, selection: Selection) -> Vec<PlaceIdx> {
        match selection {
            Selection::Place(p) => vec![p],
            Selection::Event(e) => ds.event(e).places().iter().map(|p| p.place).collect(),
            Selection::None => Vec::new(),
        }
    }

    /// The start state for a dataset: the window covers the whole story,
    /// nothing is selected, the strip shows the whole story and the camera
    /// waits for the map's first frame to fit the story's core region.
    #[must_use]
    pub fn new(ds: &Dataset) -> Self {
        let window = ds.time_extent().unwrap_or_else(|| {
            let today = crate::model::Day::from_date(chrono::Local::now().date_naive());
            TimeWindow::new(crate::model::Day(today.0 - 365), today)
        });
        let axis = TimeAxis::around(window);
        let mut state = Self {
            selection: Selection::None,
            window,
            rule: WindowRule::Overlaps,
            article: None,
            lanes: LaneMode::None,
            clock: Clock::Happened,
            playback: Playback::default(),
            filter: Filter::default(),
            camera: MapCamera::default(),
            home: axis.clone(),
            axis,
            strip_mode: None,
            show_filters: false,
            show_claims: false,
            dialog: None,
            derived: WindowView::default(),
            map_fit: MapFit::default(),
            warp_for: None,
        };
        state.refresh(ds);
        state
    }

    /// The dataset `old` was read again as `new`: window, rule, lanes,
    /// clock, playback, camera, strip and panels stay as they were; the
    /// selection and the open article where their items still exist (by
    /// id; the article only if its text is unchanged); `filter` is the
    /// old one as the caller remapped it. The derived data is rebuilt.
    pub fn reload(&mut self, old: &Dataset, new: &Dataset, filter: Filter) {
        self.selection = remap_selection(old, new, self.selection);
        self.article = self.article.take().and_then(|a| {
            let src = old.sources.get(a.source.index())?;
            let i = new.sources.iter().position(|s| s.id == src.id)?;
            // Same article text: the span still points at the same words.
            (new.sources[i].text == src.text).then_some(ArticleView {
                source: SourceIdx(i as u32),
                span: a.span,
                scroll_pending: false,
            })
        });
        self.filter = filter;
        self.derived = WindowView::default();
        // The new data's story time is built afresh.
        self.warp_for = None;
        self.refresh(new);
    }

    /// Brings what is derived from the state up to date: story time's warp
    /// when the data or the strip's mode changed, the window's events and
    /// counts when the window, rule, clock, filters or data changed (a
    /// no-op otherwise).
    pub fn refresh(&mut self, ds: &Dataset) {
        self.fit_warp(ds);
        if self.clock == Clock::Reported {
            // Computed once per dataset, then borrowed by the strip.
            self.derived.reported(ds);
        }
        self.derived
            .update(ds, self.window, self.rule, self.clock, &self.filter);
    }

    /// Builds (or drops) story time's warp when the data or the mode
    /// changed; the whole-story view follows, and so does the visible axis
    /// when it was showing the whole story.
    fn fit_warp(&mut self, ds: &Dataset) {
        let key = (ds.generation(), self.strip_mode);
        if self.warp_for == Some(key) {
            return;
        }
        self.warp_for = Some(key);
        let Some(extent) = ds.time_extent() else {
            return;
        };
        let extent = (extent.start.as_f64(), extent.end.as_f64() + 1.0);
        let starts = || {
            ds.event_indices()
                .filter_map(|e| ds.event(e).time().earliest().map(|d| d.0))
        };
        let story = self
            .strip_mode
            .unwrap_or_else(|| Warp::wanted(starts(), extent));
        let warp = if story {
            Warp::story(starts(), extent).map(Arc::new)
        } else {
            None
        };
        let was_home = (self.axis.start - self.home.start).abs() < 1e-9
            && (self.axis.end - self.home.end).abs() < 1e-9;
        self.home = TimeAxis::whole(extent, warp.clone());
        self.axis = if was_home {
            self.home.clone()
        } else {
            self.axis.clone().with_warp(warp)
        };
    }
}

/// The same place or event in the new dataset, by id.
fn remap_selection(old: &Dataset, new: &Dataset, sel: Selection) -> Selection {
    match sel {
        Selection::Place(p) => old
            .places
            .get(p.index())
            .and_then(|pl| new.place_by_id(&pl.id))
            .map_or(Selection::None, Selection::Place),
        Selection::Event(e) => old
            .events
            .try_get(e)
            .and_then(|ev| new.event_by_id(ev.id()))
            .map_or(Selection::None, Selection::Event),
        Selection::None => Selection::None,
    }
}
