/*
 * test_concurrency.c: one client shared by 8 threads, 50 calls each, mixing the operation exports and
 * the generic call: every call must be answered, correctly, with no crosstalk between threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_mini.h"
#include "test_support.h"

#define THREADS 8
#define CALLS_PER_THREAD 50

struct worker {
    const PassteamClient *client;
    const char *card_id;
    int index;
    int answered; /* calls that returned a valid JSON document */
    int correct;  /* calls that returned OK with the expected card or template */
};

static void *work(void *arg)
{
    struct worker *w = arg;
    char params[128];
    int i;

    snprintf(params, sizeof params, "{\"cardId\": \"%s\"}", w->card_id);
    for (i = 0; i < CALLS_PER_THREAD; i++) {
        char *out = NULL;
        int32_t status;
        int ok;
        /* Alternate so both paths (named export, generic call) run concurrently. */
        if ((i + w->index) % 2 == 0) {
            status = passteam_get_card(w->client, params, &out);
            ok = status == PASSTEAM_OK && jm_valid(out) && jm_string_is(jm_get(out, "cardId"), w->card_id);
        } else {
            status = passteam_call(w->client, "getTemplate", "{\"templateId\": \"" LOYALTY_TEMPLATE "\"}", &out);
            ok = status == PASSTEAM_OK && jm_valid(out) && jm_string_is(jm_get(out, "templateId"), LOYALTY_TEMPLATE);
        }
        w->answered += out != NULL && jm_valid(out);
        w->correct += ok;
        if (!ok)
            fprintf(stderr, "thread %d call %d: status %d: %s\n", w->index, i, (int)status, out ? out : "NULL");
        passteam_string_free(out);
    }
    return NULL;
}

void test_concurrency(struct test_env *env)
{
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    char card_id[64] = "";
    char *out = NULL;
    int started = 0;
    int answered = 0;
    int correct = 0;
    int i;

    CHECK_STATUS(passteam_issue_card(env->client, "{\"templateId\": \"" LOYALTY_TEMPLATE "\", \"values\": "
                                     "{\"PHONE\": \"+79160000020\"}}", &out), PASSTEAM_OK);
    if (!CHECK(out && jm_string(jm_get(jm_get(out, "card"), "cardId"), card_id, sizeof card_id))) {
        passteam_string_free(out);
        return;
    }
    passteam_string_free(out);

    for (i = 0; i < THREADS; i++) {
        workers[i].client = env->client;
        workers[i].card_id = card_id;
        workers[i].index = i;
        workers[i].answered = 0;
        workers[i].correct = 0;
        if (pthread_create(&threads[i], NULL, work, &workers[i]) != 0)
            break;
        started++;
    }
    CHECK(started == THREADS);
    for (i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        answered += workers[i].answered;
        correct += workers[i].correct;
    }
    CHECK_MSG(answered == THREADS * CALLS_PER_THREAD, "%d of %d calls answered", answered, THREADS * CALLS_PER_THREAD);
    CHECK_MSG(correct == THREADS * CALLS_PER_THREAD, "%d of %d calls correct", correct, THREADS * CALLS_PER_THREAD);
}
