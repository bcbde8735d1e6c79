//! mapline: a native map-and-timeline explorer for contested international
//! stories, where every excerpt is proven verbatim against its article.
//!
//! - [`model`]: the data (sources, places, events, claims, fuzzy time), no drawing.
//! - [`io`]: the native format and its provenance checks, reports, the generator.
//! - `state`, `map`, `timeline`, `reader`, `app` (feature `gui`): the window.

pub mod io;
pub mod model;

#[cfg(feature = "gui")]
pub mod app;
#[cfg(feature = "gui")]
pub mod map;
#[cfg(feature = "gui")]
pub mod reader;
#[cfg(feature = "gui")]
pub mod state;
#[cfg(feature = "gui")]
pub mod style;
#[cfg(feature = "gui")]
pub mod timeline;
