//! Dates and fiscal years as Japanese ministries write them.
//!
//! Parses 令和7年6月4日, 令和元年5月1日, R4.5.31, H28.6, 平成28年度, 2025年度, 2025年6月4日
//! and ISO dates; renders 令和7年6月4日（2025年6月4日） or 令和5年度（2023年度）.

use super::nfkc;
use serde::Serialize;
use std::fmt;

/// A Japanese era: name, one-letter abbreviation and first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    pub letter: char,
    pub start: (i32, u8, u8),
}

pub const ERAS: [Era; 5] = [
    Era::new("明治", 'M', (1868, 1, 25)),
    Era::new("大正", 'T', (1912, 7, 30)),
    Era::new("昭和", 'S', (1926, 12, 25)),
    Era::new("平成", 'H', (1989, 1, 8)),
    Era::new("令和", 'R', (2019, 5, 1)),
];

impl Era {
    const fn new(name: &'static str, letter: char, start: (i32, u8, u8)) -> Era {
        Era {
            name,
            letter,
            start,
        }
    }
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    FiscalYear,
    Month,
    Day,
}

/// A calendar date, month or year, or a fiscal year (April–March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct JpDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub precision: Precision,
}

/// How dates are shown (site.toml `date_style`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    /// 令和7年6月4日（2025年6月4日）
    #[default]
    EraWithWestern,
    /// 令和7年6月4日
    Era,
    /// 2025年6月4日
    Western,
}

impl JpDate {
    pub fn day(year: i32, month: u8, day: u8) -> Result<JpDate, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not 1–12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!("{year}年{month}月 has no day {day}"));
        }
        Ok(JpDate {
            year,
            month: Some(month),
            day: Some(day),
            precision: Precision::Day,
        })
    }

    pub fn fiscal_year(year: i32) -> JpDate {
        JpDate {
            year,
            month: None,
            day: None,
            precision: Precision::FiscalYear,
        }
    }

    /// A calendar year.
    pub fn year(year: i32) -> JpDate {
        JpDate {
            year,
            month: None,
            day: None,
            precision: Precision::Year,
        }
    }

    /// Parses the forms the sources use; the error says what was expected.
    pub fn parse(input: &str) -> Result<JpDate, String> {
        let s: String = nfkc(input).chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err("empty date".into());
        }
        if let Some(d) = parse_iso(&s) {
            return d;
        }
        if let Some(d) = parse_letter_dotted(&s) {
            return d;
        }
        parse_written(&s).ok_or_else(|| {
            format!("`{input}` is not a date: write 令和7年6月4日, R7.6.4, 令和5年度, 2025年度 or 2025-06-04")
        })?
    }

    /// First day of the period (fiscal years start on 1 April).
    pub fn first_day(&self) -> (i32, u8, u8) {
        match self.precision {
            Precision::FiscalYear => (self.year, 4, 1),
            _ => (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)),
        }
    }

    /// The era in force for this date. Years and fiscal years take the era in force at the
    /// year's end, as ministries write 令和元年度 for fiscal 2019.
    pub fn era(&self) -> Option<(Era, i32)> {
        let key = match self.precision {
            Precision::Year | Precision::FiscalYear => (self.year, 12, 31),
            Precision::Month => (
                self.year,
                self.month.unwrap_or(1),
                days_in_month(self.year, self.month.unwrap_or(1)),
            ),
            Precision::Day => self.first_day(),
        };
        let era = ERAS.iter().rev().find(|e| e.start <= key)?;
        Some((*era, self.year - era.start.0 + 1))
    }

    /// 令和7年6月4日 / 令和元年度
    pub fn era_string(&self) -> Option<String> {
        let mut out = String::new();
        self.write_era(&mut out).then_some(out)
    }

    /// 2025年6月4日 / 2023年度
    pub fn western_string(&self) -> String {
        let mut out = String::new();
        self.write_western(&mut out);
        out
    }

    /// Appends the era form, if the date has one (whether it did).
    fn write_era(&self, out: &mut String) -> bool {
        use fmt::Write;
        let Some((era, n)) = self.era() else {
            return false;
        };
        out.push_str(era.name);
        if n == 1 {
            out.push('元');
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "{n}");
        }
        self.write_tail(out);
        true
    }

    fn write_western(&self, out: &mut String) {
        use fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(out, "{}", self.year);
        self.write_tail(out);
    }

    fn write_tail(&self, out: &mut String) {
        use fmt::Write;
        // Writing to a String cannot fail.
        let _ = match (self.precision, self.month, self.day) {
            (Precision::FiscalYear, ..) => out.write_str("年度"),
            (Precision::Day, Some(m), Some(d)) => write!(out, "年{m}月{d}日"),
            (Precision::Month, Some(m), _) => write!(out, "年{m}月"),
            _ => out.write_str("年"),
        };
    }

    /// Value for `<time datetime>`.
    pub fn iso(&self) -> String {
        match (self.precision, self.month, self.day) {
            (Precision::Day, Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Precision::Month, Some(m), _) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    pub fn render(&self, style: DateStyle) -> String {
        let mut out = String::with_capacity(48);
        match style {
            DateStyle::Western => self.write_western(&mut out),
            DateStyle::Era => {
                if !self.write_era(&mut out) {
                    self.write_western(&mut out);
                }
            }
            DateStyle::EraWithWestern => {
                if self.write_era(&mut out) {
                    out.push('（');
                    self.write_western(&mut out);
                    out.push('）');
                } else {
                    self.write_western(&mut out);
                }
            }
        }
        out
    }

    /// `<time datetime="…">…</time>`, text escaped.
    pub fn html(&self, style: DateStyle) -> String {
        format!(
            "<time datetime=\"{}\">{}</time>",
            self.iso(),
            self.render(style)
        )
    }
}

impl fmt::Display for JpDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(DateStyle::EraWithWestern))
    }
}

