//! The column types of the event store: strings end to end, optional
//! strings, repeated words, long texts and lists, each in few buffers.

use rustc_hash::FxHashMap;

use super::time::{NarrowBounds, TimeBounds};

/// A `u32` from a length. Every buffer of the store is bounded: a file
/// read whole is at most 512 MiB, and the builder refuses a streamed import
/// whose strings of one column come to more than [`Events::MAX_COLUMN_BYTES`];
/// the clamp is never reached, and is there so that nothing wraps.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Strings end to end in one buffer, each found by where it ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Strs {
    pub(super) text: String,
    pub(super) ends: Vec<u32>,
}

impl Strs {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    pub(super) fn with_capacity(items: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(items),
        }
    }

    pub(super) fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(to_u32(self.text.len()));
    }

    /// Where string `i` stands in the text.
    pub(super) fn range(&self, i: usize) -> std::ops::Range<usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        start..self.ends[i] as usize
    }

    pub(super) fn get(&self, i: usize) -> &str {
        self.text.get(self.range(i)).unwrap_or_default()
    }

    pub(super) fn bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }

    pub(super) fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Which events have a value of a column most events lack: one bit each,
/// and per 64 events how many had one before, so that the place of a value
/// among those present is found in constant time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Presence {
    pub(super) bits: Vec<u64>,
    pub(super) rank: Vec<u32>,
    pub(super) len: usize,
}

impl Presence {
    pub(super) fn clear(&mut self) {
        self.bits.clear();
        self.rank.clear();
        self.len = 0;
    }

    /// Adds one event; `before` is how many had a value before it.
    pub(super) fn push(&mut self, there: bool, before: usize) {
        if self.len.is_multiple_of(64) {
            self.bits.push(0);
            self.rank.push(to_u32(before));
        }
        if there {
            self.bits[self.len / 64] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    /// Where event `i`'s value stands among the values, if it has one.
    pub(super) fn slot(&self, i: usize) -> Option<usize> {
        let word = *self.bits.get(i / 64)?;
        let bit = i % 64;
        (word >> bit & 1 == 1).then(|| {
            self.rank[i / 64] as usize + (word & ((1u64 << bit) - 1)).count_ones() as usize
        })
    }

    pub(super) fn bytes(&self) -> usize {
        self.bits.capacity() * 8 + self.rank.capacity() * 4
    }

    pub(super) fn shrink(&mut self) {
        self.bits.shrink_to_fit();
        self.rank.shrink_to_fit();
    }
}

/// Optional strings: only those there are stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct OptStrs {
    pub(super) presence: Presence,
    pub(super) strs: Strs,
}

impl OptStrs {
    pub(super) fn clear(&mut self) {
        self.presence.clear();
        self.strs.clear();
    }

