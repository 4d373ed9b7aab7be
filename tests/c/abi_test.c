/*
 * abi_test.c: the C ABI of libpassteam, exercised from C against the sandbox.
 *
 * run.sh starts `passteam sandbox` and passes PASSTEAM_BASE_URL and PASSTEAM_TOKEN. Every group below
 * goes on after a failed check, and the last line is "N passed, M failed"; the exit status is 0 only
 * when nothing failed. The file compiles as strict C99 (-std=c99 -pedantic), which is also the check
 * that passteam.h is valid C99.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "passteam.h"
#include "sandbox_ctl.h"
#include "test_support.h"

int main(void)
{
    struct test_env env;

    env.base_url = getenv("PASSTEAM_BASE_URL");
    env.token = getenv("PASSTEAM_TOKEN");
    if (!env.base_url || !env.token) {
        fprintf(stderr, "abi_test: set PASSTEAM_BASE_URL and PASSTEAM_TOKEN to a running sandbox (see run.sh)\n");
        return 2;
    }
    /* The sandbox may be shared with the example: start from its seeded state. */
    if (!CHECK(sandbox_reset(env.base_url)))
        return check_summary();
    env.client = NEW_CLIENT("{\"base_url\": \"%s\", \"token\": \"%s\", \"timeout_ms\": " GENEROUS_TIMEOUT_MS "}",
                            env.base_url, env.token);
    if (!env.client)
        return check_summary();

    test_general(&env);
    test_client_new(&env);
    test_operations(&env);
    test_generic_call(&env);
    test_misuse(&env);
    test_error_statuses(&env);
    test_secrecy(&env);
    test_batch_and_diagnose(&env);
    test_webhooks(&env);
    test_outbox(&env);
    test_diagnose(&env);
    test_batch(&env);
    /* No fault left behind may disturb the concurrent calls. */
    CHECK(sandbox_request(env.base_url, "DELETE", "/_sandbox/faults", NULL, NULL, 0) == 200);
    test_concurrency(&env);

    passteam_client_free(env.client);
    return check_summary();
}
