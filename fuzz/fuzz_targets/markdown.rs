//! Any text as a Markdown body through Markdown, sanitising, linking and phrase breaks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    seisaku::fuzzing::markdown(data);
});
