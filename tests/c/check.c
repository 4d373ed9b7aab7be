/* check.c: the counters and reports behind check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

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

int check_summary(void)
{
    printf("%lu passed, %lu failed\n", passed, failed);
    fflush(stdout);
    return failed > 0 ? 1 : 0;
}
