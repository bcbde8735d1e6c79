//! (being written)
use crate::io::diagnostic::{DatasetErrors, TextPos};
use super::{Imported, one_error};
/// (being written)
///
/// # Errors
/// Always, for now.
pub fn import_json(_text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    Err(one_error(label, TextPos::START, "not written yet"))
}
/// (being written)
///
/// # Errors
/// Always, for now.
pub fn import_csv(_text: &str, label: &str) -> Result<Imported, DatasetErrors> {
    Err(one_error(label, TextPos::START, "not written yet"))
}
