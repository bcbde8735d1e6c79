//! The time strip, drawn on the state's one time↔screen mapping
//! ([`crate::state::TimeAxis`]): ticks whose unit follows the zoom, event
//! marks with honest uncertainty, and the time window the user drags.

mod index;
pub mod ticks;
mod widget;

pub use widget::{TimeStrip, TimelineState, tick_unit};
