/* component.c: see component.h. */
#include "component.h"

#include <stdlib.h>
#include <string.h>

#define LANG(c) ((void *)&(c)->object->language)

long find_method(Component *c, const char *name)
{
    WCHAR_T *w = wide(name);
    long num = w ? c->object->language->FindMethod(LANG(c), w) : -1;
    free(w);
    return num;
}

long find_prop(Component *c, const char *name)
{
    WCHAR_T *w = wide(name);
    long num = w ? c->object->language->FindProp(LANG(c), w) : -1;
    free(w);
    return num;
}

char *method_name(Component *c, long num, long alias)
{
    WCHAR_T *name = (WCHAR_T *)c->object->language->GetMethodName(LANG(c), num, alias);
    char *out = narrow(name, -1);
    c->memory->base.vtbl->FreeMemory(&c->memory->base, (void **)&name);
    return out;
}

/* Reads a result variant and frees its string, as the platform does after a call. */
static Result take(Component *c, bool ok, tVariant *v)
{
    Result r;
    memset(&r, 0, sizeof r);
    r.ok = ok;
    r.vt = v->vt;
    if (v->vt == VTYPE_PWSTR && v->u.wstr.pwstrVal) {
        r.text = narrow(v->u.wstr.pwstrVal, (int)v->u.wstr.wstrLen);
        r.nul_terminated = v->u.wstr.pwstrVal[v->u.wstr.wstrLen] == 0;
        c->memory->base.vtbl->FreeMemory(&c->memory->base, (void **)&v->u.wstr.pwstrVal);
    } else {
        r.text = calloc(1, 1);
        if (v->vt == VTYPE_I4)
            r.i4 = v->u.lVal;
    }
    return r;
}

static void string_arg(tVariant *v, WCHAR_T *text)
{
    memset(v, 0, sizeof *v);
    v->vt = VTYPE_PWSTR;
    v->u.wstr.pwstrVal = text;
    v->u.wstr.wstrLen = (uint32_t)wcslen(text);
}

Result call(Component *c, const char *method, const char *const *args)
{
    tVariant params[4];
    WCHAR_T *texts[4] = {NULL, NULL, NULL, NULL};
    tVariant result;
    long count = 0, i;
    long num = find_method(c, method);
    bool ok;

    while (args && args[count] && count < 4) {
        texts[count] = wide(args[count]);
        string_arg(&params[count], texts[count]);
        count++;
    }
    memset(&result, 0, sizeof result);
    ok = num >= 0 && c->object->language->CallAsFunc(LANG(c), num, &result, params, count);
    for (i = 0; i < count; i++)
        free(texts[i]);
    return take(c, ok, &result);
}

Result get_prop(Component *c, const char *name)
{
    tVariant value;
    long num = find_prop(c, name);
    bool ok;
    memset(&value, 0, sizeof value);
    ok = num >= 0 && c->object->language->GetPropVal(LANG(c), num, &value);
    return take(c, ok, &value);
}

bool set_prop_text(Component *c, const char *name, const char *text)
{
    tVariant value;
    WCHAR_T *w = wide(text);
    long num = find_prop(c, name);
    bool ok;
    string_arg(&value, w);
    ok = num >= 0 && c->object->language->SetPropVal(LANG(c), num, &value);
    free(w);
    return ok;
}

bool set_prop_bool(Component *c, const char *name, bool flag)
{
    tVariant value;
    long num = find_prop(c, name);
    memset(&value, 0, sizeof value);
    value.vt = VTYPE_BOOL;
    value.u.bVal = flag;
    return num >= 0 && c->object->language->SetPropVal(LANG(c), num, &value);
}

void result_free(Result *r)
{
    free(r->text);
    r->text = NULL;
}
