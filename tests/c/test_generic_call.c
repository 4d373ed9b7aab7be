/* test_generic_call.c: passteam_call and passteam_call_with_timeout: method names and their misuse. */
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

#define TEMPLATE_PARAMS "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}"

/* Calls passteam_call(method) and expects status; a non-OK reply must be an error object. */
static void call_expect(const PassteamClient *client, const char *method, const char *params, int32_t status)
{
    char *out = NULL;
    int32_t got = passteam_call(client, method, params, &out);

    CHECK_MSG(got == status, "passteam_call(%s, %s) = %d, wanted %d: %s", method ? method : "NULL",
              params ? params : "NULL", (int)got, (int)status, out ? out : "NULL");
    if (status == PASSTEAM_OK)
        CHECK(out != NULL && jm_valid(out));
    else
        CHECK_ERROR_OBJECT(out, status);
    passteam_string_free(out);
}

void test_generic_call(struct test_env *env)
{
    char *out = NULL;
    char message[512] = "";

    /* Any spelling of a name reaches the same operation. */
    call_expect(env->client, "gettemplate", TEMPLATE_PARAMS, PASSTEAM_OK);
    call_expect(env->client, "getTemplate", TEMPLATE_PARAMS, PASSTEAM_OK);
    call_expect(env->client, "get_template", TEMPLATE_PARAMS, PASSTEAM_OK);
    call_expect(env->client, "GET_TEMPLATE", TEMPLATE_PARAMS, PASSTEAM_OK);
    call_expect(env->client, "issueCard", "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                "{\"PHONE\": \"+79160000003\"}}", PASSTEAM_OK);

    /* An unknown method is refused before anything is sent, and the message names it. */
    CHECK_STATUS(passteam_call(env->client, "getCardz", TEMPLATE_PARAMS, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    jm_string(jm_get(out, "message"), message, sizeof message);
    CHECK_MSG(strstr(message, "getCardz") != NULL, "message \"%s\" does not name the method", message);
    passteam_string_free(out);

    call_expect(env->client, "", TEMPLATE_PARAMS, PASSTEAM_ERR_INVALID_ARGUMENT);
    call_expect(env->client, NULL, TEMPLATE_PARAMS, PASSTEAM_ERR_INVALID_ARGUMENT);
    call_expect(env->client, "get\xff\xfetemplate", TEMPLATE_PARAMS, PASSTEAM_ERR_INVALID_ARGUMENT);
    call_expect(env->client, "gettemplate", "{\"templateId\": \"\xc3\x28\"}", PASSTEAM_ERR_INVALID_ARGUMENT);
    call_expect(env->client, "gettemplate", "{\"templateId\": ", PASSTEAM_ERR_INVALID_JSON);
    call_expect(env->client, "gettemplate", "[\"" LOYALTY_TEMPLATE "\"]", PASSTEAM_ERR_INVALID_JSON);
    call_expect(env->client, "gettemplate", NULL, PASSTEAM_ERR_VALIDATION);
    call_expect(env->client, "gettemplate", "", PASSTEAM_ERR_VALIDATION);
    call_expect(env->client, "getlisttemplates", NULL, PASSTEAM_OK);
    call_expect(NULL, "gettemplate", TEMPLATE_PARAMS, PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(passteam_call(env->client, "gettemplate", TEMPLATE_PARAMS, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);

    /* passteam_call_with_timeout: 0 means the client's deadline; a generous one changes nothing. */
    out = NULL;
    CHECK_STATUS(passteam_call_with_timeout(env->client, "gettemplate", TEMPLATE_PARAMS, 0, &out), PASSTEAM_OK);
    CHECK(out != NULL && jm_string_is(jm_get(out, "templateId"), LOYALTY_TEMPLATE));
    passteam_string_free(out);
    out = NULL;
    CHECK_STATUS(passteam_call_with_timeout(env->client, "getTemplate", TEMPLATE_PARAMS, 30000, &out), PASSTEAM_OK);
    passteam_string_free(out);
    out = NULL;
    CHECK_STATUS(passteam_call_with_timeout(NULL, "gettemplate", TEMPLATE_PARAMS, 1000, &out),
                 PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    out = NULL;
    CHECK_STATUS(passteam_call_with_timeout(env->client, "nosuchmethod", NULL, 1000, &out),
                 PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    out = NULL;
    CHECK_STATUS(passteam_call_with_timeout(env->client, "gettemplate", "nope", 1000, &out), PASSTEAM_ERR_INVALID_JSON);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_JSON);
    passteam_string_free(out);
    CHECK_STATUS(passteam_call_with_timeout(env->client, "gettemplate", TEMPLATE_PARAMS, 1000, NULL),
                 PASSTEAM_ERR_INVALID_ARGUMENT);
}
