//! The edits a story takes: each is plain data (it is journaled as a JSON
//! line) and applying one gives back its inverse, so undo is a stack of
//! inverses and redo a stack of the edits undone.

use serde::{Deserialize, Serialize};

use crate::io::format::{ActorEntry, ClaimEntry, EventEntry, PlaceEntry, SourceEntry};

/// Which list of the story an entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An article.
    Source,
    /// Who acts and speaks.
    Actor,
    /// Where.
    Place,
    /// What happened.
    Event,
    /// Who says what.
    Claim,
}

impl Kind {
    /// The word for one entry of this kind.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Actor => "actor",
            Self::Place => "place",
            Self::Event => "event",
            Self::Claim => "claim",
        }
    }
}

/// One typed entry of the story's manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "entry")]
pub enum Entry {
    /// An article's entry (its text is [`Edit::SetArticle`]'s).
    Source(SourceEntry),
    /// An actor.
    Actor(ActorEntry),
    /// A place.
    Place(PlaceEntry),
    /// An event.
    Event(Box<EventEntry>),
    /// A claim.
    Claim(ClaimEntry),
}

impl Entry {
    /// Its list.
    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            Self::Source(_) => Kind::Source,
            Self::Actor(_) => Kind::Actor,
            Self::Place(_) => Kind::Place,
            Self::Event(_) => Kind::Event,
            Self::Claim(_) => Kind::Claim,
        }
    }

    /// Its id.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Self::Source(e) => &e.id,
            Self::Actor(e) => &e.id,
            Self::Place(e) => &e.id,
            Self::Event(e) => &e.id,
            Self::Claim(e) => &e.id,
        }
    }
}

/// One change to a story. A gesture that changes several things (an
/// article added with its entry, a passage cited as a new event's excerpt)
/// is one [`Edit::Group`], so that it is undone in one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "edit")]
pub enum Edit {
    /// Put `entry` at position `at` of its list (`at` is at most the list's length).
    Insert {
        /// The position.
        at: usize,
        /// The entry.
        entry: Entry,
    },
    /// Take out the entry at `at` of list `kind`.
    Remove {
        /// The list.
        kind: Kind,
        /// The position.
        at: usize,
    },
    /// Put `entry` in place of the entry at `at` of its list.
    Replace {
        /// The position.
        at: usize,
        /// The new entry.
        entry: Entry,
    },
    /// The story's title.
    SetTitle {
        /// The new title.
        title: String,
    },
    /// The story's description.
    SetDescription {
        /// The new description.
        description: String,
    },
    /// The text of the article at `file` (relative to the folder), or no
    /// article there (`None`).
    SetArticle {
        /// The file, as a source entry names it (`sources/ap.txt`).
        file: String,
        /// Its text.
        text: Option<String>,
    },
    /// Several edits, applied in order and undone together.
    Group {
        /// The edits.
        edits: Vec<Edit>,
    },
}

/// An edit that does not fit the story it is applied to (the story is
/// left as it was).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// A position beyond the list.
    #[error("there is no {kind} at position {at}: the story has {len}", kind = .kind.word())]
    NoSuchPosition {
        /// The list.
        kind: Kind,
        /// The position asked for.
        at: usize,
        /// How many the list holds.
        len: usize,
    },
    /// A new entry whose id the list already has.
    #[error("a {kind} with the id {id:?} is already in the story", kind = .kind.word())]
    DuplicateId {
        /// The list.
        kind: Kind,
        /// The id.
        id: String,
    },
    /// An entry with no id.
    #[error("a {kind} needs an id", kind = .kind.word())]
    EmptyId {
        /// The list.
        kind: Kind,
    },
    /// An article file outside the story's `sources/` folder, or not a `.txt`.
    #[error("an article is kept as sources/NAME.txt, not {0:?}")]
    ArticlePath(String),
    /// An id the story does not have.
    #[error("the story has no {kind} {id:?}", kind = .kind.word())]
    UnknownId {
        /// The list.
        kind: Kind,
        /// The id.
        id: String,
    },
    /// A selection of nothing but white space.
    #[error("the selection holds no words to cite")]
    EmptySelection,
    /// A selection that is not a passage of the article.
    #[error("the selection {start}..{end} is not a passage of the article")]
    NotInArticle {
        /// Its first byte.
        start: usize,
        /// After its last byte.
        end: usize,
    },
}
