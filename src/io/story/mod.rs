//! A story being written: the document an analyst edits, and the dataset
//! built from it.
//!
//! The document is the manifest's typed entries and the articles' texts
//! ([`Story`]); the dataset shown is rebuilt from them by the one builder
//! after each edit ([`Story::build`]), with every check of a load, so an
//! edit can never show data that `mapline check` would refuse. Every
//! change is an [`Edit`]; applying one gives back its inverse, which
//! [`History`] keeps for undo. [`Story::save`] writes the folder only when
//! the story builds, each file atomically.

mod compose;
mod edit;
mod history;
mod journal;

pub use compose::SourceForm;
pub use edit::{Edit, EditError, Entry, Kind};
pub use history::History;
pub use journal::{Journal, JournalError, JournalHead, Recovery, Step};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::io::diagnostic::DatasetErrors;
use crate::io::files::{DatasetFiles, Loaded, MANIFEST, MemFiles};
use crate::io::format::Manifest;

/// A story's entries and articles, and the folder it is kept in.
#[derive(Clone, Debug)]
pub struct Story {
    /// The typed entries (`dataset.json`).
    pub manifest: Manifest,
    /// Each article's text by its file, relative to the folder.
    articles: BTreeMap<String, String>,
    /// Article files that were on disk when the story was opened or last
    /// saved: a save removes only files it wrote itself and no source names.
    on_disk: BTreeSet<String>,
}

