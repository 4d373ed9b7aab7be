/*
 * native_api.h: the 1C:Enterprise Native API as a Windows build of the platform sees it, in plain C.
 *
 * The platform is built with MSVC, so a C++ interface is laid out as MSVC lays it out: one vtable pointer
 * per base class, ONE slot for the virtual destructor (MSVC's "deleting destructor"; g++/MinGW would put
 * two there, the Itanium layout, so a MinGW C++ harness could not stand in for 1C), and every method
 * ADDIN_API = __stdcall on x86 (x64 has a single calling convention). These structs spell the vtables
 * out so that the harness calls the add-in exactly as the platform does. WCHAR_T is wchar_t (UTF-16),
 * long is 32 bits (LLP64), tVariant is 48 bytes on both x86 and x64.
 */
#ifndef PASSTEAM_1C_WIN_NATIVE_API_H
#define PASSTEAM_1C_WIN_NATIVE_API_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#ifdef __i386__
#define ADDIN_API __stdcall
#else
#define ADDIN_API
#endif

typedef wchar_t WCHAR_T;
typedef unsigned short TYPEVAR;

enum {
    VTYPE_EMPTY = 0, VTYPE_NULL, VTYPE_I2, VTYPE_I4, VTYPE_R4, VTYPE_R8, VTYPE_DATE, VTYPE_TM, VTYPE_PSTR,
    VTYPE_INTERFACE, VTYPE_ERROR, VTYPE_BOOL, VTYPE_VARIANT, VTYPE_I1, VTYPE_UI1, VTYPE_UI2, VTYPE_UI4,
    VTYPE_I8, VTYPE_UI8, VTYPE_INT, VTYPE_UINT, VTYPE_HRESULT, VTYPE_PWSTR, VTYPE_BLOB, VTYPE_CLSID
};

typedef struct { uint32_t data1; uint16_t data2, data3; uint8_t data4[8]; } IID_;

typedef struct tVariant {
    union {
        int32_t lVal;
        int64_t llVal;
        double dblVal;
        bool bVal;
        IID_ IDVal;
        struct tVariant *pvarVal;
        struct tm tmVal;
        struct { void *pInterfaceVal; IID_ InterfaceID; } iface;
        struct { char *pstrVal; uint32_t strLen; } str;
        struct { WCHAR_T *pwstrVal; uint32_t wstrLen; } wstr;
    } u;
    uint32_t cbElements;
    TYPEVAR vt;
} tVariant;
_Static_assert(sizeof(tVariant) == 48, "tVariant is 48 bytes on Windows (x86 and x64)");

#define ADDIN_E_VERY_IMPORTANT 1004

/* The deleting destructor's slot. The add-in never deletes the platform's objects (nor the platform the
 * add-in's: it calls DestroyObject), so the harness only reserves the slot. */
typedef void *destructor_slot;

/* IMemoryManager, implemented by the platform (the harness). */
typedef struct IMemoryManager IMemoryManager;
struct IMemoryManagerVtbl {
    destructor_slot dtor;
    bool(ADDIN_API *AllocMemory)(IMemoryManager *self, void **memory, unsigned long bytes);
    void(ADDIN_API *FreeMemory)(IMemoryManager *self, void **memory);
};
struct IMemoryManager { const struct IMemoryManagerVtbl *vtbl; };

/* IAddInDefBase, implemented by the platform (the harness). */
typedef struct IAddInDefBase IAddInDefBase;
struct IAddInDefBaseVtbl {
    destructor_slot dtor;
    bool(ADDIN_API *AddError)(IAddInDefBase *self, unsigned short code, const WCHAR_T *source,
                              const WCHAR_T *description, long scode);
    bool(ADDIN_API *Read)(IAddInDefBase *self, WCHAR_T *name, tVariant *value, long *error, WCHAR_T **text);
    bool(ADDIN_API *Write)(IAddInDefBase *self, WCHAR_T *name, tVariant *value);
    bool(ADDIN_API *RegisterProfileAs)(IAddInDefBase *self, WCHAR_T *name);
    bool(ADDIN_API *SetEventBufferDepth)(IAddInDefBase *self, long depth);
    long(ADDIN_API *GetEventBufferDepth)(IAddInDefBase *self);
    bool(ADDIN_API *ExternalEvent)(IAddInDefBase *self, WCHAR_T *source, WCHAR_T *message, WCHAR_T *data);
    void(ADDIN_API *CleanEventBuffer)(IAddInDefBase *self);
    bool(ADDIN_API *SetStatusLine)(IAddInDefBase *self, WCHAR_T *text);
    void(ADDIN_API *ResetStatusLine)(IAddInDefBase *self);
};
struct IAddInDefBase { const struct IAddInDefBaseVtbl *vtbl; };

/* IComponentBase, implemented by the add-in: four bases, so four vtable pointers, and each method is
 * called with `this` pointing at the vtable pointer of the base that declares it. */
struct IInitDoneBaseVtbl {
    destructor_slot dtor;
    bool(ADDIN_API *Init)(void *self, void *connection);
    bool(ADDIN_API *setMemManager)(void *self, void *memory);
    long(ADDIN_API *GetInfo)(void *self);
    void(ADDIN_API *Done)(void *self);
};
struct ILanguageExtenderBaseVtbl {
    destructor_slot dtor;
    bool(ADDIN_API *RegisterExtensionAs)(void *self, WCHAR_T **name);
    long(ADDIN_API *GetNProps)(void *self);
    long(ADDIN_API *FindProp)(void *self, const WCHAR_T *name);
    const WCHAR_T *(ADDIN_API *GetPropName)(void *self, long num, long alias);
    bool(ADDIN_API *GetPropVal)(void *self, long num, tVariant *value);
    bool(ADDIN_API *SetPropVal)(void *self, long num, tVariant *value);
    bool(ADDIN_API *IsPropReadable)(void *self, long num);
    bool(ADDIN_API *IsPropWritable)(void *self, long num);
    long(ADDIN_API *GetNMethods)(void *self);
    long(ADDIN_API *FindMethod)(void *self, const WCHAR_T *name);
    const WCHAR_T *(ADDIN_API *GetMethodName)(void *self, long num, long alias);
    long(ADDIN_API *GetNParams)(void *self, long num);
    bool(ADDIN_API *GetParamDefValue)(void *self, long num, long param, tVariant *value);
    bool(ADDIN_API *HasRetVal)(void *self, long num);
    bool(ADDIN_API *CallAsProc)(void *self, long num, tVariant *params, long count);
    bool(ADDIN_API *CallAsFunc)(void *self, long num, tVariant *result, tVariant *params, long count);
};
struct SetterVtbl {
    destructor_slot dtor;
    void(ADDIN_API *Set)(void *self, const WCHAR_T *value);
};
typedef struct IComponentBase {
    const struct IInitDoneBaseVtbl *init_done;
    const struct ILanguageExtenderBaseVtbl *language;
    const struct SetterVtbl *locale;
    const struct SetterVtbl *user_language;
} IComponentBase;

/* The library's exports: plain C functions, the default (cdecl) convention. */
typedef long (*GetClassObjectFn)(const WCHAR_T *name, IComponentBase **object);
typedef long (*DestroyObjectFn)(IComponentBase **object);
typedef const WCHAR_T *(*GetClassNamesFn)(void);
typedef int (*SetPlatformCapabilitiesFn)(int capabilities);
typedef int (*GetAttachTypeFn)(void);

#endif
