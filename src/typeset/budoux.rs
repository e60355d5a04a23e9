//! Phrase boundaries for Japanese text with BudouX's model, scored without allocation.
//!
//! The model (from the `budoux` crate) maps feature strings such as `BW2:の研` to scores. Here
//! every feature is turned once into an integer key (characters, Unicode block indices and
//! previous decisions packed into a `u128`), so scoring a character is a few integer hash
//! lookups instead of dozens of string lookups. A test checks the output is identical to the
//! crate's `parse`.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Start code points of the Unicode blocks; a character's block index is BudouX's block feature.
const BLOCK_STARTS: [u32; 308] = [
    0, 128, 256, 384, 592, 688, 768, 880, 1024, 1280, 1328, 1424, 1536, 1792, 1872, 1920, 1984,
    2048, 2112, 2144, 2208, 2304, 2432, 2560, 2688, 2816, 2944, 3072, 3200, 3328, 3456, 3584, 3712,
    3840, 4096, 4256, 4352, 4608, 4992, 5024, 5120, 5760, 5792, 5888, 5920, 5952, 5984, 6016, 6144,
    6320, 6400, 6480, 6528, 6624, 6656, 6688, 6832, 6912, 7040, 7104, 7168, 7248, 7296, 7312, 7360,
    7376, 7424, 7552, 7616, 7680, 7936, 8192, 8304, 8352, 8400, 8448, 8528, 8592, 8704, 8960, 9216,
    9280, 9312, 9472, 9600, 9632, 9728, 9984, 10176, 10224, 10240, 10496, 10624, 10752, 11008,
    11264, 11360, 11392, 11520, 11568, 11648, 11744, 11776, 11904, 12032, 12272, 12288, 12352,
    12448, 12544, 12592, 12688, 12704, 12736, 12784, 12800, 13056, 13312, 19904, 19968, 40960,
    42128, 42192, 42240, 42560, 42656, 42752, 42784, 43008, 43056, 43072, 43136, 43232, 43264,
    43312, 43360, 43392, 43488, 43520, 43616, 43648, 43744, 43776, 43824, 43888, 43968, 44032,
    55216, 55296, 56192, 56320, 57344, 63744, 64256, 64336, 65024, 65040, 65056, 65072, 65104,
    65136, 65280, 65520, 65536, 65664, 65792, 65856, 65936, 66000, 66176, 66208, 66272, 66304,
    66352, 66384, 66432, 66464, 66560, 66640, 66688, 66736, 66816, 66864, 67072, 67584, 67648,
    67680, 67712, 67808, 67840, 67872, 67968, 68000, 68096, 68192, 68224, 68288, 68352, 68416,
    68448, 68480, 68608, 68736, 68864, 69216, 69248, 69376, 69424, 69552, 69600, 69632, 69760,
    69840, 69888, 69968, 70016, 70112, 70144, 70272, 70320, 70400, 70656, 70784, 71040, 71168,
    71264, 71296, 71424, 71680, 71840, 71936, 72096, 72192, 72272, 72384, 72704, 72816, 72960,
    73056, 73440, 73648, 73664, 73728, 74752, 74880, 77824, 78896, 82944, 92160, 92736, 92880,
    92928, 93760, 93952, 94176, 94208, 100352, 101120, 101632, 110592, 110848, 110896, 110960,
    113664, 113824, 118784, 119040, 119296, 119520, 119552, 119648, 119808, 120832, 122880, 123136,
    123584, 124928, 125184, 126064, 126208, 126464, 126976, 127024, 127136, 127232, 127488, 127744,
    128512, 128592, 128640, 128768, 128896, 129024, 129280, 129536, 129648, 129792, 131072, 173824,
    177984, 178208, 183984, 194560, 196608, 917504, 917760, 983040, 1048576,
];

const THRESHOLD: i32 = 1000;
/// Block index of "no character".
const NO_BLOCK: u32 = 999;

#[derive(Clone, Copy)]
enum Part {
    /// A previous decision: U (unknown), B (break), O (no break).
    P,
    /// A character.
    W,
    /// A Unicode block index, written as three digits.
    B,
}

use Part::{B, P, W};

