//! Hashes: a fast one for cache keys within a process, and a fixed one for values that end
//! up in the output (they must be the same on every machine).

use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// A fast hash of `value`, for cache keys and signatures (never written to the output).
pub fn fx<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// FNV-1a of `bytes`: fixed and platform-independent, for values written to the output.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a of "a" (64-bit), from the function's specification.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
