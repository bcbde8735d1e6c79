//! The map projection: spherical (Web) Mercator onto a unit square, in f64.
//!
//! World coordinates: `x` from 0 (180°W) to 1 (180°E), `y` from 0 (85.05°N)
//! to 1 (85.05°S), so that `y` grows downwards like the screen.

use geo::Coord;

/// The latitude limit of the square Mercator world.
pub const MAX_LAT: f64 = 85.051_128_78;

/// Projects a (lon, lat) coordinate in degrees to world coordinates.
///
/// ```
/// use mapline::model::projection::{project, unproject};
/// let w = project(geo::coord! { x: 19.82, y: 41.33 });
/// let back = unproject(w);
/// assert!((back.x - 19.82).abs() < 1e-9 && (back.y - 41.33).abs() < 1e-9);
/// ```
#[must_use]
pub fn project(c: Coord<f64>) -> Coord<f64> {
    let lat = c.y.clamp(-MAX_LAT, MAX_LAT).to_radians();
    Coord {
        x: (c.x + 180.0) / 360.0,
        y: 0.5 - (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() / std::f64::consts::TAU,
    }
}

/// The inverse of [`project`].
#[must_use]
pub fn unproject(w: Coord<f64>) -> Coord<f64> {
    let lon = w.x * 360.0 - 180.0;
    let lat = (2.0 * ((0.5 - w.y) * std::f64::consts::TAU).exp().atan()
        - std::f64::consts::FRAC_PI_2)
        .to_degrees();
    Coord { x: lon, y: lat }
}
