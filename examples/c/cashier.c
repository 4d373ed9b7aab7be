/*
 * cashier.c: a point-of-sale flow over libpassteam's C ABI.
 *
 *   1. find the customer's card by phone (getcard by templateId + PHONE; NOT_FOUND = a new customer),
 *   2. issue a card to a new customer (the issuecard scenario: exactly once, even if a reply is lost),
 *   3. accrue the purchase's bonus points (read %BONUS%, add, updatecard),
 *   4. send the card's link by SMS (distribute),
 *   5. print the first page of the template's cards.
 *
 * Offline (--outbox FILE): the client keeps an outbox and the last-known cards in FILE. When Passteam
 * cannot be reached, the card comes from the last one seen (marked stale) and the bonus update is stored
 * (PASSTEAM_QUEUED): the sale goes on. `cashier --outbox FILE --flush` later sends what is queued.
 *
 * Usage: cashier [--base-url URL] [--token TOKEN] [--template ID] [--phone +7...] [--points N]
 *                [--outbox FILE [--flush]]
 * The base URL and token default to $PASSTEAM_BASE_URL and $PASSTEAM_TOKEN. Exit status: 0 on success,
 * 1 when a call fails unexpectedly, 2 on bad usage.
 *
 * The replies are JSON. A real POS would use its JSON library; to stay dependency-free this example
 * reads the few fields it needs with a small scanner (json_text below), which is enough for the
 * well-formed JSON the library returns. Every string the library returns is freed with
 * passteam_string_free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passteam.h"

/* The sandbox's seeded LOYALTY template: %PHONE% (unique), %BONUS% (number) and more. */
#define DEFAULT_TEMPLATE "5e424c181dbf0d537c8b4569"
#define DEFAULT_PHONE "+79161234567"
#define DEFAULT_POINTS "100"

struct options {
    const char *base_url;
    const char *token;
    const char *template_id;
    const char *phone;
    long points;
    const char *outbox; /* NULL: no outbox */
    int flush;          /* only send what the outbox holds */
};

/* ---- a minimal JSON reader: enough for the fields of a card ---------------------------------------- */

/* One past the end of the JSON value starting at p (well-formed input assumed). */
static const char *value_end(const char *p)
{
    int depth = 0;
    int in_string = 0;

    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) {
                p++;
            } else if (*p == '"') {
                in_string = 0;
                if (depth == 0)
                    return p + 1;
            }
            continue;
        }
        if (*p == '"')
            in_string = 1;
        else if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']') {
            if (depth == 0)
                return p; /* the end of the enclosing container ends a scalar */
            if (--depth == 0)
                return p + 1;
        } else if (*p == ',' && depth == 0)
            return p;
    }
    return p;
}

