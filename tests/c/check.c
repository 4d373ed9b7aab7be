/* check.c: the counters and reports behind check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

#include "passteam.h"

static unsigned long passed;
static unsigned long failed;

int check_record(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list args;

    if (ok) {
        passed++;
        return 1;
    }
    failed++;
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    return 0;
}

int check_status(int32_t got, int32_t want, const char *file, int line, const char *expr)
{
    return check_record(got == want, file, line, "%s = %d (%s), wanted %d (%s)", expr, (int)got,
                        passteam_status_name(got), (int)want, passteam_status_name(want));
}

int check_summary(void)
{
    printf("%lu passed, %lu failed\n", passed, failed);
    fflush(stdout);
    return failed > 0 ? 1 : 0;
}
