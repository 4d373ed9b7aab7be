/*
 * test_support.h: what the test groups of abi_test share: the environment, the sandbox's seeded ids,
 * client construction, and the check that a document is a proper error object.
 */
#ifndef PASSTEAM_TEST_SUPPORT_H
#define PASSTEAM_TEST_SUPPORT_H

#include <stddef.h>

#include "passteam.h"

/* Seeded by the sandbox (see the bindings brief). */
#define LOYALTY_TEMPLATE "5e424c181dbf0d537c8b4569"
#define GIFT_TEMPLATE "5e424c181dbf0d537c8b456a"
#define COMPANY_ID "5e424c181dbf0d537c8b0001"
#define SEED_SALE_ID "sale-1"
#define UNKNOWN_CARD_ID "000000000000000000000000"

/* A token that must never show up in any error message, log line or reply the library produces. */
#define SECRET_TOKEN "SECRET-TOKEN-123"

/* Client-wide deadline for tests that do not test deadlines: valgrind slows everything down a lot. */
#define GENEROUS_TIMEOUT_MS "60000"

struct test_env {
    const char *base_url;   /* the sandbox, "http://127.0.0.1:PORT" */
    const char *token;      /* the sandbox's token */
    PassteamClient *client; /* a client with the right token and default retries */
};

/* Creates a client from a printf-style config JSON, checking that it succeeds; NULL on failure. */
PassteamClient *new_client(const char *file, int line, const char *config_fmt, ...);
#define NEW_CLIENT(...) new_client(__FILE__, __LINE__, __VA_ARGS__)

/* Checks that json is an error object {"status": status, "name": its name, "message": "...", ...}. */
int check_error_object(const char *file, int line, const char *json, int status);
#define CHECK_ERROR_OBJECT(json, status) check_error_object(__FILE__, __LINE__, (json), (status))

/* Copies tmpl to dst, replacing each "{NAME}" by value; names: pairs of (name, value), NULL-terminated. */
void fill_template(char *dst, size_t size, const char *tmpl, ...);

/* Monotonic milliseconds, for checking that deadlines hold. */
long now_ms(void);

/* The test groups, in the order abi_test runs them. */
void test_general(struct test_env *env);
void test_client_new(struct test_env *env);
void test_operations(struct test_env *env);
void test_generic_call(struct test_env *env);
void test_misuse(struct test_env *env);
void test_error_statuses(struct test_env *env);
void test_secrecy(struct test_env *env);
void test_concurrency(struct test_env *env);
void test_batch_and_diagnose(struct test_env *env);
void test_webhooks(struct test_env *env);
void test_outbox(struct test_env *env);
void test_diagnose(struct test_env *env);
void test_batch(struct test_env *env);

#endif /* PASSTEAM_TEST_SUPPORT_H */
