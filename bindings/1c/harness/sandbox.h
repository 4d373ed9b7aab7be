// The local Passteam emulator: started as `passteam sandbox`, its first stdout line gives base_url
// and token; its control interface (/_sandbox/...) injects faults.
#pragma once

#include <string>
#include <sys/types.h>

class Sandbox {
public:
    // Starts `binary sandbox`; false if it did not print its address.
    bool start(const std::string& binary);
    void stop();
    ~Sandbox() { stop(); }

    // A control request (JSON body, no auth); returns the HTTP status, 0 on a connection failure.
    int control(const std::string& verb, const std::string& path, const std::string& body = "");

    std::string base_url;
    std::string token;
    int port = 0;

private:
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
};

// The text value of "key" in a JSON object's text (first occurrence, escapes left as they are).
std::string json_string(const std::string& json, const std::string& key);
