//! Reading a stranger's line-oriented file in blocks of whole lines: never
//! the whole file at once, never a line past a limit, never a NUL byte
//! taken for text.

/// The longest event line read in blocks: an event names its excerpts,
/// it does not hold its articles, so a line past this is not an event.
pub(crate) const MAX_LINE_BYTES: usize = 16 << 20;

/// Why a file stopped being read in blocks before its end.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The reader failed.
    Read(std::io::Error),
    /// A NUL byte, at this offset of the text handed back: never text (a
    /// file cut short and padded with zeros, or not text at all).
    Nul(usize),
    /// The record that starts at this offset of the text handed back runs
    /// past the longest a record may be (a quote never closed, or not a
    /// file of records at all).
    TooLong(usize),
}

/// A file read in blocks of whole records: each block about `block_bytes`
/// long, cut after its last record (`last_end` says where that is), what
/// follows carried into the next. One reader for every file of records:
/// the native events file (a record is a line) and ACLED CSV (a record may
/// hold line breaks inside quotes).
pub(crate) struct Blocks<R> {
    reader: R,
    /// What follows the last block's last record.
    carry: Vec<u8>,
    eof: bool,
    block_bytes: usize,
    max_record: usize,
    last_end: fn(&[u8]) -> Option<usize>,
}

impl<R: std::io::Read> Blocks<R> {
    /// Blocks of about `block_bytes` of `reader`, records of at most
    /// `max_record` bytes, each block's last record ending where
    /// `last_end` says (`None`: no record ends in it).
    pub(crate) fn new(
        reader: R,
        block_bytes: usize,
        max_record: usize,
        last_end: fn(&[u8]) -> Option<usize>,
    ) -> Self {
        Self {
            reader,
            carry: Vec::new(),
            eof: false,
            block_bytes: block_bytes.max(1),
            max_record,
            last_end,
        }
    }

    /// Whether the whole file has been read (what is carried aside).
    pub(crate) fn read_all(&self) -> bool {
        self.eof
    }

    /// The next block of whole records into `out` (emptied first):
    /// `Ok(false)` when the file has no more. At a [`Stop`], `out` holds
    /// the text read up to and past the stray part, which its offset is in.
    ///
    /// # Errors
    /// The reader failed, or the text stopped making sense.
    pub(crate) fn next_into(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        use std::io::Read as _;
        out.clear();
        out.append(&mut self.carry);
        let mut want = self.block_bytes;
        // The carried text was looked at already.
        let mut checked = out.len();
        loop {
            if !self.eof && out.len() < want {
                let need = (want - out.len()) as u64;
                (&mut self.reader)
                    .take(need)
                    .read_to_end(out)
                    .map_err(Stop::Read)?;
                // Short of what was asked: the file has ended.
                self.eof = out.len() < want;
            }
            if let Some(nul) = memchr::memchr(0, &out[checked..]) {
                return Err(Stop::Nul(checked + nul));
            }
            checked = out.len();
            let end = (self.last_end)(out);
            let record_start = end.unwrap_or(0);
            if out.len() - record_start > self.max_record {
                return Err(Stop::TooLong(record_start));
            }
            let cut = match end {
                _ if self.eof => out.len(),
                Some(cut) => cut,
                None => {
                    // No record ends in what is read: read twice as much.
                    want = out.len().saturating_mul(2).max(want + 1);
                    continue;
                }
            };
            self.carry.extend_from_slice(&out[cut..]);
            out.truncate(cut);
            return Ok(!out.is_empty());
        }
    }
}

/// Where the last whole line of `bytes` ends (past its `\n`).
pub(crate) fn line_end(bytes: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', bytes).map(|i| i + 1)
}

/// Reads `reader` in pieces of about `piece` bytes cut after a newline, and
/// hands each piece (valid UTF-8) to `f`; `None` when the text is not UTF-8,
/// holds a NUL byte or a line past [`MAX_LINE_BYTES`], or `f` gives up.
pub(crate) fn for_each_piece(
    reader: &mut dyn std::io::Read,
    piece: usize,
    mut f: impl FnMut(&str) -> Option<()>,
) -> Option<()> {
    let mut blocks = Blocks::new(reader, piece, MAX_LINE_BYTES, line_end);
    let mut buf = Vec::with_capacity(piece);
    while blocks.next_into(&mut buf).ok()? {
        f(std::str::from_utf8(&buf).ok()?)?;
    }
    Some(())
}

/// The JSON texts of the events in a piece of a JSON Lines file, as the
/// careful loader cuts them.
pub(crate) fn event_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .filter_map(|line| {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim_start_matches('\u{feff}');
            (!trimmed.trim().is_empty()).then_some(trimmed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn blocks_of(text: &[u8], block: usize, max: usize) -> (Vec<Vec<u8>>, Option<Stop>) {
        let mut blocks = Blocks::new(text, block, max, line_end);
        let mut out = Vec::new();
        let mut all = Vec::new();
        loop {
            match blocks.next_into(&mut out) {
                Ok(true) => all.push(out.clone()),
                Ok(false) => return (all, None),
                Err(stop) => return (all, Some(stop)),
            }
        }
    }

    #[test]
    fn blocks_hold_whole_records_and_every_byte_once() {
        let text = b"one\ntwo two\nthree three three\n\nfour";
        for block in 1..text.len() + 2 {
            let (all, stop) = blocks_of(text, block, 64);
            assert!(stop.is_none(), "{block}");
            assert_eq!(all.concat(), text.to_vec(), "{block}");
            // Every block but the last ends after a line.
            for b in &all[..all.len() - 1] {
                assert_eq!(b.last(), Some(&b'\n'), "{block}");
            }
        }
        assert!(blocks_of(b"", 4, 64).0.is_empty());
    }

    #[test]
    fn a_nul_byte_or_a_record_past_the_limit_stops_where_it_stands() {
        let (read, stop) = blocks_of(b"ab\ncd\0ef\n", 64, 64);
        assert!(read.is_empty());
        assert!(matches!(stop, Some(Stop::Nul(5))), "{stop:?}");
        // Found in the second block, at its offset there.
        let (read, stop) = blocks_of(b"abcdef\ngh\0\n", 8, 64);
        assert_eq!(read, vec![b"abcdef\n".to_vec()]);
        assert!(matches!(stop, Some(Stop::Nul(2))), "{stop:?}");
        let (read, stop) = blocks_of(b"ok\nthis line is too long\n", 4, 8);
        assert_eq!(read, vec![b"ok\n".to_vec()]);
        assert!(matches!(stop, Some(Stop::TooLong(0))), "{stop:?}");
    }
}
