/*
 * sandbox_ctl.h: the test's side of the sandbox's control interface (faults, quota, reset, request log).
 *
 * run.sh starts `passteam sandbox` and passes its base URL and token in PASSTEAM_BASE_URL and
 * PASSTEAM_TOKEN. The control interface is plain HTTP/1.1 without auth, so a few lines of sockets
 * talk to it (Winsock on Windows): the test must not depend on the library it is testing to set up its own faults.
 */
#ifndef PASSTEAM_TEST_SANDBOX_CTL_H
#define PASSTEAM_TEST_SANDBOX_CTL_H

#include <stddef.h>

/*
 * Sends `verb path` with an optional JSON body to the sandbox at base_url ("http://127.0.0.1:PORT").
 * Returns the HTTP status (0 on a connection failure); the reply body goes to body_out when not NULL.
 */
int sandbox_request(const char *base_url, const char *verb, const char *path, const char *json_body,
                    char *body_out, size_t body_size);

/* POST /_sandbox/faults with the given fault JSON; 1 when the sandbox accepted it. */
int sandbox_add_fault(const char *base_url, const char *fault_json);

/* POST /_sandbox/reset: seeded state, no faults, empty log, start-up quota. 1 on success. */
int sandbox_reset(const char *base_url);

/* A TCP port on 127.0.0.1 that nothing listens on (bound, then closed), for transport errors; 0 on failure. */
int closed_local_port(void);

#endif /* PASSTEAM_TEST_SANDBOX_CTL_H */
