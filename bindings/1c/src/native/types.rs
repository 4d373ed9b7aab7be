//! The data types of the 1C Native API (`types.h`): `tVariant` and its type codes.
//!
//! Layout follows the platform's public header as the `addin1c` crate mirrors it: a union as large as
//! `struct tm`, then `cbElements` (u32) and `vt` (u16). On Linux x86-64 that is 64 bytes; on Windows
//! (x86 and x64, where `struct tm` has no `tm_gmtoff` / `tm_zone`) 48.

#[cfg(target_family = "unix")]
use std::ffi::c_long;
use std::ffi::{c_char, c_int, c_void};

/// `struct tm` as the C library of the platform declares it (it sizes the union).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Tm {
    pub sec: c_int,
    pub min: c_int,
    pub hour: c_int,
    pub mday: c_int,
    pub mon: c_int,
    pub year: c_int,
    pub wday: c_int,
    pub yday: c_int,
    pub isdst: c_int,
    #[cfg(target_family = "unix")]
    pub gmtoff: c_long,
    #[cfg(target_family = "unix")]
    pub zone: *const c_char,
}

/// `{ WCHAR_T* pwstrVal; uint32_t wstrLen; }` (length in UTF-16 units, no terminator counted).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WideStr {
    pub ptr: *mut u16,
    pub len: u32,
}

/// `{ char* pstrVal; uint32_t strLen; }` (also used for BLOB).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct NarrowStr {
    pub ptr: *mut c_char,
    pub len: u32,
}

/// `{ void* pInterfaceVal; IID InterfaceID; }`: never used, but part of the union's size on some targets.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Interface {
    pub ptr: *mut c_void,
    pub iid: [u32; 4],
}

/// The value part of `tVariant`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union VariantValue {
    pub i8: i8,
    pub i16: i16,
    pub i32: i32,
    pub i64: i64,
    pub u8: u8,
    pub u16: u16,
    pub u32: u32,
    pub u64: u64,
    pub f32: f32,
    pub f64: f64,
    /// C++ `bool` is one byte; read it as `u8` so that a byte other than 0/1 is not undefined behaviour.
    pub bool_byte: u8,
    pub tm: Tm,
    pub wstr: WideStr,
    pub str: NarrowStr,
    pub iface: Interface,
}

/// `tVariant`.
#[repr(C)]
pub struct TVariant {
    pub value: VariantValue,
    pub elements: u32,
    pub vt: u16,
}

/// The `VTYPE_*` codes (`enum VARENUM`), all of them, as the header lists them.
#[allow(dead_code)]
pub mod vt {
    pub const EMPTY: u16 = 0;
    pub const NULL: u16 = 1;
    pub const I2: u16 = 2;
    pub const I4: u16 = 3;
    pub const R4: u16 = 4;
    pub const R8: u16 = 5;
    pub const DATE: u16 = 6;
    pub const TM: u16 = 7;
    pub const PSTR: u16 = 8;
    pub const INTERFACE: u16 = 9;
    pub const ERROR: u16 = 10;
    pub const BOOL: u16 = 11;
    pub const VARIANT: u16 = 12;
    pub const I1: u16 = 13;
    pub const UI1: u16 = 14;
    pub const UI2: u16 = 15;
    pub const UI4: u16 = 16;
    pub const I8: u16 = 17;
    pub const UI8: u16 = 18;
    pub const INT: u16 = 19;
    pub const UINT: u16 = 20;
    pub const HRESULT: u16 = 21;
    pub const PWSTR: u16 = 22;
    pub const BLOB: u16 = 23;
    pub const CLSID: u16 = 24;
    pub const ILLEGAL: u16 = 0xFFFF;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    fn layout_matches_the_platform_header_on_linux_x86_64() {
        assert_eq!(size_of::<Tm>(), 56);
        assert_eq!(size_of::<VariantValue>(), 56);
        assert_eq!(offset_of!(TVariant, elements), 56);
        assert_eq!(offset_of!(TVariant, vt), 60);
        assert_eq!(size_of::<TVariant>(), 64);
        assert_eq!(offset_of!(WideStr, len), 8);
    }

    /// MSVC's layout, x86 and x64 alike: `struct tm` is nine ints (36 bytes), the union is padded to the
    /// 8-byte alignment of its doubles and 64-bit integers.
    #[test]
    #[cfg(windows)]
    fn layout_matches_the_platform_header_on_windows() {
        assert_eq!(size_of::<Tm>(), 36);
        assert_eq!(size_of::<VariantValue>(), 40);
        assert_eq!(offset_of!(TVariant, elements), 40);
        assert_eq!(offset_of!(TVariant, vt), 44);
        assert_eq!(size_of::<TVariant>(), 48);
        assert_eq!(offset_of!(WideStr, len), size_of::<usize>());
    }
}
