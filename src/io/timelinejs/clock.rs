//! Times of day as TimelineJS spreadsheets write them (the Time column of
//! the version 3 template, the time in a TimelineJS 2 `m/d/yyyy h:m` date).

/// A time of day as the spreadsheet's Time column has it: `10:30`,
/// `10:30:15`, `10:30:15.250`, `1030`, `10.30`, `10:30 PM`.
pub(crate) fn parse_time(text: &str) -> Option<[Option<u32>; 4]> {
    let lower = text.trim().to_ascii_lowercase();
    let mut core = lower.as_str();
    let mut period = None;
    for (suffix, p) in [
        ("a.m.", 'a'),
        ("p.m.", 'p'),
        ("a.m", 'a'),
        ("p.m", 'p'),
        ("am.", 'a'),
        ("pm.", 'p'),
        ("am", 'a'),
        ("pm", 'p'),
    ] {
        if let Some(rest) = core.strip_suffix(suffix) {
            core = rest.trim_end();
            period = Some(p);
            break;
        }
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> =
        if (3..=4).contains(&core.len()) && core.bytes().all(|b| b.is_ascii_digit()) {
            let (h, m) = core.split_at(core.len() - 2);
            vec![h, m]
        } else if core.contains(':') {
            core.split(':').collect()
        } else {
            core.split('.').collect()
        };
    let (hour, rest) = parts.split_first()?;
    if !digits(hour) || rest.len() > 2 {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    match period {
        Some(p) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (p, hour) {
                ('a', 12) => 0,
                ('p', 12) | ('a', _) => hour,
                _ => hour + 12,
            };
        }
        None if hour > 23 => return None,
        None => {}
    }
    let minute = match rest.first() {
        None => None,
        Some(m) if digits(m) => Some(m.parse::<u32>().ok().filter(|m| *m <= 59)?),
        Some(_) => return None,
    };
    let (second, millisecond) = match rest.get(1) {
        None => (None, None),
        Some(s) => {
            let (whole, fraction) = match s.split_once(['.', ',']) {
                Some((w, f)) => (w, Some(f)),
                None => (*s, None),
            };
            if !digits(whole) {
                return None;
            }
            let second = whole.parse::<u32>().ok().filter(|s| *s <= 59)?;
            let ms = match fraction {
                None => None,
                Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                    let three: String = f.chars().chain("000".chars()).take(3).collect();
                    Some(three.parse::<u32>().ok()?)
                }
                Some(_) => return None,
            };
            (Some(second), ms)
        }
    };
    Some([Some(hour), minute, second, millisecond])
}
