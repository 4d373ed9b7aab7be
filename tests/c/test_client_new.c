/* test_client_new.c: passteam_client_new's contract: defaults, bad configs, the out pointers. */
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

/* Expects passteam_client_new(config) to fail with status and an error object whose message has message_part. */
static void refused(const char *config, int32_t status, const char *message_part)
{
    PassteamClient *client = (PassteamClient *)&client; /* any non-NULL value: must be overwritten */
    char *err = NULL;
    char message[1024] = "";

    CHECK_STATUS(passteam_client_new(config, &client, &err), status);
    CHECK_MSG(client == NULL, "config %s: out_client not set to NULL on failure", config);
    CHECK_ERROR_OBJECT(err, status);
    jm_string(jm_get(err, "message"), message, sizeof message);
    CHECK_MSG(message_part == NULL || strstr(message, message_part) != NULL, "config %s: message \"%s\" lacks \"%s\"",
              config, message, message_part);
    passteam_string_free(err);
}

void test_client_new(struct test_env *env)
{
    PassteamClient *client = NULL;
    char *err = (char *)&client; /* must be reset to NULL on success */

    /* NULL and "" mean defaults; success clears *out_error_json. */
    CHECK_STATUS(passteam_client_new(NULL, &client, &err), PASSTEAM_OK);
    CHECK(client != NULL && err == NULL);
    passteam_client_free(client);
    client = NULL;
    CHECK_STATUS(passteam_client_new("", &client, NULL), PASSTEAM_OK);
    CHECK(client != NULL);
    passteam_client_free(client);

    /* out_client NULL: refused, with the error object when there is somewhere to put it. */
    err = NULL;
    CHECK_STATUS(passteam_client_new("{}", NULL, &err), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(err, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(err);
    CHECK_STATUS(passteam_client_new("{}", NULL, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);

    refused("{\"token\": ", PASSTEAM_ERR_INVALID_JSON, NULL);
    refused("[\"token\"]", PASSTEAM_ERR_INVALID_JSON, NULL);
    refused("\"token\"", PASSTEAM_ERR_INVALID_JSON, NULL);
    refused("{\"token\": \"t\", \"no_such_key\": 1}", PASSTEAM_ERR_INVALID_ARGUMENT, "no_such_key");
    refused("{\"timeout_ms\": \"soon\"}", PASSTEAM_ERR_INVALID_ARGUMENT, "timeout_ms");
    refused("{\"body_encoding\": \"xml\"}", PASSTEAM_ERR_INVALID_ARGUMENT, "body_encoding");
    /* Plain HTTP would send the token in clear text: only loopback may use it. */
    refused("{\"base_url\": \"http://example.com\"}", PASSTEAM_ERR_INVALID_ARGUMENT, NULL);
    refused("{\"token\": \"bad\xff\"}", PASSTEAM_ERR_INVALID_ARGUMENT, NULL);

    /* Loopback HTTP is fine (that is how every test reaches the sandbox). */
    client = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\"}", env->base_url, env->token);
    passteam_client_free(client);
}
