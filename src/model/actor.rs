//! Actors: states, organisations, people and outlets.

use super::{index_type, word_enum};

index_type!(
    /// Index of an [`Actor`] in [`super::Dataset::actors`].
    ActorIdx
);

word_enum!(
    /// What kind of actor this is.
    ActorKind {
        /// A state, spoken for by its government.
        State => "state",
        /// A ministry, council or other body of a government.
        GovernmentBody => "government-body",
        /// An organisation (the UN, the EU, an NGO).
        Organisation => "organisation",
        /// A person.
        Person => "person",
        /// A news outlet or think tank speaking in its own voice.
        Outlet => "outlet",
        /// A movement or armed group.
        Group => "group",
    }
);

/// Someone who acts in the story or takes a stance on a claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Stable id, unique among actors.
    pub id: String,
    /// Display name.
    pub name: String,
    /// A short name for tight spots (falls back to `name`).
    pub short: Option<String>,
    /// What kind of actor.
    pub kind: ActorKind,
    /// Other names.
    pub aliases: Vec<String>,
    /// Optional note.
    pub note: Option<String>,
}

impl Actor {
    /// The short name, or the name.
    #[must_use]
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}
