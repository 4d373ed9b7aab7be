// Timings through the component (printed, not asserted): run with PASSTEAM_1C_BENCH=1.
#include "suites.h"

#include <chrono>
#include <cstdio>

static double micros_per_call(std::chrono::steady_clock::time_point since, int calls) {
    auto total = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - since).count();
    return double(total) / calls;
}

void bench(Context& ctx) {
    Component& c = ctx.c;
    Result issued = c.call("ВыдатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY +
                                                 "\", \"values\": {\"PHONE\": \"+79160000099\", \"CLIENT_NAME\": \"Бенчмарк\"}}")});
    const std::string params = "{\"cardId\": \"" + json_string(issued.text, "cardId") + "\"}";
    const int calls = 500;

    // A local check that fails before any I/O: the cost of the add-in layer itself.
    auto started = std::chrono::steady_clock::now();
    c.set("ВызыватьИсключения", a_bool(false));
    for (int i = 0; i < calls; ++i) c.call("ПолучитьКарту", {a_str("{}")});
    c.set("ВызыватьИсключения", a_bool(true));
    std::printf("bench: ПолучитьКарту with a validation error (no I/O): %.1f us/call\n", micros_per_call(started, calls));

    started = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) c.call("ПолучитьКарту", {a_str(params)});
    std::printf("bench: ПолучитьКарту against the sandbox (HTTP, keep-alive): %.1f us/call\n", micros_per_call(started, calls));

    // The same reads as one ВызватьПакет (4 at once, the default), per item.
    std::string requests = "[";
    for (int i = 0; i < calls; ++i) requests += std::string(i ? "," : "") + "{\"method\": \"getcard\", \"params\": " + params + "}";
    requests += "]";
    started = std::chrono::steady_clock::now();
    Result batch = c.call("ВызватьПакет", {a_str(requests), a_str("")});
    std::printf("bench: ВызватьПакет of %d getcard (concurrency 4): %.1f us/item%s\n", calls, micros_per_call(started, calls),
                batch.ok ? "" : " (FAILED)");

    started = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) c.get("Настройки");
    std::printf("bench: read Настройки (JSON + UTF-16 + memory manager): %.1f us/call\n", micros_per_call(started, calls));

    std::string big;
    for (int i = 0; i < 250000; ++i) big += "Ж";  // under the core's 1 MiB bound on parameter text
    Result card = c.call("ВыдатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY +
                                               "\", \"values\": {\"PHONE\": \"+79160000098\", \"CLIENT_NAME\": \"" + big + "\"}}")});
    const std::string big_params = "{\"cardId\": \"" + json_string(card.text, "cardId") + "\"}";
    started = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) c.call("ПолучитьКарту", {a_str(big_params)});
    std::printf("bench: ПолучитьКарту returning a 500 KB card: %.1f ms/call\n", micros_per_call(started, 10) / 1000);
}
