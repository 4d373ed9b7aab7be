// See component.h.
#include "component.h"

#include <cstring>

static void bind(std::vector<Arg>& args) {
    for (auto& a : args) {
        if (a.owns_text) a.v.pwstrVal = a.text.data();
    }
}

Result Component::take(tVariant& v) {
    Result r;
    r.vt = v.vt;
    if (v.vt == VTYPE_PWSTR) {
        r.units = v.wstrLen;
        if (v.pwstrVal) {
            r.text = utf8(std::u16string(v.pwstrVal, v.wstrLen));
            r.nul_terminated = v.pwstrVal[v.wstrLen] == 0;
            memory_.FreeMemory(reinterpret_cast<void**>(&v.pwstrVal));
        }
    } else if (v.vt == VTYPE_I4) {
        r.i4 = v.lVal;
    } else if (v.vt == VTYPE_BOOL) {
        r.b = v.bVal;
    }
    return r;
}

Result Component::call_num(long num, std::vector<Arg> args) {
    bind(args);
    std::vector<tVariant> params;
    for (auto& a : args) params.push_back(a.v);
    tVariant ret;
    std::memset(&ret, 0, sizeof ret);
    bool ok = c_->CallAsFunc(num, &ret, params.empty() ? nullptr : params.data(), long(params.size()));
    Result r = take(ret);
    r.ok = ok;
    return r;
}

Result Component::call(const std::string& name, std::vector<Arg> args) {
    long num = method(name);
    CHECK_MSG(num >= 0, "method " + name);
    return call_num(num, std::move(args));
}

bool Component::proc(const std::string& name, std::vector<Arg> args) {
    bind(args);
    std::vector<tVariant> params;
    for (auto& a : args) params.push_back(a.v);
    return c_->CallAsProc(method(name), params.empty() ? nullptr : params.data(), long(params.size()));
}

Result Component::get_num(long num) {
    tVariant v;
    std::memset(&v, 0, sizeof v);
    bool ok = c_->GetPropVal(num, &v);
    Result r = take(v);
    r.ok = ok;
    return r;
}

Result Component::get(const std::string& name) {
    long num = prop(name);
    CHECK_MSG(num >= 0, "property " + name);
    return get_num(num);
}

bool Component::set(const std::string& name, Arg value) {
    long num = prop(name);
    CHECK_MSG(num >= 0, "property " + name);
    if (value.owns_text) value.v.pwstrVal = value.text.data();
    return c_->SetPropVal(num, &value.v);
}

static std::string take_name(CountingMemory& memory, const WCHAR_T* name) {
    if (!name) return "";
    std::string out = utf8(name);
    WCHAR_T* p = const_cast<WCHAR_T*>(name);
    memory.FreeMemory(reinterpret_cast<void**>(&p));
    return out;
}

std::string Component::method_name(long num, long alias) {
    return take_name(memory_, c_->GetMethodName(num, alias));
}

std::string Component::prop_name(long num, long alias) {
    return take_name(memory_, c_->GetPropName(num, alias));
}
