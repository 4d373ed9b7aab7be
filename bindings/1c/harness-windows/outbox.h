/* outbox.h: the offline outbox checks of the Windows harness (see outbox.c). */
#ifndef PASSTEAM_1C_WIN_OUTBOX_H
#define PASSTEAM_1C_WIN_OUTBOX_H

#include "component.h"

/* Queue an update while Passteam is down (КодОшибки 12, nothing raised), flush it once the sandbox at base_url is up. */
void test_outbox(Component *c, FakePlatform *platform, const char *base_url, const char *token);

#endif
