// The add-in's webhook receiver end to end: the sandbox posts webhooks (with Passteam's repeat) for a
// card the component issues; the platform sees one ВнешнееСобытие and the component hands the event
// over once, until acknowledged.
#include "suites.h"

#include <chrono>
#include <thread>
#include <unistd.h>

void test_webhooks(Context& ctx) {
    Component& c = ctx.c;
    const std::string store = "/tmp/passteam-1c-harness-webhooks-" + std::to_string(getpid()) + ".sqlite";
    unlink(store.c_str());
    CHECK(c.set("RaiseExceptions", a_bool(true)));
    CHECK(c.set("Настройки", a_str("{\"token\": \"" + ctx.sandbox.token + "\", \"base_url\": \"" + ctx.sandbox.base_url + "\"}")));

    Result info = c.call("ЗапуститьВебхуки", {a_str("{\"path\": \"/passteam/hooks-0123456789ab\", \"store_path\": \"" + store + "\"}")});
    CHECK_MSG(info.ok && info.vt == VTYPE_PWSTR, info.text);
    CHECK(ctx.platform.depth() == 1000);
    const std::string url = json_string(info.text, "url");
    CHECK_MSG(contains(url, "/passteam/hooks-0123456789ab"), url);
    CHECK(ctx.sandbox.control("POST", "/_sandbox/webhooks", "{\"url\": \"" + url + "\", \"repeats\": 1, \"repeat_delay_ms\": 50}") == 200);

    Result issued = c.call("ВыдатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY + "\", \"values\": {\"PHONE\": \"+79161239876\"}}")});
    CHECK_MSG(issued.ok, issued.text);
    const std::string card_id = json_string(issued.text, "cardId");

    Result event = c.call("СледующийВебхук", {a_i4(5000)});
    CHECK_MSG(event.ok && event.vt == VTYPE_PWSTR && contains(event.text, "\"createCard\"") && contains(event.text, card_id), event.text);
    const std::string webhook_id = json_string(event.text, "webhookId");
    CHECK(!webhook_id.empty());
    Result again = c.call("NextWebhook", {a_i4(0)});
    CHECK(again.ok && json_string(again.text, "webhookId") == webhook_id);  // the same until acknowledged
    CHECK(c.call("ПодтвердитьВебхук", {a_str(webhook_id)}).ok);

    // The repeat (same webhookId) arrives 50 ms later: answered 200, neither stored nor raised again.
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    Result none = c.call("СледующийВебхук", {a_i4(100)});
    CHECK(none.ok && none.vt == VTYPE_EMPTY);
    std::vector<std::string> events = ctx.platform.events_copy();
    CHECK_MSG(events.size() == 1, std::to_string(events.size()) + " external events");
    if (!events.empty()) {
        CHECK(contains(events[0], "Passteam|Webhook|"));
        CHECK(contains(events[0], webhook_id));
    }
    CHECK(ctx.sandbox.control("DELETE", "/_sandbox/webhooks") == 200);
    CHECK(c.call("ОстановитьВебхуки").ok);
    for (const char* suffix : {"", "-wal", "-shm"}) unlink((store + suffix).c_str());
}
