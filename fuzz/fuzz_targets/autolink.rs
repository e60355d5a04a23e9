//! Any text as rendered HTML through the glossary linker: never panics, text is kept.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    seisaku::fuzzing::autolink(data);
});
