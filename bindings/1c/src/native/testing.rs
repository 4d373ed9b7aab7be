//! Test doubles of the platform's objects, built with the same C++ layout the platform uses, so that
//! unit tests drive the component through its real vtables.

use super::connection::{AddInDefBaseVTable, RawAddInDefBase};
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

/// An `IAddInDefBase` that records `AddError` calls as (code, source, description, scode), the event
/// buffer depth, and `ExternalEvent` calls as (source, message, data). `ExternalEvent` may come from
/// another thread (the webhook receiver's), hence the mutex.
#[repr(C)]
pub struct FakeConnection {
    vtable: &'static AddInDefBaseVTable,
    pub errors: RefCell<Vec<(c_ushort, String, String, c_long)>>,
    pub depth: std::sync::Mutex<c_long>,
    pub events: std::sync::Mutex<Vec<(String, String, String)>>,
}

/// # Safety
/// `p` is a NUL-terminated UTF-16 string.
unsafe fn fake_text(p: *const u16) -> String {
    String::from_utf16(super::text::wide_z(p).unwrap()).unwrap()
}

unsafe extern "system" fn fake_add_error(
    this: *mut RawAddInDefBase,
    code: c_ushort,
    source: *const u16,
    description: *const u16,
    scode: c_long,
) -> bool {
    let this = this.cast::<FakeConnection>();
    (*this).errors.borrow_mut().push((code, fake_text(source), fake_text(description), scode));
    true
}

unsafe extern "system" fn fake_set_depth(this: *mut RawAddInDefBase, depth: c_long) -> bool {
    *(*this.cast::<FakeConnection>()).depth.lock().unwrap() = depth;
    true
}

unsafe extern "system" fn fake_external_event(
    this: *mut RawAddInDefBase,
    source: *mut u16,
    message: *mut u16,
    data: *mut u16,
) -> bool {
    let event = (fake_text(source), fake_text(message), fake_text(data));
    (*this.cast::<FakeConnection>()).events.lock().unwrap().push(event);
    true
}

static CONNECTION_VTABLE: AddInDefBaseVTable = AddInDefBaseVTable {
    dtor: 0,
    #[cfg(target_family = "unix")]
    dtor2: 0,
    add_error: fake_add_error,
    read: 0,
    write: 0,
    register_profile_as: 0,
    set_event_buffer_depth: fake_set_depth,
    get_event_buffer_depth: 0,
    external_event: fake_external_event,
};

impl FakeConnection {
    pub fn new() -> Box<FakeConnection> {
        Box::new(FakeConnection {
            vtable: &CONNECTION_VTABLE,
            errors: RefCell::default(),
            depth: std::sync::Mutex::new(1),
            events: std::sync::Mutex::default(),
        })
    }

    pub fn as_ptr(&self) -> *mut c_void {
        (self as *const FakeConnection).cast_mut().cast()
    }
}

/// A NUL-terminated UTF-16 copy of `text`.
pub fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}