/// A digit as the sources write it, ASCII or full-width.
fn digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Every date, month, year and fiscal year written in a text, as byte ranges with what each
/// means: 令和７年度, 令和元年5月1日, 2025年度, 2024年6月, 2023年 (a Western year has four
/// digits). Used to mark them up as `<time>` without changing the words.
pub fn find_dates(text: &str) -> Vec<(std::ops::Range<usize>, JpDate)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|c| c.1);
    // Digits from `i`: the index after them.
    let digits_from = |mut i: usize| {
        while at(i).is_some_and(digit) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        // The year: an era and its number (or 元), or four digits not inside a longer number.
        let after_year =
            if let Some(era) = ERAS.iter().find(|e| text[chars[i].0..].starts_with(e.name)) {
                let j = i + era.name.chars().count();
                if at(j) == Some('元') {
                    Some(j + 1)
                } else {
                    let k = digits_from(j);
                    (k > j && k - j <= 2).then_some(k)
                }
            } else if at(i).is_some_and(digit)
                && !i
                    .checked_sub(1)
                    .and_then(at)
                    .is_some_and(|c| digit(c) || matches!(c, '.' | ',' | '．' | '，'))
            {
                let k = digits_from(i);
                (k - i == 4).then_some(k)
            } else {
                None
            };
        let Some(j) = after_year.filter(|j| at(*j) == Some('年')) else {
            i += 1;
            continue;
        };
        let mut end = j + 1;
        if at(end) == Some('度') {
            end += 1;
        } else {
            let m = digits_from(end);
            if m > end && m - end <= 2 && at(m) == Some('月') {
                end = m + 1;
                let d = digits_from(end);
                if d > end && d - end <= 2 && at(d) == Some('日') {
                    end = d + 1;
                }
            }
        }
        let range = chars[start].0..chars.get(end).map_or(text.len(), |c| c.0);
        // A four-digit number before 年 is a year of the modern calendar, not 1000年に一度.
        match JpDate::parse(&text[range.clone()])
            .ok()
            .filter(|d| (1868..2200).contains(&d.year))
        {
            Some(d) => {
                out.push((range, d));
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn num(s: &str) -> Option<u32> {
    if s == "元" {
        return Some(1);
    }
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_iso(s: &str) -> Option<Result<JpDate, String>> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts[0].len() != 4
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let y = parts[0].parse().ok()?;
    Some(match parts[..] {
        [_, m, d] => JpDate::day(y, m.parse().ok()?, d.parse().ok()?),
        [_, m] => month(y, m.parse().ok()?),
        // A year alone, as a table's year column writes it (2023).
        [_] if (1868..=2200).contains(&y) => Ok(JpDate {
            year: y,
            month: None,
            day: None,
            precision: Precision::Year,
        }),
        [_] => return None,
        _ => Err(format!("`{s}` has too many parts for an ISO date")),
    })
}

fn month(y: i32, m: u8) -> Result<JpDate, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} is not 1–12"));
    }
    Ok(JpDate {
        year: y,
        month: Some(m),
        day: None,
        precision: Precision::Month,
    })
}