    pub(super) fn push(&mut self, s: Option<&str>) {
        self.presence.push(s.is_some(), self.strs.ends.len());
        if let Some(s) = s {
            self.strs.push(s);
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&str> {
        self.presence.slot(i).map(|k| self.strs.get(k))
    }

    pub(super) fn bytes(&self) -> usize {
        self.strs.bytes() + self.presence.bytes()
    }

    pub(super) fn shrink(&mut self) {
        self.strs.shrink();
        self.presence.shrink();
    }
}

/// Optional words that repeat (an import's groups, types and sources): each
/// distinct word once, and for each event that has one its number; only
/// those there are stored. A million ACLED rows name a few hundred words.
#[derive(Clone, Debug, Default)]
pub(super) struct Words {
    pub(super) presence: Presence,
    pub(super) codes: Vec<u32>,
    pub(super) dict: Strs,
    /// A word's hash → its number. A word whose hash another word holds is
    /// kept again, unindexed: a word twice in `dict` reads the same.
    pub(super) index: FxHashMap<u64, u32>,
}

impl Words {
    pub(super) fn intern(&mut self, word: &str) -> u32 {
        use std::hash::BuildHasher as _;
        let hash = rustc_hash::FxBuildHasher.hash_one(word);
        if let Some(&code) = self.index.get(&hash)
            && self.dict.get(code as usize) == word
        {
            return code;
        }
        let code = to_u32(self.dict.ends.len());
        self.dict.push(word);
        self.index.entry(hash).or_insert(code);
        code
    }

    pub(super) fn push(&mut self, word: Option<&str>) {
        self.presence.push(word.is_some(), self.codes.len());
        if let Some(word) = word {
            let code = self.intern(word);
            self.codes.push(code);
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&str> {
        self.presence
            .slot(i)
            .map(|k| self.dict.get(self.codes[k] as usize))
    }

    /// Adds the words of `other`'s events, each distinct word looked up once.
    pub(super) fn append(&mut self, other: &Self) {
        let codes: Vec<u32> = (0..other.dict.ends.len())
            .map(|c| self.intern(other.dict.get(c)))
            .collect();
        let mut k = 0;
        for i in 0..other.presence.len {
            let there = other.presence.slot(i).is_some();
            self.presence.push(there, self.codes.len());
            if there {
                self.codes.push(codes[other.codes[k] as usize]);
                k += 1;
            }
        }
    }

    /// The words in the order of `order` (each index once); the distinct
    /// words stay as they are.
    pub(super) fn permuted(self, order: &[u32]) -> Self {
        let mut out = Self {
            presence: Presence::default(),
            codes: Vec::with_capacity(self.codes.len()),
            dict: self.dict,
            index: self.index,
        };
        for &k in order {
            let slot = self.presence.slot(k as usize);
            out.presence.push(slot.is_some(), out.codes.len());
            out.codes.extend(slot.map(|slot| self.codes[slot]));
        }
        out
    }

    pub(super) fn clear(&mut self) {
        self.presence.clear();
        self.codes.clear();
        self.dict.clear();
        self.index.clear();
    }

    pub(super) fn bytes(&self) -> usize {
        self.presence.bytes()
            + self.codes.capacity() * 4
            + self.dict.bytes()
            + self.index.capacity() * (size_of::<(u64, u32)>() + 1)
    }

    pub(super) fn shrink(&mut self) {
        self.presence.shrink();
        self.codes.shrink_to_fit();
        self.dict.shrink();
        self.index.shrink_to_fit();
    }
}

/// Optional texts that may be long (an import's notes): each its own
/// allocation, so that a builder moves the text it read rather than copying
/// hundreds of megabytes into an arena and gathering them again in time
/// order; only those there are stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct OptBoxes {
    pub(super) presence: Presence,
    pub(super) items: Vec<Box<str>>,
}

impl OptBoxes {
    pub(super) fn push(&mut self, s: Option<std::borrow::Cow<'_, str>>) {
        self.presence.push(s.is_some(), self.items.len());
        if let Some(s) = s {
            self.items.push(s.into_owned().into_boxed_str());
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<&str> {
        self.presence.slot(i).map(|k| &*self.items[k])
    }

    pub(super) fn bytes(&self) -> usize {
        self.presence.bytes()
            + self.items.capacity() * size_of::<Box<str>>()
            + self.items.iter().map(|t| t.len()).sum::<usize>()
    }

    pub(super) fn shrink(&mut self) {
        self.presence.shrink();
        self.items.shrink_to_fit();
    }

    /// The texts in the order of `order` (each index once), moved.
    pub(super) fn permuted(self, order: &[u32]) -> Self {
        let Self { presence, items } = self;
        let mut items: Vec<Option<Box<str>>> = items.into_iter().map(Some).collect();
        let mut out = Self::default();
        for &k in order {
            let text = presence
                .slot(k as usize)
                .and_then(|slot| items[slot].take());
            out.presence.push(text.is_some(), out.items.len());
            out.items.extend(text);
        }
        out
    }
}

/// Lists most events leave empty (links): only the others are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SparseLists<T> {
    pub(super) presence: Presence,
    pub(super) lists: Lists<T>,
}

impl<T> Default for SparseLists<T> {
    fn default() -> Self {
        Self {
            presence: Presence::default(),
            lists: Lists::default(),
        }
    }
}

impl<T: Copy> SparseLists<T> {
    pub(super) fn push(&mut self, list: &[T]) {
        self.presence.push(!list.is_empty(), self.lists.ends.len());
        if !list.is_empty() {
            self.lists.push(list);
        }
    }

    pub(super) fn get(&self, i: usize) -> &[T] {
        self.presence.slot(i).map_or(&[], |k| self.lists.get(k))
    }

    pub(super) fn bytes(&self) -> usize {
        self.lists.bytes() + self.presence.bytes()
    }

    pub(super) fn shrink(&mut self) {
        self.lists.shrink();
        self.presence.shrink();
    }
}

/// A list of items for each event, all in one buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Lists<T> {
    pub(super) items: Vec<T>,
    pub(super) ends: Vec<u32>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ends: Vec::new(),
        }
    }
}

impl<T: Copy> Lists<T> {
    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.ends.clear();
    }

    pub(super) fn push(&mut self, list: &[T]) {
        self.items.extend_from_slice(list);
        self.ends.push(to_u32(self.items.len()));
    }

    pub(super) fn get(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.items
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }

