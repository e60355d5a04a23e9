//! Phrase boundaries for Japanese text with BudouX's model, in time linear in the text and
//! without allocation per character.
//!
//! The model (from the `budoux` crate) maps feature strings such as `BW2:の研` to scores. Here
//! the features are regrouped once, when the model is first used, so that scoring a position
//! is array arithmetic:
//!
//! - the six character unigrams (UW1..UW6) of one character are one table entry, found by a
//!   direct array index for characters of the Basic Multilingual Plane;
//! - the bigram features (BW1..BW3) of one character pair and the trigram features (TW1..TW4)
//!   of one triple are one hashed entry each, looked up only when the first character starts
//!   some bigram or trigram of the model;
//! - Unicode blocks are mapped to a small dense index (the few blocks the model names, and
//!   "any other"), so every block feature (UB, BB, TB) and every block feature combined with
//!   previous decisions (UQ, BQ, TQ, UP, BP) is a lookup in a small array;
//! - a text is scored in two passes (see [`boundaries`]): its characters' own features first,
//!   added only by the few characters the model names, then the block and decision features
//!   of each position.
//!
//! A test checks the output is identical to the crate's `parse`.

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

/// Dense block indices: 0 is "a block no feature names" (and "no character": the crate's
/// block of a missing character, `▔`, appears in no key), 1.. the blocks the model names.
/// Never more than this many, so every block table is a small fixed array.
const K: usize = 8;
/// Previous decisions: 1 U, 2 B, 3 O (0 unused).
const NP: usize = 4;

/// One character's entry: its six unigram scores, and whether it starts a bigram or trigram
/// key of the model.
#[derive(Clone, Copy, Default)]
struct CharEntry {
    uw: [i32; 6],
    starts_bigram: bool,
    starts_trigram: bool,
}

struct Model {
    /// Code point (below 0x10000) → its index into `entries` (0: none) above 8 bits, and its
    /// dense block index in the low 8: both found with one load.
    bmp: Vec<u32>,
    /// Characters beyond the BMP that have an entry.
    astral: FxHashMap<u32, u16>,
    entries: Vec<CharEntry>,
    /// (c1, c2) → BW1..BW3.
    bw: FxHashMap<u64, [i32; 3]>,
    /// (c1, c2, c3) → TW1..TW4.
    tw: FxHashMap<u64, [i32; 4]>,
    /// BudouX block index (0..=308) → dense index.
    dense: Vec<u8>,
    up: [[i32; NP]; 3],
    bp: [[i32; NP * NP]; 2],
    ub: [[i32; K]; 6],
    bb: [[i32; K * K]; 3],
    tb: [[i32; K * K * K]; 4],
    uq: [[i32; NP * K]; 3],
    bq: [[i32; NP * K * K]; 4],
    tq: [[i32; NP * K * K * K]; 4],
    /// The block features regrouped by the window of blocks b1..b6 (3 bits each):
    /// `left[b1b2b3]` = UB1+UB2+UB3+BB1+TB1, `mid[b2b3b4b5]` = BB2+TB2+TB3,
    /// `right[b4b5b6]` = UB4+UB5+UB6+BB3+TB4.
    left: Vec<i32>,
    mid: Vec<i32>,
    right: Vec<i32>,
    /// The features of previous decisions: `pp[p1p2p3]` = UP1+UP2+UP3+BP1+BP2,
    /// `q2[p2][b1b2b3b4]` = UQ2+BQ1+BQ2+TQ1+TQ2, `q3[p3][b1b2b3b4]` = UQ3+BQ3+BQ4+TQ3+TQ4
    /// (UQ1 is `uq[0]`).
    pp: [i32; NP * NP * NP],
    q2: Vec<i32>,
    q3: Vec<i32>,
}

/// Bits of a dense block index in a window key.
const KB: usize = 3;

/// Parses the rest of a model key (after `XX9:`) into integers (decisions 1..=3, characters as
/// code points, blocks as BudouX's three-digit numbers), or `None` if it has another shape.
fn parse_parts(rest: &str, shape: &[Part]) -> Option<Vec<u32>> {
    let mut chars = rest.chars();
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
                let d: String = (0..3).filter_map(|_| chars.next()).collect();
                if d.len() != 3 || !d.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                out.push(d.parse().ok()?);
            }
        }
    }
    chars.next().is_none().then_some(out)
}

