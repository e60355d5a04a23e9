//! Numbers: thousands separators, trimmed decimals, Japanese large-number units.

/// `value` with at most `decimals` decimals, trailing zeros removed.
pub fn trim_decimals(value: f64, decimals: usize) -> String {
    if let Some(i) = whole(value) {
        return i.to_string();
    }
    let s = format!("{value:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// `value` as an integer when it is one that an `f64` holds exactly: what formatting it with
/// any number of decimals, then trimming the zeros, gives, far more cheaply. Not for −0,
/// which formats with its sign.
pub fn whole(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15 && !(value == 0.0 && value.is_sign_negative()))
        .then_some(value as i64)
}

/// Inserts `,` every three digits of the integer part ("2737.5" → "2,737.5").
pub fn group_thousands(s: &str) -> String {
    let (sign, s) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(a, b)| (a, Some(b)));
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A figure for a table: thousands separators, up to two decimals.
pub fn figure(value: f64) -> String {
    group_thousands(&trim_decimals(value, 2))
}

/// A figure with its unit; a `%` or `年` follows directly (49コース, 4.1年, 12.5%).
pub fn with_unit(value: f64, unit: &str) -> String {
    format!("{}{}", figure(value), unit)
}

/// The Japanese large-number units, largest first, with the value each stands for.
const SCALES: [(&str, f64); 3] = [("兆", 1e12), ("億", 1e8), ("万", 1e4)];

/// `value` in the largest Japanese unit it reaches, from `smallest` up: 1.9兆, 7.7億, 5,900万
/// (one decimal for 兆 and 億, `man_decimals` for 万); below `smallest`, the plain figure with
/// `plain_decimals`.
pub fn japanese_scale(
    value: f64,
    smallest: f64,
    man_decimals: usize,
    plain_decimals: usize,
) -> String {
    let abs = value.abs();
    for (unit, size) in SCALES {
        if abs >= size && abs >= smallest {
            let decimals = if size == 1e4 { man_decimals } else { 1 };
            return format!(
                "{}{unit}",
                group_thousands(&trim_decimals(value / size, decimals))
            );
        }
    }
    group_thousands(&trim_decimals(value, plain_decimals))
}

/// A compact label for axis ticks of counts: 12万, 3.5億, 2兆 (unit added by the caller).
pub fn compact(value: f64) -> String {
    japanese_scale(value, 1e5, 1, 2)
}

/// A percentage from a ratio (0.0665 → "6.6%"), one decimal.
pub fn percent(ratio: f64) -> String {
    format!("{}%", trim_decimals(ratio * 100.0, 1))
}

/// Round tick values covering `[min, max]` (about `count` of them), 1-2-5 steps.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (min, max) = if (max - min).abs() < f64::EPSILON {
        (min.min(0.0), max.max(1.0))
    } else {
        (min, max)
    };
    let raw = (max - min) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (min / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    while v <= max + step * 1e-9 {
        ticks.push((v / step).round() * step);
        v += step;
    }
    if ticks.last().is_none_or(|t| *t < max) {
        ticks.push(v);
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_formatting_writes_them() {
        for v in [
            0.0,
            1.0,
            -1.0,
            2737.0,
            -2737.0,
            1e12,
            8.9e15,
            123456789012345.0,
        ] {
            let i = whole(v).expect("a whole number");
            assert_eq!(i.to_string(), format!("{v:.0}"), "{v}");
            assert_eq!(trim_decimals(v, 2), format!("{v:.0}"), "{v}");
        }
        for v in [-0.0, 0.5, -2.25, 1e16, f64::NAN, f64::INFINITY, 1e-9] {
            assert_eq!(whole(v), None, "{v}");
        }
        assert_eq!(trim_decimals(-0.0, 2), "0");
    }

    #[test]
    fn separators_and_decimals() {
        assert_eq!(figure(2737.0), "2,737");
        assert_eq!(figure(1607.0), "1,607");
        assert_eq!(figure(4.1), "4.1");
        assert_eq!(figure(-1234567.25), "-1,234,567.25");
        assert_eq!(figure(0.0), "0");
        assert_eq!(with_unit(49.0, "コース"), "49コース");
    }

    #[test]
    fn compact_units() {
        assert_eq!(compact(120_000.0), "12万");
        assert_eq!(compact(350_000_000.0), "3.5億");
        assert_eq!(compact(2e12), "2兆");
        assert_eq!(compact(4086.0), "4,086");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 69.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(nice_ticks(0.0, 4.1, 4), vec![0.0, 2.0, 4.0, 6.0]);
        let t = nice_ticks(0.0, 4086.0, 5);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 4086.0);
    }

    #[test]
    fn percent_of_ratio() {
        assert_eq!(percent(0.06646), "6.6%");
    }
}
