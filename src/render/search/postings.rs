//! Positional posting lists: where each token stands in each document's title and text, so
//! that a query's terms are matched and ranked from the token shards alone, without the
//! documents' texts.

use super::{fnv_step, normalise, SearchDoc, BATCH, FNV_BASIS};

/// The distinct tokens of a document with their token shards and where they stand, sorted by
/// shard then token: what the index holds of it. Compact: the tokens are one string, and the
/// offsets one list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DocTokens {
    text: String,
    entries: Vec<Entry>,
    /// UTF-16 offsets of each token's occurrences: in the title, then in the text.
    offsets: Vec<u32>,
}

/// Where one token of a [`DocTokens`] ends in each of its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Entry {
    shard: u32,
    /// End of the token in `text`.
    end: u32,
    /// End of its title offsets in `offsets` (they start where the previous entry's end).
    title_end: u32,
    /// End of its text offsets in `offsets` (they start at `title_end`).
    text_end: u32,
}

/// One token of a document: its shard, and where it stands in the normalised title and the
/// normalised stored text (UTF-16 offsets, ascending, as JavaScript indexes strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrences<'a> {
    pub shard: u32,
    pub token: &'a str,
    pub title: &'a [u32],
    pub text: &'a [u32],
}

impl DocTokens {
    /// Every token, in order.
    pub fn iter(&self) -> impl Iterator<Item = Occurrences<'_>> {
        self.from(0)
    }

    /// The tokens of one shard.
    #[cfg(test)]
    fn of_shard(&self, shard: u32) -> impl Iterator<Item = Occurrences<'_>> {
        let from = self.entries.partition_point(|e| e.shard < shard);
        self.run_from(from, shard)
    }

    /// The tokens of `shard` from entry `at`, where its run starts.
    fn run_from(&self, at: usize, shard: u32) -> impl Iterator<Item = Occurrences<'_>> {
        self.from(at).take_while(move |o| o.shard == shard)
    }

    fn from(&self, first: usize) -> impl Iterator<Item = Occurrences<'_>> {
        let (mut start, mut offset) = match first.checked_sub(1) {
            Some(prev) => (
                self.entries[prev].end as usize,
                self.entries[prev].text_end as usize,
            ),
            None => (0, 0),
        };
        self.entries[first..].iter().map(move |e| {
            let o = Occurrences {
                shard: e.shard,
                token: &self.text[start..e.end as usize],
                title: &self.offsets[offset..e.title_end as usize],
                text: &self.offsets[e.title_end as usize..e.text_end as usize],
            };
            start = e.end as usize;
            offset = e.text_end as usize;
            o
        })
    }
}

