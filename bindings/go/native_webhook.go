package passteam

// The webhook exports of libpassteam (ABI 1.2). Same rules as native.go: strings are copied into C
// memory, what the library returns is copied out and freed.

/*
#include <stdlib.h>
#include "passteam.h"
*/
import "C"

import "unsafe"

type nativeWebhookServer = *C.PassteamWebhookServer

func nativeWebhookParse(body string) (int, []byte) {
	cBody := C.CString(body)
	defer C.free(unsafe.Pointer(cBody))
	var out *C.char
	status := int(C.passteam_webhook_parse(cBody, &out))
	return status, takeString(out)
}

func nativeWebhookStart(configJSON string) (nativeWebhookServer, int, []byte) {
	cfg := C.CString(configJSON)
	defer C.free(unsafe.Pointer(cfg))
	var server *C.PassteamWebhookServer
	var errJSON *C.char
	status := int(C.passteam_webhook_server_start(cfg, &server, &errJSON))
	return server, status, takeString(errJSON)
}

func nativeWebhookFree(server nativeWebhookServer) {
	C.passteam_webhook_server_free(server)
}

func nativeWebhookInfo(server nativeWebhookServer) (int, []byte) {
	var out *C.char
	status := int(C.passteam_webhook_server_info(server, &out))
	return status, takeString(out)
}

func nativeWebhookNext(server nativeWebhookServer, timeoutMS uint32) (int, []byte) {
	var out *C.char
	status := int(C.passteam_webhook_next(server, C.uint32_t(timeoutMS), &out))
	return status, takeString(out)
}

func nativeWebhookAck(server nativeWebhookServer, webhookID string) (int, []byte) {
	cID := C.CString(webhookID)
	defer C.free(unsafe.Pointer(cID))
	var out *C.char
	status := int(C.passteam_webhook_ack(server, cID, &out))
	return status, takeString(out)
}
