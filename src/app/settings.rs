//! mapline's own settings file: the view (camera, time window, lanes,
//! filters), the theme, the last dataset and the recent files, kept across
//! runs.
//!
//! Written atomically (temp file + rename). A file that cannot be read is
//! set aside as `settings.json.broken` (never overwritten) and the app
//! starts from defaults and says so on screen. eframe's own persistence is
//! not used: it writes non-atomically and silently drops a corrupt file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::atomic::write_atomic;

/// How many recent datasets are remembered.
pub const RECENT_MAX: usize = 10;

/// Everything remembered between runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `dark`, `light` or `system`.
    pub theme: Option<String>,
    /// The dataset open when mapline last closed (`None`: the embedded one).
    pub last_dataset: Option<PathBuf>,
    /// Recently opened datasets, newest first.
    pub recent: Vec<PathBuf>,
    /// The view of `last_dataset`.
    pub view: Option<ViewSettings>,
    /// The time strip panel's height, in points.
    pub strip_height: Option<f32>,
    /// CSV exports for spreadsheets (byte order mark, CRLF).
    pub csv_excel: bool,
}

/// The view of one dataset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSettings {
    /// Map centre in projected units (x, y) and scale.
    pub camera: Option<[f64; 3]>,
    /// Time window: first and last day (days since 1970-01-01).
    pub window: Option<[i64; 2]>,
    /// The time strip's visible range (days since 1970-01-01).
    pub axis: Option<[f64; 2]>,
    /// `overlaps` or `inside`.
    pub rule: Option<String>,
    /// `none`, `source` or `category`.
    pub lanes: Option<String>,
    /// `happened` or `reported`.
    pub clock: Option<String>,
    /// The strip's axis: `story` or `linear` (`None`: chosen from the data).
    pub strip_mode: Option<String>,
    /// Filters, by id and word so that they survive a changed dataset.
    pub filters: FilterSettings,
}

/// The facet filters, by id and word.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilterSettings {
    /// Source ids switched off.
    pub hidden_sources: Vec<String>,
    /// Perspectives switched off.
    pub hidden_perspectives: Vec<String>,
    /// Category words switched off.
    pub hidden_categories: Vec<String>,
    /// Actor ids switched off.
    pub hidden_actors: Vec<String>,
    /// Place kind words switched off.
    pub hidden_place_kinds: Vec<String>,
    /// Only events one outlet reports.
    pub single_outlet_only: bool,
    /// Only events one perspective reports.
    pub single_perspective_only: bool,
}

impl Settings {
    /// Puts `path` first in the recent list (once), keeping at most [`RECENT_MAX`].
    pub fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
    }
}

/// Where the settings live, and the last state written there.
#[derive(Debug)]
pub struct SettingsStore {
    path: PathBuf,
    saved: Option<String>,
}

impl SettingsStore {
    /// The store at `dir/settings.json`.
    #[must_use]
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join("settings.json"),
            saved: None,
        }
    }

    /// The platform's place: `$MAPLINE_CONFIG_DIR`, else the config dir
    /// (`~/.config/mapline` on Linux); `None` if there is no home.
    #[must_use]
    pub fn platform() -> Option<Self> {
        let dir = std::env::var_os("MAPLINE_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::config_dir().map(|d| d.join("mapline")))?;
        Some(Self::in_dir(&dir))
    }

    /// The settings file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the settings. A missing file gives defaults quietly; a broken
    /// one gives defaults and a notice for the screen, and is set aside as
    /// `settings.json.broken` so nothing is lost.
    pub fn load(&mut self) -> (Settings, Option<super::GuiError>) {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Settings::default(), None);
            }
            Err(e) => {
                return (
                    Settings::default(),
                    Some(super::GuiError::ReadSettings {
                        path: self.path.clone(),
                        source: e,
                    }),
                );
            }
        };
        match serde_json::from_str::<Settings>(&text) {
            Ok(s) => {
                self.saved = Some(text);
                (s, None)
            }
            Err(e) => {
                let aside = self.path.with_extension("json.broken");
                let kept_as = std::fs::rename(&self.path, &aside).is_ok().then_some(aside);
                (
                    Settings::default(),
                    Some(super::GuiError::BrokenSettings {
                        path: self.path.clone(),
                        reason: e,
                        kept_as,
                    }),
                )
            }
        }
    }

    /// Writes the settings atomically if they changed since the last write.
    ///
    /// # Errors
    /// The folder cannot be made or the file cannot be written; the old
    /// file is then untouched.
    pub fn save(&mut self, settings: &Settings) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(settings).map_err(std::io::Error::other)?;
        if self.saved.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(&self.path, text.as_bytes())?;
        self.saved = Some(text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips_and_sets_a_broken_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SettingsStore::in_dir(dir.path());
        let (loaded, notice) = store.load();
        assert_eq!(loaded, Settings::default());
        assert!(notice.is_none());
        let mut s = Settings {
            theme: Some("light".into()),
            ..Settings::default()
        };
        s.remember(Path::new("/no/such/a.json"));
        s.remember(Path::new("/no/such/b.json"));
        s.remember(Path::new("/no/such/a.json"));
        assert_eq!(
            s.recent,
            vec![PathBuf::from("/no/such/a.json"), "/no/such/b.json".into()]
        );
        store.save(&s).unwrap();
        let (loaded, notice) = SettingsStore::in_dir(dir.path()).load();
        assert_eq!(loaded, s);
        assert!(notice.is_none());

        std::fs::write(store.path(), "{\"theme\": \"light\",").unwrap();
        let (loaded, notice) = SettingsStore::in_dir(dir.path()).load();
        assert_eq!(loaded, Settings::default());
        let notice = notice.unwrap().to_string();
        assert!(notice.contains("line 1 column 18"), "{notice}");
        assert!(dir.path().join("settings.json.broken").exists());
    }
}
