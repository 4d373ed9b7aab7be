//! The component object the platform sees: a C++-compatible `IComponentBase` built by hand.
//!
//! `IComponentBase` derives from four abstract classes (`IInitDoneBase`, `ILanguageExtenderBase`,
//! `LocaleBase`, `UserLanguageBase`), so the object starts with four vtable pointers and the platform
//! calls each method with `this` pointing at the vtable pointer of the base that declares it. Every
//! entry here therefore (1) recovers the object from `this` and the base's slot, (2) checks every
//! pointer and every property / method / parameter number, and (3) runs the add-in's code inside
//! `catch_unwind`: a panic must never unwind into the platform, it becomes a failed call.
//!
//! The add-in itself ([`Addin`]) sees only checked numbers, borrowed [`Arg`]s and returns [`Value1C`]s.

use super::connection::Connection;
use super::memory::Memory;
use super::text::{same_name, wide_z};
use super::types::TVariant;
use super::variant::{Arg, Value1C};
use std::ffi::{c_long, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// The English and Russian names of a property or method. The platform asks for them by "alias":
/// 0 = English, 1 = Russian (the 1C template's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub english: String,
    pub russian: String,
}

/// What a component implements. Numbers passed in are already checked against the counts, so an
/// implementation may index its tables directly.
pub trait Addin {
    /// `Init`: the platform's interface (None if it passed NULL). Return false to refuse.
    fn init(&mut self, connection: Option<Connection>) -> bool;
    /// `Done`: the platform is finished with the object (the interface becomes invalid).
    fn done(&mut self);
    /// `RegisterExtensionAs`.
    fn extension_name(&self) -> &str;
    fn props(&self) -> &[Names];
    fn methods(&self) -> &[Names];
    fn prop_readable(&self, num: usize) -> bool;
    fn prop_writable(&self, num: usize) -> bool;
    /// `None` fails the read.
    fn get_prop(&mut self, num: usize) -> Option<Value1C>;
    /// `false` fails the write (after reporting the error, if the add-in wants an exception).
    fn set_prop(&mut self, num: usize, value: Arg<'_>) -> bool;
    fn param_count(&self, method: usize) -> usize;
    /// The value of an omitted parameter; `None` = the parameter is required.
    fn param_default(&self, method: usize, param: usize) -> Option<Value1C>;
    fn has_ret_val(&self, method: usize) -> bool;
    /// `CallAsFunc` / `CallAsProc`. `args` may be shorter than `param_count` (missing = omitted).
    /// `None` fails the call.
    fn call(&mut self, method: usize, args: &[Arg<'_>]) -> Option<Value1C>;
    /// A panic was caught in `entry` (the call fails); the add-in may record it. Itself guarded.
    fn on_panic(&mut self, entry: &'static str);
}

/// `GetInfo`: the Native API version the component is written for (2000 = 2.0: no static objects).
const INFO_VERSION: c_long = 2000;

type This = *mut c_void;

#[repr(C)]
struct InitDoneVTable {
    dtor: unsafe extern "system" fn(This),
    #[cfg(target_family = "unix")]
    dtor2: unsafe extern "system" fn(This),
    init: unsafe extern "system" fn(This, *mut c_void) -> bool,
    set_mem_manager: unsafe extern "system" fn(This, *mut c_void) -> bool,
    get_info: unsafe extern "system" fn(This) -> c_long,
    done: unsafe extern "system" fn(This),
}

#[repr(C)]
struct LanguageVTable {
    dtor: unsafe extern "system" fn(This),
    #[cfg(target_family = "unix")]
    dtor2: unsafe extern "system" fn(This),
    register_extension_as: unsafe extern "system" fn(This, *mut *mut u16) -> bool,
    get_n_props: unsafe extern "system" fn(This) -> c_long,
    find_prop: unsafe extern "system" fn(This, *const u16) -> c_long,
    get_prop_name: unsafe extern "system" fn(This, c_long, c_long) -> *const u16,
    get_prop_val: unsafe extern "system" fn(This, c_long, *mut TVariant) -> bool,
    set_prop_val: unsafe extern "system" fn(This, c_long, *mut TVariant) -> bool,
    is_prop_readable: unsafe extern "system" fn(This, c_long) -> bool,
    is_prop_writable: unsafe extern "system" fn(This, c_long) -> bool,
    get_n_methods: unsafe extern "system" fn(This) -> c_long,
    find_method: unsafe extern "system" fn(This, *const u16) -> c_long,
    get_method_name: unsafe extern "system" fn(This, c_long, c_long) -> *const u16,
    get_n_params: unsafe extern "system" fn(This, c_long) -> c_long,
    get_param_def_value: unsafe extern "system" fn(This, c_long, c_long, *mut TVariant) -> bool,
    has_ret_val: unsafe extern "system" fn(This, c_long) -> bool,
    call_as_proc: unsafe extern "system" fn(This, c_long, *mut TVariant, c_long) -> bool,
    call_as_func: unsafe extern "system" fn(This, c_long, *mut TVariant, *mut TVariant, c_long) -> bool,
}

/// `LocaleBase` and `UserLanguageBase` have the same shape: a destructor and one setter.
#[repr(C)]
struct SetterVTable {
    dtor: unsafe extern "system" fn(This),
    #[cfg(target_family = "unix")]
    dtor2: unsafe extern "system" fn(This),
    set: unsafe extern "system" fn(This, *const u16),
}

/// The object: four vtable pointers (one per base, in declaration order), then our state.
#[repr(C)]
pub struct Component<A: Addin> {
    init_done: &'static InitDoneVTable,
    language: &'static LanguageVTable,
    locale: &'static SetterVTable,
    user_language: &'static SetterVTable,
    memory: Option<Memory>,
    addin: A,
}

/// Slot of each base's vtable pointer in the object (in pointers).
const INIT_DONE: usize = 0;
const LANGUAGE: usize = 1;
const LOCALE: usize = 2;
const USER_LANGUAGE: usize = 3;

impl<A: Addin> Component<A> {
    const INIT_DONE_VTABLE: InitDoneVTable = InitDoneVTable {
        dtor: virtual_destructor,
        #[cfg(target_family = "unix")]
        dtor2: virtual_destructor,
        init: init::<A>,
        set_mem_manager: set_mem_manager::<A>,
        get_info: get_info::<A>,
        done: done::<A>,
    };
    const LANGUAGE_VTABLE: LanguageVTable = LanguageVTable {
        dtor: virtual_destructor,
        #[cfg(target_family = "unix")]
        dtor2: virtual_destructor,
        register_extension_as: register_extension_as::<A>,
        get_n_props: get_n_props::<A>,
        find_prop: find_prop::<A>,
        get_prop_name: get_prop_name::<A>,
        get_prop_val: get_prop_val::<A>,
        set_prop_val: set_prop_val::<A>,
        is_prop_readable: is_prop_readable::<A>,
        is_prop_writable: is_prop_writable::<A>,
        get_n_methods: get_n_methods::<A>,
        find_method: find_method::<A>,
        get_method_name: get_method_name::<A>,
        get_n_params: get_n_params::<A>,
        get_param_def_value: get_param_def_value::<A>,
        has_ret_val: has_ret_val::<A>,
        call_as_proc: call_as_proc::<A>,
        call_as_func: call_as_func::<A>,
    };
    const LOCALE_VTABLE: SetterVTable = SetterVTable {
        dtor: virtual_destructor,
        #[cfg(target_family = "unix")]
        dtor2: virtual_destructor,
        set: set_locale::<A, LOCALE>,
    };
    const USER_LANGUAGE_VTABLE: SetterVTable = SetterVTable {
        dtor: virtual_destructor,
        #[cfg(target_family = "unix")]
        dtor2: virtual_destructor,
        set: set_locale::<A, USER_LANGUAGE>,
    };

    /// Builds the object on the heap and returns the `IComponentBase*` for the platform.
    pub fn create(addin: A) -> *mut c_void {
        let component = Box::new(Component {
            init_done: &Self::INIT_DONE_VTABLE,
            language: &Self::LANGUAGE_VTABLE,
            locale: &Self::LOCALE_VTABLE,
            user_language: &Self::USER_LANGUAGE_VTABLE,
            memory: None,
            addin,
        });
        Box::into_raw(component).cast()
    }

    /// Frees an object made by [`Component::create`].
    ///
    /// # Safety
    /// `object` came from `create::<A>` and is not used afterwards.
    pub unsafe fn destroy(object: *mut c_void) {
        drop(Box::from_raw(object.cast::<Component<A>>()));
    }
}

/// The C++ virtual destructor slots. The platform never deletes the object through them (it calls
/// `DestroyObject`), so they do nothing rather than risk a double free.
unsafe extern "system" fn virtual_destructor(_this: This) {}

/// Runs `body` on the object behind `this` (a pointer to the vtable pointer in `slot`), with panics
/// caught: a panic gives `failed` and is reported to the add-in.
unsafe fn enter<A: Addin, R>(
    this: This,
    slot: usize,
    entry: &'static str,
    failed: R,
    body: impl FnOnce(&mut Component<A>) -> R,
) -> R {
    if this.is_null() {
        return failed;
    }
    let object = this.cast::<*const c_void>().sub(slot).cast::<Component<A>>();
    match catch_unwind(AssertUnwindSafe(|| body(&mut *object))) {
        Ok(result) => result,
        Err(_) => {
            let _ = catch_unwind(AssertUnwindSafe(|| (*object).addin.on_panic(entry)));
            failed
        }
    }
}

/// A checked index: `Some` only for 0 <= num < count.
fn index(num: c_long, count: usize) -> Option<usize> {
    usize::try_from(num).ok().filter(|n| *n < count)
}

fn name_of(names: &[Names], num: c_long, alias: c_long) -> Option<&str> {
    let entry = &names[index(num, names.len())?];
    match alias {
        0 => Some(&entry.english),
        1 => Some(&entry.russian),
        _ => None,
    }
}

fn find(names: &[Names], wanted: Option<&[u16]>) -> c_long {
    let Some(wanted) = wanted else { return -1 };
    names
        .iter()
        .position(|n| same_name(wanted, &n.english) || same_name(wanted, &n.russian))
        .map_or(-1, |i| i as c_long)
}

/// A name in platform memory (the platform frees it); NULL if there is no memory manager yet.
fn platform_string(memory: Option<Memory>, text: Option<&str>) -> *const u16 {
    match (memory, text) {
        (Some(memory), Some(text)) => memory.wide_string(text).map_or(ptr::null(), |(p, _)| p.as_ptr()),
        _ => ptr::null(),
    }
}

fn write(memory: Option<Memory>, value: &Value1C, out: *mut TVariant) -> bool {
    match (memory, unsafe { out.as_mut() }) {
        (Some(memory), Some(out)) => value.write(&memory, out),
        _ => false,
    }
}

/// The arguments of a call; `None` if the array is NULL while non-empty, or the count is negative.
unsafe fn args<'a>(params: *mut TVariant, count: c_long) -> Option<Vec<Arg<'a>>> {
    let count = usize::try_from(count).ok()?;
    if count == 0 {
        return Some(Vec::new());
    }
    if params.is_null() {
        return None;
    }
    Some((0..count).map(|i| Arg::read(&*params.add(i))).collect())
}

unsafe extern "system" fn init<A: Addin>(this: This, connection: *mut c_void) -> bool {
    enter::<A, _>(this, INIT_DONE, "Init", false, |c| c.addin.init(Connection::from_ptr(connection)))
}

unsafe extern "system" fn set_mem_manager<A: Addin>(this: This, memory: *mut c_void) -> bool {
    enter::<A, _>(this, INIT_DONE, "setMemManager", false, |c| {
        c.memory = Memory::from_ptr(memory);
        c.memory.is_some()
    })
}

unsafe extern "system" fn get_info<A: Addin>(this: This) -> c_long {
    enter::<A, _>(this, INIT_DONE, "GetInfo", INFO_VERSION, |_| INFO_VERSION)
}

unsafe extern "system" fn done<A: Addin>(this: This) {
    enter::<A, _>(this, INIT_DONE, "Done", (), |c| c.addin.done())
}

unsafe extern "system" fn register_extension_as<A: Addin>(this: This, out: *mut *mut u16) -> bool {
    enter::<A, _>(this, LANGUAGE, "RegisterExtensionAs", false, |c| {
        if out.is_null() {
            return false;
        }
        let name = platform_string(c.memory, Some(c.addin.extension_name()));
        *out = name.cast_mut();
        !name.is_null()
    })
}

unsafe extern "system" fn get_n_props<A: Addin>(this: This) -> c_long {
    enter::<A, _>(this, LANGUAGE, "GetNProps", 0, |c| c.addin.props().len() as c_long)
}

unsafe extern "system" fn find_prop<A: Addin>(this: This, name: *const u16) -> c_long {
    enter::<A, _>(this, LANGUAGE, "FindProp", -1, |c| find(c.addin.props(), wide_z(name)))
}

unsafe extern "system" fn get_prop_name<A: Addin>(this: This, num: c_long, alias: c_long) -> *const u16 {
    enter::<A, _>(this, LANGUAGE, "GetPropName", ptr::null(), |c| {
        platform_string(c.memory, name_of(c.addin.props(), num, alias))
    })
}

unsafe extern "system" fn get_prop_val<A: Addin>(this: This, num: c_long, out: *mut TVariant) -> bool {
    enter::<A, _>(this, LANGUAGE, "GetPropVal", false, |c| {
        let Some(num) = index(num, c.addin.props().len()) else { return false };
        if out.is_null() || !c.addin.prop_readable(num) {
            return false;
        }
        c.addin.get_prop(num).is_some_and(|value| write(c.memory, &value, out))
    })
}

unsafe extern "system" fn set_prop_val<A: Addin>(this: This, num: c_long, value: *mut TVariant) -> bool {
    enter::<A, _>(this, LANGUAGE, "SetPropVal", false, |c| {
        let Some(num) = index(num, c.addin.props().len()) else { return false };
        if value.is_null() || !c.addin.prop_writable(num) {
            return false;
        }
        c.addin.set_prop(num, Arg::read(&*value))
    })
}

unsafe extern "system" fn is_prop_readable<A: Addin>(this: This, num: c_long) -> bool {
    enter::<A, _>(this, LANGUAGE, "IsPropReadable", false, |c| {
        index(num, c.addin.props().len()).is_some_and(|n| c.addin.prop_readable(n))
    })
}

unsafe extern "system" fn is_prop_writable<A: Addin>(this: This, num: c_long) -> bool {
    enter::<A, _>(this, LANGUAGE, "IsPropWritable", false, |c| {
        index(num, c.addin.props().len()).is_some_and(|n| c.addin.prop_writable(n))
    })
}

unsafe extern "system" fn get_n_methods<A: Addin>(this: This) -> c_long {
    enter::<A, _>(this, LANGUAGE, "GetNMethods", 0, |c| c.addin.methods().len() as c_long)
}

unsafe extern "system" fn find_method<A: Addin>(this: This, name: *const u16) -> c_long {
    enter::<A, _>(this, LANGUAGE, "FindMethod", -1, |c| find(c.addin.methods(), wide_z(name)))
}

unsafe extern "system" fn get_method_name<A: Addin>(this: This, num: c_long, alias: c_long) -> *const u16 {
    enter::<A, _>(this, LANGUAGE, "GetMethodName", ptr::null(), |c| {
        platform_string(c.memory, name_of(c.addin.methods(), num, alias))
    })
}

unsafe extern "system" fn get_n_params<A: Addin>(this: This, num: c_long) -> c_long {
    enter::<A, _>(this, LANGUAGE, "GetNParams", 0, |c| {
        index(num, c.addin.methods().len()).map_or(0, |n| c.addin.param_count(n) as c_long)
    })
}

unsafe extern "system" fn get_param_def_value<A: Addin>(
    this: This,
    num: c_long,
    param: c_long,
    out: *mut TVariant,
) -> bool {
    enter::<A, _>(this, LANGUAGE, "GetParamDefValue", false, |c| {
        let Some(num) = index(num, c.addin.methods().len()) else { return false };
        let Some(param) = index(param, c.addin.param_count(num)) else { return false };
        c.addin.param_default(num, param).is_some_and(|value| write(c.memory, &value, out))
    })
}

unsafe extern "system" fn has_ret_val<A: Addin>(this: This, num: c_long) -> bool {
    enter::<A, _>(this, LANGUAGE, "HasRetVal", false, |c| {
        index(num, c.addin.methods().len()).is_some_and(|n| c.addin.has_ret_val(n))
    })
}

unsafe extern "system" fn call_as_proc<A: Addin>(
    this: This,
    num: c_long,
    params: *mut TVariant,
    count: c_long,
) -> bool {
    enter::<A, _>(this, LANGUAGE, "CallAsProc", false, |c| {
        let Some(num) = index(num, c.addin.methods().len()) else { return false };
        let Some(args) = args(params, count) else { return false };
        c.addin.call(num, &args).is_some()
    })
}

unsafe extern "system" fn call_as_func<A: Addin>(
    this: This,
    num: c_long,
    ret: *mut TVariant,
    params: *mut TVariant,
    count: c_long,
) -> bool {
    enter::<A, _>(this, LANGUAGE, "CallAsFunc", false, |c| {
        let Some(num) = index(num, c.addin.methods().len()) else { return false };
        let Some(args) = args(params, count) else { return false };
        if ret.is_null() {
            return false;
        }
        c.addin.call(num, &args).is_some_and(|value| write(c.memory, &value, ret))
    })
}

/// `SetLocale` / `SetUserInterfaceLanguageCode`: messages come from the core in one language, so the
/// locale is not needed; the entry exists because the vtable must have it.
unsafe extern "system" fn set_locale<A: Addin, const SLOT: usize>(this: This, _locale: *const u16) {
    enter::<A, _>(this, SLOT, "SetLocale", (), |_| ())
}

#[cfg(test)]
#[path = "component_tests.rs"]
mod tests;