/// The 42 features, in the order BudouX sums them, with the shape of their keys.
const FEATURES: [(&str, &[Part]); 42] = [
    ("UP1", &[P]),
    ("UP2", &[P]),
    ("UP3", &[P]),
    ("BP1", &[P, P]),
    ("BP2", &[P, P]),
    ("UW1", &[W]),
    ("UW2", &[W]),
    ("UW3", &[W]),
    ("UW4", &[W]),
    ("UW5", &[W]),
    ("UW6", &[W]),
    ("BW1", &[W, W]),
    ("BW2", &[W, W]),
    ("BW3", &[W, W]),
    ("TW1", &[W, W, W]),
    ("TW2", &[W, W, W]),
    ("TW3", &[W, W, W]),
    ("TW4", &[W, W, W]),
    ("UB1", &[B]),
    ("UB2", &[B]),
    ("UB3", &[B]),
    ("UB4", &[B]),
    ("UB5", &[B]),
    ("UB6", &[B]),
    ("BB1", &[B, B]),
    ("BB2", &[B, B]),
    ("BB3", &[B, B]),
    ("TB1", &[B, B, B]),
    ("TB2", &[B, B, B]),
    ("TB3", &[B, B, B]),
    ("TB4", &[B, B, B]),
    ("UQ1", &[P, B]),
    ("UQ2", &[P, B]),
    ("UQ3", &[P, B]),
    ("BQ1", &[P, B, B]),
    ("BQ2", &[P, B, B]),
    ("BQ3", &[P, B, B]),
    ("BQ4", &[P, B, B]),
    ("TQ1", &[P, B, B, B]),
    ("TQ2", &[P, B, B, B]),
    ("TQ3", &[P, B, B, B]),
    ("TQ4", &[P, B, B, B]),
];

fn pack(parts: &[u32]) -> u128 {
    parts.iter().fold(1u128, |k, p| (k << 24) | *p as u128)
}

struct Model {
    features: Vec<FxHashMap<u128, i32>>,
}

/// Parses the rest of a model key (after `XX9:`) into integers, or `None` if it has another shape.
fn parse_parts(rest: &str, shape: &[Part]) -> Option<Vec<u32>> {
    let mut chars = rest.chars().peekable();
    let mut out = Vec::with_capacity(shape.len());
    for part in shape {
        match part {
            P => out.push(match chars.next()? {
                'U' => 1,
                'B' => 2,
                'O' => 3,
                _ => return None,
            }),
            W => out.push(chars.next()? as u32),
            B => {
                if chars.peek() == Some(&'▔') {
                    chars.next();
                    out.push(NO_BLOCK);
                } else {
                    let d: String = (0..3).filter_map(|_| chars.next()).collect();
                    out.push(d.parse().ok()?);
                }
            }
        }
    }
    chars.next().is_none().then_some(out)
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let mut features = vec![FxHashMap::default(); FEATURES.len()];
        for (key, score) in budoux::models::default_japanese_model() {
            let Some((name, rest)) = key.split_once(':') else {
                continue;
            };
            let Some(i) = FEATURES.iter().position(|(n, _)| *n == name) else {
                continue;
            };
            if let Some(parts) = parse_parts(rest, FEATURES[i].1) {
                features[i].insert(pack(&parts), *score);
            }
        }
        Model { features }
    })
}

fn block(c: Option<char>) -> u32 {
    match c {
        None => NO_BLOCK,
        Some(c) => match BLOCK_STARTS.binary_search(&(c as u32)) {
            Ok(v) => v as u32 + 1,
            Err(e) => e as u32,
        },
    }
}

