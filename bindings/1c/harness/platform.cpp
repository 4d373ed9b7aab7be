// The platform side of the harness: see platform.h.
#include "platform.h"

#include <cstdlib>
#include <cstring>

int g_failures = 0;
int g_checks = 0;

std::u16string u16(const std::string& s) {
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        char32_t cp;
        int extra;
        if (c < 0x80) { cp = c; extra = 0; }
        else if ((c >> 5) == 6) { cp = c & 0x1F; extra = 1; }
        else if ((c >> 4) == 14) { cp = c & 0x0F; extra = 2; }
        else { cp = c & 0x07; extra = 3; }
        for (int k = 1; k <= extra && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
        i += 1 + extra;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(char16_t(0xD800 + (cp >> 10)));
            out.push_back(char16_t(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(char16_t(cp));
        }
    }
    return out;
}

std::string utf8(const std::u16string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        char32_t cp = s[i];
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size()) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[++i] - 0xDC00);
        }
        if (cp < 0x80) out += char(cp);
        else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
        else { out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
    }
    return out;
}

std::string utf8(const WCHAR_T* text) {
    return text ? utf8(std::u16string(text)) : std::string();
}

std::u16string upper(std::u16string t) {
    for (auto& c : t) {
        if (c >= u'a' && c <= u'z') c -= 32;
        else if (c >= 0x430 && c <= 0x44F) c -= 0x20;
        else if (c == 0x451) c = 0x401;
    }
    return t;
}

std::u16string lower(std::u16string t) {
    for (auto& c : t) {
        if (c >= u'A' && c <= u'Z') c += 32;
        else if (c >= 0x410 && c <= 0x42F) c += 0x20;
        else if (c == 0x401) c = 0x451;
    }
    return t;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool CountingMemory::AllocMemory(void** pMemory, unsigned long ulCountByte) {
    if (!pMemory) return false;
    if (fail_in > 0 && --fail_in == 0) {
        *pMemory = nullptr;
        return false;
    }
    *pMemory = std::malloc(ulCountByte ? ulCountByte : 1);
    if (!*pMemory) return false;
    blocks_.insert(*pMemory);
    ++allocations;
    return true;
}

void CountingMemory::FreeMemory(void** pMemory) {
    if (!pMemory || !*pMemory) return;
    if (blocks_.erase(*pMemory) == 0) {
        ++bad_frees;  // not ours: do not touch it
        return;
    }
    std::free(*pMemory);
    *pMemory = nullptr;
    ++frees;
}

bool FakePlatform::AddError(unsigned short wcode, const WCHAR_T* source, const WCHAR_T* descr, long scode) {
    errors.push_back({wcode, utf8(source), utf8(descr), scode});
    return true;
}

bool FakePlatform::ExternalEvent(WCHAR_T* source, WCHAR_T* message, WCHAR_T* data) {
    std::string event = utf8(source) + "|" + utf8(message) + "|" + utf8(data);
    std::lock_guard<std::mutex> lock(events_mutex_);
    events.push_back(event);
    return true;
}

std::vector<std::string> FakePlatform::events_copy() {
    std::lock_guard<std::mutex> lock(events_mutex_);
    return events;
}

Arg a_u16(const std::u16string& text) {
    Arg a;
    a.text = text;
    a.owns_text = true;
    a.v.vt = VTYPE_PWSTR;
    // The pointer is set by the caller right before the call (the Arg may move in a vector).
    a.v.wstrLen = uint32_t(text.size());
    return a;
}

Arg a_str(const std::string& utf8_text) { return a_u16(u16(utf8_text)); }

Arg a_null_str() {
    Arg a;
    a.v.vt = VTYPE_PWSTR;
    a.v.pwstrVal = nullptr;
    a.v.wstrLen = 0;
    return a;
}

Arg a_i4(int32_t value) { Arg a; a.v.vt = VTYPE_I4; a.v.lVal = value; return a; }
Arg a_r8(double value) { Arg a; a.v.vt = VTYPE_R8; a.v.dblVal = value; return a; }
Arg a_bool(bool value) { Arg a; a.v.vt = VTYPE_BOOL; a.v.bVal = value; return a; }
Arg a_empty() { Arg a; a.v.vt = VTYPE_EMPTY; return a; }
Arg a_date() {
    Arg a;
    a.v.vt = VTYPE_TM;
    std::memset(&a.v.tmVal, 0, sizeof a.v.tmVal);
    a.v.tmVal.tm_year = 124;
    return a;
}
