/*
 * test_general.c: the exports that need no server: versions, status names, the method table, the panic
 * guard, and the NULL no-ops of the free functions. Also checks the test's own JSON reader first, since
 * every other check leans on it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "ops.h"
#include "test_support.h"

static void json_reader_is_sane(void)
{
    const char *doc = "{\"a\": [1, {\"b\": \"x\\u00e9\\\"\"}], \"n\": -12, \"t\": true, \"z\": null}";
    char buf[16];
    long n = 0;

    CHECK(jm_valid(doc));
    CHECK(!jm_valid("{\"a\": 1,}"));
    CHECK(!jm_valid("[1 2]"));
    CHECK(!jm_valid("{\"a\": 01}"));
    CHECK(!jm_valid("\"raw\ncontrol\""));
    CHECK(!jm_valid("{} x"));
    CHECK(jm_len(jm_get(doc, "a")) == 2);
    CHECK(jm_string(jm_get(jm_at(jm_get(doc, "a"), 1), "b"), buf, sizeof buf) && strcmp(buf, "x\xc3\xa9\"") == 0);
    CHECK(jm_long(jm_get(doc, "n"), &n) && n == -12);
    CHECK(jm_bool(jm_get(doc, "t")) == 1);
    CHECK(jm_kind(jm_get(doc, "z")) == 'z');
    CHECK(jm_get(doc, "missing") == NULL);
}

static void versions(void)
{
    const char *v = passteam_version();
    uint32_t abi = passteam_abi_version();

    CHECK_MSG(v != NULL && isdigit((unsigned char)v[0]) && strchr(v, '.') != NULL, "version \"%s\"", v ? v : "NULL");
    CHECK(passteam_version() == v); /* static: the same string every time */
    CHECK_MSG(abi >> 16 == PASSTEAM_ABI_VERSION_MAJOR, "ABI major %u, header %d", (unsigned)(abi >> 16),
              PASSTEAM_ABI_VERSION_MAJOR);
    CHECK_MSG((abi & 0xFFFFu) >= PASSTEAM_ABI_VERSION_MINOR, "ABI minor %u, header %d", (unsigned)(abi & 0xFFFFu),
              PASSTEAM_ABI_VERSION_MINOR);
}

static void status_names(void)
{
    static const struct {
        int32_t code;
        const char *name;
    } known[] = {
        {PASSTEAM_OK, "PASSTEAM_OK"},
        {PASSTEAM_ERR_INVALID_ARGUMENT, "PASSTEAM_ERR_INVALID_ARGUMENT"},
        {PASSTEAM_ERR_INVALID_JSON, "PASSTEAM_ERR_INVALID_JSON"},
        {PASSTEAM_ERR_VALIDATION, "PASSTEAM_ERR_VALIDATION"},
        {PASSTEAM_ERR_TRANSPORT, "PASSTEAM_ERR_TRANSPORT"},
        {PASSTEAM_ERR_TIMEOUT, "PASSTEAM_ERR_TIMEOUT"},
        {PASSTEAM_ERR_AUTH, "PASSTEAM_ERR_AUTH"},
        {PASSTEAM_ERR_NOT_FOUND, "PASSTEAM_ERR_NOT_FOUND"},
        {PASSTEAM_ERR_CONFLICT, "PASSTEAM_ERR_CONFLICT"},
        {PASSTEAM_ERR_RATE_LIMITED, "PASSTEAM_ERR_RATE_LIMITED"},
        {PASSTEAM_ERR_API, "PASSTEAM_ERR_API"},
        {PASSTEAM_ERR_PROTOCOL, "PASSTEAM_ERR_PROTOCOL"},
        {PASSTEAM_QUEUED, "PASSTEAM_QUEUED"},
        {PASSTEAM_ERR_INTERNAL, "PASSTEAM_ERR_INTERNAL"},
    };
    static const int32_t unknown[] = {-1, 13, 14, 98, 100, INT32_MIN, INT32_MAX};
    size_t i;

    /* The numbers are the ABI: they must never move. */
    CHECK(PASSTEAM_OK == 0 && PASSTEAM_ERR_INVALID_ARGUMENT == 1 && PASSTEAM_ERR_PROTOCOL == 11);
    CHECK(PASSTEAM_ERR_INTERNAL == 99);
    for (i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *name = passteam_status_name(known[i].code);
        CHECK_MSG(name != NULL && strcmp(name, known[i].name) == 0, "status_name(%d) = %s, wanted %s",
                  (int)known[i].code, name ? name : "NULL", known[i].name);
    }
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *name = passteam_status_name(unknown[i]);
        CHECK_MSG(name != NULL && strcmp(name, "PASSTEAM_ERR_UNKNOWN") == 0, "status_name(%ld) = %s",
                  (long)unknown[i], name ? name : "NULL");
    }
}