/// A token of up to 8 bytes as one integer (its bytes, zero after them: a token holds no NUL,
/// so two tokens have the same key only when they are the same).
fn short_key(t: &str) -> Option<u64> {
    let b = t.as_bytes();
    (b.len() <= 8).then(|| {
        let mut k = [0u8; 8];
        k[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(k)
    })
}

/// The first 8 bytes of a token as an integer that orders as the bytes do (a token that is a
/// prefix of another orders first, as a token holds no NUL).
fn prefix_key(t: &str) -> u64 {
    let b = t.as_bytes();
    let mut k = [0u8; 8];
    let n = b.len().min(8);
    k[..n].copy_from_slice(&b[..n]);
    u64::from_be_bytes(k)
}

/// The tokens of a document, for an index of `token_shards` token shards. The title and the
/// stored text are normalised and tokenised apart, as the search page compares them.
///
/// Occurrences are gathered in reading order (the title's, then the text's) under each distinct
/// token; only the distinct tokens are sorted (each by one integer, made when it is first met),
/// and the occurrences are then placed by a counting sort that keeps their order: each token's
/// title offsets, then its text offsets, each ascending.
pub fn doc_tokens(d: &SearchDoc, token_shards: usize) -> DocTokens {
    let mut g = Gather::new(token_shards);
    g.part(&d.title, usize::MAX, true);
    g.part(&d.text, super::MAX_TEXT, false);
    g.finish()
}

/// The occurrences of a document's tokens as they are read, each under its token's number.
#[derive(Default)]
struct Gather {
    token_shards: u32,
    numbers: TokenNumbers,
    /// The distinct tokens in order of first occurrence: their texts one after another, and
    /// where each ends.
    texts: String,
    ends: Vec<u32>,
    /// Where each distinct token sorts: its shard (the top 32 bits), its first 8 bytes as
    /// [`prefix_key`] orders them, then its number (the low 32 bits).
    sort_keys: Vec<u128>,
    /// Each occurrence: its token's number and its UTF-16 offset.
    occ: Vec<(u32, u32)>,
    /// Occurrences of each token in the title.
    title_count: Vec<u32>,
    /// The ASCII word being read.
    word: String,
}

impl Gather {
    fn new(token_shards: usize) -> Gather {
        Gather {
            token_shards: token_shards as u32,
            ..Gather::default()
        }
    }

    /// Tokenises the first `limit` characters of `s` (normalised as [`super::normalise`]
    /// would, character by character when every character allows it) in one pass: whole
    /// ASCII words of two characters or more, and the bigrams of every run of other letters
    /// (a run of one character is its own token), exactly as [`super::token_spans`] cuts the
    /// normalised text.
    fn part(&mut self, s: &str, limit: usize, in_title: bool) {
        // About one token per character, most of them distinct (Japanese text is mostly
        // characters of three bytes): room made once rather than grown by doubling.
        let room = s.len().min(limit.saturating_mul(3)) / 3 + 1;
        self.numbers.short.reserve(room);
        self.occ.reserve(room);
        let mark = self.mark();
        if self.tokenise(s.chars().take(limit).map(super::fast_char), in_title) {
            return;
        }
        // A character the fast path does not know: the text is normalised as a whole.
        self.roll_back(mark, in_title);
        let done = self.tokenise(
            normalise(super::first_chars(s, limit)).chars().map(Some),
            in_title,
        );
        debug_assert!(done, "every normalised character is taken");
    }

    /// Tokenises normalised characters (see [`Gather::part`]); gives up (`false`) at the
    /// first `None`, a character that could not be normalised alone.
    fn tokenise(&mut self, chars: impl Iterator<Item = Option<char>>, in_title: bool) -> bool {
        // UTF-16 offset of the character read.
        let mut at = 0u32;
        let mut word_at = 0u32;
        // The last character of the run of letters being read, and whether it is alone.
        let mut run: Option<(char, u32)> = None;
        let mut alone = false;
        for c in chars {
            let Some(c) = c else {
                self.word.clear();
                return false;
            };
            if c.is_ascii_alphanumeric() {
                self.end_run(&mut run, alone, in_title);
                if self.word.is_empty() {
                    word_at = at;
                }
                self.word.push(c);
            } else {
                self.end_word(word_at, in_title);
                if super::is_alphanumeric(c) || super::is_cjk_symbol(c) {
                    alone = match run {
                        Some((p, p_at)) => {
                            self.add(Key::Pair(p, c), p_at, in_title);
                            false
                        }
                        None => true,
                    };
                    run = Some((c, at));
                } else {
                    self.end_run(&mut run, alone, in_title);
                }
            }
            at += c.len_utf16() as u32;
        }
        self.end_word(word_at, in_title);
        self.end_run(&mut run, alone, in_title);
        true
    }

    /// How much has been gathered, to go back to.
    fn mark(&self) -> (usize, usize) {
        (self.occ.len(), self.ends.len())
    }

    /// Forgets what was gathered since `mark`.
    fn roll_back(&mut self, (occ, distinct): (usize, usize), in_title: bool) {
        if in_title {
            for (n, _) in &self.occ[occ..] {
                self.title_count[*n as usize] -= 1;
            }
        }
        self.occ.truncate(occ);
        let start = distinct.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        let mut from = start;
        for &to in &self.ends[distinct..] {
            self.numbers
                .forget(TokenId::of(&self.texts[from..to as usize]));
            from = to as usize;
        }
        self.texts.truncate(start);
        self.ends.truncate(distinct);
        self.sort_keys.truncate(distinct);
        self.title_count.truncate(distinct);
    }

    /// Ends a run of letters: a run of one character is its own token.
    fn end_run(&mut self, run: &mut Option<(char, u32)>, alone: bool, in_title: bool) {
        if let Some((c, at)) = run.take() {
            if alone {
                self.add(Key::One(c), at, in_title);
            }
        }
    }

    /// Ends an ASCII word: a word of two characters or more is a token.
    fn end_word(&mut self, at: u32, in_title: bool) {
        if self.word.len() >= 2 {
            let word = std::mem::take(&mut self.word);
            self.add(Key::Word(&word), at, in_title);
            self.word = word;
        }
        self.word.clear();
    }

    fn add(&mut self, key: Key, at: u32, in_title: bool) {
        let id = key.id();
        let next = self.ends.len() as u32;
        let n = self.numbers.number(id, next);
        if n == next {
            let start = self.texts.len();
            key.push_to(&mut self.texts);
            self.ends.push(self.texts.len() as u32);
            self.title_count.push(0);
            let shard = key.fnv() % self.token_shards;
            let prefix = prefix_key(&self.texts[start..]);
            self.sort_keys
                .push((u128::from(shard) << 96) | (u128::from(prefix) << 32) | u128::from(n));
        }
        self.occur(n, at, in_title);
    }

    fn occur(&mut self, n: u32, at: u32, in_title: bool) {
        if in_title {
            self.title_count[n as usize] += 1;
        }
        self.occ.push((n, at));
    }

    /// The tokens sorted by shard, then token, with their occurrences in that order.
    fn finish(self) -> DocTokens {
        let Gather {
            texts,
            ends,
            mut sort_keys,
            occ,
            title_count,
            ..
        } = self;
        let count = ends.len();
        let text = |n: usize| {
            let start = if n == 0 { 0 } else { ends[n - 1] as usize };
            &texts[start..ends[n] as usize]
        };
        // The distinct tokens by shard, then token: by their sort keys, then, for tokens whose
        // shard and first 8 bytes are the same (one of them longer: a long word), by text.
        sort_keys.sort_unstable();
        let number = |k: &u128| *k as u32 as usize;
        let mut at = 0;
        while at < count {
            let same = sort_keys[at..]
                .iter()
                .take_while(|k| **k >> 32 == sort_keys[at] >> 32)
                .count();
            if same > 1 {
                sort_keys[at..at + same]
                    .sort_unstable_by(|a, b| text(number(a)).cmp(text(number(b))));
            }
            at += same;
        }
        let order: Vec<(u32, &str, u32)> = sort_keys
            .iter()
            .map(|k| ((k >> 96) as u32, text(number(k)), number(k) as u32))
            .collect();
        // Where each token's occurrences start in the output, in that order.
        let mut starts = vec![0u32; count];
        let mut next = 0u32;
        let mut counts = vec![0u32; count];
        for (n, _) in &occ {
            counts[*n as usize] += 1;
        }
        for (_, _, n) in &order {
            starts[*n as usize] = next;
            next += counts[*n as usize];
        }
        let mut offsets = vec![0u32; occ.len()];
        let mut fill = starts.clone();
        for (n, at) in &occ {
            offsets[fill[*n as usize] as usize] = *at;
            fill[*n as usize] += 1;
        }
        let mut out = DocTokens {
            text: String::with_capacity(texts.len()),
            entries: Vec::with_capacity(order.len()),
            offsets,
        };
        for (shard, t, n) in &order {
            out.text.push_str(t);
            let n = *n as usize;
            out.entries.push(Entry {
                shard: *shard,
                end: out.text.len() as u32,
                title_end: starts[n] + title_count[n],
                text_end: starts[n] + counts[n],
            });
        }
        out
    }
}

/// A token as it is read: one character, two, or an ASCII word.
enum Key<'a> {
    One(char),
    Pair(char, char),
    Word(&'a str),
}

impl<'a> Key<'a> {
    /// How the token is found among the others.
    fn id(&self) -> TokenId<'a> {
        match *self {
            Key::One(c) => TokenId::Short(letters_key(None, c)),
            Key::Pair(a, b) => TokenId::Short(letters_key(Some(a), b)),
            Key::Word(w) => TokenId::of(w),
        }
    }

    /// 32-bit FNV-1a over the token's code points, which gives its shard.
    fn fnv(&self) -> u32 {
        match *self {
            Key::One(c) => fnv_step(FNV_BASIS, c),
            Key::Pair(a, b) => fnv_step(fnv_step(FNV_BASIS, a), b),
            Key::Word(w) => w.chars().fold(FNV_BASIS, fnv_step),
        }
    }

    /// Appends the token's text.
    fn push_to(&self, out: &mut String) {
        match *self {
            Key::One(c) => out.push(c),
            Key::Pair(a, b) => {
                out.push(a);
                out.push(b);
            }
            Key::Word(w) => out.push_str(w),
        }
    }
}

