// Names, counts and defaults: the contract 1C code relies on.
#include "suites.h"

#include <algorithm>
#include <cstring>

// The contract: Russian / English names of every method (Выполнить first, then the method table's order).
// Generated from the method table (src/methods.rs, `russian` and `camel`) by `cargo run -p xtask -- gen`.
static const char* const METHODS[][2] = {
#include "method_names.inc"
    // The webhook methods (not operations of the method table), after the operations.
    {"ЗапуститьВебхуки", "StartWebhooks"},
    {"ОстановитьВебхуки", "StopWebhooks"},
    {"СледующийВебхук", "NextWebhook"},
    {"ПодтвердитьВебхук", "AckWebhook"},
    {"ОчередьОтправить", "OutboxFlush"},
    {"ОчередьСостояние", "OutboxStats"},
    {"ОчередьСписок", "OutboxList"},
    {"ОчередьПовторить", "OutboxRetry"},
    {"ОчередьУдалить", "OutboxDiscard"},
    {"Диагностика", "Diagnose"},
    {"ВызватьПакет", "CallBatch"},
};

// The webhook receiver's methods: four entries of METHODS, from StartWebhooks on.
static const long N_WEBHOOK_METHODS = 4;

static long index_of(const char* english, long n_methods) {
    for (long i = 0; i < n_methods; ++i)
        if (std::strcmp(METHODS[i][1], english) == 0) return i;
    return -1;
}

static const char* const PROPS[][2] = {
    {"Настройки", "Settings"},
    {"ПоследняяОшибка", "LastError"},
    {"КодОшибки", "ErrorCode"},
    {"ВызыватьИсключения", "RaiseExceptions"},
    {"Версия", "Version"},
};

void test_class_objects(LoadedAddIn& addin) {
    IComponentBase* a = nullptr;
    IComponentBase* b = nullptr;
    CHECK(addin.get_class_object(nullptr, &a) == 0 && a == nullptr);
    CHECK(addin.get_class_object(u"NoSuchClass", &a) == 0 && a == nullptr);
    CHECK(addin.get_class_object(u"Client", nullptr) == 0);
    CHECK(addin.get_class_object(u"CLIENT", &a) != 0 && a != nullptr);
    CHECK(addin.get_class_object(u"Client", &b) != 0 && b != nullptr && b != a);
    // Two objects are independent; an object never initialised can still be destroyed.
    CountingMemory memory;
    CHECK(a->setMemManager(&memory));
    tVariant v;
    std::memset(&v, 0, sizeof v);
    v.vt = VTYPE_BOOL;
    v.bVal = false;
    CHECK(a->SetPropVal(a->FindProp(u"RaiseExceptions"), &v));
    std::memset(&v, 0, sizeof v);
    CHECK(b->setMemManager(&memory));
    CHECK(b->GetPropVal(b->FindProp(u"ВызыватьИсключения"), &v) && v.vt == VTYPE_BOOL && v.bVal);
    CHECK(addin.destroy_object(&a) == 0 && a == nullptr);
    CHECK(addin.destroy_object(&b) == 0 && b == nullptr);
    CHECK(addin.destroy_object(&a) == -1);
    CHECK(addin.destroy_object(nullptr) == -1);
    CHECK(memory.live() == 0);
}

