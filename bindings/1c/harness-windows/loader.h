/*
 * loader.h: finds the component in an unpacked add-in ZIP the way 1C does (MANIFEST.XML at the root, the
 * <component os="Windows" arch="i386|x86_64" type="native"> entry of the running process's bitness),
 * loads it with LoadLibraryW and looks up the five exports by name.
 */
#ifndef PASSTEAM_1C_WIN_LOADER_H
#define PASSTEAM_1C_WIN_LOADER_H

#include "native_api.h"

typedef struct {
    char library[260]; /* the path MANIFEST.XML names */
    void *module;      /* HMODULE */
    GetClassObjectFn get_class_object;
    DestroyObjectFn destroy_object;
    GetClassNamesFn get_class_names;
    SetPlatformCapabilitiesFn set_platform_capabilities;
    GetAttachTypeFn get_attach_type;
} LoadedAddIn;

/* The manifest's arch for this process: "x86_64" or "i386". */
const char *process_arch(void);
/* 1 on success; on failure prints why and returns 0. */
int load_from_dir(const char *dir, LoadedAddIn *out);
void unload(LoadedAddIn *addin);

#endif