fn key2(a: u32, b: u32) -> u64 {
    ((a as u64) << 21) | b as u64
}

fn key3(a: u32, b: u32, c: u32) -> u64 {
    ((a as u64) << 42) | ((b as u64) << 21) | c as u64
}

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| build_model(budoux::models::default_japanese_model()))
}

/// A model key understood: its feature's index, the parts after the name, its score.
type ModelKey = (usize, Vec<u32>, i32);

fn build_model(source: &budoux::Model) -> Model {
    let keys = model_keys(source);
    let mut m = Model::empty(dense_blocks(&keys));
    for (f, p, score) in keys {
        m.store(f, &p, score);
    }
    regroup(&mut m);
    m
}

/// The keys of the model this table understands, sorted, so the dense indices and the entries
/// do not depend on hash order.
fn model_keys(source: &budoux::Model) -> Vec<ModelKey> {
    let mut keys = Vec::new();
    for (key, score) in source {
        let Some((name, rest)) = key.split_once(':') else {
            continue;
        };
        let Some(i) = FEATURES.iter().position(|(n, _)| *n == name) else {
            continue;
        };
        if let Some(parts) = parse_parts(rest, FEATURES[i].1) {
            keys.push((i, parts, *score));
        }
    }
    keys.sort();
    keys
}

/// A block number the crate never produces for a character (such as `999`) matches nothing.
fn real_block(b: u32) -> bool {
    (b as usize) < BLOCK_STARTS.len() + 1
}

/// Unicode block number → dense index (1.., 0 for a block no key names).
fn dense_blocks(keys: &[ModelKey]) -> Vec<u8> {
    let mut dense = vec![0u8; BLOCK_STARTS.len() + 1];
    let mut next = 1u8;
    for (f, parts, _) in keys {
        for (p, shape) in parts.iter().zip(FEATURES[*f].1) {
            if matches!(shape, B) && real_block(*p) && dense[*p as usize] == 0 {
                assert!((next as usize) < K, "too many blocks in the BudouX model");
                dense[*p as usize] = next;
                next += 1;
            }
        }
    }
    dense
}

impl Model {
    /// A model with no scores, over the dense block indices `dense`.
    fn empty(dense: Vec<u8>) -> Model {
        let bmp = (0..0x10000u32)
            .map(|c| {
                let i = match BLOCK_STARTS.binary_search(&c) {
                    Ok(v) => v + 1,
                    Err(e) => e,
                };
                u32::from(dense[i])
            })
            .collect();
        Model {
            bmp,
            astral: FxHashMap::default(),
            entries: vec![CharEntry::default()],
            bw: FxHashMap::default(),
            tw: FxHashMap::default(),
            dense,
            up: [[0; NP]; 3],
            bp: [[0; NP * NP]; 2],
            ub: [[0; K]; 6],
            bb: [[0; K * K]; 3],
            tb: [[0; K * K * K]; 4],
            uq: [[0; NP * K]; 3],
            bq: [[0; NP * K * K]; 4],
            tq: [[0; NP * K * K * K]; 4],
            left: vec![0; K * K * K],
            mid: vec![0; K * K * K * K],
            right: vec![0; K * K * K],
            pp: [0; NP * NP * NP],
            q2: vec![0; NP * K * K * K * K],
            q3: vec![0; NP * K * K * K * K],
        }
    }

    /// The entry of character `c`, made when it has none yet.
    fn entry_mut(&mut self, c: u32) -> &mut CharEntry {
        let idx = if c < 0x10000 {
            (self.bmp[c as usize] >> 8) as u16
        } else {
            self.astral.get(&c).copied().unwrap_or(0)
        };
        let idx = if idx == 0 {
            let idx = u16::try_from(self.entries.len()).expect("model characters fit in u16");
            self.entries.push(CharEntry::default());
            if c < 0x10000 {
                self.bmp[c as usize] |= u32::from(idx) << 8;
            } else {
                self.astral.insert(c, idx);
            }
            idx
        } else {
            idx
        };
        &mut self.entries[idx as usize]
    }