/// Converts an era year to a Western year and checks the date lies inside the era.
fn from_era(
    era: Era,
    n: u32,
    m: Option<u8>,
    d: Option<u8>,
    fiscal: bool,
) -> Result<JpDate, String> {
    if n == 0 {
        return Err(format!(
            "{}0年 does not exist; the first year is {}元年",
            era.name, era.name
        ));
    }
    let year = era.start.0 + n as i32 - 1;
    let date = match (m, d) {
        (Some(m), Some(d)) => JpDate::day(year, m, d)?,
        (Some(m), None) => month(year, m)?,
        _ if fiscal => JpDate::fiscal_year(year),
        _ => JpDate {
            year,
            month: None,
            day: None,
            precision: Precision::Year,
        },
    };
    // The date must not fall before the era began, nor after the next era began.
    let idx = ERAS.iter().position(|e| e.name == era.name).unwrap_or(0);
    let first = (
        year,
        m.unwrap_or(12),
        d.unwrap_or(days_in_month(year, m.unwrap_or(12))),
    );
    let last = (year, m.unwrap_or(1), d.unwrap_or(1));
    if first < era.start {
        return Err(format!(
            "{} began on {}-{:02}-{:02}; {} is before it",
            era.name,
            era.start.0,
            era.start.1,
            era.start.2,
            date.western_string()
        ));
    }
    if let Some(next) = ERAS.get(idx + 1) {
        if last >= next.start {
            return Err(format!(
                "{} ended when {} began on {}-{:02}-{:02}; write {}",
                era.name,
                next.name,
                next.start.0,
                next.start.1,
                next.start.2,
                date.era_string().unwrap_or_default()
            ));
        }
    }
    Ok(date)
}

/// R4.5.31, H28.6, R7
fn parse_letter_dotted(s: &str) -> Option<Result<JpDate, String>> {
    let mut chars = s.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let era = ERAS.iter().find(|e| e.letter == letter)?;
    let rest: Vec<&str> = chars.as_str().split(['.', '/']).collect();
    let n = num(rest.first()?)?;
    let m = match rest.get(1) {
        Some(x) => Some(num(x)? as u8),
        None => None,
    };
    let d = match rest.get(2) {
        Some(x) => Some(num(x)? as u8),
        None => None,
    };
    if rest.len() > 3 {
        return None;
    }
    Some(from_era(*era, n, m, d, false))
}

