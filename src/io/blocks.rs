//! Reading a stranger's line-oriented file in blocks of whole lines: never
//! the whole file at once, never a line past a limit, never a NUL byte
//! taken for text.

/// The longest event line read in blocks: an event names its excerpts,
/// it does not hold its articles, so a line past this is not an event.
pub(crate) const MAX_LINE_BYTES: usize = 16 << 20;

/// Reads `reader` in pieces of about `piece` bytes cut after a newline, and
/// hands each piece (valid UTF-8) to `f`; `None` when the text is not UTF-8,
/// holds a NUL byte or a line past [`MAX_LINE_BYTES`], or `f` gives up.
pub(crate) fn for_each_piece(
    reader: &mut dyn std::io::Read,
    piece: usize,
    mut f: impl FnMut(&str) -> Option<()>,
) -> Option<()> {
    let mut buf = vec![0u8; piece];
    let mut filled = 0;
    loop {
        let mut eof = false;
        let from = filled;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        // A NUL byte is never JSON text (a file padded with zeros): the
        // careful reading says where, and holds none of the rest.
        if memchr::memchr(0, &buf[from..filled]).is_some() {
            return None;
        }
        let last_line = memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1);
        if filled - last_line > MAX_LINE_BYTES {
            return None; // a line longer than any event's: the careful reading
        }
        let cut = if eof {
            filled
        } else if last_line == 0 {
            // One line longer than a piece: read on with more room.
            buf.resize(buf.len() * 2, 0);
            continue;
        } else {
            last_line
        };
        f(std::str::from_utf8(&buf[..cut]).ok()?)?;
        if eof {
            return Some(());
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
    }
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
