// header_cpp.cpp: passteam.h from C++ (g++ -Wall -Wextra -Werror -pedantic): it must compile, declare
// its functions extern "C" (or this program would not link against the library), and keep the status
// macros usable as constants.
#include "passteam.h"

#include <cstdio>
#include <cstring>

static_assert(PASSTEAM_ERR_CONFLICT == 8, "status numbers are ABI");

int main()
{
    PassteamClient *client = NULL;
    char *err = NULL;
    char *out = NULL;
    int failures = 0;

    if (std::strcmp(passteam_status_name(PASSTEAM_ERR_CONFLICT), "PASSTEAM_ERR_CONFLICT") != 0)
        failures++;
    if ((passteam_abi_version() >> 16) != PASSTEAM_ABI_VERSION_MAJOR)
        failures++;
    if (passteam_client_new("{\"base_url\": \"http://127.0.0.1:1\"}", &client, &err) != PASSTEAM_OK)
        failures++;
    // NULL params means {}: gettemplate then misses templateId, which is checked before sending.
    if (passteam_get_template(client, NULL, &out) != PASSTEAM_ERR_VALIDATION)
        failures++;
    passteam_string_free(out);
    passteam_string_free(err);
    passteam_client_free(client);
    std::printf("C++: passteam %s, %s\n", passteam_version(), failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
