/*
 * check.h: the smallest assertion kit the C ABI tests need.
 *
 * A failed check prints file:line and what was expected, then the test goes on: one run reports every
 * broken promise of the ABI instead of stopping at the first. check_summary() prints the final
 * "N passed, M failed" line that run.sh and the CI logs look for.
 *
 * The counters are not synchronised: checks run on the main thread only (worker threads report their
 * results back and the main thread checks them).
 */
#ifndef PASSTEAM_TEST_CHECK_H
#define PASSTEAM_TEST_CHECK_H

#include <stdint.h>

/* Records one check. Returns ok, so callers can skip dependent checks after a failure. */
int check_record(int ok, const char *file, int line, const char *fmt, ...);

/* Prints "N passed, M failed" and returns the process exit status (0 only when nothing failed). */
int check_summary(void);

/* A boolean condition; the message is the condition's source text. */
#define CHECK(cond) check_record((cond) != 0, __FILE__, __LINE__, "%s", #cond)

/* Records a status check; got is evaluated once (it is usually the call under test). */
int check_status(int32_t got, int32_t want, const char *file, int line, const char *expr);

/* A status code, reported with both names when it differs. */
#define CHECK_STATUS(got, want) check_status((got), (want), __FILE__, __LINE__, #got)

/* A condition with a printf-style explanation for the failure report. */
#define CHECK_MSG(cond, ...) check_record((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)

#endif /* PASSTEAM_TEST_CHECK_H */
