//! Any bytes as a content file of any kind: the loader reports, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    seisaku::fuzzing::content_parser(data);
});
