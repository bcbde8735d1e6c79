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
    let mut taken: Vec<Rect> = Vec::with_capacity(requests.len());
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
                    && !taken.iter().any(|t| t.intersects(*c))
                    && !obstacles.iter().any(|o| *o != m && o.intersects(*c))
            });
            if let Some(c) = free {
                taken.push(c);
            }
            free
        })
        .collect()
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