void test_names(Context& ctx) {
    Component& c = ctx.c;
    IComponentBase* o = c.raw();
    const long n_methods = long(sizeof METHODS / sizeof METHODS[0]);
    const long n_props = long(sizeof PROPS / sizeof PROPS[0]);
    CHECK(o->GetNMethods() == n_methods);
    CHECK(o->GetNProps() == n_props);
    const long first_webhook = index_of("StartWebhooks", n_methods);
    CHECK(first_webhook > 0);
    for (long i = 0; i < n_methods; ++i) {
        const std::string ru = METHODS[i][0], en = METHODS[i][1];
        CHECK_MSG(c.method_name(i, 0) == en, en);
        CHECK_MSG(c.method_name(i, 1) == ru, ru);
        for (const std::u16string& name : {u16(ru), u16(en), upper(u16(ru)), lower(u16(ru)), upper(u16(en)), lower(u16(en))}) {
            CHECK_MSG(o->FindMethod(name.c_str()) == i, utf8(name));
        }
        CHECK_MSG(o->HasRetVal(i), en);
        if (i >= first_webhook && i < first_webhook + N_WEBHOOK_METHODS) continue;  // checked below
        long params = o->GetNParams(i);
        if (en == "Diagnose") {
            CHECK_MSG(params == 0, en);  // Диагностика() takes nothing
            continue;
        }
        if (en == "CallBatch") {
            // ВызватьПакет(ЗапросыJSON, ПараметрыJSON = "{}"): the requests have no default.
            CHECK_MSG(params == 2, en);
            tVariant def;
            std::memset(&def, 0, sizeof def);
            CHECK_MSG(!o->GetParamDefValue(i, 0, &def) && def.vt == VTYPE_EMPTY, en);
            CHECK_MSG(o->GetParamDefValue(i, 1, &def), en);
            Result r = c.take(def);
            CHECK_MSG(r.vt == VTYPE_PWSTR && r.text == "{}", en);
            continue;
        }
        if (en.rfind("Outbox", 0) == 0) {
            // The outbox methods: Stats takes nothing; Flush(МаксМс = 5000), List(ФильтрJSON = "{}"),
            // Retry(Ид) and Discard(Ид) take one, the id without a default.
            CHECK_MSG(params == (en == "OutboxStats" ? 0 : 1), en);
            tVariant def;
            std::memset(&def, 0, sizeof def);
            bool has_default = params > 0 && o->GetParamDefValue(i, 0, &def);
            CHECK_MSG(has_default == (en == "OutboxFlush" || en == "OutboxList"), en);
            if (has_default) c.take(def);
            continue;
        }
        CHECK_MSG(params == (i == 0 ? 3 : 1), en);
        // The JSON parameter defaults to "{}".
        tVariant def;
        std::memset(&def, 0, sizeof def);
        CHECK_MSG(o->GetParamDefValue(i, i == 0 ? 1 : 0, &def), en);
        Result r = c.take(def);
        CHECK_MSG(r.vt == VTYPE_PWSTR && r.text == "{}" && r.nul_terminated, en);
    }
    // The webhook methods: StartWebhooks(ConfigJSON) and AckWebhook(WebhookId) required, StopWebhooks()
    // without parameters, NextWebhook(TimeoutMs) defaulting to 0.
    const long webhook_params[N_WEBHOOK_METHODS] = {1, 0, 1, 1};
    for (long k = 0; k < N_WEBHOOK_METHODS; ++k) {
        CHECK_MSG(o->GetNParams(first_webhook + k) == webhook_params[k], METHODS[first_webhook + k][1]);
    }
    {
        tVariant def;
        std::memset(&def, 0, sizeof def);
        CHECK(!o->GetParamDefValue(first_webhook, 0, &def));
        CHECK(o->GetParamDefValue(first_webhook + 2, 0, &def) && def.vt == VTYPE_I4 && def.lVal == 0);
        std::memset(&def, 0, sizeof def);
        CHECK(!o->GetParamDefValue(first_webhook + 3, 0, &def));
    }
    // Выполнить: the method name is required, the timeout defaults to 0.
    tVariant def;
    std::memset(&def, 0, sizeof def);
    CHECK(!o->GetParamDefValue(0, 0, &def) && def.vt == VTYPE_EMPTY);
    CHECK(o->GetParamDefValue(0, 2, &def) && def.vt == VTYPE_I4 && def.lVal == 0);
    for (long i = 0; i < n_props; ++i) {
        const std::string ru = PROPS[i][0], en = PROPS[i][1];
        CHECK_MSG(c.prop_name(i, 0) == en, en);
        CHECK_MSG(c.prop_name(i, 1) == ru, ru);
        for (const std::u16string& name : {u16(ru), u16(en), upper(u16(ru)), lower(u16(ru)), upper(u16(en)), lower(u16(en))}) {
            CHECK_MSG(o->FindProp(name.c_str()) == i, utf8(name));
        }
        CHECK_MSG(o->IsPropReadable(i), en);
        CHECK_MSG(o->IsPropWritable(i) == (en == "Settings" || en == "RaiseExceptions"), en);
    }
    CHECK(c.method("ПолучитьКартуX") == -1);
    CHECK(c.prop("Настройка") == -1);
    Result version = c.get("Версия");
    CHECK(version.ok && version.vt == VTYPE_PWSTR && std::count(version.text.begin(), version.text.end(), '.') == 2);
    Result code = c.get("КодОшибки");
    CHECK(code.ok && code.vt == VTYPE_I4 && code.i4 == 0);
    Result last = c.get("LastError");
    CHECK(last.ok && last.vt == VTYPE_PWSTR && last.text.empty());
}
