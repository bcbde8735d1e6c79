//! The rules an entry is held to, each written once: the careful builder
//! says which one an entry breaks and where ([`super::resolve`]); the
//! streaming builder ([`super::stream`]) gives up at the first one broken,
//! so that the careful builder says it.

/// An id is given.
pub(crate) fn id_given(id: &str) -> bool {
    !id.is_empty()
}

/// A title or a name says something.
pub(crate) fn says_something(text: &str) -> bool {
    !text.trim().is_empty()
}

/// Which occurrence of its quote an excerpt or a stance means (the first
/// when it does not say), or why it means none.
pub(crate) fn occurrence(written: Option<usize>) -> Result<usize, &'static str> {
    match written {
        Some(0) => Err("occurrence counts from 1"),
        Some(n) => Ok(n),
        None => Ok(1),
    }
}

/// An event of mapline's own data cites at least one excerpt; only
/// imported data may have events without (and the dataset says so once).
pub(crate) fn unsourced_allowed(imported: bool) -> bool {
    imported
}

/// A claim has at least one stance, or why not.
pub(crate) fn stances_given(n: usize) -> Result<(), &'static str> {
    if n == 0 {
        Err("a claim needs at least one stance")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_holds_and_fails_where_it_should() {
        assert!(id_given("a") && !id_given(""));
        assert!(says_something(" x ") && !says_something(" \t\n"));
        assert_eq!(occurrence(None), Ok(1));
        assert_eq!(occurrence(Some(3)), Ok(3));
        assert_eq!(occurrence(Some(0)), Err("occurrence counts from 1"));
        assert!(unsourced_allowed(true) && !unsourced_allowed(false));
        assert!(stances_given(1).is_ok() && stances_given(0).is_err());
    }
}
