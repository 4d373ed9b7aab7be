/*
 * ops.h: the 23 operation exports of passteam.h as a table, so every test group walks all of them and a
 * missing or renamed export fails to link. test_general checks the table against passteam_methods_json,
 * and run.sh checks that every passteam_* symbol of the library is named in these tests.
 */
#ifndef PASSTEAM_TEST_OPS_H
#define PASSTEAM_TEST_OPS_H

#include <stddef.h>

#include "passteam.h"

typedef int32_t (*op_export)(const PassteamClient *client, const char *params_json, char **out_json);

struct op {
    const char *name;  /* wire name, as in passteam_methods_json's "name" */
    const char *snake; /* the export's suffix, as in "snake" */
    op_export call;
};

extern const struct op OPS[];
extern const size_t OPS_COUNT;

/* The entry for a wire name, or NULL. */
const struct op *op_named(const char *name);

/*
 * 1 when passteam_methods_json says the operation cannot run without params (a required param, or a
 * one_of list of alternatives): empty params must then give PASSTEAM_ERR_VALIDATION, before any request.
 */
int op_needs_params(const char *name);

#endif /* PASSTEAM_TEST_OPS_H */