/// A token as it is found among the others: up to 8 bytes as one integer ([`short_key`]),
/// longer ones by their text.
#[derive(Clone, Copy)]
enum TokenId<'a> {
    Short(u64),
    Long(&'a str),
}

impl<'a> TokenId<'a> {
    /// The id of token `t`: one or two letters that are not ASCII (a token beginning with
    /// one is such), or an ASCII word.
    fn of(t: &'a str) -> TokenId<'a> {
        if !t.as_bytes().first().is_some_and(u8::is_ascii) {
            let mut chars = t.chars();
            if let (Some(a), b, None) = (chars.next(), chars.next(), chars.next()) {
                return TokenId::Short(match b {
                    Some(b) => letters_key(Some(a), b),
                    None => letters_key(None, a),
                });
            }
        }
        short_key(t).map_or(TokenId::Long(t), TokenId::Short)
    }
}

/// The id of a token of one letter (`b`) or two (`a`, `b`) that are not ASCII: their code
/// points, 21 bits each, and the top bit set, which no ASCII word's bytes set. A letter is
/// never NUL, so one letter and two never meet.
fn letters_key(a: Option<char>, b: char) -> u64 {
    (1 << 63) | (a.map_or(0, u64::from) << 21) | u64::from(b)
}

/// Tokens numbered in the order they are first met.
#[derive(Default)]
struct TokenNumbers {
    short: rustc_hash::FxHashMap<u64, u32>,
    long: rustc_hash::FxHashMap<Box<str>, u32>,
}

impl TokenNumbers {
    /// The number of token `id`; `next` (which the caller then uses) when it is new.
    fn number(&mut self, id: TokenId, next: u32) -> u32 {
        match id {
            TokenId::Short(k) => *self.short.entry(k).or_insert(next),
            TokenId::Long(t) => match self.long.get(t) {
                Some(n) => *n,
                None => {
                    self.long.insert(t.into(), next);
                    next
                }
            },
        }
    }

