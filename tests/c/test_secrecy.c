/*
 * test_secrecy.c: the token never leaves the library in an error object or a log line, whatever fails.
 * A POS log or an error pasted into a support ticket must not hand out the merchant's API token.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_mini.h"
#include "sandbox_ctl.h"
#include "test_support.h"

#define TEMPLATE_PARAMS "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}"

static void check_no_token(const char *text, const char *context)
{
    CHECK_MSG(text != NULL && strstr(text, SECRET_TOKEN) == NULL, "%s leaks the token: %s", context,
              text ? text : "NULL");
}

static void refused_config(const char *config, const char *context)
{
    PassteamClient *client = NULL;
    char *err = NULL;

    CHECK_MSG(passteam_client_new(config, &client, &err) != PASSTEAM_OK, "%s: accepted", context);
    check_no_token(err, context);
    passteam_string_free(err);
    passteam_client_free(client);
}

/* Calls gettemplate with the secret client and checks status and reply. */
static void failing_call(const PassteamClient *client, int32_t status, uint64_t timeout_ms, const char *context)
{
    char *out = NULL;

    CHECK_MSG(passteam_call_with_timeout(client, "gettemplate", TEMPLATE_PARAMS, timeout_ms, &out) == status,
              "%s: wanted %s: %s", context, passteam_status_name(status), out ? out : "NULL");
    CHECK_ERROR_OBJECT(out, status);
    check_no_token(out, context);
    passteam_string_free(out);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    text = malloc((size_t)size + 1);
    if (text) {
        size_t got = fread(text, 1, (size_t)size, f);
        text[got] = '\0';
    }
    fclose(f);
    return text;
}

void test_secrecy(struct test_env *env)
{
#ifdef _WIN32
    /* In the working directory: a Windows path needs no escaping inside the config's JSON string. */
    char log_path[] = "passteam-c-log-XXXXXX";
#else
    char log_path[] = "/tmp/passteam-c-log-XXXXXX";
#endif
    char url[64];
    int fd = mkstemp(log_path);
    PassteamClient *client;
    PassteamClient *closed;
    char *log;

    refused_config("{\"token\": \"" SECRET_TOKEN "\", \"no_such_key\": 1}", "unknown key");
    refused_config("{\"token\": \"" SECRET_TOKEN "\", \"base_url\": \"http://example.com\"}", "plain http");
    refused_config("{\"token\": \"" SECRET_TOKEN "\", \"timeout_ms\": -5}", "negative timeout");
    refused_config("{\"token\": \"" SECRET_TOKEN "\", \"base_url\": \"not a url\"}",
                   "bad base_url");
    refused_config("{\"token\": \"" SECRET_TOKEN "\", \"log_level\": \"verbose\"}", "bad log level");

    if (!CHECK(fd >= 0))
        return;
    close(fd);
    client = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"" SECRET_TOKEN "\", \"max_attempts\": 1, "
                        "\"timeout_ms\": " GENEROUS_TIMEOUT_MS ", \"log_file\": \"%s\", \"log_level\": \"debug\"}",
                        env->base_url, log_path);
    if (client) {
        failing_call(client, PASSTEAM_ERR_AUTH, 0, "a rejected token");
        CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"*\", \"kind\": \"garbage\", \"times\": 1}"));
        failing_call(client, PASSTEAM_ERR_PROTOCOL, 0, "a garbage reply");
        CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"*\", \"kind\": \"status\", \"status\": 503, "
                                               "\"times\": 1}"));
        failing_call(client, PASSTEAM_ERR_TRANSPORT, 0, "a 503");
        CHECK(sandbox_add_fault(env->base_url, "{\"method\": \"*\", \"kind\": \"delay\", \"delay_ms\": 5000, "
                                               "\"times\": 1}"));
        failing_call(client, PASSTEAM_ERR_TIMEOUT, 300, "a timeout");
        passteam_client_free(client);
    }

    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_local_port());
    closed = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"" SECRET_TOKEN "\", \"max_attempts\": 1, "
                        "\"log_file\": \"%s\", \"log_level\": \"debug\"}", url, log_path);
    if (closed) {
        failing_call(closed, PASSTEAM_ERR_TRANSPORT, 0, "a refused connection");
        passteam_client_free(closed);
    }

    log = read_file(log_path);
    CHECK_MSG(log != NULL && strlen(log) > 0, "debug log %s is empty", log_path);
    check_no_token(log, "the debug log");
    free(log);
    remove(log_path);
}
