/* platform.c: see platform.h. */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int g_checks = 0;
int g_failures = 0;

void check_failed(const char *file, int line, const char *what, const char *detail)
{
    ++g_failures;
    fprintf(stderr, "FAIL %s:%d: %s%s%s%s\n", file, line, what, *detail ? " (" : "", detail, *detail ? ")" : "");
}

WCHAR_T *wide(const char *utf8)
{
    int units = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
    WCHAR_T *out = units > 0 ? malloc((size_t)units * sizeof *out) : NULL;
    if (out)
        MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, out, units);
    return out;
}

char *narrow(const WCHAR_T *text, int units)
{
    int bytes;
    char *out;
    if (!text)
        return calloc(1, 1);
    bytes = WideCharToMultiByte(CP_UTF8, 0, text, units, NULL, 0, NULL, NULL);
    out = malloc((size_t)bytes + 1);
    if (!out)
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, text, units, out, bytes, NULL, NULL);
    out[bytes] = '\0';
    return out;
}

static bool ADDIN_API alloc_memory(IMemoryManager *self, void **memory, unsigned long bytes)
{
    CountingMemory *m = (CountingMemory *)self;
    if (!memory || m->live_count == sizeof m->live / sizeof m->live[0])
        return false;
    *memory = malloc(bytes ? bytes : 1);
    if (!*memory)
        return false;
    m->live[m->live_count++] = *memory;
    m->allocations++;
    return true;
}

static void ADDIN_API free_memory(IMemoryManager *self, void **memory)
{
    CountingMemory *m = (CountingMemory *)self;
    size_t i;
    if (!memory || !*memory)
        return;
    for (i = 0; i < m->live_count; i++) {
        if (m->live[i] == *memory) {
            m->live[i] = m->live[--m->live_count];
            free(*memory);
            *memory = NULL;
            m->frees++;
            return;
        }
    }
    m->bad_frees++;
}

static const struct IMemoryManagerVtbl memory_vtbl = {NULL, alloc_memory, free_memory};

void counting_memory_init(CountingMemory *memory)
{
    memset(memory, 0, sizeof *memory);
    memory->base.vtbl = &memory_vtbl;
}

static bool ADDIN_API add_error(IAddInDefBase *self, unsigned short code, const WCHAR_T *source,
                                const WCHAR_T *description, long scode)
{
    FakePlatform *p = (FakePlatform *)self;
    char *s = narrow(source, -1);
    char *d = narrow(description, -1);
    p->errors++;
    p->last_code = code;
    p->last_scode = scode;
    snprintf(p->last_source, sizeof p->last_source, "%s", s ? s : "");
    snprintf(p->last_description, sizeof p->last_description, "%s", d ? d : "");
    free(s);
    free(d);
    return true;
}

static bool ADDIN_API refuse_read(IAddInDefBase *self, WCHAR_T *name, tVariant *value, long *error, WCHAR_T **text)
{
    (void)self, (void)name, (void)value, (void)error, (void)text;
    return false;
}
static bool ADDIN_API refuse_write(IAddInDefBase *self, WCHAR_T *name, tVariant *value)
{
    (void)self, (void)name, (void)value;
    return false;
}
static bool ADDIN_API refuse_text(IAddInDefBase *self, WCHAR_T *text)
{
    (void)self, (void)text;
    return false;
}
static bool ADDIN_API set_depth(IAddInDefBase *self, long depth)
{
    (void)self, (void)depth;
    return true;
}
static long ADDIN_API get_depth(IAddInDefBase *self)
{
    (void)self;
    return 1;
}
/* The add-in raises no events: one would be a failure of the harness's final check. */
static bool ADDIN_API external_event(IAddInDefBase *self, WCHAR_T *source, WCHAR_T *message, WCHAR_T *data)
{
    (void)source, (void)message, (void)data;
    ((FakePlatform *)self)->errors += 1000;
    return false;
}
static void ADDIN_API nothing(IAddInDefBase *self)
{
    (void)self;
}

static const struct IAddInDefBaseVtbl platform_vtbl = {
    NULL, add_error, refuse_read, refuse_write, refuse_text, set_depth, get_depth, external_event, nothing,
    refuse_text, nothing};

void fake_platform_init(FakePlatform *platform)
{
    memset(platform, 0, sizeof *platform);
    platform->base.vtbl = &platform_vtbl;
}
