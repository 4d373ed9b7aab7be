// See sandbox.h.
#include "sandbox.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

std::string json_string(const std::string& json, const std::string& key) {
    std::string needle = "\"" + key + "\":";
    size_t at = json.find(needle);
    if (at == std::string::npos) return "";
    at += needle.size();
    while (at < json.size() && json[at] == ' ') ++at;
    if (at >= json.size() || json[at] != '"') return "";
    std::string out;
    for (size_t i = at + 1; i < json.size(); ++i) {
        if (json[i] == '\\' && i + 1 < json.size()) { out += json[i]; out += json[++i]; continue; }
        if (json[i] == '"') break;
        out += json[i];
    }
    return out;
}

bool Sandbox::start(const std::string& binary) {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
    posix_spawn_file_actions_addclose(&actions, from_child[0]);
    std::string bin = binary, cmd = "sandbox";
    char* argv[] = {bin.data(), cmd.data(), nullptr};
    int rc = posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) {
        pid_ = -1;
        close(to_child[1]);
        close(from_child[0]);
        return false;
    }
    stdin_fd_ = to_child[1];
    // The first line: {"base_url": "...", "port": N, "token": "..."}
    std::string line;
    char c;
    while (read(from_child[0], &c, 1) == 1 && c != '\n') line += c;
    close(from_child[0]);
    base_url = json_string(line, "base_url");
    token = json_string(line, "token");
    size_t colon = base_url.rfind(':');
    port = colon == std::string::npos ? 0 : std::atoi(base_url.c_str() + colon + 1);
    return !base_url.empty() && !token.empty() && port > 0;
}

void Sandbox::stop() {
    if (stdin_fd_ >= 0) close(stdin_fd_);  // closing its stdin stops it; SIGTERM makes sure
    stdin_fd_ = -1;
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
}

int Sandbox::control(const std::string& verb, const std::string& path, const std::string& body) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        return 0;
    }
    std::string request = verb + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body;
    for (size_t sent = 0; sent < request.size();) {
        ssize_t n = write(fd, request.data() + sent, request.size() - sent);
        if (n <= 0) break;
        sent += size_t(n);
    }
    std::string reply;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) reply.append(buf, size_t(n));
    close(fd);
    // "HTTP/1.1 200 OK"
    return reply.size() > 12 ? std::atoi(reply.c_str() + 9) : 0;
}
