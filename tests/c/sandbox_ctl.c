/*
 * sandbox_ctl.c: a one-request-per-connection HTTP/1.1 client for the sandbox's control interface.
 * BSD sockets on POSIX, Winsock on Windows (the suite runs under Wine against the Linux sandbox).
 */
#define _POSIX_C_SOURCE 200809L

#include "sandbox_ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
typedef SOCKET socket_t;
typedef int io_size_t;
#define INVALID_SOCKET_T INVALID_SOCKET
#define close_socket closesocket
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
typedef int socket_t;
typedef ssize_t io_size_t;
#define INVALID_SOCKET_T (-1)
#define close_socket close
#endif

/* Winsock must be started once per process before the first socket; POSIX needs nothing. */
static int sockets_ready(void)
{
#ifdef _WIN32
    static int started = 0;
    WSADATA data;
    if (!started && WSAStartup(MAKEWORD(2, 2), &data) == 0)
        started = 1;
    return started;
#else
    return 1;
#endif
}

/* Bounds every recv on the socket: generous, because under valgrind this process is slow. */
static void set_receive_timeout(socket_t fd, int seconds)
{
#ifdef _WIN32
    DWORD ms = (DWORD)seconds * 1000u;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
#else
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = 0;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
#endif
}

/* The sandbox always binds 127.0.0.1; only the port varies. */
static int port_of(const char *base_url)
{
    const char *colon = strrchr(base_url, ':');
    return colon ? atoi(colon + 1) : 0;
}

static socket_t connect_local(int port)
{
    struct sockaddr_in addr;
    socket_t fd;

    if (!sockets_ready())
        return INVALID_SOCKET_T;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == INVALID_SOCKET_T)
        return INVALID_SOCKET_T;
    set_receive_timeout(fd, 20);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close_socket(fd);
        return INVALID_SOCKET_T;
    }
    return fd;
}

static int send_all(socket_t fd, const char *data, size_t len)
{
    while (len > 0) {
        io_size_t n = send(fd, data, (int)len, 0);
        if (n <= 0)
            return 0;
        data += n;
        len -= (size_t)n;
    }
    return 1;
}

int sandbox_request(const char *base_url, const char *verb, const char *path, const char *json_body,
                    char *body_out, size_t body_size)
{
    char head[512];
    char reply[65536];
    size_t got = 0;
    size_t body_len = json_body ? strlen(json_body) : 0;
    int status = 0;
    socket_t fd = connect_local(port_of(base_url));
    const char *body;

    if (fd == INVALID_SOCKET_T)
        return 0;
    /* Connection: close lets us read the reply to EOF instead of parsing Content-Length. */
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
             "Content-Type: application/json\r\nContent-Length: %lu\r\n\r\n",
             verb, path, (unsigned long)body_len);
    if (!send_all(fd, head, strlen(head)) || (body_len && !send_all(fd, json_body, body_len))) {
        close_socket(fd);
        return 0;
    }
    for (;;) {
        io_size_t n = recv(fd, reply + got, (int)(sizeof reply - 1 - got), 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof reply - 1)
            break;
    }
    close_socket(fd);
    reply[got] = '\0';
    if (sscanf(reply, "HTTP/1.%*d %d", &status) != 1)
        return 0;
    if (body_out && body_size > 0) {
        body = strstr(reply, "\r\n\r\n");
        body = body ? body + 4 : "";
        strncpy(body_out, body, body_size - 1);
        body_out[body_size - 1] = '\0';
    }
    return status;
}

int sandbox_add_fault(const char *base_url, const char *fault_json)
{
    int status = sandbox_request(base_url, "POST", "/_sandbox/faults", fault_json, NULL, 0);
    return status >= 200 && status < 300;
}

int sandbox_reset(const char *base_url)
{
    int status = sandbox_request(base_url, "POST", "/_sandbox/reset", "{}", NULL, 0);
    return status >= 200 && status < 300;
}

int closed_local_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int port;
    socket_t fd;

    if (!sockets_ready())
        return 0;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == INVALID_SOCKET_T)
        return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close_socket(fd);
        return 0;
    }
    port = ntohs(addr.sin_port);
    /* Never listened on, and closed: connecting to it is refused until someone else binds it. */
    close_socket(fd);
    return port;
}
