/*
 * test_webhooks.c: the webhook exports from C: parse, a receiver on 127.0.0.1 that the test posts to
 * over a plain socket, next/ack, a restart on the same store, and NULL arguments. Under valgrind this
 * also proves that the receiver's threads and the store leak nothing once the server is freed.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_mini.h"
#include "sandbox_ctl.h"
#include "test_support.h"

#define SECRET "/passteam/hooks-5e4515b1cea6c61f"
#define EVENT(id, event) \
    "{\"webhookId\": \"" id "\", \"event\": \"" event "\", \"card\": {\"cardId\": \"5e451571cea6c6141807b792\"}}"

static void parse_checks(void)
{
    char *out = NULL;

    CHECK_STATUS(passteam_webhook_parse(EVENT("w1", "UNINSTALLCARD"), &out), PASSTEAM_OK);
    CHECK(out && jm_string_is(jm_get(out, "event"), "unInstallCard"));
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_parse("{\"webhookId\": \"w\", \"event\": \"createCard\"}", &out),
                 PASSTEAM_ERR_PROTOCOL);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_PROTOCOL);
    CHECK(out && strstr(out, "card") != NULL);
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_parse(NULL, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_parse("{}", NULL), PASSTEAM_ERR_INVALID_ARGUMENT);
}

static PassteamWebhookServer *start(const char *store, char *base_url, size_t size)
{
    char config[512];
    PassteamWebhookServer *server = NULL;
    char *err = NULL, *info = NULL;
    char listen[64];

    snprintf(config, sizeof config, "{\"path\": \"" SECRET "\", \"store_path\": \"%s\"}", store);
    if (!CHECK_STATUS(passteam_webhook_server_start(config, &server, &err), PASSTEAM_OK) || !server) {
        fprintf(stderr, "%s\n", err ? err : "");
        passteam_string_free(err);
        return NULL;
    }
    CHECK(err == NULL);
    CHECK_STATUS(passteam_webhook_server_info(server, &info), PASSTEAM_OK);
    CHECK(jm_string(jm_get(info, "listen"), listen, sizeof listen));
    snprintf(base_url, size, "http://%s", listen);
    passteam_string_free(info);
    return server;
}

void test_webhooks(struct test_env *env)
{
    char store[128], base_url[96], reply[512];
    PassteamWebhookServer *server;
    char *out = NULL, *err = NULL;
    (void)env;

    parse_checks();
    snprintf(store, sizeof store, "/tmp/passteam-c-webhooks-%ld.sqlite", (long)getpid());
    unlink(store);

    server = start(store, base_url, sizeof base_url);
    if (!server)
        return;
    CHECK_STATUS(passteam_webhook_next(server, 50, &out), PASSTEAM_OK);
    CHECK(out && strcmp(out, "null") == 0);
    passteam_string_free(out);

    CHECK(sandbox_request(base_url, "POST", SECRET, EVENT("c-1", "installCard"), reply, sizeof reply) == 200);
    CHECK(sandbox_request(base_url, "POST", SECRET, EVENT("c-1", "installCard"), reply, sizeof reply) == 200);
    CHECK(strstr(reply, "\"duplicate\":true") != NULL);
    CHECK(sandbox_request(base_url, "POST", SECRET, EVENT("c-2", "unInstallCard"), NULL, 0) == 200);
    CHECK(sandbox_request(base_url, "POST", SECRET, "{\"webhookId\": 1}", reply, sizeof reply) == 400);
    CHECK(sandbox_request(base_url, "POST", "/other", EVENT("c-3", "installCard"), NULL, 0) == 404);
    CHECK(sandbox_request(base_url, "GET", SECRET, NULL, NULL, 0) == 405);

    CHECK_STATUS(passteam_webhook_next(server, 1000, &out), PASSTEAM_OK);
    CHECK(out && jm_string_is(jm_get(out, "webhookId"), "c-1"));
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_ack(server, "c-1", &out), PASSTEAM_OK);
    CHECK(out && jm_bool(jm_get(out, "acked")) == 1);
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_ack(server, "unknown", &out), PASSTEAM_ERR_NOT_FOUND);
    CHECK_ERROR_OBJECT(out, PASSTEAM_ERR_NOT_FOUND);
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_ack(NULL, "c-1", &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    CHECK_STATUS(passteam_webhook_next(NULL, 0, &out), PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(out);
    passteam_webhook_server_free(server);
    passteam_webhook_server_free(NULL);

    /* c-2 was never acknowledged: a new receiver on the same store hands it out first. */
    server = start(store, base_url, sizeof base_url);
    if (!server)
        return;
    CHECK_STATUS(passteam_webhook_next(server, 0, &out), PASSTEAM_OK);
    CHECK(out && jm_string_is(jm_get(out, "webhookId"), "c-2"));
    passteam_string_free(out);
    passteam_webhook_server_free(server);

    CHECK_STATUS(passteam_webhook_server_start("{\"path\": \"/short\", \"store_path\": \"/tmp/x\"}", &server, &err),
                 PASSTEAM_ERR_INVALID_ARGUMENT);
    CHECK(server == NULL);
    CHECK_ERROR_OBJECT(err, PASSTEAM_ERR_INVALID_ARGUMENT);
    passteam_string_free(err);
    unlink(store);
}
