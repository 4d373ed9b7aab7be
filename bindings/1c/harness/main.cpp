// Host harness: plays the 1C platform for the Passteam add-in, loading it from the packaged ZIP.
//
//   harness <PassteamAddIn.zip> <passteam binary (for the sandbox)>
//
// The sequence is the platform's: GetClassNames -> SetPlatformCapabilities -> GetClassObject ->
// setMemManager -> Init -> RegisterExtensionAs -> names -> calls -> Done -> DestroyObject. Exit code 0
// when every check passed and every block of the memory manager was freed.
#include "component.h"
#include "loader.h"
#include "platform.h"
#include "sandbox.h"
#include "suites.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <PassteamAddIn.zip> <passteam binary>\n", argv[0]);
        return 2;
    }
    LoadedAddIn addin;
    if (!load_from_zip(argv[1], addin)) return 1;
    std::printf("loaded %s from %s\n", addin.library.c_str(), argv[1]);

    Sandbox sandbox;
    if (!sandbox.start(argv[2])) {
        std::fprintf(stderr, "cannot start the sandbox with %s\n", argv[2]);
        unload(addin);
        return 1;
    }

    std::string classes = utf8(addin.get_class_names());
    CHECK(classes == "Client");
    CHECK(addin.set_platform_capabilities(eAppCapabilities1) == eAppCapabilitiesLast);
    CHECK(addin.get_attach_type() == eCanAttachAny);
    test_class_objects(addin);

    CountingMemory memory;
    FakePlatform platform;
    IComponentBase* object = nullptr;
    CHECK(addin.get_class_object(u16(classes).c_str(), &object) != 0 && object != nullptr);
    if (object) {
        CHECK(object->setMemManager(&memory));
        CHECK(object->Init(static_cast<IAddInDefBase*>(&platform)));
        CHECK(object->GetInfo() == 2000);
        object->SetLocale(u"ru_RU");
        object->SetUserInterfaceLanguageCode(u"ru");
        WCHAR_T* extension = nullptr;
        CHECK(object->RegisterExtensionAs(&extension) && extension != nullptr);
        CHECK(utf8(extension) == "Passteam");
        memory.FreeMemory(reinterpret_cast<void**>(&extension));

        Component c(object, memory);
        Context ctx{c, memory, platform, sandbox, addin};
        test_names(ctx);
        test_scenario(ctx);
        test_edges(ctx);
        test_raise_exceptions_off(ctx);
        CHECK(platform.events.empty());
        test_webhooks(ctx);
        test_outbox(ctx);
        test_batch(ctx);
        if (std::getenv("PASSTEAM_1C_BENCH")) bench(ctx);

        object->Done();
        CHECK(addin.destroy_object(&object) == 0);
        CHECK(object == nullptr);
    }
    sandbox.stop();
    std::printf("memory manager: %zu allocations, %zu frees, %zu live, %zu bad frees\n", memory.allocations,
                memory.frees, memory.live(), memory.bad_frees);
    CHECK(memory.allocations > 0);
    CHECK(memory.live() == 0);
    CHECK(memory.bad_frees == 0);
    unload(addin);

    std::printf("%d checks, %d failed\n", g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}
