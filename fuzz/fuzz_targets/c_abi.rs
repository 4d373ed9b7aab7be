#![no_main]
//! See `passteam_fuzz::c_abi` for what this target feeds and checks.

libfuzzer_sys::fuzz_target!(init: passteam_fuzz::c_abi_warm_up(), |data: &[u8]| passteam_fuzz::c_abi(data));