    /// Stores the score of feature `f` with parts `p` in its table.
    fn store(&mut self, f: usize, p: &[u32], score: i32) {
        if FEATURES[f]
            .1
            .iter()
            .zip(p)
            .any(|(s, v)| matches!(s, B) && !real_block(*v))
        {
            return;
        }
        let d = |i: usize| self.dense[p[i] as usize] as usize;
        match f {
            0..=2 => self.up[f][p[0] as usize] = score,
            3..=4 => self.bp[f - 3][p[0] as usize * NP + p[1] as usize] = score,
            5..=10 => self.entry_mut(p[0]).uw[f - 5] = score,
            11..=13 => {
                self.entry_mut(p[0]).starts_bigram = true;
                self.bw.entry(key2(p[0], p[1])).or_default()[f - 11] = score;
            }
            14..=17 => {
                self.entry_mut(p[0]).starts_trigram = true;
                self.tw.entry(key3(p[0], p[1], p[2])).or_default()[f - 14] = score;
            }
            18..=23 => self.ub[f - 18][d(0)] = score,
            24..=26 => self.bb[f - 24][d(0) * K + d(1)] = score,
            27..=30 => self.tb[f - 27][(d(0) * K + d(1)) * K + d(2)] = score,
            31..=33 => self.uq[f - 31][p[0] as usize * K + d(1)] = score,
            34..=37 => self.bq[f - 34][(p[0] as usize * K + d(1)) * K + d(2)] = score,
            _ => self.tq[f - 38][((p[0] as usize * K + d(1)) * K + d(2)) * K + d(3)] = score,
        }
    }
}

/// Fills the regrouped tables from the per-feature ones.
fn regroup(m: &mut Model) {
    const { assert!(K == 1 << KB) };
    for x in 0..K {
        for y in 0..K {
            for z in 0..K {
                let i = (x * K + y) * K + z;
                m.left[i] = m.ub[0][x] + m.ub[1][y] + m.ub[2][z] + m.bb[0][y * K + z] + m.tb[0][i];
                m.right[i] = m.ub[3][x] + m.ub[4][y] + m.ub[5][z] + m.bb[2][x * K + y] + m.tb[3][i];
                for w in 0..K {
                    // (b2, b3, b4, b5) = (x, y, z, w)
                    m.mid[i * K + w] =
                        m.bb[1][y * K + z] + m.tb[1][i] + m.tb[2][(y * K + z) * K + w];
                }
            }
        }
    }
    for p1 in 0..NP {
        for p2 in 0..NP {
            for p3 in 0..NP {
                m.pp[(p1 * NP + p2) * NP + p3] = m.up[0][p1]
                    + m.up[1][p2]
                    + m.up[2][p3]
                    + m.bp[0][p1 * NP + p2]
                    + m.bp[1][p2 * NP + p3];
            }
        }
    }
    for p in 0..NP {
        for b1 in 0..K {
            for b2 in 0..K {
                for b3 in 0..K {
                    for b4 in 0..K {
                        let i = p * K * K * K * K + ((b1 * K + b2) * K + b3) * K + b4;
                        m.q2[i] = m.uq[1][p * K + b2]
                            + m.bq[0][(p * K + b2) * K + b3]
                            + m.bq[1][(p * K + b3) * K + b4]
                            + m.tq[0][((p * K + b1) * K + b2) * K + b3]
                            + m.tq[1][((p * K + b2) * K + b3) * K + b4];
                        m.q3[i] = m.uq[2][p * K + b3]
                            + m.bq[2][(p * K + b2) * K + b3]
                            + m.bq[3][(p * K + b3) * K + b4]
                            + m.tq[2][((p * K + b1) * K + b2) * K + b3]
                            + m.tq[3][((p * K + b2) * K + b3) * K + b4];
                    }
                }
            }
        }
    }
}

