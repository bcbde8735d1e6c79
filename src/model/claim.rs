//! Claims: statements someone makes about events, and who takes which side.

use super::{
    ActorIdx, EventIdx, Excerpt, PlaceIdx, Source, index_type,
    time::{Day, FuzzyTime, TimeWindow},
    word_enum,
};

index_type!(
    /// Index of a [`Claim`] in [`super::Dataset::claims`].
    ClaimIdx
);

word_enum!(
    /// The side an actor takes on a claim, spelled out.
    StanceWord {
        /// Says it is so.
        Asserts => "asserts",
        /// Says it may be so, hedged ("apparently", "likely", "raise
        /// suspicions about"): weaker than an assertion.
        Suggests => "suggests",
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
    /// When the stance was taken or held ("designated … until 2012"), if the
    /// source says; `None`: held when its source was published.
    pub time: Option<FuzzyTime>,
    /// Why the attribution lints do not apply to this stance, citing the
    /// article's words.
    pub note: Option<String>,
}

impl StanceWord {
    /// For this side of a claim (asserts or suggests it)?
    #[must_use]
    pub fn is_for(self) -> bool {
        matches!(self, Self::Asserts | Self::Suggests)
    }

    /// The word in the past ("asserted"), for a stance with a time.
    #[must_use]
    pub fn past(self) -> &'static str {
        match self {
            Self::Asserts => "asserted",
            Self::Suggests => "suggested",
            Self::Denies => "denied",
            Self::Disputes => "disputed",
        }
    }
}

impl Stance {
    /// Does this stance still stand? A stance without a time stands. One
    /// with a time stands when that time overlaps `window`, or (the whole
    /// story, `window` `None`) when it reaches `latest_publication`, the
    /// latest publication among the claim's sources.
    #[must_use]
    pub fn is_current(&self, window: Option<&TimeWindow>, latest_publication: Option<Day>) -> bool {
        match (&self.time, window) {
            (None, _) => true,
            (Some(t), Some(w)) => t.overlaps(w),
            (Some(t), None) => match (t.latest(), latest_publication) {
                (Some(end), Some(published)) => end >= published,
                _ => true,
            },
        }
    }

    /// The stance and its time in words: "asserts", "asserted until 2012",
    /// "suggested on July 15, 2022".
    #[must_use]
    pub fn words(&self) -> String {
        match &self.time {
            None => self.stance.as_str().to_owned(),
            Some(t) => format!("{} {}", self.stance.past(), time_phrase(t)),
        }
    }
}

/// A time as it follows a verb: "until 2012", "from September 2022", "on
/// July 15, 2022", "in 2022".
#[must_use]
pub fn time_phrase(t: &FuzzyTime) -> String {
    let words = t.display();
    if words.starts_with("until ") || words.starts_with("from ") {
        words
    } else if t.is_single_day() {
        format!("on {words}")
    } else {
        format!("in {words}")
    }
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
    /// The latest publication day (its earliest possible day) among the
    /// sources of its stances.
    #[must_use]
    pub fn latest_publication(&self, sources: &[Source]) -> Option<Day> {
        self.stances
            .iter()
            .filter_map(|s| sources.get(s.excerpt.source.index()))
            .filter_map(|src| src.published.as_ref().and_then(|p| p.earliest()))
            .max()
    }

    /// The stances that still stand in `window` (`None`: the whole story;
    /// see [`Stance::is_current`]).
    pub fn current<'a>(
        &'a self,
        sources: &[Source],
        window: Option<&'a TimeWindow>,
    ) -> impl Iterator<Item = &'a Stance> + 'a {
        let latest = self.latest_publication(sources);
        self.stances
            .iter()
            .filter(move |s| s.is_current(window, latest))
    }

    /// A current assertion or suggestion stands against a current denial
    /// or dispute.
    #[must_use]
    pub fn is_contested(&self, sources: &[Source], window: Option<&TimeWindow>) -> bool {
        let (mut for_it, mut against) = (false, false);
        for s in self.current(sources, window) {
            if s.stance.is_for() {
                for_it = true;
            } else {
                against = true;
            }
        }
        for_it && against
    }

    /// Does its alleged origin rest only on suggestions (drawn "suggested
    /// by", lighter than "alleged by")?
    #[must_use]
    pub fn only_suggested(&self) -> bool {
        let mut any = false;
        for s in &self.stances {
            match s.stance {
                StanceWord::Asserts => return false,
                StanceWord::Suggests => any = true,
                _ => {}
            }
        }
        any
    }
}
