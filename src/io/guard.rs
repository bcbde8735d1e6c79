//! Opening a stranger's files: the one place where mapline turns a path
//! into bytes.
//!
//! A dataset folder may be broken by accident or built to do harm, so every
//! read follows `SQLite`'s advice for untrusted files: trust no path and no
//! size the file states, bound every read, and fail fast with a message that
//! says what was refused and why.
//!
//! - A path named inside a dataset is resolved (symlinks followed) and must
//!   still lie inside the dataset's resolved folder.
//! - Only regular files are read: a named pipe, a device or a socket is
//!   refused by its kind, before it is opened, and it is opened without
//!   blocking in case it was swapped in between.
//! - Every read stops at its limit, whatever size the file reports.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// A whole-file read (a manifest, an article, an imported file) stops here.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A streamed events file (JSON Lines) stops here: it is read in pieces, so
/// it may be larger than what is read whole.
pub const MAX_STREAM_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// The kind of a file that is not a regular file, in words.
fn kind_of(ft: std::fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Why an I/O error stopped a read, in words.
#[must_use]
pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "cannot read it: permission denied".to_owned(),
        _ => format!("cannot read it: {e}"),
    }
}

/// Resolves `rel` (a path a dataset names) inside the folder `root`.
///
/// `root` is resolved too, so a dataset folder reached through a symlink
/// still opens: "inside" is judged against where the folder really is.
///
/// # Errors
/// The path is absolute or climbs out with `..`, cannot be resolved, or
/// resolves (through a symlink) to somewhere outside the folder.
pub fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "the path {} must stay inside the dataset folder (no '..', no absolute path)",
            crate::io::escape::escaped(&format!("{rel:?}"))
        ));
    }
    let real_root = std::fs::canonicalize(root).map_err(|e| describe(&e))?;
    let resolved = std::fs::canonicalize(real_root.join(rel_path)).map_err(|e| describe(&e))?;
    if !resolved.starts_with(&real_root) {
        return Err(format!(
            "{} is a link to {}, outside the dataset folder; mapline reads only files inside it",
            crate::io::escape::escaped(rel),
            crate::io::escape::escaped(&resolved.display().to_string())
        ));
    }
    Ok(resolved)
}

/// A regular file opened for reading, with the size it reported.
#[derive(Debug)]
pub struct OpenFile {
    /// The open file.
    pub file: File,
    /// Its size as reported when it was opened (a hint, never trusted as a bound).
    pub len: u64,
    /// The bytes it holds on disk, at most `len`: what room is planned by. A
    /// sparse file says it is gigabytes long and holds a few blocks of them;
    /// no buffer is sized from the gigabytes.
    pub held: u64,
}

/// Opens `path` if it is a regular file no larger than `limit` bytes.
///
/// The kind is checked before opening, so a named pipe is never opened (which
/// would block until a writer comes); the file is opened non-blocking and
/// checked again, in case it was replaced in between.
///
/// # Errors
/// A message for a missing or unreadable file, one that is not a regular
/// file (naming its kind), or one over the limit.
pub fn open_regular(path: &Path, limit: u64) -> Result<OpenFile, String> {
    let meta = std::fs::metadata(path).map_err(|e| describe(&e))?;
    refuse_kind_or_size(&meta, limit)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| describe(&e))?;
    let meta = file.metadata().map_err(|e| describe(&e))?;
    refuse_kind_or_size(&meta, limit)?;
    Ok(OpenFile {
        file,
        len: meta.len(),
        held: held_bytes(&meta),
    })
}

/// The bytes a file holds on disk, at most its length (a Unix file's blocks;
/// elsewhere its length).
fn held_bytes(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        meta.len().min(meta.blocks().saturating_mul(512))
    }
    #[cfg(not(unix))]
    {
        meta.len()
    }
}

fn refuse_kind_or_size(meta: &std::fs::Metadata, limit: u64) -> Result<(), String> {
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(if kind == "a folder" {
            "it is a folder, not a file".to_owned()
        } else {
            format!("it is {kind}, not a regular file; mapline reads only regular files")
        });
    }
    if meta.len() > limit {
        return Err(over_limit(meta.len(), limit));
    }
    Ok(())
}

/// The message for a file refused by its size.
#[must_use]
pub fn over_limit(len: u64, limit: u64) -> String {
    format!("the file is {len} bytes, over the limit of {limit} bytes; it was not read")
}

/// Reads an open file whole, stopping at `limit` bytes whatever it reported.
///
/// # Errors
/// An I/O error, or a file that grew past the limit while it was read.
pub fn read_all(open: OpenFile, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(open.held.min(limit) as usize);
    Bounded::new(open.file, limit)
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    Ok(bytes)
}

/// Reads the regular file at `path` whole, up to `limit` bytes.
///
/// # Errors
/// See [`open_regular`] and [`read_all`].
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    read_all(open_regular(path, limit)?, limit)
}

/// A reader that fails once more than its limit has been read, whatever the
/// file claimed about its size.
#[derive(Debug)]
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Bounded<R> {
    /// Reads at most `limit` bytes of `inner`.
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // At the limit: one more byte means the file is longer than allowed.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "the file is longer than the limit of {} bytes (it grew, or reported a false size); reading stopped there",
                    self.limit
                ))),
            };
        }
        let room = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_reader_stops_at_its_limit() {
        let mut out = Vec::new();
        let err = Bounded::new(std::io::repeat(0), 1000)
            .read_to_end(&mut out)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(out.len(), 1000);
        assert!(err.contains("longer than the limit of 1000 bytes"), "{err}");
        let mut out = Vec::new();
        let read = Bounded::new(&b"exactly"[..], 7).read_to_end(&mut out);
        assert_eq!(read.ok(), Some(7));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_by_kind() {
        let dev = open_regular(Path::new("/dev/zero"), MAX_FILE_BYTES).err();
        assert_eq!(
            dev.as_deref(),
            Some("it is a character device, not a regular file; mapline reads only regular files")
        );
        let dir = open_regular(Path::new("/"), MAX_FILE_BYTES).err();
        assert_eq!(dir.as_deref(), Some("it is a folder, not a file"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_folder_is_refused_and_one_inside_is_followed() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path().join("ds");
        std::fs::create_dir_all(root.join("sources")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("sources/real.txt"), "text").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("real.txt", root.join("sources/in.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../../secret.txt", root.join("sources/out.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(resolve_inside(&root, "sources/in.txt").is_ok());
        let out = resolve_inside(&root, "sources/out.txt")
            .err()
            .unwrap_or_default();
        assert!(
            out.starts_with("sources/out.txt is a link to ")
                && out.contains("outside the dataset folder"),
            "{out}"
        );
        assert!(resolve_inside(&root, "../secret.txt").is_err());
        assert!(resolve_inside(&root, "/etc/passwd").is_err());
        // The folder itself through a link: inside is judged where it really is.
        std::os::unix::fs::symlink(&root, tmp.path().join("alias"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(resolve_inside(&tmp.path().join("alias"), "sources/in.txt").is_ok());
    }
}