    /// Forgets token `id` (its number is free again).
    fn forget(&mut self, id: TokenId) {
        match id {
            TokenId::Short(k) => self.short.remove(&k),
            TokenId::Long(t) => self.long.remove(t),
        };
    }
}

/// One token's posting list, encoded as its token shard script holds it: for each document
/// holding the token, in number order, the difference from the previous document's number
/// (the first from 0), then the count and the offsets of its occurrences in the title, then
/// the count and the offsets in the text (offsets as differences from the one before, the
/// first from 0); the numbers written in the Base64 VLQ of source maps, one string that the
/// page parses far faster than an array literal, and a third the size of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TokenPostings {
    last: u32,
    encoded: Vec<u8>,
}

impl TokenPostings {
    /// Appends `n` in Base64 VLQ: five bits per digit, lowest first, a continuation bit
    /// above them, the sign in the lowest bit of the first (never set: `n` is not negative).
    /// Written here rather than through `vlq::encode`, whose writer interface took a third of
    /// the posting lists' time; `numbers` reads them back with `vlq::decode`.
    fn put(&mut self, n: u32) {
        const DIGITS: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut v = u64::from(n) << 1;
        loop {
            let digit = (v & 0x1F) as usize;
            v >>= 5;
            if v == 0 {
                self.encoded.push(DIGITS[digit]);
                return;
            }
            self.encoded.push(DIGITS[digit | 0x20]);
        }
    }

