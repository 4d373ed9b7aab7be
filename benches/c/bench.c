/* The C side of scripts/bench: passteam through its C ABI against a libcurl easy handle, same endpoint,
 * same run. Prints one JSON object per mode on stdout (scripts/bench reads them).
 *
 *   bench seq     BASE_URL TOKEN CALLS ROUNDS   sequential getcard: libcurl and passteam_call alternating
 *   bench curl    BASE_URL TOKEN CALLS          libcurl alone, and
 *   bench single  BASE_URL TOKEN CALLS          passteam_call alone: for profilers (perf stat, strace -c)
 *   bench threads BASE_URL TOKEN CALLS THREADS  one client shared by THREADS threads
 *   bench batch   BASE_URL TOKEN CALLS CONC     passteam_call_batch of CALLS getcards, concurrency CONC
 *   bench rss     BASE_URL TOKEN CALLS          RSS after 1 000 and after CALLS calls on one client
 *   bench pages   BASE_URL TOKEN PAGES          RSS while reading PAGES pages of getcardswithpagination
 *   bench queued  OUTBOX_DIR CALLS              (reserved: the outbox's queued call, when built with it)
 */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "passteam.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static PassteamClient *new_client(const char *base, const char *token) {
    char config[1024];
    PassteamClient *client = NULL;
    char *err = NULL;
    snprintf(config, sizeof config,
             "{\"base_url\": \"%s\", \"token\": \"%s\", \"quota_per_hour\": 0, \"quota_per_day\": 0,"
             " \"body_encoding\": \"urlencoded\"}",
             base, token);
    if (passteam_client_new(config, &client, &err) != PASSTEAM_OK) {
        fprintf(stderr, "client: %s\n", err ? err : "?");
        exit(1);
    }
    return client;
}

/* The canned card's own id (scripts/bench serves card(1)): as from a real server, the reply is the card asked for. */
static const char *PARAMS = "{\"cardId\": \"5f0c1a2b3c4d5e6f7a8b0001\"}";

static void passteam_calls(PassteamClient *client, long n) {
    for (long i = 0; i < n; i++) {
        char *out = NULL;
        int32_t status = passteam_call(client, "getcard", PARAMS, &out);
        if (status != PASSTEAM_OK) {
            fprintf(stderr, "getcard: %d %s\n", status, out ? out : "");
            exit(1);
        }
        passteam_string_free(out);
    }
}

struct sink { size_t len; };
static size_t on_data(char *p, size_t size, size_t n, void *user) {
    (void)p;
    ((struct sink *)user)->len += size * n;
    return size * n;
}

/* What a careful hand-written integration does: one easy handle reused (keep-alive), urlencoded POST,
 * Authorization header, the whole reply read into memory. */
static void curl_calls(CURL *curl, long n) {
    for (long i = 0; i < n; i++) {
        struct sink s = {0};
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
        CURLcode rc = curl_easy_perform(curl);
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        if (rc != CURLE_OK || code != 200 || s.len == 0) {
            fprintf(stderr, "curl: %s %ld\n", curl_easy_strerror(rc), code);
            exit(1);
        }
    }
}

