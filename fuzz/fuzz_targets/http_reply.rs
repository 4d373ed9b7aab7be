#![no_main]
//! See `passteam_fuzz::http_reply` for what this target feeds and checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| passteam_fuzz::http_reply(data));