    /// Adds a document, numbered above every one before.
    fn push(&mut self, doc: u32, title: &[u32], text: &[u32]) {
        self.put(doc - self.last);
        self.last = doc;
        for offsets in [title, text] {
            self.put(offsets.len() as u32);
            let mut prev = 0;
            for o in offsets {
                self.put(o - prev);
                prev = *o;
            }
        }
    }

    /// The encoded numbers, as the page reads them.
    pub fn numbers(&self) -> Vec<u32> {
        let mut bytes = self.encoded.iter().copied().peekable();
        let mut out = Vec::new();
        while bytes.peek().is_some() {
            // Only this module writes the bytes.
            let n = vlq::decode(&mut bytes).expect("valid VLQ");
            out.push(n as u32);
        }
        out
    }

    /// The numbers of the documents holding the token, ascending.
    pub fn docs(&self) -> Vec<u32> {
        let numbers = self.numbers();
        let mut out = Vec::new();
        let (mut i, mut doc) = (0, 0);
        while i < numbers.len() {
            doc += numbers[i];
            out.push(doc);
            let in_title = numbers[i + 1] as usize;
            let in_text = numbers[i + 2 + in_title] as usize;
            i += 3 + in_title + in_text;
        }
        out
    }

    /// The Base64 VLQ text.
    pub(super) fn as_str(&self) -> &str {
        // Base64 digits are ASCII.
        std::str::from_utf8(&self.encoded).expect("Base64 is ASCII")
    }
}

/// One token shard's posting lists, by token.
pub type Postings = rustc_hash::FxHashMap<Box<str>, TokenPostings>;

/// One token shard's posting lists while they are gathered: found by a token's bytes as one
/// integer when it has up to 8 (almost every token), so that the text of a token is hashed
/// once per shard rather than once per document holding it.
#[derive(Default)]
struct ShardLists {
    numbers: TokenNumbers,
    lists: Vec<(Box<str>, TokenPostings)>,
}

impl ShardLists {
    /// The posting list of `token`, empty when it is new.
    fn list(&mut self, token: &str) -> &mut TokenPostings {
        let next = self.lists.len() as u32;
        let n = self.numbers.number(TokenId::of(token), next);
        if n == next {
            self.lists.push((token.into(), TokenPostings::default()));
        }
        &mut self.lists[n as usize].1
    }

    /// The lists by token; they grew by doubling, and what they hold is kept until written
    /// out.
    fn finish(self) -> Postings {
        self.lists
            .into_iter()
            .map(|(t, mut p)| {
                p.encoded.shrink_to_fit();
                (t, p)
            })
            .collect()
    }
}

/// A whole index in memory: the documents by number and the posting lists.
pub struct Index<'a> {
    /// Documents in number order: chunk by chunk, each in document order.
    pub docs: Vec<&'a SearchDoc<'a>>,
    /// First number of each chunk.
    pub starts: Vec<u32>,
    /// Per token shard.
    pub postings: Vec<Postings>,
}

/// Numbers the documents (chunk by chunk) and gathers the posting lists, with `tokens` giving
/// a document's [`doc_tokens`] for `token_shard_count(docs.len())` shards.
pub fn build_index<'a>(
    docs: &'a [SearchDoc<'a>],
    tokens: impl Fn(&SearchDoc<'_>) -> DocTokens + Sync,
) -> Index<'a> {
    // Never stopped, so always made.
    build_index_until(docs, tokens, || false).expect("an index never stopped is made")
}

