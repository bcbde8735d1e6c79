//! Plain view state the widgets read: selection, time window, rule, the
//! article being read. No drawing here.

pub mod derived;
mod filter;

pub use derived::WindowView;
pub use filter::{Filter, FilterChange};

use crate::model::{Dataset, EventIdx, PlaceIdx, SourceIdx, TimeWindow, WindowRule};

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

/// What a widget asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Select a place.
    SelectPlace(PlaceIdx),
    /// Select an event.
    SelectEvent(EventIdx),
    /// Clear the selection.
    ClearSelection,
    /// Set the time window.
    SetWindow(TimeWindow),
    /// Open an article at a span.
    ShowArticle(SourceIdx, std::ops::Range<usize>),
    /// Close the article view.
    CloseArticle,
    /// Centre the map on a place.
    PanTo(PlaceIdx),
    /// Fit the map to the places with events in the window.
    FitToData,
    /// Set the window rule.
    SetRule(WindowRule),
    /// Set the lanes.
    SetLanes(LaneMode),
    /// Set the clock.
    SetClock(Clock),
    /// Start or stop playback.
    TogglePlay,
    /// Set the playback speed.
    SetSpeed(f64),
    /// Loop playback or not.
    SetLooping(bool),
    /// Select the first event in time order.
    SelectFirst,
    /// Select the last event in time order.
    SelectLast,
    /// Select the previous event in time order.
    SelectPrevious,
    /// Select the next event in time order.
    SelectNext,
    /// Change the filters.
    Filter(FilterChange),
    /// Select a search hit and bring it into view.
    Reveal(crate::model::search::SearchTarget),
}

/// The view state of the explorer.
#[derive(Clone, Debug, PartialEq)]
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
    /// nothing is selected.
    #[must_use]
    pub fn new(ds: &Dataset) -> Self {
        let window = ds.time_extent().unwrap_or_else(|| {
            let today = crate::model::Day::from_date(chrono::Local::now().date_naive());
            TimeWindow::new(crate::model::Day(today.0 - 365), today)
        });
        Self {
            selection: Selection::None,
            window,
            rule: WindowRule::Overlaps,
            article: None,
            lanes: LaneMode::None,
            clock: Clock::Happened,
            playback: Playback::default(),
            filter: Filter::default(),
        }
    }
}