static CURL *new_curl(const char *base, const char *token, struct curl_slist **headers) {
    static char url[512], auth[512];
    CURL *curl = curl_easy_init();
    snprintf(url, sizeof url, "%s/oapi/v1/getcard", base);
    snprintf(auth, sizeof auth, "Authorization: %s", token);
    *headers = curl_slist_append(NULL, auth);
    *headers = curl_slist_append(*headers, "Accept: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "cardId=5f0c1a2b3c4d5e6f7a8b0001");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    return curl;
}

struct worker { PassteamClient *client; long calls; };
static void *work(void *arg) {
    struct worker *w = arg;
    passteam_calls(w->client, w->calls);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench MODE ...\n");
        return 2;
    }
    const char *mode = argv[1];
    const char *base = argv[2];
    const char *token = argc > 3 ? argv[3] : "";
    long calls = argc > 4 ? atol(argv[4]) : 2000;
    long extra = argc > 5 ? atol(argv[5]) : 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);

    if (strcmp(mode, "seq") == 0) {
        PassteamClient *client = new_client(base, token);
        struct curl_slist *headers;
        CURL *curl = new_curl(base, token, &headers);
        passteam_calls(client, 500); /* warm both up: pools, caches, the CPU's frequency */
        curl_calls(curl, 500);
        printf("{\"mode\": \"seq\", \"rounds\": [");
        for (long r = 0; r < extra; r++) {
            double t0 = now_s();
            curl_calls(curl, calls);
            double t1 = now_s();
            passteam_calls(client, calls);
            double t2 = now_s();
            printf("%s{\"curl\": %.0f, \"passteam\": %.0f}", r ? ", " : "", calls / (t1 - t0), calls / (t2 - t1));
        }
        printf("]}\n");
        curl_easy_cleanup(curl);
        curl_slist_free_all(headers);
        passteam_client_free(client);
    } else if (strcmp(mode, "curl") == 0 || strcmp(mode, "single") == 0) {
        int curl_only = strcmp(mode, "curl") == 0;
        PassteamClient *client = curl_only ? NULL : new_client(base, token);
        struct curl_slist *headers = NULL;
        CURL *curl = curl_only ? new_curl(base, token, &headers) : NULL;
        double t0 = now_s();
        if (curl_only)
            curl_calls(curl, calls);
        else
            passteam_calls(client, calls);
        printf("{\"mode\": \"%s\", \"calls_per_s\": %.0f}\n", mode, calls / (now_s() - t0));
        if (curl) curl_easy_cleanup(curl);
        curl_slist_free_all(headers);
        passteam_client_free(client);
    } else if (strcmp(mode, "threads") == 0) {
        PassteamClient *client = new_client(base, token);
        long threads = extra < 1 ? 1 : extra;
        pthread_t ids[64];
        struct worker w = {client, calls / threads};
        passteam_calls(client, 200);
        double t0 = now_s();
        for (long i = 0; i < threads && i < 64; i++) pthread_create(&ids[i], NULL, work, &w);
        for (long i = 0; i < threads && i < 64; i++) pthread_join(ids[i], NULL);
        double t = now_s() - t0;
        printf("{\"mode\": \"threads\", \"threads\": %ld, \"calls_per_s\": %.0f}\n", threads, w.calls * threads / t);
        passteam_client_free(client);
    } else if (strcmp(mode, "batch") == 0) {
        PassteamClient *client = new_client(base, token);
        size_t item = strlen("{\"method\": \"getcard\", \"params\": {\"cardId\": \"5f0c1a2b3c4d5e6f7a8b0001\"}},");
        char *requests = malloc(item * (size_t)calls + 3);
        char options[64];
        size_t at = 0;
        requests[at++] = '[';
        for (long i = 0; i < calls; i++) {
            at += (size_t)sprintf(requests + at, "%s{\"method\": \"getcard\", \"params\": %s}", i ? "," : "", PARAMS);
        }
        requests[at++] = ']';
        requests[at] = 0;
        snprintf(options, sizeof options, "{\"concurrency\": %ld}", extra);
        passteam_calls(client, 200);
        char *out = NULL;
        double t0 = now_s();
        int32_t status = passteam_call_batch(client, requests, options, &out);
        double t = now_s() - t0;
        long ok = 0;
        for (const char *p = out; p && (p = strstr(p, "{\"status\":0,")) != NULL; p++) ok++;
        printf("{\"mode\": \"batch\", \"concurrency\": %ld, \"status\": %d, \"ok\": %ld, \"calls_per_s\": %.0f}\n",
               extra, status, ok, calls / t);
        passteam_string_free(out);
        free(requests);
        passteam_client_free(client);
    } else if (strcmp(mode, "rss") == 0) {
        PassteamClient *client = new_client(base, token);
        passteam_calls(client, 1000);
        long early = rss_kib();
        passteam_calls(client, calls - 1000);
        long late = rss_kib();
        printf("{\"mode\": \"rss\", \"calls\": %ld, \"rss_kib_after_1000\": %ld, \"rss_kib_after_all\": %ld}\n", calls,
               early, late);
        passteam_client_free(client);
    } else if (strcmp(mode, "pages") == 0) {
        PassteamClient *client = new_client(base, token);
        long low = 0, high = 0, cards = 0;
        for (long page = 1; page <= calls; page++) {
            char params[160], *out = NULL;
            snprintf(params, sizeof params, "{\"templateId\": \"5e424c181dbf0d537c8b4569\", \"page\": %ld, \"perPage\": 50}", page);
            if (passteam_call(client, "getcardswithpagination", params, &out) != PASSTEAM_OK) {
                fprintf(stderr, "page %ld: %s\n", page, out ? out : "");
                return 1;
            }
            for (const char *p = out; (p = strstr(p, "\"cardId\"")) != NULL; p++) cards++;
            passteam_string_free(out);
            long rss = rss_kib();
            if (page == 10) low = high = rss;
            if (page > 10 && rss > high) high = rss;
            if (page > 10 && rss < low) low = rss;
        }
        printf("{\"mode\": \"pages\", \"pages\": %ld, \"cards\": %ld, \"rss_kib_min\": %ld, \"rss_kib_max\": %ld}\n", calls,
               cards, low, high);
        passteam_client_free(client);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    curl_global_cleanup();
    return 0;
}
