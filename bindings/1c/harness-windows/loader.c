/* loader.c: see loader.h. */
#include "loader.h"
#include "platform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

const char *process_arch(void)
{
    return sizeof(void *) == 8 ? "x86_64" : "i386";
}

/* The value of attribute `name` in one tag's text (quotes " or '), copied into out; 0 when absent. */
static int attribute(const char *tag, size_t tag_len, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);
    size_t i;
    for (i = 0; i + name_len + 2 < tag_len; i++) {
        const char *at = tag + i;
        if ((i == 0 || isspace((unsigned char)at[-1])) && strncmp(at, name, name_len) == 0 && at[name_len] == '=' &&
            (at[name_len + 1] == '"' || at[name_len + 1] == '\'')) {
            char quote = at[name_len + 1];
            const char *start = at + name_len + 2;
            const char *end = memchr(start, quote, tag_len - (size_t)(start - tag));
            size_t len;
            if (!end)
                return 0;
            len = (size_t)(end - start);
            if (len >= out_size)
                return 0;
            memcpy(out, start, len);
            out[len] = '\0';
            return 1;
        }
    }
    return 0;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)size + 1)) != NULL) {
        size_t got = fread(text, 1, (size_t)size, f);
        text[got] = '\0';
    }
    fclose(f);
    return text;
}

static int symbol(HMODULE module, const char *name, FARPROC *out)
{
    *out = GetProcAddress(module, name);
    if (!*out)
        fprintf(stderr, "loader: %s is not exported\n", name);
    return *out != NULL;
}

int load_from_dir(const char *dir, LoadedAddIn *out)
{
    char path[600];
    char *manifest;
    const char *at;
    WCHAR_T *wide_path;
    FARPROC f[5];

    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s\\MANIFEST.XML", dir);
    manifest = read_text(path);
    if (!manifest) {
        fprintf(stderr, "loader: no MANIFEST.XML in %s\n", dir);
        return 0;
    }
    for (at = strstr(manifest, "<component"); at; at = strstr(at + 1, "<component")) {
        const char *end = strchr(at, '>');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        char os[32], arch[32], type[32], library[260];
        if (attribute(at, len, "os", os, sizeof os) && attribute(at, len, "arch", arch, sizeof arch) &&
            attribute(at, len, "type", type, sizeof type) && attribute(at, len, "path", library, sizeof library) &&
            strcmp(os, "Windows") == 0 && strcmp(arch, process_arch()) == 0 && strcmp(type, "native") == 0)
            snprintf(out->library, sizeof out->library, "%s", library);
    }
    free(manifest);
    if (!out->library[0]) {
        fprintf(stderr, "loader: MANIFEST.XML names no native Windows %s component\n", process_arch());
        return 0;
    }
    snprintf(path, sizeof path, "%s\\%s", dir, out->library);
    wide_path = wide(path);
    out->module = wide_path ? (void *)LoadLibraryW(wide_path) : NULL;
    free(wide_path);
    if (!out->module) {
        fprintf(stderr, "loader: LoadLibraryW %s failed (error %lu)\n", path, (unsigned long)GetLastError());
        return 0;
    }
    if (!symbol(out->module, "GetClassObject", &f[0]) || !symbol(out->module, "DestroyObject", &f[1]) ||
        !symbol(out->module, "GetClassNames", &f[2]) || !symbol(out->module, "SetPlatformCapabilities", &f[3]) ||
        !symbol(out->module, "GetAttachType", &f[4]))
        return 0;
    /* FARPROC -> the real signatures: the usual GetProcAddress cast, through void (*)(void). */
    out->get_class_object = (GetClassObjectFn)(void (*)(void))f[0];
    out->destroy_object = (DestroyObjectFn)(void (*)(void))f[1];
    out->get_class_names = (GetClassNamesFn)(void (*)(void))f[2];
    out->set_platform_capabilities = (SetPlatformCapabilitiesFn)(void (*)(void))f[3];
    out->get_attach_type = (GetAttachTypeFn)(void (*)(void))f[4];
    return 1;
}

void unload(LoadedAddIn *addin)
{
    if (addin->module)
        FreeLibrary((HMODULE)addin->module);
    addin->module = NULL;
}
