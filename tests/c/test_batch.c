/*
 * test_batch.c: passteam_call_batch against the sandbox: answers in input order, a failing item does not
 * stop the others, a batch that is not an array fails as a whole, and a NULL out_json runs nothing.
 */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

void test_batch(struct test_env *env)
{
    char *out = NULL;
    long status = -1;
    const char *requests = "[{\"method\": \"getlisttemplates\", \"params\": {}},"
                           " {\"method\": \"getcard\", \"params\": {\"cardId\": \"" UNKNOWN_CARD_ID "\"}},"
                           " {\"method\": \"gettemplate\", \"params\": {\"templateId\": \"" LOYALTY_TEMPLATE "\"}}]";

    CHECK_STATUS(passteam_call_batch(env->client, requests, NULL, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);

    CHECK_STATUS(passteam_call_batch(env->client, requests, "{\"concurrency\": 2}", &out), PASSTEAM_OK);
    CHECK_MSG(out != NULL && jm_valid(out) && jm_kind(out) == 'a' && jm_len(out) == 3, "batch: %s",
              out ? out : "NULL");
    if (out && jm_kind(out) == 'a' && jm_len(out) == 3) {
        CHECK(jm_long(jm_get(jm_at(out, 0), "status"), &status) && status == PASSTEAM_OK);
        CHECK(jm_long(jm_get(jm_at(out, 1), "status"), &status) && status == PASSTEAM_ERR_NOT_FOUND);
        CHECK(jm_get(jm_at(out, 1), "error") != NULL);
        CHECK(jm_long(jm_get(jm_at(out, 2), "status"), &status) && status == PASSTEAM_OK);
        CHECK(strstr(out, env->token) == NULL);
    }
    passteam_string_free(out);
    out = NULL;

    CHECK(passteam_call_batch(env->client, "{\"method\": \"getcard\"}", NULL, &out) != PASSTEAM_OK);
    CHECK(out != NULL);
    passteam_string_free(out);
}
