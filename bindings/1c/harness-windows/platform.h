/*
 * platform.h: the parts of the 1C platform the Windows harness plays: the checks that count failures,
 * UTF-8 <-> UTF-16 text, a counting memory manager, and an IAddInDefBase that records AddError.
 */
#ifndef PASSTEAM_1C_WIN_PLATFORM_H
#define PASSTEAM_1C_WIN_PLATFORM_H

#include "native_api.h"

#include <stddef.h>

extern int g_checks;
extern int g_failures;
void check_failed(const char *file, int line, const char *what, const char *detail);
#define CHECK(cond) CHECK_MSG(cond, "")
#define CHECK_MSG(cond, detail)                                    \
    do {                                                           \
        ++g_checks;                                                \
        if (!(cond))                                               \
            check_failed(__FILE__, __LINE__, #cond, (detail));     \
    } while (0)

/* UTF-8 -> a NUL-terminated UTF-16 copy (free it with free()). */
WCHAR_T *wide(const char *utf8);
/* `units` UTF-16 units (or up to the NUL with units = -1) -> a NUL-terminated UTF-8 copy (free()). */
char *narrow(const WCHAR_T *text, int units);

/* The memory manager: counts blocks, so that the harness can prove every one was given back. */
typedef struct {
    IMemoryManager base; /* first: the add-in sees a pointer to it */
    size_t allocations, frees, bad_frees;
    void *live[4096];
    size_t live_count;
} CountingMemory;
void counting_memory_init(CountingMemory *memory);

/* The platform's interface: AddError calls are recorded (the last one kept, and a count). */
typedef struct {
    IAddInDefBase base; /* first */
    int errors;
    unsigned short last_code;
    long last_scode;
    char last_source[64];
    char last_description[2048];
} FakePlatform;
void fake_platform_init(FakePlatform *platform);

#endif
