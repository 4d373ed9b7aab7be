/*
 * test_error_statuses.c: every error status of the ABI, provoked for real against the sandbox (or its
 * fault injection), each with its error object. The statuses a caller branches on must not drift.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "sandbox_ctl.h"
#include "test_support.h"

#define TEMPLATE_PARAMS "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}"
#define CONFLICT_PHONE "+79160000010"

/* Runs op and checks the status and the error object; returns the reply for further checks (or NULL). */
static char *provoke(int32_t (*op)(const PassteamClient *, const char *, char **), const PassteamClient *client,
                     const char *params, int32_t status, const char *why)
{
    char *out = NULL;
    int32_t got = op(client, params, &out);

    CHECK_MSG(got == status, "%s: got %d (%s), wanted %d (%s): %s", why, (int)got, passteam_status_name(got),
              (int)status, passteam_status_name(status), out ? out : "NULL");
    CHECK_ERROR_OBJECT(out, status);
    return out;
}

static void client_side(struct test_env *env)
{
    char *out = NULL;
    char log[4096] = "";

    /* Refused before anything is sent: the sandbox's request log must stay empty. */
    CHECK(sandbox_request(env->base_url, "DELETE", "/_sandbox/requests", NULL, NULL, 0) == 200);
    passteam_string_free(provoke(passteam_get_card, env->client, "{}", PASSTEAM_ERR_VALIDATION, "getcard {}"));
    passteam_string_free(provoke(passteam_get_card, env->client, "not json", PASSTEAM_ERR_INVALID_JSON, "not json"));
    passteam_string_free(provoke(passteam_distribute, env->client, "{\"cardId\": \"" UNKNOWN_CARD_ID "\", "
                                 "\"type\": \"fax\"}", PASSTEAM_ERR_VALIDATION, "distribute by fax"));
    CHECK_STATUS(passteam_call(env->client, "noSuchMethod", "{}", &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    CHECK(sandbox_request(env->base_url, "GET", "/_sandbox/requests", NULL, log, sizeof log) == 200);
    CHECK_MSG(jm_valid(log) && jm_kind(log) == 'a' && jm_len(log) == 0, "requests reached the sandbox: %s", log);
}

static void server_side(struct test_env *env)
{
    char first[64] = "";
    char *out = NULL;
    const char *ids;
    char message[512] = "";
    long http = 0;

    out = provoke(passteam_get_card, env->client, "{\"cardId\": \"" UNKNOWN_CARD_ID "\"}", PASSTEAM_ERR_NOT_FOUND,
                  "unknown card");
    CHECK(jm_long(jm_get(out, "http_status"), &http) && http == 404);
    CHECK(jm_bool(jm_get(out, "retryable")) == 0);
    passteam_string_free(out);

    /* The same unique phone twice: 409, and details.cardIds names the card that holds it. */
    out = NULL;
    CHECK_STATUS(passteam_create_card(env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                                      "{\"PHONE\": \"" CONFLICT_PHONE "\"}}", &out), PASSTEAM_OK);
    jm_string(jm_get(out, "cardId"), first, sizeof first);
    passteam_string_free(out);
    out = provoke(passteam_create_card, env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                  "{\"PHONE\": \"" CONFLICT_PHONE "\"}}", PASSTEAM_ERR_CONFLICT, "duplicate phone");
    ids = jm_get(jm_get(out, "details"), "cardIds");
    CHECK_MSG(jm_len(ids) == 1 && jm_string_is(jm_at(ids, 0), first), "cardIds should be [\"%s\"]: %s", first, out);
    CHECK(jm_long(jm_get(out, "http_status"), &http) && http == 409);
    passteam_string_free(out);

    /* A unique variable left out: the server's 500 is an API error with the server's message. */
    out = provoke(passteam_create_card, env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                  "{\"CLIENT_NAME\": \"Nobody\"}}", PASSTEAM_ERR_API, "createcard without PHONE");
    jm_string(jm_get(out, "message"), message, sizeof message);
    CHECK_MSG(strstr(message, "unique and must be set") != NULL, "message: %s", message);
    passteam_string_free(out);
}

/*
 * The server's "You can only make N requests per hour" is RATE_LIMITED; the client then holds its own
 * calls back until the hour is over instead of hammering the API, so each case gets a fresh client.
 */
static void rate_limited(struct test_env *env)
{
    const char *config = "{\"base_url\": \"%s\", \"token\": \"%s\", \"max_attempts\": 1}";
    PassteamClient *client = NEW_CLIENT(config, env->base_url, env->token);
    char log[4096] = "";
    char *out;

    CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"gettemplate\", \"kind\": \"status\", \"status\": 429, "
                                           "\"times\": 1}"));
    passteam_string_free(provoke(passteam_get_template, client, TEMPLATE_PARAMS, PASSTEAM_ERR_RATE_LIMITED, "429"));
    CHECK(sandbox_request(env->base_url, "DELETE", "/_sandbox/requests", NULL, NULL, 0) == 200);
    out = provoke(passteam_get_template, client, TEMPLATE_PARAMS, PASSTEAM_ERR_RATE_LIMITED, "held back");
    CHECK_MSG(jm_kind(jm_get(out, "retry_after_ms")) == 'n', "no retry_after_ms in %s", out);
    passteam_string_free(out);
    CHECK(sandbox_request(env->base_url, "GET", "/_sandbox/requests", NULL, log, sizeof log) == 200);
    CHECK_MSG(jm_valid(log) && jm_len(log) == 0, "a held-back call reached the sandbox: %s", log);
    passteam_client_free(client);

    client = NEW_CLIENT(config, env->base_url, env->token);
    CHECK(sandbox_request(env->base_url, "POST", "/_sandbox/quota", "{\"per_hour\": 0, \"status\": 429}", NULL, 0)
          == 200);
    passteam_string_free(provoke(passteam_get_template, client, TEMPLATE_PARAMS, PASSTEAM_ERR_RATE_LIMITED,
                                 "quota spent"));
    CHECK(sandbox_request(env->base_url, "POST", "/_sandbox/quota", "{\"per_hour\": null}", NULL, 0) == 200);
    passteam_client_free(client);
}