/// [`build_index`], given up (`None`) as soon as `stop` says so between batches of documents.
pub fn build_index_until<'a>(
    docs: &'a [SearchDoc<'a>],
    tokens: impl Fn(&SearchDoc<'_>) -> DocTokens + Sync,
    stop: impl Fn() -> bool,
) -> Option<Index<'a>> {
    use rayon::prelude::*;
    let k = super::shard_count(docs.len());
    let t = super::token_shard_count(docs.len());
    let mut order: Vec<usize> = (0..docs.len()).collect();
    // Chunk by chunk, in document order within each (a stable sort keeps it).
    order.sort_by_key(|i| super::shard_of(&docs[*i].url, k));
    let mut starts = vec![0u32; k];
    let mut counts = vec![0u32; k];
    for i in &order {
        counts[super::shard_of(&docs[*i].url, k)] += 1;
    }
    for c in 1..k {
        starts[c] = starts[c - 1] + counts[c - 1];
    }
    let mut lists: Vec<ShardLists> = (0..t).map(|_| ShardLists::default()).collect();
    for (b, batch) in order.chunks(BATCH).enumerate() {
        if stop() {
            return None;
        }
        let toks: Vec<DocTokens> = batch.par_iter().map(|i| tokens(&docs[*i])).collect();
        // Where each token shard's run starts in each document of the batch, in one pass
        // over the batch's tokens: a shard then visits only the documents that have tokens
        // of it (visiting every document from every shard grows with the square of the site).
        let mut runs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); t];
        for (j, dt) in toks.iter().enumerate() {
            let mut prev = None;
            for (at, e) in dt.entries.iter().enumerate() {
                if prev != Some(e.shard) {
                    runs[e.shard as usize].push((j as u32, at as u32));
                    prev = Some(e.shard);
                }
            }
        }
        // Each token shard in parallel: its run of each document's (shard-sorted) tokens.
        lists
            .par_iter_mut()
            .zip(runs.par_iter())
            .enumerate()
            .for_each(|(shard, (m, runs))| {
                for &(j, at) in runs {
                    let num = (b * BATCH + j as usize) as u32;
                    for o in toks[j as usize].run_from(at as usize, shard as u32) {
                        m.list(o.token).push(num, o.title, o.text);
                    }
                }
            });
    }
    let postings: Vec<Postings> = lists.into_par_iter().map(ShardLists::finish).collect();
    Some(Index {
        docs: order.iter().map(|i| &docs[*i]).collect(),
        starts,
        postings,
    })
}

/// The script of token shard `i`: each token's encoded [`TokenPostings`], by token (a JSON
/// object in a script statement, written directly).
pub fn token_shard_js(i: usize, postings: &Postings) -> String {
    let mut sorted: Vec<(&str, &str)> = postings.iter().map(|(t, p)| (&**t, p.as_str())).collect();
    sorted.sort_unstable_by_key(|(t, _)| *t);
    let room: usize = sorted.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let mut out = String::with_capacity(room + 64);
    out.push_str("(window.SEISAKU_SEARCH_T=window.SEISAKU_SEARCH_T||{})[");
    out.push_str(&i.to_string());
    out.push_str("]=({");
    for (n, (token, list)) in sorted.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        super::js::push_string(&mut out, token);
        // Base64 digits need no escaping.
        out.push_str(":\"");
        out.push_str(list);
        out.push('"');
    }
    out.push_str("});\n");
    out
}

#[cfg(test)]
mod tests {
    use super::super::{stored_text, token_shard, token_spans};
    use super::*;

    /// UTF-16 offset of each character boundary of `s`, indexed by byte offset.
    fn utf16_offsets(s: &str) -> Vec<u32> {
        let mut at = vec![0u32; s.len() + 1];
        let mut u = 0u32;
        for (i, c) in s.char_indices() {
            at[i] = u;
            u += c.len_utf16() as u32;
        }
        at[s.len()] = u;
        at
    }