    pub(super) fn bytes(&self) -> usize {
        self.items.capacity() * size_of::<T>() + self.ends.capacity() * 4
    }

    pub(super) fn shrink(&mut self) {
        self.items.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_words_are_kept_once_and_read_back_for_each_event() {
        let word = |i: usize| (!i.is_multiple_of(4)).then(|| format!("type {}", i % 7));
        let mut whole = Words::default();
        let mut part = Words::default();
        for i in 0..500 {
            part.push(word(i).as_deref());
            if i % 150 == 149 {
                whole.append(&part);
                part.clear();
            }
        }
        whole.append(&part);
        assert_eq!(whole.dict.ends.len(), 7, "each distinct word once");
        for i in 0..500 {
            assert_eq!(whole.get(i), word(i).as_deref(), "event {i}");
        }
        let order: Vec<u32> = (0..500).rev().collect();
        let reversed = whole.permuted(&order);
        for i in 0..500 {
            assert_eq!(reversed.get(i), word(499 - i).as_deref(), "event {i}");
        }
    }
}

/// The event store's column of times: 12 bytes a time while every time
/// fits ([`NarrowBounds`], within millions of years), 16 from the first that
/// does not (deep time), never both.
#[derive(Clone, Debug)]
pub(super) enum BoundsColumn {
    /// Every time fits 12 bytes.
    Narrow(Vec<NarrowBounds>),
    /// At least one does not.
    Wide(Vec<TimeBounds>),
}

impl Default for BoundsColumn {
    fn default() -> Self {
        Self::Narrow(Vec::new())
    }
}

impl BoundsColumn {
    /// Room for `n` times.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self::Narrow(Vec::with_capacity(n))
    }

    /// The `i`th time.
    pub(super) fn get(&self, i: usize) -> TimeBounds {
        match self {
            Self::Narrow(v) => v[i].widen(),
            Self::Wide(v) => v[i],
        }
    }

    /// How many times.
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Narrow(v) => v.len(),
            Self::Wide(v) => v.len(),
        }
    }

    /// The column at full width, from now on.
    fn widen(&mut self) -> &mut Vec<TimeBounds> {
        if let Self::Narrow(v) = self {
            let mut wide = Vec::with_capacity(v.capacity());
            wide.extend(v.iter().map(|n| n.widen()));
            *self = Self::Wide(wide);
        }
        match self {
            Self::Wide(v) => v,
            Self::Narrow(_) => unreachable!("widened above"),
        }
    }

    /// Adds a time at the end.
    pub(super) fn push(&mut self, b: TimeBounds) {
        if let Self::Narrow(v) = self
            && let Some(n) = b.narrow()
        {
            v.push(n);
            return;
        }
        self.widen().push(b);
    }

    /// Adds every time of `other` at the end.
    pub(super) fn extend(&mut self, other: &Self) {
        match (&mut *self, other) {
            (Self::Narrow(v), Self::Narrow(o)) => v.extend_from_slice(o),
            (Self::Wide(v), Self::Narrow(o)) => v.extend(o.iter().map(|n| n.widen())),
            (_, Self::Wide(o)) => self.widen().extend_from_slice(o),
        }
    }

    /// No times, the room kept (narrow again).
    pub(super) fn clear(&mut self) {
        match self {
            Self::Narrow(v) => v.clear(),
            Self::Wide(v) => {
                let room = v.capacity();
                *self = Self::Narrow(Vec::with_capacity(room));
            }
        }
    }

    /// Room for `more` times.
    pub(super) fn reserve(&mut self, more: usize) {
        match self {
            Self::Narrow(v) => v.reserve(more),
            Self::Wide(v) => v.reserve(more),
        }
    }

    /// Lets go of the room not used.
    pub(super) fn shrink_to_fit(&mut self) {
        match self {
            Self::Narrow(v) => v.shrink_to_fit(),
            Self::Wide(v) => v.shrink_to_fit(),
        }
    }

    /// The bytes its buffer holds, by capacity.
    pub(super) fn bytes(&self) -> usize {
        match self {
            Self::Narrow(v) => v.capacity() * size_of::<NarrowBounds>(),
            Self::Wide(v) => v.capacity() * size_of::<TimeBounds>(),
        }
    }

    /// The times in `order` (the `k`th is `order[k]` of these).
    pub(super) fn permuted(&self, order: &[u32]) -> Self {
        match self {
            Self::Narrow(v) => Self::Narrow(order.iter().map(|&k| v[k as usize]).collect()),
            Self::Wide(v) => Self::Wide(order.iter().map(|&k| v[k as usize]).collect()),
        }
    }
}