/* The value of the first member named key between from and to (at any depth), or NULL. */
static const char *json_find(const char *from, const char *to, const char *key)
{
    size_t len = strlen(key);
    const char *p;

    for (p = from; p + len + 2 < to; p++) {
        if (p[0] == '"' && strncmp(p + 1, key, len) == 0 && p[len + 1] == '"') {
            const char *v = p + len + 2;
            while (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t')
                v++;
            if (*v != ':')
                continue;
            for (v++; *v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'; v++)
                ;
            return v;
        }
    }
    return NULL;
}

/*
 * Copies the text of member key (strings unquoted, with the simple escapes undone; numbers and booleans
 * as written) into buf. Returns 1 when found and it fits.
 */
static int json_text(const char *from, const char *to, const char *key, char *buf, size_t size)
{
    const char *v = json_find(from, to, key);
    const char *end;
    size_t n = 0;

    if (!v || size == 0)
        return 0;
    if (*v != '"') {
        end = value_end(v);
        while (end > v && (end[-1] == ' ' || end[-1] == '\n'))
            end--;
        if ((size_t)(end - v) >= size)
            return 0;
        memcpy(buf, v, (size_t)(end - v));
        buf[end - v] = '\0';
        return 1;
    }
    for (v++; *v && *v != '"'; v++) {
        if (*v == '\\' && v[1]) {
            v++; /* \" \\ \/ keep the character; \n and friends are not expected in these fields */
        }
        if (n + 1 >= size)
            return 0;
        buf[n++] = *v;
    }
    buf[n] = '\0';
    return 1;
}

/* Writes s as a JSON string literal (with quotes) into dst. Returns 0 if it does not fit. */
static int json_quote(char *dst, size_t size, const char *s)
{
    size_t n = 0;

    if (size < 3)
        return 0;
    dst[n++] = '"';
    for (; *s; s++) {
        char esc[8];
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sprintf(esc, "\\%c", c);
        else if (c < 0x20)
            sprintf(esc, "\\u%04x", c);
        else
            sprintf(esc, "%c", c);
        if (n + strlen(esc) + 2 > size)
            return 0;
        memcpy(dst + n, esc, strlen(esc));
        n += strlen(esc);
    }
    dst[n++] = '"';
    dst[n] = '\0';
    return 1;
}

/* ---- the flow ------------------------------------------------------------------------------------ */

/* Reports a failed call (the error object names the status and says why) and returns exit status 1. */
static int fail(const char *step, int32_t status, const char *error_json)
{
    fprintf(stderr, "cashier: %s failed: %s (%d): %s\n", step, passteam_status_name(status), (int)status,
            error_json ? error_json : "(no details)");
    return 1;
}

/* Steps 1 and 2: the customer's card, found by phone or issued now. *card_json must be freed. */
static int find_or_issue(const PassteamClient *client, const char *lookup_params, char **card_json)
{
    char *out = NULL;
    int32_t status = passteam_get_card(client, lookup_params, &out);

    if (status == PASSTEAM_OK) {
        printf("returning customer\n");
        *card_json = out;
        return 0;
    }
    if (status != PASSTEAM_ERR_NOT_FOUND) {
        int rc = fail("getcard", status, out);
        passteam_string_free(out);
        return rc;
    }
    passteam_string_free(out);
    out = NULL;
    printf("new customer: issuing a card\n");
    /* issuecard looks the card up again before creating it, so a retry after a lost reply is safe. */
    status = passteam_issue_card(client, lookup_params, &out);
    if (status != PASSTEAM_OK) {
        int rc = fail("issuecard", status, out);
        passteam_string_free(out);
        return rc;
    }
    *card_json = out; /* {"card": {...}, "created": true}: the scanner finds the card's fields inside */
    return 0;
}

/* Step 3: adds points to %BONUS% and writes it back. */
static int accrue(const PassteamClient *client, const char *card_id, const char *card_json, long points)
{
    char bonus_text[32] = "0";
    char params[256];
    char written[32] = "";
    char *out = NULL;
    char *end;
    long bonus;
    int32_t status;

    json_text(card_json, card_json + strlen(card_json), "%BONUS%", bonus_text, sizeof bonus_text);
    bonus = strtol(bonus_text[0] ? bonus_text : "0", &end, 10);
    if (*end != '\0') {
        fprintf(stderr, "cashier: %%BONUS%% holds \"%s\", not whole points\n", bonus_text);
        return 1;
    }
    /* Values travel as text, like the API's forms. */
    snprintf(params, sizeof params, "{\"cardId\": \"%s\", \"values\": {\"BONUS\": \"%ld\"}}", card_id,
             bonus + points);
    status = passteam_update_card(client, params, &out);
    if (status == PASSTEAM_QUEUED) {
        /* Not a failure: the update is on disk and will be sent once, later, in order. */
        char id[32] = "?";
        json_text(out, out + strlen(out), "outbox_id", id, sizeof id);
        printf("bonus: %ld + %ld = %ld, queued offline (outbox entry %s)\n", bonus, points, bonus + points, id);
        passteam_string_free(out);
        return 0;
    }
    if (status != PASSTEAM_OK) {
        int rc = fail("updatecard", status, out);
        passteam_string_free(out);
        return rc;
    }
    json_text(out, out + strlen(out), "%BONUS%", written, sizeof written);
    printf("bonus: %ld + %ld = %s\n", bonus, points, written);
    passteam_string_free(out);
    return 0;
}

/* Step 4: the card's link by SMS (texts are configured in the Passteam account). */
static int send_link(const PassteamClient *client, const char *card_id)
{
    char params[128];
    char *out = NULL;
    int32_t status;

    snprintf(params, sizeof params, "{\"cardId\": \"%s\", \"type\": \"sms\"}", card_id);
    status = passteam_distribute(client, params, &out);
    if (status != PASSTEAM_OK) {
        int rc = fail("distribute", status, out);
        passteam_string_free(out);
        return rc;
    }
    printf("link sent by SMS\n");
    passteam_string_free(out);
    return 0;
}

/* Step 5: the first page of the template's cards, one line per card. */
static int print_page(const PassteamClient *client, const char *quoted_template)
{
    char params[256];
    char count[16] = "?";
    char *out = NULL;
    const char *card;
    int32_t status;

    snprintf(params, sizeof params, "{\"templateId\": %s, \"page\": 1, \"perPage\": 5}", quoted_template);
    status = passteam_get_cards_with_pagination(client, params, &out);
    if (status != PASSTEAM_OK) {
        int rc = fail("getcardswithpagination", status, out);
        passteam_string_free(out);
        return rc;
    }
    json_text(out, out + strlen(out), "cardsCount", count, sizeof count);
    printf("cards of the template: %s; first page:\n", count);
    card = json_find(out, out + strlen(out), "cards");
    if (card && *card == '[') {
        for (card++; *card && *card != ']'; card++) {
            const char *end;
            char code[32] = "", phone[32] = "", bonus[32] = "";
            if (*card != '{')
                continue;
            end = value_end(card);
            json_text(card, end, "cardCode", code, sizeof code);
            json_text(card, end, "%PHONE%", phone, sizeof phone);
            json_text(card, end, "%BONUS%", bonus, sizeof bonus);
            printf("  card %s  phone %s  bonus %s\n", code, phone, bonus[0] ? bonus : "0");
            card = end - 1;
        }
    }
    passteam_string_free(out);
    return 0;
}

/* --flush: sends what the outbox holds and prints the report. */
static int flush_outbox(const PassteamClient *client)
{
    char *out = NULL;
    int32_t status = passteam_outbox_flush(client, 30000, &out);
    char sent[16] = "?", pending[16] = "?", dead[16] = "?";

    if (status != PASSTEAM_OK) {
        int rc = fail("passteam_outbox_flush", status, out);
        passteam_string_free(out);
        return rc;
    }
    json_text(out, out + strlen(out), "sent", sent, sizeof sent);
    json_text(out, out + strlen(out), "pending", pending, sizeof pending);
    json_text(out, out + strlen(out), "dead", dead, sizeof dead);
    printf("outbox: sent %s, pending %s, dead %s\n", sent, pending, dead);
    passteam_string_free(out);
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    int i;
    char *end;
    const char *points = DEFAULT_POINTS;

    o->base_url = getenv("PASSTEAM_BASE_URL");
    o->token = getenv("PASSTEAM_TOKEN");
    o->template_id = DEFAULT_TEMPLATE;
    o->phone = DEFAULT_PHONE;
    o->outbox = NULL;
    o->flush = 0;
    for (i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--flush") == 0) {
            o->flush = 1;
            i--; /* a flag: no value */
            continue;
        }
        if (i + 1 >= argc)
            return 0;
        if (strcmp(argv[i], "--outbox") == 0)
            o->outbox = argv[i + 1];
        else if (strcmp(argv[i], "--base-url") == 0)
            o->base_url = argv[i + 1];
        else if (strcmp(argv[i], "--token") == 0)
            o->token = argv[i + 1];
        else if (strcmp(argv[i], "--template") == 0)
            o->template_id = argv[i + 1];
        else if (strcmp(argv[i], "--phone") == 0)
            o->phone = argv[i + 1];
        else if (strcmp(argv[i], "--points") == 0)
            points = argv[i + 1];
        else
            return 0;
    }
    o->points = strtol(points, &end, 10);
    /* No token, no service; no base URL means the library's default, the real Passteam. */
    return i == argc && *end == '\0' && o->points >= 0 && o->token != NULL && (!o->flush || o->outbox);
}

int main(int argc, char **argv)
{
    struct options o;
    char config[2000], base_url[512], token[512], template_id[128], phone[64], lookup[512], outbox[600];
    char card_id[64] = "", card_url[256] = "";
    PassteamClient *client = NULL;
    char *err = NULL;
    char *card = NULL;
    int32_t status;
    int rc;

    if (!parse_args(argc, argv, &o)) {
        fprintf(stderr, "usage: cashier [--base-url URL] [--token TOKEN] [--template ID] [--phone +7...] "
                        "[--points N] [--outbox FILE [--flush]]\n(or set PASSTEAM_BASE_URL and PASSTEAM_TOKEN)\n");
        return 2;
    }
    if (!json_quote(token, sizeof token, o.token) || !json_quote(template_id, sizeof template_id, o.template_id) ||
        !json_quote(phone, sizeof phone, o.phone) ||
        !json_quote(base_url, sizeof base_url, o.base_url ? o.base_url : "https://getpass.passteam.ru") ||
        !json_quote(outbox, sizeof outbox, o.outbox ? o.outbox : "")) {
        fprintf(stderr, "cashier: an argument is too long\n");
        return 2;
    }
    if (o.outbox)
        /* manual replay: this short-lived program flushes on request (--flush) instead of a thread */
        snprintf(config, sizeof config,
                 "{\"base_url\": %s, \"token\": %s, \"outbox_path\": %s, \"outbox_replay\": \"manual\", "
                 "\"stale_reads\": true, \"max_attempts\": 1, \"connect_timeout_ms\": 2000}",
                 base_url, token, outbox);
    else
        snprintf(config, sizeof config, "{\"base_url\": %s, \"token\": %s}", base_url, token);
    status = passteam_client_new(config, &client, &err);
    if (status != PASSTEAM_OK) {
        rc = fail("passteam_client_new", status, err);
        passteam_string_free(err);
        return rc;
    }
    if (o.flush) {
        rc = flush_outbox(client);
        passteam_client_free(client);
        return rc;
    }
    printf("passteam %s, customer %s\n", passteam_version(), o.phone);

    snprintf(lookup, sizeof lookup, "{\"templateId\": %s, \"values\": {\"PHONE\": %s}}", template_id, phone);
    rc = find_or_issue(client, lookup, &card);
    if (rc == 0 && !(json_text(card, card + strlen(card), "cardId", card_id, sizeof card_id) &&
                     json_text(card, card + strlen(card), "cardUrl", card_url, sizeof card_url))) {
        fprintf(stderr, "cashier: the card has no cardId/cardUrl: %s\n", card);
        rc = 1;
    }
    if (rc == 0) {
        printf("card %s: %s%s\n", card_id, card_url, strstr(card, "\"stale\":true") ? " (last known, offline)" : "");
        rc = accrue(client, card_id, card, o.points);
    }
    if (rc == 0 && strstr(card, "\"stale\":true")) {
        printf("offline: the sale is done; run with --flush once Passteam is back\n");
        passteam_string_free(card);
        passteam_client_free(client);
        return 0;
    }
    if (rc == 0)
        rc = send_link(client, card_id);
    if (rc == 0)
        rc = print_page(client, template_id);

    passteam_string_free(card);
    passteam_client_free(client);
    return rc;
}
