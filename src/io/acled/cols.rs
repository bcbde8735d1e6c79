//! The columns of an ACLED file that mapline reads, and where each stands
//! in a row, found once from the header.

use rustc_hash::FxHashMap;

/// The columns mapline reads, each given a slot in [`Cols`].
const KNOWN: [&str; 26] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "tags",
];

/// The slot of a column mapline reads (a name it does not read has none).
/// Called with a literal, this folds to a constant.
#[inline]
fn slot(column: &str) -> Option<usize> {
    // A match, not a search of KNOWN: called with a literal it folds away.
    match column {
        "event_id_cnty" => Some(0),
        "event_date" => Some(1),
        "year" => Some(2),
        "time_precision" => Some(3),
        "disorder_type" => Some(4),
        "event_type" => Some(5),
        "sub_event_type" => Some(6),
        "actor1" => Some(7),
        "assoc_actor_1" => Some(8),
        "inter1" => Some(9),
        "actor2" => Some(10),
        "assoc_actor_2" => Some(11),
        "inter2" => Some(12),
        "civilian_targeting" => Some(13),
        "country" => Some(14),
        "admin1" => Some(15),
        "admin2" => Some(16),
        "admin3" => Some(17),
        "location" => Some(18),
        "latitude" => Some(19),
        "longitude" => Some(20),
        "geo_precision" => Some(21),
        "source" => Some(22),
        "notes" => Some(23),
        "fatalities" => Some(24),
        "tags" => Some(25),
        _ => None,
    }
}

/// Where each column mapline reads stands in a row, found once from the header.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cols([Option<usize>; KNOWN.len()]);

impl Cols {
    /// The slots of the header's columns (the first of two same names wins).
    pub(crate) fn of(columns: &FxHashMap<String, usize>) -> Self {
        let mut cols = [None; KNOWN.len()];
        for (slot, name) in cols.iter_mut().zip(KNOWN) {
            *slot = columns.get(name).copied();
        }
        Self(cols)
    }

    #[inline]
    pub(crate) fn index(&self, column: &str) -> Option<usize> {
        slot(column).and_then(|s| self.0[s])
    }
}
