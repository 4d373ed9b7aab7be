/*
 * The Windows host harness: plays the 1C platform (as MSVC builds it) for the Passteam add-in under Wine.
 *
 *   harness.exe <the unpacked PassteamAddIn.zip>      with PASSTEAM_BASE_URL and PASSTEAM_TOKEN set
 *
 * The sequence is the platform's: MANIFEST.XML -> LoadLibraryW -> GetClassNames -> SetPlatformCapabilities
 * -> GetClassObject -> setMemManager -> Init -> RegisterExtensionAs -> names -> calls -> Done ->
 * DestroyObject. Exit code 0 when every check passed and every block of the memory manager was freed.
 */
#include "component.h"
#include "loader.h"
#include "outbox.h"
#include "platform.h"
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_class_objects(LoadedAddIn *addin)
{
    IComponentBase *object = NULL;
    CHECK(addin->get_class_object(L"Other", &object) == 0 && object == NULL);
    CHECK(addin->get_class_object(NULL, &object) == 0 && object == NULL);
    CHECK(addin->destroy_object(NULL) == -1);
    CHECK(addin->destroy_object(&object) == -1);
}

int main(int argc, char **argv)
{
    LoadedAddIn addin;
    CountingMemory memory;
    FakePlatform platform;
    IComponentBase *object = NULL;
    const char *base_url = getenv("PASSTEAM_BASE_URL");
    const char *token = getenv("PASSTEAM_TOKEN");
    char *classes;

    if (argc != 2 || !base_url || !token) {
        fprintf(stderr, "usage: %s <unpacked add-in ZIP> (with PASSTEAM_BASE_URL and PASSTEAM_TOKEN set)\n", argv[0]);
        return 2;
    }
    if (!load_from_dir(argv[1], &addin))
        return 1;
    printf("loaded %s (Windows %s, tVariant %u bytes) from %s\n", addin.library, process_arch(),
           (unsigned)sizeof(tVariant), argv[1]);

    classes = narrow(addin.get_class_names(), -1);
    CHECK_MSG(strcmp(classes, "Client") == 0, classes);
    free(classes);
    CHECK(addin.set_platform_capabilities(1) == 1);
    CHECK(addin.get_attach_type() == 3);
    test_class_objects(&addin);

    counting_memory_init(&memory);
    fake_platform_init(&platform);
    CHECK(addin.get_class_object(L"Client", &object) != 0 && object != NULL);
    if (object) {
        Component c;
        WCHAR_T *extension = NULL;
        char *name;
        void *init_done = &object->init_done;
        CHECK(object->init_done->setMemManager(init_done, &memory.base));
        CHECK(object->init_done->Init(init_done, &platform.base));
        CHECK(object->init_done->GetInfo(init_done) == 2000);
        object->locale->Set(&object->locale, L"ru_RU");
        object->user_language->Set(&object->user_language, L"ru");
        CHECK(object->language->RegisterExtensionAs(&object->language, &extension) && extension != NULL);
        name = narrow(extension, -1);
        CHECK_MSG(strcmp(name, "Passteam") == 0, name);
        free(name);
        memory.base.vtbl->FreeMemory(&memory.base, (void **)&extension);

        c.object = object;
        c.memory = &memory;
        test_names(&c);
        test_scenario(&c, &platform, base_url, token);
        test_outbox(&c, &platform, base_url, token);
        CHECK(platform.errors < 1000); /* no ExternalEvent */

        object->init_done->Done(init_done);
        CHECK(addin.destroy_object(&object) == 0);
        CHECK(object == NULL);
    }
    printf("memory manager: %lu allocations, %lu frees, %lu live, %lu bad frees\n",
           (unsigned long)memory.allocations, (unsigned long)memory.frees, (unsigned long)memory.live_count,
           (unsigned long)memory.bad_frees);
    CHECK(memory.allocations > 0);
    CHECK(memory.live_count == 0);
    CHECK(memory.bad_frees == 0);
    unload(&addin);

    printf("%d checks, %d failed\n", g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}
