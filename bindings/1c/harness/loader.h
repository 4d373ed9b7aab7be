// Loading the add-in the way 1C does: unpack the ZIP to a temporary folder, read MANIFEST.XML for the
// Linux x86-64 component, dlopen it and look up the Native API exports.
#pragma once

#include "native_api.h"

#include <string>

struct LoadedAddIn {
    std::string dir;       // where the ZIP was unpacked
    std::string library;   // the file MANIFEST.XML names
    void* handle = nullptr;
    GetClassObjectPtr get_class_object = nullptr;
    DestroyObjectPtr destroy_object = nullptr;
    GetClassNamesPtr get_class_names = nullptr;
    SetPlatformCapabilitiesPtr set_platform_capabilities = nullptr;
    GetAttachTypePtr get_attach_type = nullptr;
};

// Returns false (with a message on stderr) when any step fails.
bool load_from_zip(const std::string& zip_path, LoadedAddIn& out);
// dlclose and remove the unpacked files.
void unload(LoadedAddIn& addin);
