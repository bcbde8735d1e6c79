//! Label placement that never overlaps: the most important labels are
//! placed first, each at the first free spot around its marker; a label with
//! no free spot is dropped (its marker still has its accessible name).

use egui::{Rect, Vec2, vec2};

/// A label to place: the marker's rect and the label's size.
#[derive(Clone, Copy, Debug)]
pub struct LabelRequest {
    /// The marker it belongs to.
    pub marker: Rect,
    /// The label text's size.
    pub size: Vec2,
}

/// Places labels in the given order (most important first). Returns, for
/// each request, the label's rect or `None` when it had to be dropped.
/// `obstacles` (markers, other widgets) are avoided too.
#[must_use]
pub fn place_labels(
    requests: &[LabelRequest],
    obstacles: &[Rect],
    bounds: Rect,
) -> Vec<Option<Rect>> {
    // Obstacles and placed labels are looked up in a grid of cells, so a
    // candidate is tested against its neighbours, not against every marker.
    let mut grid = Grid::new(bounds);
    for (k, o) in obstacles.iter().enumerate() {
        grid.insert(*o, k as u32);
    }
    let mut taken = Grid::new(bounds);
    let mut placed: Vec<Rect> = Vec::with_capacity(requests.len());
    requests
        .iter()
        .map(|r| {
            let gap = 3.0;
            let m = r.marker;
            let candidates = [
                Rect::from_min_size(m.right_center() + vec2(gap, -r.size.y / 2.0), r.size),
                Rect::from_min_size(
                    m.left_center() - vec2(gap + r.size.x, r.size.y / 2.0),
                    r.size,
                ),
                Rect::from_min_size(
                    m.center_top() - vec2(r.size.x / 2.0, gap + r.size.y),
                    r.size,
                ),
                Rect::from_min_size(m.center_bottom() + vec2(-r.size.x / 2.0, gap), r.size),
                Rect::from_min_size(m.right_top() + vec2(gap, -r.size.y), r.size),
                Rect::from_min_size(m.right_bottom() + vec2(gap, 0.0), r.size),
            ];
            let free = candidates.into_iter().find(|c| {
                bounds.contains_rect(*c)
                    && !taken.any(*c, |k| placed[k as usize].intersects(*c))
                    && !grid.any(*c, |k| {
                        let o = obstacles[k as usize];
                        o != m && o.intersects(*c)
                    })
            });
            if let Some(c) = free {
                taken.insert(c, placed.len() as u32);
                placed.push(c);
            }
            free
        })
        .collect()
}

/// Rects bucketed by the cells of a uniform grid they touch.
struct Grid {
    origin: egui::Pos2,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
    /// Rects too large or outside the bounds, tested always.
    loose: Vec<u32>,
}

const CELL: f32 = 48.0;

impl Grid {
    fn new(bounds: Rect) -> Self {
        let cols = ((bounds.width() / CELL).ceil().max(1.0) as usize).min(256);
        let rows = ((bounds.height() / CELL).ceil().max(1.0) as usize).min(256);
        Self {
            origin: bounds.min,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
            loose: Vec::new(),
        }
    }

    /// The cells `r` touches, if all are on the grid.
    fn span(&self, r: Rect) -> Option<(usize, usize, usize, usize)> {
        let x0 = ((r.min.x - self.origin.x) / CELL).floor();
        let y0 = ((r.min.y - self.origin.y) / CELL).floor();
        let x1 = ((r.max.x - self.origin.x) / CELL).floor();
        let y1 = ((r.max.y - self.origin.y) / CELL).floor();
        if !(x0 >= 0.0 && y0 >= 0.0 && x1 < self.cols as f32 && y1 < self.rows as f32) {
            return None;
        }
        Some((x0 as usize, y0 as usize, x1 as usize, y1 as usize))
    }

    fn insert(&mut self, r: Rect, k: u32) {
        match self.span(r) {
            Some((x0, y0, x1, y1)) if (x1 - x0 + 1) * (y1 - y0 + 1) <= 16 => {
                for y in y0..=y1 {
                    for x in x0..=x1 {
                        self.cells[y * self.cols + x].push(k);
                    }
                }
            }
            _ => self.loose.push(k),
        }
    }

    /// Does `hit` hold for some rect stored near `r`?
    fn any(&self, r: Rect, mut hit: impl FnMut(u32) -> bool) -> bool {
        if self.loose.iter().any(|&k| hit(k)) {
            return true;
        }
        let (x0, y0, x1, y1) = match self.span(r) {
            Some(s) => s,
            // Partly off the grid: every cell.
            None => (0, 0, self.cols - 1, self.rows - 1),
        };
        for y in y0..=y1 {
            for x in x0..=x1 {
                if self.cells[y * self.cols + x].iter().any(|&k| hit(k)) {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn crowded_labels_move_or_drop_but_never_overlap() {
        let bounds = Rect::from_min_size(pos2(0.0, 0.0), vec2(400.0, 300.0));
        let marker = |x: f32, y: f32| Rect::from_center_size(pos2(x, y), vec2(8.0, 8.0));
        let requests: Vec<LabelRequest> = (0..12)
            .map(|i| LabelRequest {
                marker: marker(200.0 + (i % 3) as f32 * 4.0, 150.0 + (i / 3) as f32 * 4.0),
                size: vec2(60.0, 14.0),
            })
            .collect();
        let obstacles: Vec<Rect> = requests.iter().map(|r| r.marker).collect();
        let placed = place_labels(&requests, &obstacles, bounds);
        let rects: Vec<Rect> = placed.iter().flatten().copied().collect();
        assert!(rects.len() >= 2 && rects.len() < 12, "{}", rects.len());
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.intersects(*b));
            }
        }
        assert!(
            placed[0].is_some(),
            "the most important label is always placed when there is room"
        );
    }
}
