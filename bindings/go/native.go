package passteam

// The only file that talks to C. Every other file works with Go values: this keeps the unsafe
// rules (who frees what, which pointers C may see) in one place.
//
// Linking: by default the static archive libpassteam.a is linked, so that a Go binary needs no
// libpassteam.so beside it. The archive is searched with -L/-l: rather than named by a path, so
// that a user outside this repository only has to put their own directory first:
//
//	CGO_CFLAGS="-I/opt/passteam/include" CGO_LDFLAGS="-L/opt/passteam/lib" go build
//
// (CGO_LDFLAGS comes before these directives on the linker's command line, so its -L wins.)
// The Rust standard library inside the archive needs libm, libdl, libpthread and libgcc_s
// (for unwinding); libc and libpthread are linked by cgo anyway.
//
// The build tag passteam_shared links libpassteam.so instead and records its directory as the
// binary's rpath.
//
// Search order: the module's own native/ directory first (a release of the module carries the stripped
// archive and the header there, as wasmtime-go does, so that `go get` needs no Rust toolchain; see
// scripts/go-native and the README), then this repository's checkout (include/, target/release/). In a
// checkout native/ is empty (git ignores what scripts/go-native puts there), so the fresh cargo build wins.

/*
#cgo CFLAGS: -I${SRCDIR}/native/include -I${SRCDIR}/../../include
#cgo linux,amd64,!passteam_shared LDFLAGS: -L${SRCDIR}/native/linux_amd64
#cgo !passteam_shared LDFLAGS: -L${SRCDIR}/../../target/release -l:libpassteam.a -lm -ldl -lpthread -lgcc_s
#cgo passteam_shared LDFLAGS: -L${SRCDIR}/../../target/release -lpassteam -Wl,-rpath,${SRCDIR}/../../target/release
#include <stdlib.h>
#include <string.h>
#include "passteam.h"
*/
import "C"

import "unsafe"

// nativeClient is the library's opaque client handle. Go never dereferences it and C never keeps a
// Go pointer: the handle is C memory, the strings we pass are copied into C memory first.
type nativeClient = *C.PassteamClient

// nativeVersion returns the library version (a static string: never freed).
func nativeVersion() string {
	return C.GoString(C.passteam_version())
}

// nativeABIVersion returns (MAJOR << 16) | MINOR of the linked library.
func nativeABIVersion() uint32 {
	return uint32(C.passteam_abi_version())
}

// nativeStatusName returns the library's name of a status code (a static string: never freed).
func nativeStatusName(status int) string {
	return C.GoString(C.passteam_status_name(C.int32_t(status)))
}

// nativeMethodsJSON returns the library's method table (a static string: never freed).
func nativeMethodsJSON() []byte {
	p := C.passteam_methods_json()
	return C.GoBytes(unsafe.Pointer(p), C.int(C.strlen(p)))
}

// nativeConfigSchemaJSON returns the library's config schema (a static string: never freed).
func nativeConfigSchemaJSON() []byte {
	p := C.passteam_config_schema_json()
	return C.GoBytes(unsafe.Pointer(p), C.int(C.strlen(p)))
}

// takeString copies a string the library handed over and frees the library's copy.
func takeString(p *C.char) []byte {
	if p == nil {
		return nil
	}
	defer C.passteam_string_free(p)
	return C.GoBytes(unsafe.Pointer(p), C.int(C.strlen(p)))
}

// nativeNew creates a client from config JSON. On failure it returns the status and the error
// object's JSON.
func nativeNew(configJSON string) (nativeClient, int, []byte) {
	cfg := C.CString(configJSON)
	defer C.free(unsafe.Pointer(cfg))
	var client *C.PassteamClient
	var errJSON *C.char
	status := int(C.passteam_client_new(cfg, &client, &errJSON))
	return client, status, takeString(errJSON)
}

// nativeFree frees a client; nil is a no-op.
func nativeFree(client nativeClient) {
	C.passteam_client_free(client)
}

// nativeCall runs one operation. timeoutMS = 0 means the client's own timeout. It returns the
// status and the result (status 0) or the error object.
func nativeCall(client nativeClient, method string, params []byte, timeoutMS uint64) (int, []byte) {
	// One C allocation holds both NUL-terminated strings: method, then params.
	buf := C.malloc(C.size_t(len(method) + len(params) + 2))
	defer C.free(buf)
	mem := unsafe.Slice((*byte)(buf), len(method)+len(params)+2)
	copy(mem, method)
	mem[len(method)] = 0
	copy(mem[len(method)+1:], params)
	mem[len(mem)-1] = 0
	cMethod := (*C.char)(buf)
	cParams := (*C.char)(unsafe.Pointer(&mem[len(method)+1]))

	var out *C.char
	status := int(C.passteam_call_with_timeout(client, cMethod, cParams, C.uint64_t(timeoutMS), &out))
	return status, takeString(out)
}

// nativeDebugPanic makes the library panic on purpose (test support): it must come back as
// status 99 with an error object, never as a crash.
func nativeDebugPanic() (int, []byte) {
	var out *C.char
	status := int(C.passteam_debug_panic(&out))
	return status, takeString(out)
}

// nativeOutbox runs one of the outbox exports: "flush" (arg = max_ms), "stats", "list" (filter =
// JSON), "retry" and "discard" (arg = entry id). It returns the status and the JSON document.
func nativeOutbox(client nativeClient, op string, arg int64, filter []byte) (int, []byte) {
	var out *C.char
	var status C.int32_t
	switch op {
	case "flush":
		status = C.passteam_outbox_flush(client, C.uint32_t(arg), &out)
	case "stats":
		status = C.passteam_outbox_stats(client, &out)
	case "list":
		cFilter := C.CString(string(filter))
		defer C.free(unsafe.Pointer(cFilter))
		status = C.passteam_outbox_list(client, cFilter, &out)
	case "retry":
		status = C.passteam_outbox_retry(client, C.int64_t(arg), &out)
	case "discard":
		status = C.passteam_outbox_discard(client, C.int64_t(arg), &out)
	default:
		return int(StatusInvalidArgument), []byte(`{"message": "unknown outbox operation"}`)
	}
	return int(status), takeString(out)
}

// nativeDiagnose runs the library's diagnostics (ABI 1.2) and returns the status and the report or
// the error object.
func nativeDiagnose(client nativeClient) (int, []byte) {
	var out *C.char
	status := int(C.passteam_diagnose(client, &out))
	return status, takeString(out)
}

// nativeCallBatch runs passteam_call_batch (ABI 1.3) and returns the status and the answer or the
// error object.
func nativeCallBatch(client nativeClient, requests, options []byte) (int, []byte) {
	cRequests := C.CString(string(requests))
	defer C.free(unsafe.Pointer(cRequests))
	cOptions := C.CString(string(options))
	defer C.free(unsafe.Pointer(cOptions))
	var out *C.char
	status := int(C.passteam_call_batch(client, cRequests, cOptions, &out))
	return status, takeString(out)
}