impl Model {
    /// A character's index into `entries` (0: it has none) and its dense block index.
    #[inline(always)]
    fn lookup(&self, c: char) -> (u16, u8) {
        if let Some(v) = self.bmp.get(c as usize) {
            return ((v >> 8) as u16, *v as u8);
        }
        let i = match BLOCK_STARTS.binary_search(&(c as u32)) {
            Ok(v) => v + 1,
            Err(e) => e,
        };
        let idx = self.astral.get(&(c as u32)).copied().unwrap_or(0);
        (idx, self.dense[i])
    }
}

/// Byte offsets in `text` where a phrase ends and a break may go (never 0 or `text.len()`).
/// Linear in the length of the text.
///
/// Position `t` (a break before character `t`) is scored from the window of characters
/// `t-3 ..= t+2`. Two passes: the first reads the characters (their offsets and blocks) and
/// adds each one's own features (its unigrams at the six places of the windows it is in, the
/// bigram and trigram it starts) to the positions they score: most characters are in no key
/// of the model and add nothing. The second adds, position by position, the block features
/// (one rolling window of six blocks) and those of the previous decisions, and decides.
pub fn boundaries(text: &str) -> Vec<usize> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
    }
    SCRATCH.with_borrow_mut(|scratch| scratch.boundaries(model(), text))
}

/// What [`boundaries`] reads a text into, kept by each thread for the next text.
#[derive(Default)]
struct Scratch {
    /// Byte offset of each character.
    offsets: Vec<usize>,
    /// Dense block of each character, with [`PAD`] blocks of "none" before and after.
    blocks: Vec<u8>,
    /// The score of each position from the characters' own features, [`PAD`] before.
    scores: Vec<i32>,
}

/// Room before and after the text, for the windows that reach past its ends.
const PAD: usize = 3;

