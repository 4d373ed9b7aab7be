/*
 * test_operations.c: every operation export with valid params against the sandbox, in an order that
 * builds the state the next one needs (a card, a product), checking one telling field of each result.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "ops.h"
#include "test_support.h"

#define CUSTOMER_PHONE "+79160000001"
#define SCENARIO_PHONE "+79160000002"
#define ID_SIZE 64
#define ISSUE_PARAMS \
    "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": {\"PHONE\": \"" SCENARIO_PHONE "\"}}"

struct step {
    const char *method;
    const char *params;  /* JSON, with {CARD}, {PRODUCT}, {TOKEN} placeholders; NULL = no params */
    char kind;           /* the result's JSON kind */
    const char *key;     /* a member of the result to look at, or NULL for the result itself */
    const char *want;    /* its exact JSON text (placeholders allowed), or NULL to only capture it */
    char *capture;       /* when set, the member's string value is stored here (ID_SIZE bytes) */
};

void test_operations(struct test_env *env)
{
    static char card[ID_SIZE];
    static char product[ID_SIZE];
    const struct step steps[] = {
        {"getatoken", "{\"nickname\": \"demo\", \"password\": \"demo\"}", 'o', "token", "\"{TOKEN}\"", NULL},
        {"getlisttemplates", NULL, 'a', NULL, NULL, NULL},
        {"gettemplate", "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}", 'o', "templateId", "\"" LOYALTY_TEMPLATE "\"",
         NULL},
        {"createcard",
         "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": {\"PHONE\": \"" CUSTOMER_PHONE
         "\", \"%CLIENT_NAME%\": \"Ivan\", \"BONUS\": \"5\"}}",
         'o', "cardId", NULL, card},
        {"getcard", "{\"cardId\": \"{CARD}\"}", 'o', "cardId", "\"{CARD}\"", NULL},
        {"updatecard", "{\"cardId\": \"{CARD}\", \"values\": {\"BONUS\": \"10\"}}", 'o', "updated", "true", NULL},
        {"getcardswithpagination", "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"page\": 1, \"perPage\": 10}", 'o',
         "cardsCount", "1", NULL},
        {"checkvariablevalue", "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": {\"PHONE\": \"" CUSTOMER_PHONE
         "\"}}", 'o', "unique", "false", NULL},
        {"distribute", "{\"cardId\": \"{CARD}\", \"type\": \"sms\"}", 'b', NULL, "true", NULL},
        {"updatecards", "{\"cardId\": \"{CARD}\", \"values\": {\"BONUS\": \"11\"}}", 'o', "processed", "1", NULL},
        {"gettemplates", "", 'a', NULL, NULL, NULL},
        {"getcards", "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}", 'a', NULL, NULL, NULL},
        {"sendpush", "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"message\": \"Double bonus today\"}", 'b', NULL,
         "true", NULL},
        {"getsale", "{\"id\": \"" SEED_SALE_ID "\"}", 'o', "id", "\"" SEED_SALE_ID "\"", NULL},
        {"updatesale",
         "{\"id\": \"" SEED_SALE_ID "\", \"title\": \"Evening tea\", \"paymentType\": \"CASH\", \"paymentStatus\": "
         "\"PAID\", \"totalPrice\": 300, \"cardId\": \"{CARD}\", \"products\": [{\"_id\": \"p1\", \"name\": \"Tea\", "
         "\"quantity\": 2, \"price\": 150}], \"clientName\": \"Ivan\"}",
         'o', "title", "\"Evening tea\"", NULL},
        {"createproduct", "{\"companyId\": \"" COMPANY_ID "\", \"name\": \"Tea\", \"price\": 150}", 'o', "_id", NULL,
         product},
        {"updateproduct", "{\"id\": \"{PRODUCT}\", \"price\": 170}", 'o', "price", "170", NULL},
        {"listproducts", "{\"companyId\": \"" COMPANY_ID "\", \"page\": 1, \"perPage\": 10}", 'o', "pageCount", "1",
         NULL},
        {"deleteproduct", "{\"id\": \"{PRODUCT}\"}", 'b', NULL, "true", NULL},
        {"issuecard", ISSUE_PARAMS, 'o', "created", "true", NULL},
        /* Exactly once: the second issue finds the first card. */
        {"issuecard", ISSUE_PARAMS, 'o', "created", "false", NULL},
        {"updateclient",
         "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"find\": {\"PHONE\": \"" SCENARIO_PHONE
         "\"}, \"values\": {\"BONUS\": \"3\"}}",
         'o', "updated", "true", NULL},
        {"deletecard", "{\"cardId\": \"{CARD}\"}", 'o', "n", "1", NULL},
        {"deletesale", "{\"id\": \"" SEED_SALE_ID "\"}", 'b', NULL, "true", NULL},
    };
    size_t i;
    size_t covered = 0;

    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *s = &steps[i];
        const struct op *op = op_named(s->method);
        char params[1024];
        char want[256];
        char *out = NULL;
        const char *value;
        int32_t status;

        if (!CHECK_MSG(op != NULL, "no export for %s", s->method))
            continue;
        fill_template(params, sizeof params, s->params ? s->params : "", "CARD", card, "PRODUCT", product, "TOKEN",
                      env->token, (const char *)NULL);
        status = op->call(env->client, s->params ? params : NULL, &out);
        CHECK_MSG(status == PASSTEAM_OK, "passteam_%s(%s) = %d: %s", op->snake, params, (int)status,
                  out ? out : "NULL");
        if (CHECK_MSG(out != NULL && jm_valid(out) && jm_kind(out) == s->kind, "passteam_%s: result %s, wanted kind %c",
                      op->snake, out ? out : "NULL", s->kind)) {
            value = s->key ? jm_get(out, s->key) : out;
            if (s->want) {
                fill_template(want, sizeof want, s->want, "CARD", card, "TOKEN", env->token, (const char *)NULL);
                CHECK_MSG(jm_raw_is(value, want), "passteam_%s: %s should be %s in %s", op->snake,
                          s->key ? s->key : "result", want, out);
            }
            if (s->capture)
                CHECK_MSG(jm_string(value, s->capture, ID_SIZE), "passteam_%s: no string %s in %s", op->snake,
                          s->key, out);
        }
        passteam_string_free(out);
    }

    /* Every export of the table was called with valid params at least once. */
    for (i = 0; i < OPS_COUNT; i++) {
        size_t j;
        int seen = 0;
        for (j = 0; j < sizeof steps / sizeof steps[0]; j++)
            seen |= strcmp(steps[j].method, OPS[i].name) == 0;
        CHECK_MSG(seen, "passteam_%s is never called with valid params", OPS[i].snake);
        covered += (size_t)seen;
    }
    CHECK(covered == OPS_COUNT);
}
