//! (being written)
use std::path::Path;
use super::{ExportSummary, View};
/// (being written)
///
/// # Errors
/// Always, for now.
pub fn write(_view: &View<'_>, _out: &Path) -> std::io::Result<ExportSummary> {
    Err(std::io::Error::other("not written yet"))
}
