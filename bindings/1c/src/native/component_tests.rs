//! Drives a component through its vtables as the platform does: guards, index checks, names, values.

use super::*;
use crate::native::testing::{wide, FakeConnection, FakeMemory};
use crate::native::types::vt;
use std::cell::Cell;

/// A live object and the `this` pointer of each base.
struct Object<A: Addin> {
    ptr: *mut c_void,
    _addin: std::marker::PhantomData<A>,
}

impl<A: Addin> Object<A> {
    fn new(addin: A) -> Self {
        Object { ptr: Component::create(addin), _addin: std::marker::PhantomData }
    }
    fn this(&self, slot: usize) -> This {
        unsafe { self.ptr.cast::<*const c_void>().add(slot).cast() }
    }
    fn component(&self) -> &Component<A> {
        unsafe { &*self.ptr.cast::<Component<A>>() }
    }
    fn init_done(&self) -> &'static InitDoneVTable {
        self.component().init_done
    }
    fn lang(&self) -> &'static LanguageVTable {
        self.component().language
    }
    fn l(&self) -> This {
        self.this(LANGUAGE)
    }
}

impl<A: Addin> Drop for Object<A> {
    fn drop(&mut self) {
        unsafe { Component::<A>::destroy(self.ptr) }
    }
}

fn empty_variant() -> TVariant {
    TVariant { value: crate::native::types::VariantValue { u64: 0 }, elements: 0, vt: vt::EMPTY }
}

/// Panics in every method; counts the panics it is told about.
struct PanicAddin {
    caught: Cell<usize>,
}

