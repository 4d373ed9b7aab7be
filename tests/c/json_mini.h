/*
 * json_mini.h: just enough JSON to check what the library returns, without a dependency.
 *
 * A value is a `const char *` pointing at its first character inside the caller's JSON text; nothing is
 * copied or allocated. jm_valid() checks a whole document strictly (RFC 8259 grammar; UTF-8 inside
 * strings is taken as is), the other functions walk a document that jm_valid() accepted.
 */
#ifndef PASSTEAM_TEST_JSON_MINI_H
#define PASSTEAM_TEST_JSON_MINI_H

#include <stddef.h>

/* 1 when text is exactly one JSON value (surrounding whitespace allowed). NULL is not valid. */
int jm_valid(const char *text);

/* The value's kind: 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null, 0 if none. */
char jm_kind(const char *value);

/* The member `key` of an object, or NULL (not an object, or no such key). */
const char *jm_get(const char *object, const char *key);

/* Element i of an array, or NULL. */
const char *jm_at(const char *array, size_t i);

/* Number of elements of an array or members of an object; 0 for anything else. */
size_t jm_len(const char *container);

/* 1 when the value's JSON text is exactly `text` (e.g. jm_raw_is(v, "true"), jm_raw_is(v, "\"id\"")). */
int jm_raw_is(const char *value, const char *text);

/* Decodes a string value into buf (NUL-terminated). 1 on success, 0 if not a string or too long. */
int jm_string(const char *value, char *buf, size_t size);

/* 1 when value is a string equal to expected. */
int jm_string_is(const char *value, const char *expected);

/* Reads an integer number value. 1 on success. */
int jm_long(const char *value, long *out);

/* 1 for true, 0 for false, -1 when value is not a boolean. */
int jm_bool(const char *value);

#endif /* PASSTEAM_TEST_JSON_MINI_H */
