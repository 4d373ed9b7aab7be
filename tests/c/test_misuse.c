/*
 * test_misuse.c: each of the 23 operation exports with every kind of bad input a C caller can produce.
 * None may crash, each must return its documented status and (when there is an out_json) an error object.
 */
#include <stdio.h>

#include "check.h"
#include "json_mini.h"
#include "ops.h"
#include "sandbox_ctl.h"
#include "test_support.h"

/* Calls op with params and expects status: an error object on failure, valid JSON on success. */
static void expect(const struct op *op, const PassteamClient *client, const char *params, int32_t status,
                   const char *what)
{
    char *out = NULL;
    int32_t got = op->call(client, params, &out);

    CHECK_MSG(got == status, "passteam_%s with %s = %d (%s), wanted %d (%s): %s", op->snake, what, (int)got,
              passteam_status_name(got), (int)status, passteam_status_name(status), out ? out : "NULL");
    if (status == PASSTEAM_OK)
        CHECK_MSG(out != NULL && jm_valid(out), "passteam_%s with %s: result %s", op->snake, what, out ? out : "NULL");
    else
        CHECK_ERROR_OBJECT(out, status);
    passteam_string_free(out);
}

/* With out_json NULL nothing is sent, not even a valid non-idempotent request. */
static void null_out_sends_nothing(struct test_env *env)
{
    const char *params = "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": {\"PHONE\": \"+79160000099\"}}";
    char log[4096] = "";

    CHECK(sandbox_request(env->base_url, "DELETE", "/_sandbox/requests", NULL, NULL, 0) == 200);
    CHECK_STATUS(passteam_create_card(env->client, params, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(passteam_issue_card(env->client, params, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(passteam_call(env->client, "createcard", params, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(passteam_call_with_timeout(env->client, "createcard", params, 5000, NULL),
                 PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK(sandbox_request(env->base_url, "GET", "/_sandbox/requests", NULL, log, sizeof log) == 200);
    CHECK_MSG(jm_valid(log) && jm_len(log) == 0, "calls without out_json reached the sandbox: %s", log);
}

void test_misuse(struct test_env *env)
{
    size_t i;

    null_out_sends_nothing(env);

    for (i = 0; i < OPS_COUNT; i++) {
        const struct op *op = &OPS[i];
        int needs = op_needs_params(op->name);
        int32_t empty = needs ? PASSTEAM_ERR_VALIDATION : PASSTEAM_OK;

        CHECK_MSG(needs >= 0, "%s is not in passteam_methods_json", op->name);
        expect(op, NULL, "{}", PASSTEAM_ERR_INVALID_ARGUMENT, "a NULL client");
        CHECK_MSG(op->call(env->client, "{}", NULL) == PASSTEAM_ERR_INVALID_ARGUMENT, "passteam_%s: NULL out_json",
                  op->snake);
        CHECK_MSG(op->call(NULL, NULL, NULL) == PASSTEAM_ERR_INVALID_ARGUMENT, "passteam_%s: all NULL", op->snake);
        expect(op, env->client, NULL, empty, "NULL params");
        expect(op, env->client, "", empty, "\"\" params");
        expect(op, env->client, " \n ", empty, "blank params");
        expect(op, env->client, "{\"templateId\": \"\xff\xfe\"}", PASSTEAM_ERR_INVALID_ARGUMENT, "invalid UTF-8");
        expect(op, env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\",", PASSTEAM_ERR_INVALID_JSON,
               "broken JSON");
        expect(op, env->client, "not json", PASSTEAM_ERR_INVALID_JSON, "text");
        expect(op, env->client, "[{\"templateId\": \"" LOYALTY_TEMPLATE "\"}]", PASSTEAM_ERR_INVALID_JSON,
               "an array");
        expect(op, env->client, "42", PASSTEAM_ERR_INVALID_JSON, "a number");
    }
}