    fn doc(title: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            title: title.into(),
            url: "a/index.html".into(),
            kind: "施策".into(),
            text: text.to_string().into(),
            boost: 1,
        }
    }

    #[test]
    fn occurrences_are_utf16_offsets_in_title_and_text_apart() {
        let d = doc("ＩＭＤＲＦ会議", "会議の会議、IMDRF");
        let t = doc_tokens(&d, 1);
        let of = |tok: &str| t.iter().find(|o| o.token == tok).unwrap();
        assert_eq!(of("会議").title, &[5]);
        assert_eq!(of("会議").text, &[0, 3]);
        assert_eq!(of("imdrf").title, &[0]);
        assert_eq!(of("imdrf").text, &[6]);
        assert_eq!(of("の会").title, &[] as &[u32]);
        // Outside the basic plane a character takes two UTF-16 units.
        let t = doc_tokens(&doc("", "𠮷野家"), 1);
        assert_eq!(t.iter().find(|o| o.token == "野家").unwrap().text, &[2]);
    }

    /// Each token's occurrences by sorting every occurrence: the definition the counting sort
    /// of [`doc_tokens`] must match.
    fn by_sorting(d: &SearchDoc, shards: usize) -> Vec<(u32, String, Vec<u32>, Vec<u32>)> {
        let (title, text) = (normalise(&d.title), normalise(stored_text(d)));
        let mut occ: Vec<(u32, &str, bool, u32)> = Vec::new();
        for (in_text, s) in [(false, &title), (true, &text)] {
            let at = utf16_offsets(s);
            for (a, b) in token_spans(s) {
                let t = &s[a..b];
                occ.push((token_shard(t, shards) as u32, t, in_text, at[a]));
            }
        }
        occ.sort_unstable();
        let mut out: Vec<(u32, String, Vec<u32>, Vec<u32>)> = Vec::new();
        for (shard, t, in_text, at) in occ {
            if out.last().is_none_or(|l| l.1 != t) {
                out.push((shard, t.to_string(), Vec::new(), Vec::new()));
            }
            let last = out.last_mut().expect("pushed above");
            if in_text { &mut last.3 } else { &mut last.2 }.push(at);
        }
        out
    }

    #[test]
    fn tokens_are_ordered_by_shard_and_token_with_their_offsets_in_order() {
        let texts = [
            ("", ""),
            ("会議", ""),
            ("", "会議"),
            (
                "ＩＭＤＲＦ会議の会議",
                "会議の会議、IMDRF 会議 imdrf 会議。𠮷野家の会議",
            ),
            (
                "医療機器基本計画",
                &"医療機器の研究開発と医療機器の実用化、医療の質。".repeat(40),
            ),
            ("a b a b a", "b a b a b a c c c a"),
            // Words longer than 8 bytes, sharing their first 8, and prefixes of each other.
            (
                "pharmaceuticals",
                "pharmaceutical pharmaceuticals pharmacy pharma abcdefghij abcdefghi abcdefgh abcdefghij",
            ),
            // Text normalised as a whole: half-width kana that compose (ｶﾞ is ガ), circled
            // numbers, letters with accents, characters outside the basic plane.
            ("ｶﾞｲﾄﾞﾗｲﾝ①②", "ﾃﾞﾊﾞｲｽ・ラグ ①ISO13485 café Café 𠮷𠮷𠮷 𠮷 ㍻ ﬁle"),
            // A character needing the whole text normalised, after tokens were read: in the
            // title, in the text after tokens the title has, and after a long word.
            ("会議の会議 pharmaceuticals① 会議", "会議の会議、IMDRF imdrf pharmaceuticals ① 新しい会議"),
            ("会議の会議", "会議 abcdefghijk 新規の語 ① ｶﾞ"),
            // A combining mark that composes with the letter before it: the bigram read before
            // it (会か) is not one of the text's, and must not be found again later.
            ("会か\u{3099}", "会か 会が"),
            // A lone letter, a lone ASCII letter, marks that count as letters, single runs.
            ("a 会 b", "々 ー 会、議。x 1 12 ＡＢ ａ 医ー療々"),
            // Longer than the stored text: only its first characters are indexed, in both
            // paths.
            ("", &"医療機器ABC 審査。".repeat(200)),
            ("", &"①医療機器ABC 審査。".repeat(200)),
        ];
        for (title, text) in texts {
            for shards in [1, 3, 17] {
                let d = doc(title, text);
                let got: Vec<(u32, String, Vec<u32>, Vec<u32>)> = doc_tokens(&d, shards)
                    .iter()
                    .map(|o| {
                        (
                            o.shard,
                            o.token.to_string(),
                            o.title.to_vec(),
                            o.text.to_vec(),
                        )
                    })
                    .collect();
                assert_eq!(got, by_sorting(&d, shards), "{title} / {text} / {shards}");
            }
        }
    }

    #[test]
    fn a_token_has_the_id_it_was_read_with_and_no_other_token_has_it() {
        let letters = ['会', '議', 'ー', '𠮷', 'é', 'ｱ'];
        let mut keys: Vec<(String, Key)> = Vec::new();
        for a in letters {
            keys.push((a.to_string(), Key::One(a)));
            for b in letters {
                keys.push((format!("{a}{b}"), Key::Pair(a, b)));
            }
        }
        for w in ["ab", "abcdefgh", "abcdefghi", "12", "iso13485", "a\u{7f}"] {
            keys.push((w.to_string(), Key::Word(w)));
        }
        let id = |t: TokenId| match t {
            TokenId::Short(k) => format!("s{k}"),
            TokenId::Long(t) => format!("l{t}"),
        };
        let mut seen = std::collections::HashMap::new();
        for (text, key) in &keys {
            assert_eq!(id(key.id()), id(TokenId::of(text)), "{text}");
            if let Some(other) = seen.insert(id(key.id()), text) {
                panic!("{text} and {other} share an id");
            }
        }
    }

    #[test]
    fn postings_encode_differences() {
        let mut p = TokenPostings::default();
        p.push(3, &[0], &[4, 10]);
        p.push(7, &[], &[2]);
        assert_eq!(p.numbers(), vec![3, 1, 0, 2, 4, 6, 4, 0, 1, 2]);
        assert_eq!(p.docs(), vec![3, 7]);
        // Source-map VLQ: 0..15 one digit (the low bit is the sign), 16 on two.
        p.push(23, &[], &[]);
        assert_eq!(p.as_str(), "GCAEIMIACEgBAA");
        // Every size of number, up to the largest offset, as the crate reads it back.
        let mut p = TokenPostings::default();
        let big = [
            0,
            1,
            15,
            16,
            31,
            32,
            511,
            512,
            1 << 20,
            (1 << 31) - 1,
            u32::MAX,
        ];
        p.push(u32::MAX, &[], &big);
        let mut want = vec![u32::MAX, 0, big.len() as u32, 0];
        want.extend(big.windows(2).map(|w| w[1] - w[0]));
        assert_eq!(p.numbers(), want);
    }

    #[test]
    fn tokens_of_a_shard_are_found_by_shard() {
        let d = doc("デバイスラグ", "承認の迅速化 IMDRF");
        let t = doc_tokens(&d, 5);
        let all: Vec<Occurrences> = t.iter().collect();
        assert!(all
            .windows(2)
            .all(|w| (w[0].shard, w[0].token) < (w[1].shard, w[1].token)));
        for s in 0..5 {
            let want: Vec<&Occurrences> = all.iter().filter(|o| o.shard == s).collect();
            let got: Vec<Occurrences> = t.of_shard(s).collect();
            assert_eq!(got.iter().collect::<Vec<_>>(), want, "shard {s}");
        }
    }
}
