/* test_support.c: helpers shared by the test groups (see test_support.h). */
#define _POSIX_C_SOURCE 200809L

#include "test_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "json_mini.h"

PassteamClient *new_client(const char *file, int line, const char *config_fmt, ...)
{
    char config[2048];
    PassteamClient *client = NULL;
    char *err = NULL;
    int32_t status;
    va_list args;

    va_start(args, config_fmt);
    vsnprintf(config, sizeof config, config_fmt, args);
    va_end(args);
    status = passteam_client_new(config, &client, &err);
    check_record(status == PASSTEAM_OK && client != NULL && err == NULL, file, line,
                 "passteam_client_new(%s) = %d: %s", config, (int)status, err ? err : "(no error)");
    passteam_string_free(err);
    return client;
}

int check_error_object(const char *file, int line, const char *json, int status)
{
    const char *message;
    long got = -1;

    if (!check_record(json != NULL && jm_valid(json), file, line, "not a JSON document: %s",
                      json ? json : "(NULL)"))
        return 0;
    message = jm_get(json, "message");
    return check_record(jm_kind(json) == 'o' && jm_long(jm_get(json, "status"), &got) && got == status &&
                            jm_string_is(jm_get(json, "name"), passteam_status_name(status)) &&
                            jm_kind(message) == 's' && !jm_raw_is(message, "\"\"") &&
                            jm_bool(jm_get(json, "retryable")) >= 0 && jm_get(json, "details") != NULL,
                        file, line, "wanted an error object with status %d (%s), got %s", status,
                        passteam_status_name(status), json);
}

void fill_template(char *dst, size_t size, const char *tmpl, ...)
{
    size_t n = 0;

    while (*tmpl && n + 1 < size) {
        const char *close = *tmpl == '{' ? strchr(tmpl, '}') : NULL;
        const char *value = NULL;
        if (close) {
            va_list args;
            const char *name;
            va_start(args, tmpl);
            while ((name = va_arg(args, const char *)) != NULL) {
                const char *candidate = va_arg(args, const char *);
                if (strlen(name) == (size_t)(close - tmpl - 1) && strncmp(name, tmpl + 1, strlen(name)) == 0)
                    value = candidate;
            }
            va_end(args);
        }
        if (value) {
            size_t len = strlen(value);
            if (n + len >= size)
                break;
            memcpy(dst + n, value, len);
            n += len;
            tmpl = close + 1;
        } else {
            dst[n++] = *tmpl++;
        }
    }
    dst[n] = '\0';
}

long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