static void injected(struct test_env *env)
{
    /* One attempt only: these tests are about the status of a single failure, not about retries. */
    PassteamClient *client = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\", \"max_attempts\": 1, "
                                        "\"timeout_ms\": " GENEROUS_TIMEOUT_MS "}", env->base_url, env->token);
    PassteamClient *closed;
    char url[64];
    char *out = NULL;
    long started;

    if (!client)
        return;
    CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"gettemplate\", \"kind\": \"garbage\", \"times\": 1}"));
    passteam_string_free(provoke(passteam_get_template, client, TEMPLATE_PARAMS, PASSTEAM_ERR_PROTOCOL, "garbage"));

    CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"gettemplate\", \"kind\": \"status\", \"status\": 502, "
                                           "\"times\": 1}"));
    out = provoke(passteam_get_template, client, TEMPLATE_PARAMS, PASSTEAM_ERR_TRANSPORT, "502");
    CHECK(jm_bool(jm_get(out, "retryable")) == 1);
    passteam_string_free(out);

    /* A lost createcard reply: the card may exist, and the error says so. */
    CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"createcard\", \"kind\": \"drop\", \"times\": 1, "
                                           "\"after_processing\": true}"));
    out = provoke(passteam_create_card, client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                  "{\"PHONE\": \"+79160000011\"}}", PASSTEAM_ERR_TRANSPORT, "dropped createcard");
    CHECK_MSG(jm_string_is(jm_get(out, "outcome"), "unknown"), "no \"outcome\": \"unknown\" in %s", out);
    passteam_string_free(out);

    /* A per-call deadline shorter than the server's delay: TIMEOUT, well before the delay ends. */
    CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"gettemplate\", \"kind\": \"delay\", \"delay_ms\": 8000, "
                                           "\"times\": 1}"));
    started = now_ms();
    CHECK_STATUS(passteam_call_with_timeout(client, "gettemplate", TEMPLATE_PARAMS, 500, &out), PASSTEAM_ERR_TIMEOUT);
    CHECK_MSG(now_ms() - started < 6000, "the 500 ms deadline took %ld ms", now_ms() - started);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_TIMEOUT);
    passteam_string_free(out);

    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_local_port());
    closed = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\", \"max_attempts\": 1}", url, env->token);
    passteam_string_free(provoke(passteam_get_template, closed, TEMPLATE_PARAMS, PASSTEAM_ERR_TRANSPORT,
                                 "closed port"));
    passteam_client_free(closed);

    passteam_client_free(client);
}

void test_error_statuses(struct test_env *env)
{
    PassteamClient *wrong = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"not-the-token\"}", env->base_url);
    char *out = NULL;
    long http = 0;

    client_side(env);
    server_side(env);
    injected(env);
    rate_limited(env);
    out = provoke(passteam_get_template, wrong, TEMPLATE_PARAMS, PASSTEAM_ERR_AUTH, "wrong token");
    CHECK(jm_long(jm_get(out, "http_status"), &http) && (http == 401 || http == 403));
    passteam_string_free(out);
    passteam_client_free(wrong);
    out = NULL;
    CHECK_STATUS(passteam_debug_panic(&out), PASSTEAM_ERR_INTERNAL);
    passteam_string_free(out);
}
