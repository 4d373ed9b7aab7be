/*
 * component.h: calling the add-in object as 1C code does: names looked up with FindMethod / FindProp,
 * arguments passed as tVariant (PWSTR / I4), string results read and then freed with the platform's memory
 * manager (the platform's job), each call through the vtable of the base that declares the method.
 */
#ifndef PASSTEAM_1C_WIN_COMPONENT_H
#define PASSTEAM_1C_WIN_COMPONENT_H

#include "platform.h"

typedef struct {
    IComponentBase *object;
    CountingMemory *memory;
} Component;

typedef struct {
    bool ok;       /* what CallAsFunc / GetPropVal returned */
    TYPEVAR vt;
    char *text;    /* a PWSTR result as UTF-8 ("" otherwise); free with result_free */
    int32_t i4;
    bool nul_terminated;
} Result;

long find_method(Component *c, const char *name);
long find_prop(Component *c, const char *name);
/* alias 0 = English, 1 = Russian; a malloc'ed UTF-8 copy (the add-in's string is freed as 1C does). */
char *method_name(Component *c, long num, long alias);
/* CallAsFunc with string arguments (NULL-terminated list, at most 4). */
Result call(Component *c, const char *method, const char *const *args);
Result get_prop(Component *c, const char *name);
bool set_prop_text(Component *c, const char *name, const char *text);
bool set_prop_bool(Component *c, const char *name, bool value);
void result_free(Result *r);

#endif