/// Byte offsets in `text` where a phrase ends and a break may go (never 0 or `text.len()`).
pub fn boundaries(text: &str) -> Vec<usize> {
    let m = model();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    // w[i]: character code at position i (0 for none); b[i]: its block.
    let w = |i: isize| -> u32 {
        if i < 0 || i as usize >= n {
            0
        } else {
            chars[i as usize].1 as u32
        }
    };
    let bl: Vec<u32> = chars.iter().map(|(_, c)| block(Some(*c))).collect();
    let b = |i: isize| -> u32 {
        if i < 0 || i as usize >= n {
            NO_BLOCK
        } else {
            bl[i as usize]
        }
    };
    let get =
        |f: usize, parts: &[u32]| -> i32 { m.features[f].get(&pack(parts)).copied().unwrap_or(0) };
    let (mut p1, mut p2, mut p3) = (1u32, 1u32, 1u32);
    let mut out = Vec::new();
    // Position `i` scores a break between characters i-1 and i.
    for i in 1..n as isize {
        // BudouX's window: w1..w6 = chars i-3 .. i+2; b1..b6 the same; empty where missing
        // (w1/w2 and b1/b2 of the first positions are "no character").
        let (w1, w2, w3, w4, w5, w6) = (w(i - 3), w(i - 2), w(i - 1), w(i), w(i + 1), w(i + 2));
        let (b1, b2, b3, b4, b5, b6) = (b(i - 3), b(i - 2), b(i - 1), b(i), b(i + 1), b(i + 2));
        let mut s = 0;
        s += get(0, &[p1]) + get(1, &[p2]) + get(2, &[p3]) + get(3, &[p1, p2]) + get(4, &[p2, p3]);
        s += get(5, &[w1])
            + get(6, &[w2])
            + get(7, &[w3])
            + get(8, &[w4])
            + get(9, &[w5])
            + get(10, &[w6]);
        s += get(11, &[w2, w3]) + get(12, &[w3, w4]) + get(13, &[w4, w5]);
        s += get(14, &[w1, w2, w3])
            + get(15, &[w2, w3, w4])
            + get(16, &[w3, w4, w5])
            + get(17, &[w4, w5, w6]);
        s += get(18, &[b1])
            + get(19, &[b2])
            + get(20, &[b3])
            + get(21, &[b4])
            + get(22, &[b5])
            + get(23, &[b6]);
        s += get(24, &[b2, b3]) + get(25, &[b3, b4]) + get(26, &[b4, b5]);
        s += get(27, &[b1, b2, b3])
            + get(28, &[b2, b3, b4])
            + get(29, &[b3, b4, b5])
            + get(30, &[b4, b5, b6]);
        s += get(31, &[p1, b1]) + get(32, &[p2, b2]) + get(33, &[p3, b3]);
        s += get(34, &[p2, b2, b3])
            + get(35, &[p2, b3, b4])
            + get(36, &[p3, b2, b3])
            + get(37, &[p3, b3, b4]);
        s += get(38, &[p2, b1, b2, b3])
            + get(39, &[p2, b2, b3, b4])
            + get(40, &[p3, b1, b2, b3])
            + get(41, &[p3, b2, b3, b4]);
        if s > THRESHOLD {
            out.push(chars[i as usize].0);
        }
        p1 = p2;
        p2 = p3;
        p3 = if s > 0 { 2 } else { 3 };
    }
    out
}

/// The phrases of `text`.
pub fn phrases(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for b in boundaries(text) {
        out.push(&text[start..b]);
        start = b;
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_to_the_budoux_crate() {
        let samples = [
            "日本語の文章において語の区切りに空白を挟んで記述すること",
            "これはテストです。今日は晴天です。",
            "あなたに寄り添う最先端のテクノロジー。",
            "PythonとJavaScriptとGolang",
            "医療ニーズに基づいた医療機器・ヘルスケアを開発するための研究開発の活性化",
            "IMDRF（国際医療機器規制当局フォーラム）の議長国として2,737人の研修を実施した。",
            "令和７年度当初予算案 9.3億円（4.4億円）※（）内は前年度当初予算額",
            "水",
            "",
            "ａｂｃ　デバイスラグの解消\nに向けて",
        ];
        let model = budoux::models::default_japanese_model();
        for s in samples {
            let theirs = budoux::parse(model, s);
            let ours: Vec<String> = phrases(s).into_iter().map(str::to_string).collect();
            assert_eq!(ours, theirs, "{s}");
        }
        let seed = include_str!("../../seeds/000_df7ab66c387a9180.txt");
        for line in seed.lines().filter(|l| !l.is_empty()).take(120) {
            let theirs = budoux::parse(model, line);
            let ours: Vec<String> = phrases(line).into_iter().map(str::to_string).collect();
            assert_eq!(ours, theirs, "{line}");
        }
    }
}