static void method_table(void)
{
    const char *table = passteam_methods_json();
    char name[64];
    size_t i;
    size_t exported = 0;

    CHECK(table == passteam_methods_json());
    if (!CHECK(jm_valid(table) && jm_kind(table) == 'a'))
        return;
    /* Every per-operation export is in the table; operations newer than ABI 1.1 have none (they are
     * reached through passteam_call), so the table may hold more. */
    CHECK_MSG(jm_len(table) >= OPS_COUNT, "methods_json lists %lu operations, the header exports %lu",
              (unsigned long)jm_len(table), (unsigned long)OPS_COUNT);
    for (i = 0; i < jm_len(table); i++) {
        const char *m = jm_at(table, i);
        const struct op *op;
        if (!CHECK(jm_string(jm_get(m, "name"), name, sizeof name)))
            continue;
        op = op_named(name);
        if (op != NULL)
            exported++;
        CHECK_MSG(op == NULL || jm_string_is(jm_get(m, "snake"), op->snake), "%s: snake name differs from the export",
                  name);
        CHECK_MSG(jm_kind(jm_get(m, "camel")) == 's' && jm_kind(jm_get(m, "kind")) == 's' &&
                      jm_kind(jm_get(m, "params")) == 'a' && jm_bool(jm_get(m, "idempotent")) >= 0 &&
                      jm_bool(jm_get(m, "deprecated")) >= 0 && jm_kind(jm_get(m, "summary")) == 's',
                  "%s: incomplete method description", name);
    }
    CHECK_MSG(exported == OPS_COUNT, "%lu of the %lu exports are in methods_json", (unsigned long)exported,
              (unsigned long)OPS_COUNT);
    /* Spot checks of what the header's comments promise. */
    for (i = 0; i < jm_len(table); i++) {
        const char *m = jm_at(table, i);
        if (jm_string_is(jm_get(m, "name"), "createcard"))
            CHECK(jm_bool(jm_get(m, "idempotent")) == 0 && op_needs_params("createcard") == 1);
        if (jm_string_is(jm_get(m, "name"), "getcards"))
            CHECK(jm_bool(jm_get(m, "deprecated")) == 1);
    }
    CHECK(op_needs_params("getlisttemplates") == 0 && op_needs_params("getcard") == 1);
    CHECK(op_needs_params("no_such_method") == -1);
}

/* The schema lists every key passteam_client_new takes: each one, null (= the default), is accepted. */
static void config_schema(void)
{
    const char *schema = passteam_config_schema_json();
    const char *keys = jm_get(schema, "keys");
    char name[64];
    char config[128];
    size_t i;
    int saw_timeout = 0;

    CHECK(schema == passteam_config_schema_json());
    if (!CHECK(jm_valid(schema) && jm_kind(keys) == 'a' && jm_len(keys) > 10))
        return;
    for (i = 0; i < jm_len(keys); i++) {
        const char *key = jm_at(keys, i);
        PassteamClient *client = NULL;
        char *err = NULL;
        if (!CHECK(jm_string(jm_get(key, "name"), name, sizeof name)))
            continue;
        CHECK_MSG(jm_kind(jm_get(key, "type")) == 's' && jm_kind(jm_get(key, "doc")) == 's', "%s", name);
        if (strcmp(name, "timeout_ms") == 0)
            saw_timeout = jm_string_is(jm_get(key, "type"), "integer");
        snprintf(config, sizeof config, "{\"%s\": null}", name);
        CHECK_MSG(passteam_client_new(config, &client, &err) == PASSTEAM_OK, "%s: %s", name, err ? err : "");
        passteam_string_free(err);
        passteam_client_free(client);
    }
    CHECK(saw_timeout);
}

static void panics_stay_inside(struct test_env *env)
{
    char *out = NULL;
    char *again = NULL;

    CHECK_STATUS(passteam_debug_panic(&out), PASSTEAM_ERR_INTERNAL);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INTERNAL);
    passteam_string_free(out);
    CHECK_STATUS(passteam_debug_panic(NULL), PASSTEAM_ERR_INTERNAL);
    /* The client stays usable after a caught panic. */
    CHECK_STATUS(passteam_get_template(env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}", &again),
                 PASSTEAM_OK);
    passteam_string_free(again);
}

void test_general(struct test_env *env)
{
    json_reader_is_sane();
    versions();
    status_names();
    method_table();
    config_schema();
    panics_stay_inside(env);
    /* Documented no-ops. */
    passteam_string_free(NULL);
    passteam_client_free(NULL);
    CHECK(1);
}
