//! The few colours every widget shares, for the light and the dark theme,
//! and the accessible-button helper the custom-painted widgets use.

use egui::{Color32, Response, Role, WidgetInfo};

/// Events and places in the window.
#[must_use]
pub fn accent(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xf0, 0x7b, 0x5a)
    } else {
        Color32::from_rgb(0xc0, 0x3a, 0x2b)
    }
}

/// The selection.
#[must_use]
pub fn highlight(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x6c, 0xb6, 0xff)
    } else {
        Color32::from_rgb(0x1f, 0x5f, 0xc9)
    }
}

/// Allegations and contested claims.
#[must_use]
pub fn alleged(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xff, 0xb0, 0x4a)
    } else {
        Color32::from_rgb(0xc4, 0x5a, 0x00)
    }
}

/// Names a custom-painted, pressable thing for screen readers (and for
/// `egui_kittest`): a button with a label, selected or not.
pub fn name_button(response: &Response, name: &str, selected: bool) {
    response.widget_info(|| {
        let mut info = WidgetInfo::labeled(Role::Button, true, name);
        info.selected = Some(selected);
        info
    });
}

/// How many of the given ranges `[from, to]` (in columns) cover each of
/// `width` columns: one pass and a running sum, whatever the number of ranges.
#[must_use]
pub fn column_counts(width: usize, ranges: impl Iterator<Item = (usize, usize)>) -> Vec<i64> {
    let mut diff = vec![0i64; width + 2];
    for (from, to) in ranges {
        let (from, to) = (from.min(width), to.min(width));
        diff[from] += 1;
        diff[to + 1] -= 1;
    }
    let mut running = 0i64;
    diff[..width]
        .iter()
        .map(|d| {
            running += d;
            running
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_counts_add_up_overlapping_ranges() {
        assert_eq!(
            column_counts(5, [(0, 1), (1, 3), (4, 9)].into_iter()),
            vec![1, 2, 1, 1, 1]
        );
        assert_eq!(column_counts(3, std::iter::empty()), vec![0, 0, 0]);
    }
}
