/*
 * test_diagnose.c: passteam_diagnose against the sandbox: it runs whatever it finds (PASSTEAM_OK with a
 * report of named checks), never shows the token, and refuses NULL arguments with a status.
 */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

void test_diagnose(struct test_env *env)
{
    char *out = NULL;
    PassteamClient *client = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\", \"timeout_ms\": " GENEROUS_TIMEOUT_MS "}",
                                        env->base_url, env->token);

    CHECK_STATUS(passteam_diagnose(NULL, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK(out != NULL);
    if (out)
        CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    out = NULL;
    if (!client)
        return;
    CHECK_STATUS(passteam_diagnose(client, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);

    CHECK_STATUS(passteam_diagnose(client, &out), PASSTEAM_OK);
    CHECK_MSG(out != NULL && jm_valid(out), "diagnosis: %s", out ? out : "NULL");
    if (out) {
        const char *checks = jm_get(out, "checks");
        CHECK(jm_kind(checks) == 'a' && jm_len(checks) > 0);
        CHECK(jm_kind(jm_get(out, "ok")) == 'b');
        CHECK_MSG(strstr(out, "\"library\"") != NULL, "no library check in %s", out);
        CHECK_MSG(strstr(out, env->token) == NULL, "the token is in the diagnosis");
    }
    passteam_string_free(out);
    passteam_client_free(client);
}
