// What the platform or careless 1C code may pass: NULL and empty strings, big JSON, out-of-range
// numbers, wrong types, broken UTF-16, failed allocations. Never a crash; errors reported as errors.
#include "suites.h"

#include <cstring>

static tVariant blank() {
    tVariant v;
    std::memset(&v, 0, sizeof v);
    return v;
}

static void out_of_range(Context& ctx) {
    IComponentBase* o = ctx.c.raw();
    const size_t errors_before = ctx.platform.errors.size();
    const long n_methods = o->GetNMethods(), n_props = o->GetNProps();
    for (long bad : {-1L, n_methods, n_methods + 1000, 0x7fffffffL, -0x7fffffffL}) {
        tVariant v = blank();
        CHECK(o->GetMethodName(bad, 0) == nullptr);
        CHECK(o->GetMethodName(bad, 1) == nullptr);
        CHECK(o->GetNParams(bad) == 0);
        CHECK(!o->GetParamDefValue(bad, 0, &v));
        CHECK(!o->HasRetVal(bad));
        CHECK(!o->CallAsFunc(bad, &v, nullptr, 0) && v.vt == VTYPE_EMPTY);
        CHECK(!o->CallAsProc(bad, nullptr, 0));
    }
    for (long bad : {-1L, n_props, n_props + 1000, 0x7fffffffL}) {
        tVariant v = blank();
        CHECK(o->GetPropName(bad, 0) == nullptr);
        CHECK(!o->GetPropVal(bad, &v) && v.vt == VTYPE_EMPTY);
        v.vt = VTYPE_BOOL;
        CHECK(!o->SetPropVal(bad, &v));
        CHECK(!o->IsPropReadable(bad));
        CHECK(!o->IsPropWritable(bad));
    }
    tVariant v = blank();
    CHECK(o->GetMethodName(0, 2) == nullptr);  // alias: 0 English, 1 Russian, nothing else
    CHECK(o->GetPropName(0, -1) == nullptr);
    CHECK(!o->GetParamDefValue(1, 1, &v));     // GetCard has one parameter
    CHECK(!o->GetParamDefValue(0, 3, &v));
    CHECK(!o->CallAsFunc(1, &v, nullptr, 1));   // NULL arguments with a count
    CHECK(!o->CallAsFunc(1, nullptr, nullptr, 0));
    CHECK(!o->GetPropVal(0, nullptr));
    CHECK(!o->SetPropVal(0, nullptr));
    CHECK(!o->RegisterExtensionAs(nullptr));
    CHECK(o->FindMethod(nullptr) == -1);
    CHECK(o->FindMethod(u"") == -1);
    CHECK(o->FindProp(nullptr) == -1);
    // Refused before reaching the object: no exception queued.
    CHECK(ctx.platform.errors.size() == errors_before);
}

static void strings(Context& ctx) {
    Component& c = ctx.c;
    // NULL string, empty string and no argument at all all mean "{}".
    for (auto args : {std::vector<Arg>{a_null_str()}, std::vector<Arg>{a_str("")}, std::vector<Arg>{}, std::vector<Arg>{a_empty()}}) {
        Result r = c.call("ПолучитьСписокШаблонов", args);
        CHECK_MSG(r.ok && contains(r.text, LOYALTY), r.text);
    }
    // ...so GetCard without parameters fails validation, before anything is sent.
    CHECK(!c.call("ПолучитьКарту", {a_null_str()}).ok && c.get("КодОшибки").i4 == 3);
    CHECK(!c.call("Выполнить", {a_str("getcard"), a_null_str()}).ok && c.get("КодОшибки").i4 == 3);
    // Text that is not JSON, or not an object.
    CHECK(!c.call("GetCard", {a_str("not json")}).ok && c.get("ErrorCode").i4 == 2);
    CHECK(!c.call("GetCard", {a_str("[1, 2]")}).ok && c.get("ErrorCode").i4 == 2);
    // An unpaired surrogate (broken UTF-16) is an argument error, not a crash or silent replacement.
    CHECK(!c.call("GetCard", {a_u16(std::u16string(u"{\"cardId\": \"") + char16_t(0xD83D) + u"\"}")}).ok);
    CHECK(c.get("ErrorCode").i4 == 1);
    // Unknown method and an empty method name through Выполнить.
    CHECK(!c.call("Выполнить", {a_str("nosuch")}).ok && c.get("ErrorCode").i4 == 1);
    CHECK(contains(ctx.platform.errors.back().description, "nosuch"));
    CHECK(!c.call("Выполнить", {a_null_str()}).ok && c.get("ErrorCode").i4 == 1);
}

static void big_json(Context& ctx) {
    Component& c = ctx.c;
    // A 600 KB name (300 000 Cyrillic letters, then an emoji) in, a card of that size out.
    std::string big;
    big.reserve(700000);
    for (int i = 0; i < 300000; ++i) big += "Ж";
    big += "🎉";
    Result issued = c.call("ВыдатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY +
                                                 "\", \"values\": {\"PHONE\": \"+79160000001\", \"CLIENT_NAME\": \"" + big + "\"}}")});
    CHECK(issued.ok && issued.nul_terminated);
    CHECK(issued.units > 300000);
    CHECK(contains(issued.text, big));
    Result read = c.call("ПолучитьКарту", {a_str("{\"cardId\": \"" + json_string(issued.text, "cardId") + "\"}")});
    CHECK(read.ok && contains(read.text, big));
    // Past the library's bound on params (1 MiB of text), a 3 MB value is refused before anything is sent,
    // with a validation error naming the limit, not a crash or a hang.
    std::string huge;
    huge.reserve(3100000);
    for (int i = 0; i < 1500000; ++i) huge += "Ж";
    c.set("ВызыватьИсключения", a_bool(false));
    Result refused = c.call("ОбновитьКарту", {a_str("{\"cardId\": \"x\", \"values\": {\"CLIENT_NAME\": \"" + huge + "\"}}")});
    CHECK(refused.ok && c.get("КодОшибки").i4 == 3);
    c.set("ВызыватьИсключения", a_bool(true));
}