impl Scratch {
    fn boundaries(&mut self, m: &Model, text: &str) -> Vec<usize> {
        const K4: usize = K * K * K * K;
        let Scratch {
            offsets,
            blocks,
            scores,
        } = self;
        offsets.clear();
        blocks.clear();
        scores.clear();
        blocks.resize(PAD, 0);
        scores.resize(PAD + 3, 0);
        // Every text has at least as many bytes as characters: no push below grows a list.
        offsets.reserve(text.len());
        blocks.reserve(text.len() + PAD);
        scores.reserve(text.len());
        // The last two characters read (code point, entry index; index 0 before the text),
        // for the bigram and trigram ending at the one read.
        let mut prev: [(u32, u16); 2] = [(0, 0); 2];
        for (i, (o, c)) in text.char_indices().enumerate() {
            let cp = c as u32;
            let (idx, block) = m.lookup(c);
            offsets.push(o);
            blocks.push(block);
            // Position `t` is at `scores[PAD + t]`; character `i` is at place `k` (0..6) of
            // the window of position `i + 3 - k`, so it reaches `PAD + i + 3` at most.
            scores.push(0);
            let at = PAD + i;
            if idx != 0 {
                for (k, u) in m.entries[idx as usize].uw.iter().enumerate() {
                    scores[at + 3 - k] += u;
                }
            }
            // The bigram of characters i-1, i scores position (i-1)+2, +1 and +0 with its
            // three features; the trigram of i-2 .. i scores (i-2)+3 down to (i-2)+0.
            if prev[1].1 != 0 && m.entries[prev[1].1 as usize].starts_bigram {
                if let Some(v) = m.bw.get(&key2(prev[1].0, cp)) {
                    for (k, f) in v.iter().enumerate() {
                        scores[at - 1 + 2 - k] += f;
                    }
                }
            }
            if prev[0].1 != 0 && m.entries[prev[0].1 as usize].starts_trigram {
                if let Some(v) = m.tw.get(&key3(prev[0].0, prev[1].0, cp)) {
                    for (k, f) in v.iter().enumerate() {
                        scores[at - 2 + 3 - k] += f;
                    }
                }
            }
            prev = [prev[1], (cp, idx)];
        }
        let n = offsets.len();
        blocks.resize(PAD + n + PAD, 0);
        let mut out = Vec::new();
        if n < 2 {
            return out;
        }
        // The blocks of the window of position t (characters t-3 .. t+2), 3 bits each, the
        // oldest highest: for t = 1, the blocks at PAD-2 .. PAD+3.
        let mask = (1usize << (6 * KB)) - 1;
        let mut bw = blocks[PAD - 2..PAD + 3]
            .iter()
            .fold(0usize, |w, b| (w << KB) | *b as usize);
        let (mut p1, mut p2, mut p3) = (1usize, 1usize, 1usize);
        for t in 1..n {
            bw = ((bw << KB) | blocks[PAD + t + 2] as usize) & mask;
            let b1 = bw >> (5 * KB);
            let b1234 = bw >> (2 * KB);
            let s = scores[PAD + t]
                + m.left[bw >> (3 * KB)]
                + m.mid[(bw >> KB) & (K4 - 1)]
                + m.right[bw & (K * K * K - 1)]
                + m.pp[(p1 * NP + p2) * NP + p3]
                + m.uq[0][p1 * K + b1]
                + m.q2[p2 * K4 + b1234]
                + m.q3[p3 * K4 + b1234];
            if s > THRESHOLD {
                out.push(offsets[t]);
            }
            p1 = p2;
            p2 = p3;
            p3 = if s > 0 { 2 } else { 3 };
        }
        out
    }
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
        for seed in [
            include_str!("../../seeds/000_df7ab66c387a9180.txt"),
            include_str!("../../seeds/004_208b96f187c3fabc.txt"),
        ] {
            for line in seed.lines().filter(|l| !l.is_empty()) {
                let theirs = budoux::parse(model, line);
                let ours: Vec<String> = phrases(line).into_iter().map(str::to_string).collect();
                assert_eq!(ours, theirs, "{line}");
            }
        }
    }

    #[test]
    fn identical_to_the_budoux_crate_on_random_text() {
        // Characters of every kind the model names (kana, kanji, punctuation, full-width and
        // ASCII letters and digits, spaces) and some it does not (Hangul, emoji, NUL).
        let alphabet: Vec<char> = "のをにはがとでもへ研究開発医療機器推進するためのこれはテストですアイウエオカキクケコ、。「」（）・ー－ＡＢＣ１２３abcXYZ019 .,&;:\n\t가한😀\0々〆ヶ"
            .chars()
            .collect();
        same_as_the_crate_on_random_text(&alphabet, 0x2545_f491_4f6c_dd1d, 400, 60);
    }

    /// `count` texts of up to `longest` characters drawn from `alphabet`, each cut into the
    /// crate's phrases and ours.
    fn same_as_the_crate_on_random_text(
        alphabet: &[char],
        seed: u64,
        count: usize,
        longest: usize,
    ) {
        let model = budoux::models::default_japanese_model();
        let mut rng = fastrand::Rng::with_seed(seed);
        for len in 0..count {
            let s: String = (0..len % longest)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let theirs = budoux::parse(model, &s);
            let ours: Vec<String> = phrases(&s).into_iter().map(str::to_string).collect();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    #[test]
    fn identical_to_the_budoux_crate_on_text_made_of_the_models_own_keys() {
        // The characters of every bigram and trigram key, so that text is dense with the
        // features a character adds to the positions around it.
        let model = budoux::models::default_japanese_model();
        let mut alphabet: Vec<char> = model
            .keys()
            .filter(|k| k.starts_with("BW") || k.starts_with("TW") || k.starts_with("UW"))
            .flat_map(|k| k[4..].chars())
            .collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        assert!(alphabet.len() > 50, "{}", alphabet.len());
        same_as_the_crate_on_random_text(&alphabet, 0x9e37_79b9_7f4a_7c15, 2000, 40);
    }

    #[test]
    fn every_model_key_is_understood() {
        // A key of a known feature with another shape would be silently dropped.
        for key in budoux::models::default_japanese_model().keys() {
            let (name, rest) = key.split_once(':').unwrap();
            let i = FEATURES.iter().position(|(n, _)| *n == name).unwrap();
            assert!(parse_parts(rest, FEATURES[i].1).is_some(), "{key}");
        }
    }
}
