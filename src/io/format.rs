//! The native dataset format as written on disk: a manifest `dataset.json`
//! (validated by `data/schema.json`, generated from these types), the
//! articles as `sources/*.txt`, and optionally the events as JSON Lines.
//!
//! These are the *file* types; the loader resolves them into [`crate::model`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{
    ActorKind, Category, LinkRelation, LocationPrecision, PlaceKind, PlaceRole, StanceWord,
};

/// The manifest of a dataset folder (`dataset.json`).
///
/// The item lists are generic so that the loader can first read each item as
/// raw JSON (keeping its position in the file) and then each item on its own.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(bound(
    serialize = "S: Serialize, A: Serialize, P: Serialize, E: Serialize, C: Serialize",
    deserialize = "S: Deserialize<'de>, A: Deserialize<'de>, P: Deserialize<'de>, E: Deserialize<'de>, C: Deserialize<'de>"
))]
#[schemars(title = "mapline dataset manifest")]
pub struct Manifest<S = SourceEntry, A = ActorEntry, P = PlaceEntry, E = EventEntry, C = ClaimEntry>
{
    /// The JSON Schema this file follows (for editors).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The dataset's title.
    pub title: String,
    /// A short description.
    #[serde(default)]
    pub description: String,
    /// The articles.
    pub sources: Vec<S>,
    /// Who acts and speaks.
    #[serde(default)]
    pub actors: Vec<A>,
    /// Where.
    pub places: Vec<P>,
    /// What happened.
    #[serde(default)]
    pub events: Vec<E>,
    /// Further events as JSON Lines (one event object a line), relative to the
    /// folder; for large datasets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_file: Option<String>,
    /// Who says what.
    #[serde(default)]
    pub claims: Vec<C>,
    /// Named spans of time shaded on the timeline (TimelineJS eras); not events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<EraEntry>,
}

/// A named span of time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EraEntry {
    /// Its name.
    pub title: String,
    /// When, as EDTF (usually an interval: `1979/1989`).
    pub time: String,
    /// Optional text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A linked picture or page; mapline never fetches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaEntry {
    /// Where it lives.
    pub url: String,
    /// Its caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Who made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// TimelineJS date objects kept exactly as an imported file had them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineJsDates {
    /// The `start_date` object.
    pub start_date: serde_json::Value,
    /// The `end_date` object, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<serde_json::Value>,
}

/// An article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// Unique id.
    pub id: String,
    /// The outlet as the text shows it.
    pub outlet: String,
    /// The headline, or a bracketed description where the text has none.
    pub title: String,
    /// Named authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Publication time as EDTF (`2022-09-07`, `2022-09/..`); null if unknown.
    #[serde(default)]
    pub published: Option<String>,
    /// How the publication time was established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_note: Option<String>,
    /// A short perspective tag ("US wire").
    pub perspective: String,
    /// The actor id that is the outlet speaking for itself (its stances are
    /// the outlet's own voice; the attribution lints read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Where the article was published on the web (`http` or `https`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Licence or copyright note.
    #[serde(default)]
    pub licence: String,
    /// The article text file, relative to the dataset folder (`sources/ap.txt`).
    pub file: String,
    /// SHA-256 of the article file, lower-case hex; a changed article is caught.
    pub sha256: String,
}

/// An actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorEntry {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// A short name for tight spots on the map ("US" for the Government of the United States).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// What kind of actor.
    pub kind: ActorKind,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Optional note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&ActorEntry> for crate::model::Actor {
    fn from(e: &ActorEntry) -> Self {
        Self {
            id: e.id.clone(),
            name: e.name.clone(),
            short: e.short.clone(),
            kind: e.kind,
            aliases: e.aliases.clone(),
            note: e.note.clone(),
        }
    }
}

impl From<&crate::model::Actor> for ActorEntry {
    fn from(a: &crate::model::Actor) -> Self {
        Self {
            id: a.id.clone(),
            name: a.name.clone(),
            short: a.short.clone(),
            kind: a.kind,
            aliases: a.aliases.clone(),
            note: a.note.clone(),
        }
    }
}