impl Addin for PanicAddin {
    fn init(&mut self, _: Option<Connection>) -> bool {
        panic!("init")
    }
    fn done(&mut self) {
        panic!("done")
    }
    fn extension_name(&self) -> &str {
        panic!("extension_name")
    }
    fn props(&self) -> &[Names] {
        panic!("props")
    }
    fn methods(&self) -> &[Names] {
        panic!("methods")
    }
    fn prop_readable(&self, _: usize) -> bool {
        panic!()
    }
    fn prop_writable(&self, _: usize) -> bool {
        panic!()
    }
    fn get_prop(&mut self, _: usize) -> Option<Value1C> {
        panic!()
    }
    fn set_prop(&mut self, _: usize, _: Arg<'_>) -> bool {
        panic!()
    }
    fn param_count(&self, _: usize) -> usize {
        panic!()
    }
    fn param_default(&self, _: usize, _: usize) -> Option<Value1C> {
        panic!()
    }
    fn has_ret_val(&self, _: usize) -> bool {
        panic!()
    }
    fn call(&mut self, _: usize, _: &[Arg<'_>]) -> Option<Value1C> {
        panic!()
    }
    fn on_panic(&mut self, _: &'static str) {
        self.caught.set(self.caught.get() + 1);
        // A panic while reporting a panic must be contained too.
        panic!("on_panic")
    }
}

#[test]
fn a_panic_in_any_entry_becomes_a_failed_call() {
    let memory = FakeMemory::new();
    let object = Object::new(PanicAddin { caught: Cell::new(0) });
    let (i, l) = (object.init_done(), object.lang());
    let name = wide("X");
    let mut v = empty_variant();
    let mut out: *mut u16 = ptr::null_mut();
    unsafe {
        assert!((i.set_mem_manager)(object.this(INIT_DONE), memory.as_ptr()));
        assert!(!(i.init)(object.this(INIT_DONE), ptr::null_mut()));
        assert_eq!((i.get_info)(object.this(INIT_DONE)), 2000);
        (i.done)(object.this(INIT_DONE));
        assert!(!(l.register_extension_as)(object.l(), &mut out));
        assert_eq!((l.get_n_props)(object.l()), 0);
        assert_eq!((l.find_prop)(object.l(), name.as_ptr()), -1);
        assert!((l.get_prop_name)(object.l(), 0, 0).is_null());
        assert!(!(l.get_prop_val)(object.l(), 0, &mut v));
        assert!(!(l.set_prop_val)(object.l(), 0, &mut v));
        assert!(!(l.is_prop_readable)(object.l(), 0));
        assert!(!(l.is_prop_writable)(object.l(), 0));
        assert_eq!((l.get_n_methods)(object.l()), 0);
        assert_eq!((l.find_method)(object.l(), name.as_ptr()), -1);
        assert!((l.get_method_name)(object.l(), 0, 0).is_null());
        assert_eq!((l.get_n_params)(object.l(), 0), 0);
        assert!(!(l.get_param_def_value)(object.l(), 0, 0, &mut v));
        assert!(!(l.has_ret_val)(object.l(), 0));
        assert!(!(l.call_as_proc)(object.l(), 0, &mut v, 1));
        assert!(!(l.call_as_func)(object.l(), 0, &mut v, ptr::null_mut(), 0));
        (object.component().locale.set)(object.this(LOCALE), name.as_ptr());
        (object.component().user_language.set)(object.this(USER_LANGUAGE), name.as_ptr());
    }
    // Every entry that reaches the add-in's code panicked and was reported (not Get/SetLocale, GetInfo).
    assert_eq!(object.component().addin.caught.get(), 18);
    assert_eq!(memory.live(), 0);
}

/// A small working add-in: props "Value"/"Значение" (rw) and "Name"/"Имя" (ro); methods "Echo"/"Эхо"
/// (1 param, default "dflt") and "Fail"/"Сбой".
#[derive(Default)]
struct EchoAddin {
    props: Vec<Names>,
    methods: Vec<Names>,
    value: i32,
    calls: usize,
}

fn names(en: &str, ru: &str) -> Names {
    Names { english: en.into(), russian: ru.into() }
}

impl EchoAddin {
    fn new() -> Self {
        EchoAddin {
            props: vec![names("Value", "Значение"), names("Name", "Имя")],
            methods: vec![names("Echo", "Эхо"), names("Fail", "Сбой")],
            ..Default::default()
        }
    }
}

impl Addin for EchoAddin {
    fn init(&mut self, _: Option<Connection>) -> bool {
        true
    }
    fn done(&mut self) {}
    fn extension_name(&self) -> &str {
        "Echo"
    }
    fn props(&self) -> &[Names] {
        &self.props
    }
    fn methods(&self) -> &[Names] {
        &self.methods
    }
    fn prop_readable(&self, _: usize) -> bool {
        true
    }
    fn prop_writable(&self, num: usize) -> bool {
        num == 0
    }
    fn get_prop(&mut self, num: usize) -> Option<Value1C> {
        Some(if num == 0 { Value1C::Int(self.value) } else { Value1C::Text("Эхо 🎉".into()) })
    }
    fn set_prop(&mut self, _: usize, value: Arg<'_>) -> bool {
        match value {
            Arg::Int(n) => {
                self.value = n as i32;
                true
            }
            _ => false,
        }
    }
    fn param_count(&self, method: usize) -> usize {
        1 - method
    }
    fn param_default(&self, _: usize, _: usize) -> Option<Value1C> {
        Some(Value1C::Text("dflt".into()))
    }
    fn has_ret_val(&self, method: usize) -> bool {
        method == 0
    }
    fn call(&mut self, method: usize, args: &[Arg<'_>]) -> Option<Value1C> {
        self.calls += 1;
        match (method, args.first()) {
            (0, Some(Arg::Wide(w))) => Some(Value1C::Text(String::from_utf16(w).unwrap())),
            (0, _) => Some(Value1C::Empty),
            _ => None,
        }
    }
    fn on_panic(&mut self, _: &'static str) {}
}

#[test]
fn numbers_out_of_range_are_refused_before_the_addin_sees_them() {
    let memory = FakeMemory::new();
    let object = Object::new(EchoAddin::new());
    let l = object.lang();
    let mut v = empty_variant();
    unsafe {
        (object.init_done().set_mem_manager)(object.this(INIT_DONE), memory.as_ptr());
        for bad in [-1, 2, 1000, c_long::MAX, c_long::MIN] {
            assert!((l.get_prop_name)(object.l(), bad, 0).is_null());
            assert!((l.get_method_name)(object.l(), bad, 1).is_null());
            assert!(!(l.get_prop_val)(object.l(), bad, &mut v));
            assert!(!(l.set_prop_val)(object.l(), bad, &mut v));
            assert!(!(l.is_prop_readable)(object.l(), bad));
            assert!(!(l.is_prop_writable)(object.l(), bad));
            assert_eq!((l.get_n_params)(object.l(), bad), 0);
            assert!(!(l.get_param_def_value)(object.l(), bad, 0, &mut v));
            assert!(!(l.get_param_def_value)(object.l(), 0, bad, &mut v));
            assert!(!(l.has_ret_val)(object.l(), bad));
            assert!(!(l.call_as_proc)(object.l(), bad, ptr::null_mut(), 0));
            assert!(!(l.call_as_func)(object.l(), bad, &mut v, ptr::null_mut(), 0));
        }
        // An alias other than 0 (English) and 1 (Russian).
        assert!((l.get_prop_name)(object.l(), 0, 2).is_null());
        // Parameter 0 of "Fail" does not exist (it has none).
        assert!(!(l.get_param_def_value)(object.l(), 1, 0, &mut v));
        // NULL arrays with a non-zero count, negative counts, NULL results.
        assert!(!(l.call_as_func)(object.l(), 0, &mut v, ptr::null_mut(), 1));
        assert!(!(l.call_as_func)(object.l(), 0, &mut v, &mut empty_variant(), -1));
        assert!(!(l.call_as_func)(object.l(), 0, ptr::null_mut(), ptr::null_mut(), 0));
        assert!(!(l.get_prop_val)(object.l(), 0, ptr::null_mut()));
        assert!(!(l.set_prop_val)(object.l(), 0, ptr::null_mut()));
        assert!(!(l.register_extension_as)(object.l(), ptr::null_mut()));
        assert_eq!((l.find_method)(object.l(), ptr::null()), -1);
    }
    assert_eq!(object.component().addin.calls, 0);
    assert_eq!(memory.live(), 0);
}

#[test]
fn names_values_and_memory() {
    let memory = FakeMemory::new();
    let connection = FakeConnection::new();
    let object = Object::new(EchoAddin::new());
    let l = object.lang();
    unsafe {
        let i = object.init_done();
        assert!(!(i.set_mem_manager)(object.this(INIT_DONE), ptr::null_mut()));
        // Without a memory manager nothing can be handed over.
        assert!((l.get_method_name)(object.l(), 0, 0).is_null());
        assert!((i.set_mem_manager)(object.this(INIT_DONE), memory.as_ptr()));
        assert!((i.init)(object.this(INIT_DONE), connection.as_ptr()));

        let mut ext: *mut u16 = ptr::null_mut();
        assert!((l.register_extension_as)(object.l(), &mut ext));
        assert_eq!(memory.take_string(ext), "Echo");

        for (name, num) in
            [("Эхо", 0), ("ЭХО", 0), ("эхо", 0), ("echo", 0), ("ECHO", 0), ("сБОЙ", 1), ("Эх", -1), ("", -1)]
        {
            assert_eq!((l.find_method)(object.l(), wide(name).as_ptr()), num, "{name}");
        }
        assert_eq!((l.find_prop)(object.l(), wide("ЗНАЧЕНИЕ").as_ptr()), 0);
        assert_eq!((l.find_prop)(object.l(), wide("name").as_ptr()), 1);
        assert_eq!(memory.take_string((l.get_method_name)(object.l(), 0, 0)), "Echo");
        assert_eq!(memory.take_string((l.get_method_name)(object.l(), 0, 1)), "Эхо");
        assert_eq!(memory.take_string((l.get_prop_name)(object.l(), 1, 1)), "Имя");

        // Integers in, text out (allocated with the memory manager, NUL-terminated, emoji intact).
        let mut v = empty_variant();
        v.vt = vt::I4;
        v.value.i32 = 42;
        assert!((l.set_prop_val)(object.l(), 0, &mut v));
        assert!(!(l.set_prop_val)(object.l(), 1, &mut v), "read-only");
        let mut out = empty_variant();
        assert!((l.get_prop_val)(object.l(), 0, &mut out));
        assert_eq!((out.vt, out.value.i32), (vt::I4, 42));
        assert!((l.get_prop_val)(object.l(), 1, &mut out));
        assert_eq!(out.vt, vt::PWSTR);
        assert_eq!(out.value.wstr.len, "Эхо 🎉".encode_utf16().count() as u32);
        assert_eq!(memory.take_string(out.value.wstr.ptr), "Эхо 🎉");

        // A call with a string argument; a NULL string of length 0 is the empty string.
        let text = wide("Привет 👋");
        let mut arg = empty_variant();
        arg.vt = vt::PWSTR;
        arg.value.wstr =
            crate::native::types::WideStr { ptr: text.as_ptr().cast_mut(), len: text.len() as u32 - 1 };
        let mut ret = empty_variant();
        assert!((l.call_as_func)(object.l(), 0, &mut ret, &mut arg, 1));
        assert_eq!(memory.take_string(ret.value.wstr.ptr), "Привет 👋");
        arg.value.wstr = crate::native::types::WideStr { ptr: ptr::null_mut(), len: 0 };
        assert!((l.call_as_func)(object.l(), 0, &mut ret, &mut arg, 1));
        assert_eq!(memory.take_string(ret.value.wstr.ptr), "");
        assert!((l.call_as_proc)(object.l(), 0, &mut arg, 1));
        assert!(!(l.call_as_func)(object.l(), 1, &mut ret, ptr::null_mut(), 0));

        assert!((l.get_param_def_value)(object.l(), 0, 0, &mut ret));
        assert_eq!(memory.take_string(ret.value.wstr.ptr), "dflt");
        assert_eq!((l.get_n_params)(object.l(), 0), 1);
        assert!((l.has_ret_val)(object.l(), 0));
        assert!(!(l.has_ret_val)(object.l(), 1));
        (i.done)(object.this(INIT_DONE));
    }
    assert_eq!(memory.live(), 0);
    assert_eq!(*memory.bad_frees.borrow(), 0);
}