/// Why a story could not be saved (the folder is left as it was, the
/// edits are kept).
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The story does not pass `mapline check`.
    #[error("the story does not pass the checks, so it was not saved:\n{0}")]
    Invalid(DatasetErrors),
    /// A file could not be written.
    #[error("could not write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Story {
    /// An empty story called `title`.
    #[must_use]
    pub fn new(title: &str) -> Self {
        Self {
            manifest: Manifest {
                schema: None,
                title: title.to_owned(),
                description: String::new(),
                sources: Vec::new(),
                actors: Vec::new(),
                places: Vec::new(),
                events: Vec::new(),
                events_file: None,
                claims: Vec::new(),
                eras: Vec::new(),
            },
            articles: BTreeMap::new(),
            on_disk: BTreeSet::new(),
        }
    }

    /// The story of a native dataset folder: its entries as read, its
    /// articles' texts.
    ///
    /// # Errors
    /// Every problem a load would report; a story is only opened from a
    /// folder that loads.
    pub fn open(folder: &Path) -> Result<Self, DatasetErrors> {
        let disk = crate::io::native::DirFiles::new(folder);
        // The whole load's checks first: a story is only edited from data that holds.
        crate::io::native::load_dir(folder)?;
        let manifest = crate::io::native::entries_of(&disk)?;
        let mut articles = BTreeMap::new();
        for s in &manifest.sources {
            let bytes = disk
                .read(&s.file)
                .map_err(|e| one_error(&disk, &s.file, e))?;
            let text = String::from_utf8(bytes)
                .map_err(|e| one_error(&disk, &s.file, format!("not UTF-8: {e}")))?;
            articles.insert(s.file.clone(), text);
        }
        let on_disk = articles.keys().cloned().collect();
        Ok(Self {
            manifest,
            articles,
            on_disk,
        })
    }

    /// The text of the article at `file`, if the story holds it.
    #[must_use]
    pub fn article(&self, file: &str) -> Option<&str> {
        self.articles.get(file).map(String::as_str)
    }

    /// How many entries list `kind` holds.
    #[must_use]
    pub fn len(&self, kind: Kind) -> usize {
        match kind {
            Kind::Source => self.manifest.sources.len(),
            Kind::Actor => self.manifest.actors.len(),
            Kind::Place => self.manifest.places.len(),
            Kind::Event => self.manifest.events.len(),
            Kind::Claim => self.manifest.claims.len(),
        }
    }

    /// Where the entry of `kind` with `id` stands, if the story has it.
    #[must_use]
    pub fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        match kind {
            Kind::Source => self.manifest.sources.iter().position(|e| e.id == id),
            Kind::Actor => self.manifest.actors.iter().position(|e| e.id == id),
            Kind::Place => self.manifest.places.iter().position(|e| e.id == id),
            Kind::Event => self.manifest.events.iter().position(|e| e.id == id),
            Kind::Claim => self.manifest.claims.iter().position(|e| e.id == id),
        }
    }

    /// The entry at `at` of list `kind`.
    #[must_use]
    pub fn entry(&self, kind: Kind, at: usize) -> Option<Entry> {
        let m = &self.manifest;
        Some(match kind {
            Kind::Source => Entry::Source(m.sources.get(at)?.clone()),
            Kind::Actor => Entry::Actor(m.actors.get(at)?.clone()),
            Kind::Place => Entry::Place(m.places.get(at)?.clone()),
            Kind::Event => Entry::Event(Box::new(m.events.get(at)?.clone())),
            Kind::Claim => Entry::Claim(m.claims.get(at)?.clone()),
        })
    }

    /// Applies `edit` and gives back its inverse; an edit that does not fit
    /// leaves the story as it was. The story may then not build (a quote
    /// not yet in its article, an event with no place): [`Self::build`]
    /// says what is wrong, and the edit stays.
    ///
    /// # Errors
    /// A position beyond its list, a duplicate or empty id, an article file
    /// outside `sources/`.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::Insert { at, entry } => {
                let kind = entry.kind();
                let len = self.len(kind);
                if at > len {
                    return Err(EditError::NoSuchPosition { kind, at, len });
                }
                if entry.id().is_empty() {
                    return Err(EditError::EmptyId { kind });
                }
                if self.position(kind, entry.id()).is_some() {
                    return Err(EditError::DuplicateId {
                        kind,
                        id: entry.id().to_owned(),
                    });
                }
                self.insert(at, entry);
                Ok(Edit::Remove { kind, at })
            }
            Edit::Remove { kind, at } => {
                let entry = self.entry(kind, at).ok_or(EditError::NoSuchPosition {
                    kind,
                    at,
                    len: self.len(kind),
                })?;
                self.remove(kind, at);
                Ok(Edit::Insert { at, entry })
            }
            Edit::Replace { at, entry } => {
                let kind = entry.kind();
                let old = self.entry(kind, at).ok_or(EditError::NoSuchPosition {
                    kind,
                    at,
                    len: self.len(kind),
                })?;
                if entry.id().is_empty() {
                    return Err(EditError::EmptyId { kind });
                }
                if self
                    .position(kind, entry.id())
                    .is_some_and(|other| other != at)
                {
                    return Err(EditError::DuplicateId {
                        kind,
                        id: entry.id().to_owned(),
                    });
                }
                self.remove(kind, at);
                self.insert(at, entry);
                Ok(Edit::Replace { at, entry: old })
            }
            Edit::SetTitle { title } => Ok(Edit::SetTitle {
                title: std::mem::replace(&mut self.manifest.title, title),
            }),
            Edit::SetDescription { description } => Ok(Edit::SetDescription {
                description: std::mem::replace(&mut self.manifest.description, description),
            }),
            Edit::SetArticle { file, text } => {
                if !is_article_path(&file) {
                    return Err(EditError::ArticlePath(file));
                }
                let old = match text {
                    Some(t) => self.articles.insert(file.clone(), t),
                    None => self.articles.remove(&file),
                };
                Ok(Edit::SetArticle { file, text: old })
            }
            Edit::Group { edits } => {
                let mut done = Vec::with_capacity(edits.len());
                for e in edits {
                    match self.apply(e) {
                        Ok(inverse) => done.push(inverse),
                        Err(err) => {
                            // Leave the story as it was: undo what the group did.
                            for inverse in done.into_iter().rev() {
                                // An inverse always fits the story it came from.
                                let _undone = self.apply(inverse);
                            }
                            return Err(err);
                        }
                    }
                }
                done.reverse();
                Ok(Edit::Group { edits: done })
            }
        }
    }

    fn insert(&mut self, at: usize, entry: Entry) {
        let m = &mut self.manifest;
        match entry {
            Entry::Source(e) => m.sources.insert(at, e),
            Entry::Actor(e) => m.actors.insert(at, e),
            Entry::Place(e) => m.places.insert(at, e),
            Entry::Event(e) => m.events.insert(at, *e),
            Entry::Claim(e) => m.claims.insert(at, e),
        }
    }

    fn remove(&mut self, kind: Kind, at: usize) {
        let m = &mut self.manifest;
        match kind {
            Kind::Source => drop(m.sources.remove(at)),
            Kind::Actor => drop(m.actors.remove(at)),
            Kind::Place => drop(m.places.remove(at)),
            Kind::Event => drop(m.events.remove(at)),
            Kind::Claim => drop(m.claims.remove(at)),
        }
    }

    /// The dataset this story makes, through the one builder: every check
    /// of a load, every quote proven against its article.
    ///
    /// # Errors
    /// Every problem the builder finds, each naming its entry.
    pub fn build(&self) -> Result<Loaded, DatasetErrors> {
        let files = MemFiles {
            label: "the story".to_owned(),
            files: self
                .articles
                .iter()
                .map(|(f, t)| (f.clone(), t.as_bytes().to_vec()))
                .collect::<HashMap<_, _>>(),
        };
        crate::io::native::rebuild("the story", self.manifest.clone(), &files)
    }

    /// The files of the folder, as [`Self::save`] writes them: the
    /// articles, then `dataset.json` (pretty JSON, a newline at the end).
    ///
    /// # Errors
    /// Only if the manifest cannot be serialised (it always can).
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, serde_json::Error> {
        let mut files: Vec<(String, Vec<u8>)> = self
            .articles
            .iter()
            .map(|(f, t)| (f.clone(), t.as_bytes().to_vec()))
            .collect();
        let mut json = serde_json::to_vec_pretty(&self.manifest)?;
        json.push(b'\n');
        files.push((MANIFEST.to_owned(), json));
        Ok(files)
    }

    /// Writes the story into `folder` if it passes the checks: each article,
    /// then `dataset.json` last, each atomically, so a reader of the folder
    /// sees the old story or the new one. An article file this story wrote
    /// and no source names any more is removed; nothing else is.
    ///
    /// # Errors
    /// The story does not build (nothing is written), or a file cannot be
    /// written (what was written stays; `dataset.json` is the old one).
    pub fn save(&mut self, folder: &Path) -> Result<(), SaveError> {
        self.build().map_err(SaveError::Invalid)?;
        let failed = |path: PathBuf| move |source| SaveError::Write { path, source };
        std::fs::create_dir_all(folder).map_err(failed(folder.to_path_buf()))?;
        let files = self
            .files()
            .map_err(|e| failed(folder.join(MANIFEST))(std::io::Error::other(e)))?;
        for (rel, bytes) in &files {
            let path = folder.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(failed(dir.to_path_buf()))?;
            }
            crate::io::atomic::write_atomic(&path, bytes).map_err(failed(path.clone()))?;
        }
        for gone in self
            .on_disk
            .difference(&self.articles.keys().cloned().collect())
        {
            let path = folder.join(gone);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(failed(path)(e)),
            }
        }
        self.on_disk = self.articles.keys().cloned().collect();
        Ok(())
    }
}

/// `sources/NAME.txt`, with no folder above or below `sources/`.
fn is_article_path(file: &str) -> bool {
    file.strip_prefix("sources/")
        .and_then(|name| name.strip_suffix(".txt"))
        .is_some_and(|stem| {
            !stem.is_empty()
                && !stem.starts_with('.')
                && stem
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

fn one_error(files: &dyn DatasetFiles, rel: &str, message: impl Into<String>) -> DatasetErrors {
    crate::io::imported::one_error(
        &files.display_path(rel),
        crate::io::diagnostic::TextPos::START,
        message,
    )
}
