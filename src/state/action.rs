//! What a widget, a key or the app's wiring asks [`super::AppState::apply`]
//! to do.

use super::{Clock, FilterChange, LaneMode, MapCamera, TimeAxis};
use crate::io::export::ExportFormat;
use crate::model::search::SearchTarget;
use crate::model::{EventIdx, PlaceIdx, SourceIdx, TimeWindow, WindowRule};

/// One change to the view state.
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
    /// The open article has been scrolled to its span.
    ArticleScrolled,
    /// Close the article view.
    CloseArticle,
    /// Cite `span` of the open article as the first excerpt of a new
    /// event (the app opens its form); no view change.
    CiteAsNewEvent {
        /// The article.
        source: SourceIdx,
        /// The passage selected, in bytes of its text.
        span: std::ops::Range<usize>,
    },
    /// The map was clicked away from every marker, here (degrees); the
    /// event form takes it as a new place while it picks one. No view change.
    MapPoint {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// Cite `span` (bytes) of the open article as the selected event's
    /// excerpt: a request to the story being written, which the app makes
    /// as an edit; it changes no view state.
    CiteSelection {
        /// The article.
        source: SourceIdx,
        /// The passage selected, in bytes of its text.
        span: std::ops::Range<usize>,
    },
    /// Centre the map on a place.
    PanTo(PlaceIdx),
    /// Fit the map to the places with events in the window.
    FitToData,
    /// Set the window rule.
    SetRule(WindowRule),
    /// Set the lanes.
    SetLanes(LaneMode),
    /// Set the clock (the window and the strip then cover the whole story
    /// on it).
    SetClock(Clock),
    /// Start or stop playback.
    TogglePlay,
    /// Set the playback speed.
    SetSpeed(f64),
    /// Loop playback or not.
    SetLooping(bool),
    /// Time passed (seconds): playback moves the window on.
    Tick(f64),
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
    Reveal(SearchTarget),
    /// The map's camera moved (a drag, the wheel, a button).
    Camera(MapCamera),
    /// The map has this area on screen this frame: the camera is fitted
    /// to it on the first frame, keeps what was in view when it changes
    /// size, and fits the data when that was asked for.
    MapArea(egui::Rect),
    /// Use this camera and keep it on the map's first frame (a view
    /// remembered between runs).
    RestoreCamera(MapCamera),
    /// The strip's axis moved (a drag on the ruler, the wheel, a date typed).
    Axis(TimeAxis),
    /// Zoom the strip by `factor` (above 1: in) around the selected event,
    /// else the window's centre, when in view; else around its centre.
    ZoomTime(f64),
    /// The strip shows the whole story.
    HomeAxis,
    /// Story time (`Some(true)`), linear (`Some(false)`), or chosen from
    /// the data (`None`).
    SetStripMode(Option<bool>),
    /// Show or hide the facet panel.
    ShowFilters(bool),
    /// Show or hide the list of every claim in the window.
    ShowClaims(bool),
    /// Show a dialog.
    OpenDialog(Dialog),
    /// Close the dialog shown.
    CloseDialog,
    /// A view remembered between runs.
    Restore(Box<SavedView>),
}

/// A dialog window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// *Open*: a dataset folder or an importable file.
    Open,
    /// *Export*, on this choice.
    Export(ExportChoice),
    /// *New story*: a title and a folder.
    NewStory,
    /// *Save as a story folder*: the dataset on screen copied into a folder to edit.
    SaveAs,
    /// The window is closing with unsaved edits: save, discard or stay.
    UnsavedClose,
    /// *Add a source* to the story being written.
    AddSource,
    /// *Cite as a new event*: its form.
    NewEvent,
}

/// What the Export window writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportChoice {
    /// A data format.
    Data(ExportFormat),
    /// A PNG of the map and the timeline.
    Png,
    /// A briefing: HTML or Markdown (by the file's extension).
    Briefing,
}

impl ExportChoice {
    /// Every choice, in menu order.
    pub const ALL: [Self; 6] = [
        Self::Data(ExportFormat::Csv),
        Self::Data(ExportFormat::GeoJson),
        Self::Data(ExportFormat::TimelineJs),
        Self::Data(ExportFormat::Native),
        Self::Png,
        Self::Briefing,
    ];
}

/// A view remembered between runs, as [`Action::Restore`] applies it:
/// every part that is `Some` replaces the state's own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedView {
    /// The camera (kept on the map's first frame).
    pub camera: Option<MapCamera>,
    /// The time window.
    pub window: Option<TimeWindow>,
    /// The strip's visible days, `(start, end)`.
    pub axis: Option<(f64, f64)>,
    /// The window rule.
    pub rule: Option<WindowRule>,
    /// The lanes.
    pub lanes: Option<LaneMode>,
    /// The clock (the window stays as remembered).
    pub clock: Option<Clock>,
    /// The strip's mode.
    pub strip_mode: Option<Option<bool>>,
    /// The filters.
    pub filter: Option<super::Filter>,
}
