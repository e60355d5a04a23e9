//! Amounts of money as written (9.3億円, 442,607千円, 59百万円) and their value in yen.

use super::nfkc;
use serde::Serialize;

/// An amount parsed from its written form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amount {
    pub written: String,
    /// Normalised to yen.
    pub yen: f64,
}

/// Multipliers of the units the sources write, longest first.
const UNITS: [(&str, f64); 6] = [
    ("百万円", 1e6),
    ("千円", 1e3),
    ("万円", 1e4),
    ("億円", 1e8),
    ("兆円", 1e12),
    ("円", 1.0),
];

impl Amount {
    /// Parses the leading amount of `s` ("9.3億円", "９５億円（公費１４３億円）", "約4.4億円").
    /// Returns `None` for a dash or when no number and unit are found.
    pub fn parse(s: &str) -> Option<Amount> {
        let n = nfkc(s);
        let t = n.trim().trim_start_matches('約').trim_start();
        let digits_end = t
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
            .map_or(t.len(), |(i, _)| i);
        let digits: String = t[..digits_end].chars().filter(|c| *c != ',').collect();
        if digits.is_empty() {
            return None;
        }
        let value: f64 = digits.parse().ok()?;
        let rest = t[digits_end..].trim_start();
        let (_, mult) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        Some(Amount {
            written: s.trim().to_string(),
            yen: (value * mult).round(),
        })
    }
}

/// Yen shown the Japanese way: 1.9兆円, 7.7億円, 5,900万円, 3,000円.
pub fn yen_display(yen: f64) -> String {
    format!("{}円", super::number::japanese_scale(yen, 1e4, 0, 0))
}

/// `約4.4億円` when the short form rounds, `9.3億円` when it is exact.
pub fn yen_approx(yen: f64) -> String {
    let shown = yen_display(yen);
    match Amount::parse(&shown) {
        Some(a) if (a.yen - yen).abs() < 0.5 => shown,
        _ => format!("約{shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_written_amounts() {
        assert_eq!(Amount::parse("9.3億円").unwrap().yen, 9.3e8);
        assert_eq!(Amount::parse("７.１億円").unwrap().yen, 7.1e8);
        assert_eq!(Amount::parse("442,607千円").unwrap().yen, 442_607_000.0);
        assert_eq!(Amount::parse("59百万円").unwrap().yen, 59e6);
        assert_eq!(
            Amount::parse("９５億円（公費１４３億円）").unwrap().yen,
            95e8
        );
        assert_eq!(Amount::parse("1.9兆円").unwrap().yen, 1.9e12);
        assert_eq!(Amount::parse(" 5.9億円").unwrap().yen, 5.9e8);
        assert!(Amount::parse("－").is_none());
        assert!(Amount::parse("未定").is_none());
        assert!(Amount::parse("12個").is_none());
    }

    #[test]
    fn displays_the_japanese_way() {
        assert_eq!(yen_display(1.9e12), "1.9兆円");
        assert_eq!(yen_display(7.7e8), "7.7億円");
        assert_eq!(yen_display(59e6), "5,900万円");
        assert_eq!(yen_approx(442_607_000.0), "約4.4億円");
        assert_eq!(yen_approx(9.3e8), "9.3億円");
        assert_eq!(yen_display(12e8), "12億円");
    }
}
