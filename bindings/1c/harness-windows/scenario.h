/* scenario.h: the checks the Windows harness runs on a live component object (see scenario.c). */
#ifndef PASSTEAM_1C_WIN_SCENARIO_H
#define PASSTEAM_1C_WIN_SCENARIO_H

#include "component.h"

/* Russian and English names resolve to the same method / property, in any letter case. */
void test_names(Component *c);
/* The vendor's scenario against the sandbox at base_url. */
void test_scenario(Component *c, FakePlatform *platform, const char *base_url, const char *token);

#endif
