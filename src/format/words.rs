//! Looking at text eight bytes at a time: whether a 64-bit word of it holds a byte of a few
//! kinds, so that scans for the rare bytes that need escaping step over the runs without any
//! (most of a Japanese text, whose characters are bytes of 0x80 and above).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` from `at` as one word, if there are eight.
#[inline(always)]
pub fn word_at(b: &[u8], at: usize) -> Option<u64> {
    let w = b.get(at..at + 8)?;
    // Eight bytes: the slice has exactly that length.
    Some(u64::from_le_bytes(w.try_into().expect("eight bytes")))
}

/// Not zero when a byte of `w` is below `n` (`n` at most 128; exact for the word as a whole,
/// though not for which byte). Masks of several tests are joined with `|` and tested once.
#[inline(always)]
pub const fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * n as u64) & !w & HIGHS
}

/// Not zero when a byte of `w` is `b`.
#[inline(always)]
pub const fn equal(w: u64, b: u8) -> u64 {
    below(w ^ (ONES * b as u64), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_holds_a_byte_exactly_when_one_of_its_bytes_is_it() {
        // Every byte value at every place, among bytes around it that are or are not it.
        for b in 0..=255u8 {
            for place in 0..8 {
                for fill in [0u8, 0x1F, 0x20, 0x7F, 0x80, 0xE3, 0xFF, b.wrapping_add(1)] {
                    let mut bytes = [fill; 8];
                    bytes[place] = b;
                    let w = u64::from_le_bytes(bytes);
                    for probe in [b, fill, 0x22, 0x3C, 0xE2] {
                        assert_eq!(
                            equal(w, probe) != 0,
                            bytes.contains(&probe),
                            "{bytes:?} {probe}"
                        );
                    }
                    for n in [1u8, 0x20, 0x80] {
                        assert_eq!(
                            below(w, n) != 0,
                            bytes.iter().any(|x| *x < n),
                            "{bytes:?} {n}"
                        );
                    }
                }
            }
        }
        assert_eq!(
            word_at(b"12345678", 0),
            Some(u64::from_le_bytes(*b"12345678"))
        );
        assert_eq!(word_at(b"12345678", 1), None);
    }
}
