// See loader.h.
#include "loader.h"

#include <dlfcn.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

static bool run(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid;
    if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return false;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The value of attribute `name` in one XML tag's text, or "".
static std::string attribute(const std::string& tag, const std::string& name) {
    for (char quote : {'"', '\''}) {
        std::string key = name + "=" + quote;
        size_t at = tag.find(key);
        if (at != std::string::npos && (at == 0 || isspace((unsigned char)tag[at - 1]))) {
            size_t start = at + key.size();
            size_t end = tag.find(quote, start);
            if (end != std::string::npos) return tag.substr(start, end - start);
        }
    }
    return "";
}

template <typename T>
static bool symbol(void* handle, const char* name, T& out) {
    out = reinterpret_cast<T>(dlsym(handle, name));
    if (!out) std::fprintf(stderr, "loader: %s is not exported\n", name);
    return out != nullptr;
}

bool load_from_zip(const std::string& zip_path, LoadedAddIn& out) {
    char templ[] = "/tmp/passteam-1c-XXXXXX";
    if (!mkdtemp(templ)) return false;
    out.dir = templ;
    // unzip (Debian package "unzip") or, without it, Python's zipfile.
    if (!run({"unzip", "-q", "-o", zip_path, "-d", out.dir}) &&
        !run({"python3", "-m", "zipfile", "-e", zip_path, out.dir})) {
        std::fprintf(stderr, "loader: cannot unpack %s\n", zip_path.c_str());
        return false;
    }
    std::ifstream manifest_file(out.dir + "/MANIFEST.XML");
    if (!manifest_file) {
        std::fprintf(stderr, "loader: no MANIFEST.XML at the root of %s\n", zip_path.c_str());
        return false;
    }
    std::stringstream text;
    text << manifest_file.rdbuf();
    std::string manifest = text.str();
    for (size_t at = manifest.find("<component"); at != std::string::npos; at = manifest.find("<component", at + 1)) {
        std::string tag = manifest.substr(at, manifest.find('>', at) - at);
        if (attribute(tag, "os") == "Linux" && attribute(tag, "arch") == "x86_64" && attribute(tag, "type") == "native") {
            out.library = attribute(tag, "path");
        }
    }
    if (out.library.empty()) {
        std::fprintf(stderr, "loader: MANIFEST.XML names no native Linux x86_64 component\n");
        return false;
    }
    std::string path = out.dir + "/" + out.library;
    out.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!out.handle) {
        std::fprintf(stderr, "loader: dlopen %s: %s\n", path.c_str(), dlerror());
        return false;
    }
    return symbol(out.handle, "GetClassObject", out.get_class_object) &&
           symbol(out.handle, "DestroyObject", out.destroy_object) &&
           symbol(out.handle, "GetClassNames", out.get_class_names) &&
           symbol(out.handle, "SetPlatformCapabilities", out.set_platform_capabilities) &&
           symbol(out.handle, "GetAttachType", out.get_attach_type);
}

void unload(LoadedAddIn& addin) {
    if (addin.handle) dlclose(addin.handle);
    addin.handle = nullptr;
    if (!addin.dir.empty()) run({"rm", "-rf", addin.dir});
}