/// A place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceEntry {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Longitude, degrees east (-180..180).
    pub lon: f64,
    /// Latitude, degrees north (-90..90).
    pub lat: f64,
    /// What kind of place.
    pub kind: PlaceKind,
    /// How precise the coordinates are.
    pub precision: LocationPrecision,
    /// The country it lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Optional note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&crate::model::Place> for PlaceEntry {
    fn from(p: &crate::model::Place) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            lon: p.lon,
            lat: p.lat,
            kind: p.kind,
            precision: p.precision,
            country: p.country.clone(),
            note: p.note.clone(),
        }
    }
}

/// An event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    /// Unique id.
    pub id: String,
    /// A neutral title.
    pub title: String,
    /// When, as EDTF: `2022-07-15`, `2022-07`, `199X`, `1980/2003`, `2022-09/..`, `2022~`, `2022?`.
    pub time: String,
    /// What `time` means, when the reader parsed it already (a TimelineJS
    /// date, a GeoJSON `time`): the builder then takes it as read instead
    /// of parsing the text a second time. Never written or read as JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub time_bounds: Option<crate::model::TimeBounds>,
    /// How the time was read from the sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_note: Option<String>,
    /// What kind of event.
    pub category: Category,
    /// Places it touches, with roles.
    #[serde(default)]
    pub places: Vec<EventPlaceEntry>,
    /// Actor ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Verbatim excerpts, one or more from every source that reports it.
    #[serde(default)]
    pub excerpts: Vec<ExcerptEntry>,
    /// Free text for imported events that have no excerpts (never shown as a quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Links to earlier events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkEntry>,
    /// Imported: a linked picture or page (never fetched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Box<MediaEntry>>,
    /// Imported: the file's own grouping (TimelineJS `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Imported: how the file wants the date shown (TimelineJS `display_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
    /// Imported: the file's own type words (ACLED `event_type / sub_event_type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Imported: the sources the file cites (ACLED `source`); not verified excerpts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Imported: the TimelineJS date objects as read, for a field-exact export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timelinejs: Option<Box<TimelineJsDates>>,
}

impl Default for EventEntry {
    /// An event with nothing in it: no id, title or time, category other.
    fn default() -> Self {
        Self {
            id: String::new(),
            title: String::new(),
            time: String::new(),
            time_bounds: None,
            time_note: None,
            category: crate::model::Category::Other,
            places: Vec::new(),
            actors: Vec::new(),
            excerpts: Vec::new(),
            text: None,
            links: Vec::new(),
            media: None,
            group: None,
            display_date: None,
            event_type: None,
            attribution: None,
            timelinejs: None,
        }
    }
}

/// A place of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventPlaceEntry {
    /// Place id.
    pub place: String,
    /// Its role.
    pub role: PlaceRole,
}

/// A verbatim quote of a source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExcerptEntry {
    /// Source id.
    pub source: String,
    /// The quote, exactly as the article has it (only whitespace may differ).
    pub quote: String,
    /// Which occurrence, when the quote stands more than once (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub occurrence: Option<usize>,
    /// Why the attribution lints do not apply to this excerpt, citing the
    /// article's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A link to an earlier event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkEntry {
    /// How this event relates to it.
    pub relation: LinkRelation,
    /// The earlier event's id.
    pub event: String,
}

/// A claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimEntry {
    /// Unique id.
    pub id: String,
    /// The statement, neutrally worded.
    pub statement: String,
    /// Ids of the events it is about.
    #[serde(default)]
    pub events: Vec<String>,
    /// The place the claim says an act came from (drawn only as "alleged by").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alleged_origin: Option<String>,
    /// Who takes which side.
    pub stances: Vec<StanceEntry>,
}

/// A stance on a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceEntry {
    /// Actor id.
    pub actor: String,
    /// `asserts`, `suggests` (hedged), `denies` or `disputes`.
    pub stance: StanceWord,
    /// Source id of the excerpt that shows the stance.
    pub source: String,
    /// The quote, exactly as the article has it.
    pub quote: String,
    /// Which occurrence, when the quote stands more than once (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub occurrence: Option<usize>,
    /// When the stance was taken or held, as EDTF (`../2012`: "until
    /// 2012"); without it, when its source was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Why the attribution lints do not apply to this stance, citing the
    /// article's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The JSON Schema of the manifest, as committed in `data/schema.json`.
#[must_use]
pub fn manifest_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Manifest)).unwrap_or_default()
}
