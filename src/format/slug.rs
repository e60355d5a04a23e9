//! Slugs: readable, stable URL segments.
//!
//! An explicit `slug` wins; an ASCII id is used as it is; anything else gets a deterministic
//! `x-` + hash fallback that is never percent-encoded and the same on every build.

use super::nfkc;

/// Whether `s` is a valid URL segment of lower-case ASCII letters, digits and `-`.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The slug for an entity with id `id` and an optional explicit slug.
pub fn slug_for(id: &str, explicit: Option<&str>) -> String {
    if let Some(s) = explicit {
        return s.to_string();
    }
    let lowered = nfkc(id).to_lowercase();
    let ascii: String = lowered
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if ascii.len() >= 2 && lowered.is_ascii() {
        return ascii;
    }
    // Non-ASCII ids: FNV-1a of the NFKC form, stable across builds and platforms.
    let h = super::hash::fnv1a(nfkc(id).as_bytes());
    if ascii.is_empty() {
        format!("x-{:08x}", h as u32)
    } else {
        format!("{ascii}-{:08x}", h as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_ids_are_their_own_slug() {
        assert_eq!(slug_for("plan2-goal-01", None), "plan2-goal-01");
        assert_eq!(slug_for("IMDRF", None), "imdrf");
        assert_eq!(slug_for("Ｉ Ｍ_DRF", None), "i-m-drf");
    }

    #[test]
    fn explicit_slug_wins() {
        assert_eq!(slug_for("x", Some("custom")), "custom");
    }

    #[test]
    fn japanese_ids_get_a_stable_readable_fallback() {
        let a = slug_for("医療機器", None);
        assert!(a.starts_with("x-") && is_valid(&a), "{a}");
        assert_eq!(a, slug_for("医療機器", None));
        assert_ne!(a, slug_for("医療機器等", None));
        assert!(!a.contains('%'));
        assert!(slug_for("SaMD相談", None).starts_with("samd-"));
    }
}
