/*
 * outbox.c: the offline outbox on Windows (issue 12), shorter than the Linux harness's: an update made while
 * Passteam is unreachable is queued (КодОшибки = 12, nothing raised), ОчередьСостояние counts it, and
 * ОчередьОтправить sends it once the sandbox is reachable (the card then has the new balance).
 */
/* Before anything that includes windows.h, which would pull in the older winsock.h. */
#include <winsock2.h>

#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Relative: the harness runs in a folder of its own (run-tests-windows.sh). */
#define OUTBOX_FILE "outbox-test.sqlite"

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* The whole number after "key": in a JSON text (first occurrence), -1 when absent. */
static long json_number(const char *json, const char *key)
{
    char pattern[64];
    const char *at;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    at = json ? strstr(json, pattern) : NULL;
    return at ? strtol(at + strlen(pattern), NULL, 10) : -1;
}

/* A 127.0.0.1 port nothing listens on: bound by the OS, then closed again (0 on failure). */
static int closed_port(void)
{
    WSADATA wsa;
    SOCKET s;
    struct sockaddr_in addr;
    int len = (int)sizeof addr, port = 0;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 0;
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s != INVALID_SOCKET) {
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(s, (struct sockaddr *)&addr, sizeof addr) == 0 &&
            getsockname(s, (struct sockaddr *)&addr, &len) == 0)
            port = ntohs(addr.sin_port);
        closesocket(s);
    }
    WSACleanup();
    return port;
}

static void remove_outbox(void)
{
    remove(OUTBOX_FILE);
    remove(OUTBOX_FILE "-wal");
    remove(OUTBOX_FILE "-shm");
}

void test_outbox(Component *c, FakePlatform *platform, const char *base_url, const char *token)
{
    char down[512], up[512], plain[512], params[256], card_id[64] = "";
    const char *args[2] = {NULL, NULL};
    const char *at;
    int port = closed_port(), errors_before;
    Result r;

    CHECK(port > 0);
    remove_outbox();
    snprintf(down, sizeof down,
             "{\"token\": \"%s\", \"base_url\": \"http://127.0.0.1:%d\", \"max_attempts\": 1, "
             "\"outbox_path\": \"" OUTBOX_FILE "\", \"outbox_replay\": \"manual\"}",
             token, port);
    snprintf(up, sizeof up,
             "{\"token\": \"%s\", \"base_url\": \"%s\", \"max_attempts\": 1, "
             "\"outbox_path\": \"" OUTBOX_FILE "\", \"outbox_replay\": \"manual\"}",
             token, base_url);
    snprintf(plain, sizeof plain, "{\"token\": \"%s\", \"base_url\": \"%s\"}", token, base_url);

    /* A customer's card, issued while Passteam is reachable. */
    CHECK(set_prop_text(c, "Настройки", up));
    args[0] = "{\"templateId\": \"5e424c181dbf0d537c8b4569\", \"values\": {\"PHONE\": \"+79160000043\", \"BONUS\": 0}}";
    r = call(c, "ВыдатьКарту", args);
    CHECK_MSG(r.ok, r.text);
    at = strstr(r.text ? r.text : "", "\"cardId\":\"");
    if (at)
        snprintf(card_id, sizeof card_id, "%.24s", at + strlen("\"cardId\":\""));
    CHECK_MSG(strlen(card_id) == 24, r.text);
    result_free(&r);

    /* The network is down: the update is queued, and nothing is raised. */
    CHECK(set_prop_text(c, "Settings", down));
    errors_before = platform->errors;
    snprintf(params, sizeof params, "{\"cardId\": \"%s\", \"values\": {\"BONUS\": 42}}", card_id);
    args[0] = params;
    r = call(c, "ОбновитьКарту", args);
    CHECK_MSG(r.ok && contains(r.text, "\"status\":12") && json_number(r.text, "outbox_id") > 0, r.text);
    printf("queued as outbox entry %ld while Passteam was down\n", json_number(r.text, "outbox_id"));
    CHECK_MSG(!contains(r.text, token), "the queued object shows the token");
    result_free(&r);
    CHECK(platform->errors == errors_before);
    r = get_prop(c, "КодОшибки");
    CHECK(r.ok && r.vt == VTYPE_I4 && r.i4 == 12);
    result_free(&r);
    r = call(c, "ОчередьСостояние", NULL);
    CHECK_MSG(r.ok && json_number(r.text, "pending") == 1 && json_number(r.text, "dead") == 0, r.text);
    result_free(&r);

    /* Reachable again: ОчередьОтправить (МаксМс left to its default) sends it. */
    CHECK(set_prop_text(c, "Settings", up));
    r = call(c, "OutboxFlush", NULL);
    CHECK_MSG(r.ok && json_number(r.text, "sent") == 1 && json_number(r.text, "pending") == 0, r.text);
    printf("flushed once the sandbox was reachable: %s\n", r.text ? r.text : "");
    result_free(&r);
    snprintf(params, sizeof params, "{\"cardId\": \"%s\"}", card_id);
    r = call(c, "ПолучитьКарту", args);
    CHECK_MSG(r.ok && contains(r.text, "\"%BONUS%\":\"42\""), r.text);
    result_free(&r);
    r = call(c, "OutboxStats", NULL);
    CHECK_MSG(r.ok && json_number(r.text, "pending") == 0, r.text);
    result_free(&r);

    /* The plain settings close the outbox file. */
    CHECK(set_prop_text(c, "Settings", plain));
    remove_outbox();
}
