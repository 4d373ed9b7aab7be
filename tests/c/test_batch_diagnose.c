/* passteam_call_batch and passteam_diagnose (ABI 1.3 and 1.2) from C: results in input order, per-item
 * errors, the NULL rules, and a diagnosis report against the sandbox. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

static void batch(struct test_env *env)
{
    char *out = NULL;
    const char *entries;

    CHECK_STATUS(passteam_call_batch(env->client,
                                     "[{\"method\": \"getlisttemplates\", \"params\": {}},"
                                     " {\"method\": \"noSuchMethod\", \"params\": {}}]",
                                     "{\"concurrency\": 2}", &out),
                 PASSTEAM_OK);
    entries = out;
    if (CHECK(jm_valid(entries) && jm_kind(entries) == 'a' && jm_len(entries) == 2)) {
        long first = -1;
        long second = -1;
        CHECK(jm_long(jm_get(jm_at(entries, 0), "status"), &first) && first == PASSTEAM_OK);
        CHECK(jm_kind(jm_get(jm_at(entries, 0), "result")) == 'a');
        CHECK(jm_long(jm_get(jm_at(entries, 1), "status"), &second) && second == PASSTEAM_ERR_INVALID_ARGUMENT);
        CHECK(jm_kind(jm_get(jm_at(entries, 1), "error")) == 'o');
    }
    passteam_string_free(out);

    /* Not an array: the batch itself fails, with the error object. */
    out = NULL;
    CHECK(passteam_call_batch(env->client, "{\"method\": \"getcard\"}", NULL, &out) != PASSTEAM_OK);
    CHECK(out != NULL && jm_kind(jm_get(out, "status")) == 'n');
    passteam_string_free(out);

    /* NULL out_json: nothing runs. */
    CHECK_STATUS(passteam_call_batch(env->client, "[]", NULL, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
}

static void diagnose(struct test_env *env)
{
    char *out = NULL;

    CHECK_STATUS(passteam_diagnose(env->client, &out), PASSTEAM_OK);
    CHECK(out != NULL && jm_valid(out) && jm_kind(jm_get(out, "checks")) == 'a' && jm_len(jm_get(out, "checks")) > 0);
    passteam_string_free(out);

    out = NULL;
    CHECK_STATUS(passteam_diagnose(NULL, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    CHECK_STATUS(passteam_diagnose(env->client, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
}

void test_batch_and_diagnose(struct test_env *env)
{
    batch(env);
    diagnose(env);
}
