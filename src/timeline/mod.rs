//! The time strip: one time↔screen mapping ([`axis::TimeAxis`]), ticks whose
//! unit follows the zoom, event marks with honest uncertainty, and the time
//! window the user drags.

pub mod axis;
mod index;
pub mod ticks;
mod widget;

pub use widget::{TimeStrip, TimelineState};