static void wrong_types(Context& ctx) {
    Component& c = ctx.c;
    auto& errors = ctx.platform.errors;
    // A number, a boolean, a date where the JSON text goes: an exception naming the parameter.
    for (Arg bad : {a_i4(5), a_r8(2.5), a_bool(true), a_date()}) {
        size_t before = errors.size();
        Result r = c.call("ПолучитьКарту", {bad});
        CHECK(!r.ok && r.vt == VTYPE_EMPTY && c.get("КодОшибки").i4 == 1);
        CHECK(errors.size() == before + 1);
        CHECK(!errors.empty() && contains(errors.back().description, "ПараметрыJSON"));
    }
    CHECK(!c.call("Выполнить", {a_i4(1), a_str("{}")}).ok && contains(errors.back().description, "Метод"));
    CHECK(!c.call("Выполнить", {a_str("getlisttemplates"), a_str("{}"), a_str("300")}).ok);
    CHECK(contains(errors.back().description, "ТаймаутМс"));
    CHECK(!c.call("Выполнить", {a_str("getlisttemplates"), a_str("{}"), a_i4(-5)}).ok);
    CHECK(c.call("Выполнить", {a_str("getlisttemplates"), a_str("{}"), a_i4(5000)}).ok);
    CHECK(c.call("Выполнить", {a_str("getlisttemplates"), a_str("{}"), a_r8(5000.0)}).ok);
    // Properties: Settings wants text, RaiseExceptions a boolean (or a number: 0 = false).
    CHECK(!c.set("Настройки", a_i4(1)) && c.get("ErrorCode").i4 == 1);
    CHECK(!c.set("Settings", a_str("{\"tokn\": \"x\"}")) && contains(errors.back().description, "tokn"));
    CHECK(!c.set("Settings", a_str("{broken")) && c.get("ErrorCode").i4 == 2);
    CHECK(contains(c.get("Settings").text, ctx.sandbox.base_url));  // the old settings stay
    CHECK(!c.set("ВызыватьИсключения", a_str("Да")));
    CHECK(c.set("RaiseExceptions", a_i4(0)) && !c.get("RaiseExceptions").b);
    CHECK(c.set("RaiseExceptions", a_r8(1.0)) && c.get("RaiseExceptions").b);
    CHECK(c.set("RaiseExceptions", a_bool(true)) && c.get("ВызыватьИсключения").b);
    // Read-only properties refuse writes.
    CHECK(!c.set("Версия", a_str("9.9.9")));
    CHECK(!c.set("КодОшибки", a_i4(0)));
    // A NULL Settings text means the defaults; put ours back at once.
    std::string ours = "{\"token\": \"" + ctx.sandbox.token + "\", \"base_url\": \"" + ctx.sandbox.base_url + "\"}";
    CHECK(c.set("Settings", a_null_str()) && c.get("Settings").text == "{}");
    CHECK(c.set("Settings", a_str(ours)));
}

static void failed_allocations(Context& ctx) {
    Component& c = ctx.c;
    IComponentBase* o = c.raw();
    // When the platform cannot allocate the result, the call fails cleanly.
    ctx.memory.fail_in = 1;
    CHECK(!c.call("ПолучитьСписокШаблонов").ok);
    ctx.memory.fail_in = 1;
    CHECK(o->GetMethodName(1, 1) == nullptr);
    ctx.memory.fail_in = 1;
    CHECK(!c.get("Settings").ok);
    ctx.memory.fail_in = 0;
    CHECK(c.call("ПолучитьСписокШаблонов").ok);
}

void test_edges(Context& ctx) {
    out_of_range(ctx);
    strings(ctx);
    big_json(ctx);
    wrong_types(ctx);
    failed_allocations(ctx);
}

void test_raise_exceptions_off(Context& ctx) {
    Component& c = ctx.c;
    const size_t errors_before = ctx.platform.errors.size();
    CHECK(c.set("ВызыватьИсключения", a_bool(false)));
    // The 409 again: no exception, Undefined back, ПоследняяОшибка set.
    Result r = c.call("СоздатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY + "\", \"values\": {\"PHONE\": \"+79161234567\"}}")});
    CHECK(r.ok && r.vt == VTYPE_EMPTY);
    CHECK(c.get("КодОшибки").i4 == 8);
    Result last = c.get("ПоследняяОшибка");
    CHECK(contains(last.text, "PASSTEAM_ERR_CONFLICT") && contains(last.text, "is duplicated"));
    // Wrong types too, and bad settings (kept unchanged).
    CHECK(c.call("ПолучитьКарту", {a_i4(7)}).ok && c.get("ErrorCode").i4 == 1);
    CHECK(c.set("Настройки", a_str("{\"tokn\": 1}")) && c.get("ErrorCode").i4 == 1);
    CHECK(contains(c.get("Settings").text, ctx.sandbox.base_url));
    CHECK(c.proc("GetCard", {a_str("{}")}) && c.get("ErrorCode").i4 == 3);
    CHECK(ctx.platform.errors.size() == errors_before);
    // A success clears it.
    Result ok = c.call("ПолучитьСписокШаблонов");
    CHECK(ok.ok && ok.vt == VTYPE_PWSTR);
    CHECK(c.get("КодОшибки").i4 == 0 && c.get("ПоследняяОшибка").text.empty());
    CHECK(c.set("ВызыватьИсключения", a_bool(true)));
}
