//! Test doubles of the platform's objects, built with the same C++ layout the platform uses, so that
//! unit tests drive the component through its real vtables.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_long, c_ulong, c_ushort, c_void};

#[repr(C)]
struct MemoryVTable {
    dtor: usize,
    #[cfg(target_family = "unix")]
    dtor2: usize,
    alloc: unsafe extern "system" fn(*mut FakeMemory, *mut *mut c_void, c_ulong) -> bool,
    free: unsafe extern "system" fn(*mut FakeMemory, *mut *mut c_void),
}

/// A memory manager that owns every block it hands out and counts them.
#[repr(C)]
pub struct FakeMemory {
    vtable: &'static MemoryVTable,
    blocks: RefCell<HashMap<usize, Box<[u16]>>>,
    pub bad_frees: RefCell<usize>,
}

unsafe extern "system" fn fake_alloc(this: *mut FakeMemory, out: *mut *mut c_void, bytes: c_ulong) -> bool {
    let mut block = vec![0u16; (bytes as usize).div_ceil(2).max(1)].into_boxed_slice();
    *out = block.as_mut_ptr().cast();
    (*this).blocks.borrow_mut().insert(*out as usize, block);
    true
}

unsafe extern "system" fn fake_free(this: *mut FakeMemory, ptr: *mut *mut c_void) {
    if (*this).blocks.borrow_mut().remove(&(*ptr as usize)).is_none() {
        *(*this).bad_frees.borrow_mut() += 1;
    }
    *ptr = std::ptr::null_mut();
}

static MEMORY_VTABLE: MemoryVTable = MemoryVTable {
    dtor: 0,
    #[cfg(target_family = "unix")]
    dtor2: 0,
    alloc: fake_alloc,
    free: fake_free,
};

impl FakeMemory {
    pub fn new() -> Box<FakeMemory> {
        Box::new(FakeMemory {
            vtable: &MEMORY_VTABLE,
            blocks: RefCell::default(),
            bad_frees: RefCell::new(0),
        })
    }

    pub fn as_ptr(&self) -> *mut c_void {
        (self as *const FakeMemory).cast_mut().cast()
    }

    /// Blocks handed out and not yet freed.
    pub fn live(&self) -> usize {
        self.blocks.borrow().len()
    }

    /// Reads a NUL-terminated string the component allocated here, and frees it as the platform would.
    pub fn take_string(&self, ptr: *const u16) -> String {
        assert!(!ptr.is_null());
        let block =
            self.blocks.borrow_mut().remove(&(ptr as usize)).expect("allocated by the memory manager");
        let len = block.iter().position(|u| *u == 0).expect("NUL-terminated");
        String::from_utf16(&block[..len]).unwrap()
    }
}

#[repr(C)]
struct ConnectionVTable {
    dtor: usize,
    #[cfg(target_family = "unix")]
    dtor2: usize,
    add_error:
        unsafe extern "system" fn(*mut FakeConnection, c_ushort, *const u16, *const u16, c_long) -> bool,
}

/// An `IAddInDefBase` that records `AddError` calls as (code, source, description, scode).
#[repr(C)]
pub struct FakeConnection {
    vtable: &'static ConnectionVTable,
    pub errors: RefCell<Vec<(c_ushort, String, String, c_long)>>,
}

unsafe extern "system" fn fake_add_error(
    this: *mut FakeConnection,
    code: c_ushort,
    source: *const u16,
    description: *const u16,
    scode: c_long,
) -> bool {
    let text = |p: *const u16| String::from_utf16(super::text::wide_z(p).unwrap()).unwrap();
    (*this).errors.borrow_mut().push((code, text(source), text(description), scode));
    true
}

static CONNECTION_VTABLE: ConnectionVTable = ConnectionVTable {
    dtor: 0,
    #[cfg(target_family = "unix")]
    dtor2: 0,
    add_error: fake_add_error,
};

impl FakeConnection {
    pub fn new() -> Box<FakeConnection> {
        Box::new(FakeConnection { vtable: &CONNECTION_VTABLE, errors: RefCell::default() })
    }

    pub fn as_ptr(&self) -> *mut c_void {
        (self as *const FakeConnection).cast_mut().cast()
    }
}

/// A NUL-terminated UTF-16 copy of `text`.
pub fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}