/// 令和7年6月4日, 平成28年度, 2025年度, 2025年6月, 令和元年5月1日
fn parse_written(s: &str) -> Option<Result<JpDate, String>> {
    let (era, rest) = match ERAS.iter().find(|e| s.starts_with(e.name)) {
        Some(e) => (Some(*e), &s[e.name.len()..]),
        None => (None, s),
    };
    let (ys, rest) = rest.split_once('年')?;
    let n = num(ys)?;
    let (fiscal, m, d) = if rest == "度" {
        (true, None, None)
    } else if rest.is_empty() {
        (false, None, None)
    } else {
        let (ms, rest) = rest.split_once('月')?;
        let m = num(ms)? as u8;
        if rest.is_empty() {
            (false, Some(m), None)
        } else {
            let ds = rest.strip_suffix('日')?;
            (false, Some(m), Some(num(ds)? as u8))
        }
    };
    Some(match era {
        Some(e) => from_era(e, n, m, d, fiscal),
        None => {
            let y = n as i32;
            match (m, d) {
                (Some(m), Some(d)) => JpDate::day(y, m, d),
                (Some(m), None) => month(y, m),
                _ if fiscal => Ok(JpDate::fiscal_year(y)),
                _ => Ok(JpDate {
                    year: y,
                    month: None,
                    day: None,
                    precision: Precision::Year,
                }),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> JpDate {
        JpDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_what_the_sources_write() {
        assert_eq!(p("令和7年6月4日").iso(), "2025-06-04");
        assert_eq!(p("令和７年６月４日").iso(), "2025-06-04");
        assert_eq!(p("R4.5.31").iso(), "2022-05-31");
        assert_eq!(p("H28.5.31").iso(), "2016-05-31");
        assert_eq!(p("H28.6").iso(), "2016-06");
        assert_eq!(
            p("平成28年度").render(DateStyle::EraWithWestern),
            "平成28年度（2016年度）"
        );
        assert_eq!(
            p("2025年度").render(DateStyle::EraWithWestern),
            "令和7年度（2025年度）"
        );
        assert_eq!(
            p("2025-06-04").render(DateStyle::EraWithWestern),
            "令和7年6月4日（2025年6月4日）"
        );
        assert_eq!(
            p("2023年度").render(DateStyle::EraWithWestern),
            "令和5年度（2023年度）"
        );
        assert_eq!(p("2025年6月4日").render(DateStyle::Western), "2025年6月4日");
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(p("平成31年4月30日").iso(), "2019-04-30");
        assert_eq!(p("令和元年5月1日").iso(), "2019-05-01");
        assert_eq!(p("2019-04-30").render(DateStyle::Era), "平成31年4月30日");
        assert_eq!(p("2019-05-01").render(DateStyle::Era), "令和元年5月1日");
        assert!(JpDate::parse("令和元年4月30日").is_err());
        assert!(JpDate::parse("平成31年5月1日")
            .unwrap_err()
            .contains("令和元年5月1日"));
        assert_eq!(p("昭和64年1月7日").iso(), "1989-01-07");
        assert_eq!(p("平成元年1月8日").iso(), "1989-01-08");
        assert!(JpDate::parse("平成元年1月7日").is_err());
    }

    #[test]
    fn gannen_and_fiscal_years() {
        assert_eq!(p("令和元年度").year, 2019);
        assert_eq!(p("2019年度").render(DateStyle::Era), "令和元年度");
        assert_eq!(p("R1.5.1").render(DateStyle::Era), "令和元年5月1日");
        assert_eq!(p("令和5年度").first_day(), (2023, 4, 1));
        assert!(JpDate::parse("令和0年").is_err());
    }

    #[test]
    fn a_year_column_is_a_year() {
        let d = p("2023");
        assert_eq!((d.year, d.precision), (2023, Precision::Year));
        assert!(JpDate::parse("0042").is_err());
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "令和7年2月30日",
            "2025-13-01",
            "R7.0.1",
            "明日",
            "",
            "2023年2月29日",
        ] {
            assert!(JpDate::parse(bad).is_err(), "{bad}");
        }
        assert!(JpDate::parse("2024年2月29日").is_ok());
    }

    #[test]
    fn dates_are_found_in_text_as_written() {
        let t = "令和７年度当初予算案（2024年度の1,2024年）、令和元年5月1日と2023年6月、R7は除く";
        let found: Vec<(&str, String)> = find_dates(t)
            .into_iter()
            .map(|(r, d)| (&t[r], d.iso()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("令和７年度", "2025".to_string()),
                ("2024年度", "2024".to_string()),
                ("令和元年5月1日", "2019-05-01".to_string()),
                ("2023年6月", "2023-06".to_string()),
            ]
        );
        assert!(find_dates("49コース（12年）、1000年に一度").is_empty());
    }

    #[test]
    fn time_element() {
        assert_eq!(
            p("令和7年6月4日").html(DateStyle::Era),
            "<time datetime=\"2025-06-04\">令和7年6月4日</time>"
        );
    }
}
