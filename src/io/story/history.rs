//! Undo and redo: the inverses of the edits done, and the edits undone.

use super::{Edit, EditError, Story};

/// What can be undone and redone on a story.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The inverse of each edit done, the latest last.
    undo: Vec<Edit>,
    /// Each edit undone, the latest undone last.
    redo: Vec<Edit>,
}

impl History {
    /// Applies `edit` to `story` and remembers how to undo it; a new edit
    /// forgets what was undone.
    ///
    /// # Errors
    /// The edit does not fit the story (nothing changes).
    pub fn apply(&mut self, story: &mut Story, edit: Edit) -> Result<(), EditError> {
        let inverse = story.apply(edit)?;
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the latest edit; `false` when there is none.
    pub fn undo(&mut self, story: &mut Story) -> bool {
        Self::step(story, &mut self.undo, &mut self.redo)
    }

    /// Redoes the latest edit undone; `false` when there is none.
    pub fn redo(&mut self, story: &mut Story) -> bool {
        Self::step(story, &mut self.redo, &mut self.undo)
    }

    /// Can an edit be undone?
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Can an edit be redone?
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies the latest of `from` and keeps its inverse on `to`.
    fn step(story: &mut Story, from: &mut Vec<Edit>, to: &mut Vec<Edit>) -> bool {
        let Some(edit) = from.pop() else {
            return false;
        };
        if let Ok(inverse) = story.apply(edit.clone()) {
            to.push(inverse);
            true
        } else {
            // An inverse fits the story it was made on, and undo and redo
            // keep the story as it was then; should one not, it stays
            // where it was rather than being lost.
            from.push(edit);
            false
        }
    }
}
