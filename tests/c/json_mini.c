/* json_mini.c: a strict JSON validator and a walker over validated text (see json_mini.h). */
#include "json_mini.h"

#include <stdlib.h>
#include <string.h>

/* Deeper documents are refused rather than risking the C stack on hostile input. */
#define JM_MAX_DEPTH 64

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Each skip_* returns the position just after the value starting at p, or NULL if it is malformed. */
static const char *skip_value(const char *p, int depth);

static const char *skip_string(const char *p)
{
    if (*p != '"')
        return NULL;
    for (p++; *p != '"'; p++) {
        if ((unsigned char)*p < 0x20)
            return NULL; /* raw control characters (and the terminating NUL) are not allowed */
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                int i;
                for (i = 1; i <= 4; i++)
                    if (hex_value(p[i]) < 0)
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
                return NULL;
            }
        }
    }
    return p + 1;
}

static const char *skip_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (is_digit(*p))
        while (is_digit(*p))
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            p++;
    }
    return p;
}

static const char *skip_container(const char *p, int depth)
{
    char close = *p == '{' ? '}' : ']';
    int is_object = *p == '{';

    if (depth >= JM_MAX_DEPTH)
        return NULL;
    p = skip_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (is_object) {
            p = skip_string(p);
            if (!p)
                return NULL;
            p = skip_ws(p);
            if (*p != ':')
                return NULL;
            p = skip_ws(p + 1);
        }
        p = skip_value(p, depth + 1);
        if (!p)
            return NULL;
        p = skip_ws(p);
        if (*p == close)
            return p + 1;
        if (*p != ',')
            return NULL;
        p = skip_ws(p + 1);
    }
}

static const char *skip_value(const char *p, int depth)
{
    switch (*p) {
    case '{':
    case '[':
        return skip_container(p, depth);
    case '"':
        return skip_string(p);
    case 't':
        return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default:
        return skip_number(p);
    }
}

int jm_valid(const char *text)
{
    const char *end;

    if (!text)
        return 0;
    end = skip_value(skip_ws(text), 0);
    return end != NULL && *skip_ws(end) == '\0';
}

char jm_kind(const char *v)
{
    if (!v)
        return 0;
    switch (*v) {
    case '{': return 'o';
    case '[': return 'a';
    case '"': return 's';
    case 't':
    case 'f': return 'b';
    case 'n': return 'z';
    default: return (*v == '-' || is_digit(*v)) ? 'n' : 0;
    }
}

/* Calls back for each element (key NULL) or member of a container; stops when visit returns nonzero. */
typedef int (*visit_fn)(const char *key, const char *value, void *ctx);

static const char *walk(const char *p, visit_fn visit, void *ctx)
{
    int is_object;
    char close;

    if (!p || (*p != '{' && *p != '['))
        return NULL;
    is_object = *p == '{';
    close = is_object ? '}' : ']';
    p = skip_ws(p + 1);
    while (*p && *p != close) {
        const char *key = NULL;
        const char *value;
        if (is_object) {
            key = p;
            p = skip_ws(skip_ws(skip_string(p)) + 1); /* past the key and the ':' */
        }
        value = p;
        if (visit(key, value, ctx))
            return value;
        p = skip_ws(skip_value(p, 0));
        if (*p == ',')
            p = skip_ws(p + 1);
    }
    return NULL;
}

struct find_key { const char *key; };
struct find_index { size_t left; };
struct counter { size_t n; };

static int match_key(const char *key, const char *value, void *ctx)
{
    (void)value;
    return key != NULL && jm_string_is(key, ((struct find_key *)ctx)->key);
}

static int match_index(const char *key, const char *value, void *ctx)
{
    struct find_index *f = ctx;
    (void)key;
    (void)value;
    if (f->left == 0)
        return 1;
    f->left--;
    return 0;
}

static int count_one(const char *key, const char *value, void *ctx)
{
    (void)key;
    (void)value;
    ((struct counter *)ctx)->n++;
    return 0;
}

const char *jm_get(const char *object, const char *key)
{
    struct find_key f;
    f.key = key;
    return jm_kind(object) == 'o' ? walk(object, match_key, &f) : NULL;
}

const char *jm_at(const char *array, size_t i)
{
    struct find_index f;
    f.left = i;
    return jm_kind(array) == 'a' ? walk(array, match_index, &f) : NULL;
}

size_t jm_len(const char *container)
{
    struct counter c;
    c.n = 0;
    walk(container, count_one, &c);
    return c.n;
}

/* Appends code point cp as UTF-8; returns bytes written or 0 if it does not fit. */
static size_t put_utf8(char *out, size_t room, unsigned long cp)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n > room)
        return 0;
    if (n == 1) {
        out[0] = (char)cp;
    } else {
        size_t i;
        static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
        for (i = n - 1; i > 0; i--) {
            out[i] = (char)(0x80 | (cp & 0x3F));
            cp >>= 6;
        }
        out[0] = (char)(lead[n] | cp);
    }
    return n;
}

int jm_string(const char *v, char *buf, size_t size)
{
    size_t n = 0;

    if (jm_kind(v) != 's' || size == 0)
        return 0;
    for (v++; *v != '"'; v++) {
        unsigned long cp = (unsigned char)*v;
        if (*v == '\\') {
            v++;
            switch (*v) {
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                cp = (unsigned long)strtoul((char[]){v[1], v[2], v[3], v[4], '\0'}, NULL, 16);
                v += 4;
                /* A surrogate pair encodes one code point beyond the BMP. */
                if (cp >= 0xD800 && cp < 0xDC00 && v[1] == '\\' && v[2] == 'u') {
                    unsigned long low = strtoul((char[]){v[3], v[4], v[5], v[6], '\0'}, NULL, 16);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    v += 6;
                }
                break;
            default: cp = (unsigned char)*v; break; /* \" \\ \/ */
            }
            {
                size_t w = put_utf8(buf + n, size - 1 - n, cp);
                if (w == 0)
                    return 0;
                n += w;
            }
            continue;
        }
        if (n + 1 >= size)
            return 0;
        buf[n++] = (char)cp;
    }
    buf[n] = '\0';
    return 1;
}

int jm_raw_is(const char *value, const char *text)
{
    const char *end = value ? skip_value(value, 0) : NULL;
    size_t len = strlen(text);
    return end != NULL && (size_t)(end - value) == len && strncmp(value, text, len) == 0;
}

int jm_string_is(const char *value, const char *expected)
{
    char buf[512];
    return jm_string(value, buf, sizeof buf) && strcmp(buf, expected) == 0;
}

int jm_long(const char *value, long *out)
{
    char *end;
    long n;

    if (jm_kind(value) != 'n')
        return 0;
    n = strtol(value, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E')
        return 0;
    *out = n;
    return 1;
}

int jm_bool(const char *value)
{
    if (jm_kind(value) != 'b')
        return -1;
    return *value == 't';
}
