//! The data model: pure data, no drawing.
//!
//! A [`Dataset`] holds sources (articles with their full text), actors,
//! places, events and claims, all cross-referenced by typed indices, plus the
//! indexes built once at load (events by time, ids, a spatial index of places).
//! Every [`Excerpt`] carries the byte span where its quote was found in its
//! article: there is no excerpt without proof.

mod actor;
mod claim;
mod columns;
mod dataset;
mod event;
mod events;
mod movement;
mod place;
pub mod projection;
pub mod search;
mod source;
pub mod time;

pub use actor::{Actor, ActorIdx, ActorKind};
pub use claim::{Claim, ClaimIdx, Stance, StanceWord};
pub use dataset::{Dataset, Era, PlacePoint};
pub use event::{
    Category, Event, EventExtra, EventIdx, EventLink, EventPlace, LinkRelation, Media, PlaceRole,
};
pub use events::{EventParts, EventRef, EventWords, Events, ExcerptIter, ExcerptsOf, ExtraRef};
pub use place::{LocationPrecision, Place, PlaceIdx, PlaceKind};
pub use source::{Excerpt, ExcerptSpan, Source, SourceIdx, is_web_url};
pub use time::{Day, FuzzyTime, TimeBounds, TimeRef, TimeWindow, WindowRule};

/// Defines a `u32` index newtype into one of the dataset's vectors.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the dataset's vector.
            #[must_use]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
pub(crate) use index_type;

/// Defines a `serde`/`schemars` enum written as kebab-case words, with `as_str`.
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The word used in the data files and on screen.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $word),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use word_enum;
