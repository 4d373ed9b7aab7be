// Calling the add-in object as 1C code does: names are looked up with FindMethod / FindProp, arguments
// passed as tVariant, results read and then freed with the memory manager (the platform's job).
#pragma once

#include "platform.h"

#include <string>
#include <vector>

struct Result {
    bool ok = false;             // what CallAsFunc / GetPropVal returned
    TYPEVAR vt = VTYPE_EMPTY;
    std::string text;            // PWSTR result, as UTF-8
    uint32_t units = 0;          // its wstrLen
    bool nul_terminated = false; // whether the string ends with a NUL unit after wstrLen
    int32_t i4 = 0;
    bool b = false;
};

class Component {
public:
    Component(IComponentBase* object, CountingMemory& memory) : c_(object), memory_(memory) {}

    long method(const std::string& name) { return c_->FindMethod(u16(name).c_str()); }
    long prop(const std::string& name) { return c_->FindProp(u16(name).c_str()); }

    Result call(const std::string& name, std::vector<Arg> args = {});
    Result call_num(long num, std::vector<Arg> args);
    bool proc(const std::string& name, std::vector<Arg> args = {});
    Result get(const std::string& prop_name);
    Result get_num(long num);
    bool set(const std::string& prop_name, Arg value);
    std::string method_name(long num, long alias);
    std::string prop_name(long num, long alias);
    // Reads a result variant and frees its string as the platform would.
    Result take(tVariant& v);

    IComponentBase* raw() { return c_; }

private:
    IComponentBase* c_;
    CountingMemory& memory_;
};
