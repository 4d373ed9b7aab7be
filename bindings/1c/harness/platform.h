// The parts of the 1C platform the harness plays: a counting memory manager, an IAddInDefBase that
// records AddError / ExternalEvent, UTF-8 <-> UTF-16 text, and the checks that count failures.
#pragma once

#include "native_api.h"

#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <vector>

// ---- checks ----------------------------------------------------------------------------------------
extern int g_failures;
extern int g_checks;
#define CHECK(cond)                                                                                   \
    do {                                                                                              \
        ++g_checks;                                                                                   \
        if (!(cond)) {                                                                                \
            ++g_failures;                                                                             \
            std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                      \
        }                                                                                             \
    } while (0)
#define CHECK_MSG(cond, msg)                                                                          \
    do {                                                                                              \
        ++g_checks;                                                                                   \
        if (!(cond)) {                                                                                \
            ++g_failures;                                                                             \
            std::fprintf(stderr, "FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, std::string(msg).c_str()); \
        }                                                                                             \
    } while (0)

// ---- text -----------------------------------------------------------------------------------------
std::u16string u16(const std::string& utf8);
std::string utf8(const std::u16string& text);
std::string utf8(const WCHAR_T* text);  // NUL-terminated; "" for NULL
// Upper / lower case for ASCII and Cyrillic (А-Я, Ё), to vary the letter case of names.
std::u16string upper(std::u16string text);
std::u16string lower(std::u16string text);
bool contains(const std::string& haystack, const std::string& needle);

// ---- the memory manager ---------------------------------------------------------------------------
class CountingMemory : public IMemoryManager {
public:
    bool ADDIN_API AllocMemory(void** pMemory, unsigned long ulCountByte) override;
    void ADDIN_API FreeMemory(void** pMemory) override;

    size_t live() const { return blocks_.size(); }
    size_t allocations = 0;
    size_t frees = 0;
    size_t bad_frees = 0;
    // When > 0, the n-th allocation from now fails (as the platform's may, out of memory).
    int fail_in = 0;

private:
    std::set<void*> blocks_;
};

// ---- the platform's interface given to Init -------------------------------------------------------
struct RecordedError {
    unsigned short code;
    std::string source;
    std::string description;
    long scode;
};

class FakePlatform : public IAddInDefBase {
public:
    bool ADDIN_API AddError(unsigned short wcode, const WCHAR_T* source, const WCHAR_T* descr, long scode) override;
    bool ADDIN_API Read(WCHAR_T*, tVariant*, long*, WCHAR_T**) override { return false; }
    bool ADDIN_API Write(WCHAR_T*, tVariant*) override { return false; }
    bool ADDIN_API RegisterProfileAs(WCHAR_T*) override { return false; }
    bool ADDIN_API SetEventBufferDepth(long depth) override { depth_ = depth; return true; }
    long ADDIN_API GetEventBufferDepth() override { return depth_; }
    bool ADDIN_API ExternalEvent(WCHAR_T* source, WCHAR_T* message, WCHAR_T* data) override;
    void ADDIN_API CleanEventBuffer() override {}
    bool ADDIN_API SetStatusLine(WCHAR_T*) override { return true; }
    void ADDIN_API ResetStatusLine() override {}

    std::vector<RecordedError> errors;
    // Written by ExternalEvent, which the add-in may call from its own threads (webhooks): read it
    // through events_copy() while those may run.
    std::vector<std::string> events;
    std::vector<std::string> events_copy();
    long depth() const { return depth_; }

private:
    long depth_ = 1;
    std::mutex events_mutex_;
};

// ---- variants as the platform builds them (strings owned by the harness) ---------------------------
struct Arg {
    tVariant v{};
    std::u16string text;  // keeps a PWSTR argument's buffer alive
    bool owns_text = false;  // pwstrVal is set to text's buffer right before the call
};
Arg a_str(const std::string& utf8_text);
Arg a_u16(const std::u16string& text);
Arg a_null_str();  // VTYPE_PWSTR with a NULL pointer and length 0
Arg a_i4(int32_t value);
Arg a_r8(double value);
Arg a_bool(bool value);
Arg a_empty();
Arg a_date();
