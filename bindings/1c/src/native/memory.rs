//! The platform's memory manager (`IMemoryManager`): every string handed to 1C is allocated with it,
//! because the platform frees it with its own `FreeMemory`.

use std::ffi::{c_ulong, c_void};
use std::ptr::{self, NonNull};

#[repr(C)]
struct MemoryManagerVTable {
    // The C++ virtual destructor: two slots in the Itanium ABI (Linux), one in MSVC.
    dtor: usize,
    #[cfg(target_family = "unix")]
    dtor2: usize,
    alloc_memory: unsafe extern "system" fn(*mut RawMemoryManager, *mut *mut c_void, c_ulong) -> bool,
    free_memory: unsafe extern "system" fn(*mut RawMemoryManager, *mut *mut c_void),
}

/// The C++ object: a pointer to its vtable.
#[repr(C)]
pub struct RawMemoryManager {
    vtable: *const MemoryManagerVTable,
}

/// A handle on the platform's memory manager, valid from `setMemManager` until the object is destroyed.
#[derive(Clone, Copy)]
pub struct Memory(NonNull<RawMemoryManager>);

impl Memory {
    /// Wraps the pointer passed to `setMemManager`; `None` for NULL.
    ///
    /// # Safety
    /// `ptr` is NULL or a live `IMemoryManager` that outlives every use of the handle.
    pub unsafe fn from_ptr(ptr: *mut c_void) -> Option<Memory> {
        NonNull::new(ptr.cast::<RawMemoryManager>()).filter(|m| !(*m.as_ptr()).vtable.is_null()).map(Memory)
    }

    /// Allocates `units` UTF-16 code units plus a NUL terminator; `None` when the platform refuses or the
    /// size does not fit its `unsigned long` (or the 32-bit length of a `tVariant` string).
    pub fn alloc_wide(&self, units: usize) -> Option<NonNull<u16>> {
        if units >= u32::MAX as usize / 2 {
            return None;
        }
        let bytes = c_ulong::try_from((units + 1) * 2).ok()?;
        let mut out: *mut c_void = ptr::null_mut();
        // SAFETY: the handle points to a live memory manager (contract of `from_ptr`).
        let ok = unsafe { ((*(*self.0.as_ptr()).vtable).alloc_memory)(self.0.as_ptr(), &mut out, bytes) };
        if ok {
            NonNull::new(out.cast::<u16>())
        } else {
            None
        }
    }

    /// Copies `text` into platform memory as a NUL-terminated UTF-16 string; returns it and its length
    /// in units (without the terminator).
    pub fn wide_string(&self, text: &str) -> Option<(NonNull<u16>, usize)> {
        let units = text.encode_utf16().count();
        let buf = self.alloc_wide(units)?;
        // SAFETY: `buf` holds `units + 1` u16 values, written once each below.
        unsafe {
            for (i, unit) in text.encode_utf16().enumerate() {
                buf.as_ptr().add(i).write(unit);
            }
            buf.as_ptr().add(units).write(0);
        }
        Some((buf, units))
    }
}
