//! Reading arguments out of `tVariant` and writing results into it.

use super::memory::Memory;
use super::types::{vt, TVariant};

/// An argument as the platform passed it, borrowed for the duration of the call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// `VTYPE_EMPTY` / `VTYPE_NULL`: 1C's `Неопределено` / `NULL`, or an omitted argument.
    Empty,
    Bool(bool),
    /// Any integer type (1C passes whole numbers as I4).
    Int(i64),
    /// R4 / R8 (1C passes other numbers as R8).
    Double(f64),
    /// UTF-16 text (`VTYPE_PWSTR`); a NULL pointer with length 0 is the empty string.
    Wide(&'a [u16]),
    /// 8-bit text (`VTYPE_PSTR`), taken as UTF-8.
    Narrow(&'a [u8]),
    /// Anything else (dates, blobs, interfaces...), or a malformed string: the type code, for messages.
    Other(u16),
}

impl Arg<'_> {
    /// Reads a variant.
    ///
    /// # Safety
    /// `v` is a `tVariant` whose string pointers, if any, are valid for their stated length.
    pub unsafe fn read(v: &TVariant) -> Arg<'_> {
        let value = &v.value;
        match v.vt {
            vt::EMPTY | vt::NULL => Arg::Empty,
            vt::BOOL => Arg::Bool(value.bool_byte != 0),
            vt::I1 => Arg::Int(value.i8.into()),
            vt::I2 => Arg::Int(value.i16.into()),
            vt::I4 | vt::INT | vt::ERROR => Arg::Int(value.i32.into()),
            vt::I8 => Arg::Int(value.i64),
            vt::UI1 => Arg::Int(value.u8.into()),
            vt::UI2 => Arg::Int(value.u16.into()),
            vt::UI4 | vt::UINT => Arg::Int(value.u32.into()),
            vt::UI8 => i64::try_from(value.u64).map_or(Arg::Double(value.u64 as f64), Arg::Int),
            vt::R4 => Arg::Double(value.f32.into()),
            vt::R8 => Arg::Double(value.f64),
            vt::PWSTR => {
                let s = value.wstr;
                match (s.ptr.is_null(), s.len) {
                    (_, 0) => Arg::Wide(&[]),
                    (true, _) => Arg::Other(vt::PWSTR),
                    (false, len) => Arg::Wide(std::slice::from_raw_parts(s.ptr, len as usize)),
                }
            }
            vt::PSTR => {
                let s = value.str;
                match (s.ptr.is_null(), s.len) {
                    (_, 0) => Arg::Narrow(&[]),
                    (true, _) => Arg::Other(vt::PSTR),
                    (false, len) => Arg::Narrow(std::slice::from_raw_parts(s.ptr.cast::<u8>(), len as usize)),
                }
            }
            other => Arg::Other(other),
        }
    }

    /// 1C's name of the type, for error messages ("Строка", "Число"...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Arg::Empty => "Неопределено (Undefined)",
            Arg::Bool(_) => "Булево (Boolean)",
            Arg::Int(_) | Arg::Double(_) => "Число (Number)",
            Arg::Wide(_) | Arg::Narrow(_) => "Строка (String)",
            Arg::Other(vt::DATE | vt::TM) => "Дата (Date)",
            Arg::Other(vt::BLOB) => "ДвоичныеДанные (BinaryData)",
            Arg::Other(_) => "an unsupported type",
        }
    }
}

/// A value handed back to the platform.
#[derive(Debug, Clone, PartialEq)]
pub enum Value1C {
    /// `Неопределено`.
    Empty,
    Bool(bool),
    Int(i32),
    Text(String),
}

impl Value1C {
    /// Writes the value into `out`, allocating text with the platform's memory manager. Returns false
    /// (and leaves `out` empty) when the allocation fails.
    ///
    /// `out` is taken as empty: the platform passes fresh variants for results and owns any previous
    /// content, so nothing in it is freed here.
    pub fn write(&self, memory: &Memory, out: &mut TVariant) -> bool {
        out.elements = 0;
        match self {
            Value1C::Empty => out.vt = vt::EMPTY,
            Value1C::Bool(b) => {
                out.value.u64 = 0;
                out.value.bool_byte = u8::from(*b);
                out.vt = vt::BOOL;
            }
            Value1C::Int(i) => {
                out.value.u64 = 0;
                out.value.i32 = *i;
                out.vt = vt::I4;
            }
            Value1C::Text(text) => {
                let Some((ptr, len)) = memory.wide_string(text) else {
                    out.vt = vt::EMPTY;
                    return false;
                };
                out.value.wstr.ptr = ptr.as_ptr();
                out.value.wstr.len = len as u32;
                out.vt = vt::PWSTR;
            }
        }
        true
    }
}
