//! Claims: statements someone makes about events, and who takes which side.

use super::{ActorIdx, EventIdx, Excerpt, PlaceIdx, index_type, word_enum};

index_type!(
    /// Index of a [`Claim`] in [`super::Dataset::claims`].
    ClaimIdx
);

word_enum!(
    /// The side an actor takes on a claim, spelled out.
    StanceWord {
        /// Says it is so.
        Asserts => "asserts",
        /// Says it is not so.
        Denies => "denies",
        /// Questions it without flatly denying.
        Disputes => "disputes",
    }
);

/// One actor's stance on a claim, with the excerpt that shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stance {
    /// Who takes the stance.
    pub actor: ActorIdx,
    /// Which stance.
    pub stance: StanceWord,
    /// The verified excerpt that shows it.
    pub excerpt: Excerpt,
}

/// A statement about events, and the stances taken on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Stable id, unique among claims.
    pub id: String,
    /// The statement, neutrally worded.
    pub statement: String,
    /// Events it is about.
    pub events: Vec<EventIdx>,
    /// The place the claim says an act came from (never drawn as fact).
    pub alleged_origin: Option<PlaceIdx>,
    /// Stances taken on it.
    pub stances: Vec<Stance>,
}

impl Claim {
    /// At least one actor asserts and at least one denies or disputes.
    #[must_use]
    pub fn is_contested(&self) -> bool {
        self.stances.iter().any(|s| s.stance == StanceWord::Asserts)
            && self.stances.iter().any(|s| s.stance != StanceWord::Asserts)
    }
}
