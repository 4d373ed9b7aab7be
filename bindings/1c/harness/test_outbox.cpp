// The offline outbox through the component (issue 12): with outbox_path in Настройки, an update made while
// Passteam is unreachable is queued (КодОшибки = 12, no exception), listed without the token, sent by
// ОчередьОтправить once the sandbox is reachable; a permanent failure on replay goes to the dead list, from
// which ОчередьПовторить puts it back in line and ОчередьУдалить removes it.
#include "suites.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

// A 127.0.0.1 port nothing listens on: bound by the OS, then closed again.
static int closed_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

// The whole number after "key": in a JSON text (first occurrence), -1 when absent.
static long json_number(const std::string& json, const std::string& key) {
    size_t at = json.find("\"" + key + "\":");
    if (at == std::string::npos) return -1;
    return std::strtol(json.c_str() + at + key.size() + 3, nullptr, 10);
}

static std::string outbox_settings(const Sandbox& s, const std::string& base_url, const std::string& path) {
    // Manual replay: nothing is sent behind the test's back; one attempt: the closed port fails at once.
    return "{\"token\": \"" + s.token + "\", \"base_url\": \"" + base_url + "\", \"max_attempts\": 1, "
           "\"outbox_path\": \"" + path + "\", \"outbox_replay\": \"manual\"}";
}

// An updatecard while Passteam is down: queued, not raised; returns its outbox_id (-1 if not queued).
static long queue_update(Context& ctx, const std::string& card_id, int bonus) {
    Component& c = ctx.c;
    const size_t errors_before = ctx.platform.errors.size();
    Result queued = c.call("ОбновитьКарту", {a_str("{\"cardId\": \"" + card_id + "\", \"values\": {\"BONUS\": " +
                                                   std::to_string(bonus) + "}}")});
    CHECK_MSG(queued.ok && queued.vt == VTYPE_PWSTR, queued.text);
    CHECK(ctx.platform.errors.size() == errors_before);  // ВызыватьИсключения is on, and nothing is raised
    CHECK(c.get("КодОшибки").i4 == 12);
    CHECK_MSG(contains(queued.text, "\"status\":12") && contains(queued.text, "PASSTEAM_QUEUED"), queued.text);
    CHECK(!contains(queued.text, ctx.sandbox.token));
    long id = json_number(queued.text, "outbox_id");
    CHECK_MSG(id > 0, queued.text);
    Result last = c.get("ПоследняяОшибка");
    CHECK_MSG(json_number(last.text, "outbox_id") == id, last.text);
    return id;
}

void test_outbox(Context& ctx) {
    Component& c = ctx.c;
    const Sandbox& sandbox = ctx.sandbox;
    char dir_template[] = "/tmp/passteam-1c-outbox-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    CHECK(dir != nullptr);
    if (!dir) return;
    const std::string path = std::string(dir) + "/outbox.sqlite";
    const int port = closed_port();
    CHECK(port > 0);
    const std::string down = outbox_settings(sandbox, "http://127.0.0.1:" + std::to_string(port), path);
    const std::string up = outbox_settings(sandbox, sandbox.base_url, path);

    // A customer's card, issued while Passteam is reachable.
    Result issued = c.call("ВыдатьКарту", {a_str(std::string("{\"templateId\": \"") + LOYALTY +
                                                 "\", \"values\": {\"PHONE\": \"+79160000042\", \"BONUS\": 0}}")});
    CHECK_MSG(issued.ok, issued.text);
    const std::string card_id = json_string(issued.text, "cardId");
    CHECK(card_id.size() == 24);

    // The network is down: the bonus update is queued.
    CHECK(c.set("Настройки", a_str(down)));
    const long id = queue_update(ctx, card_id, 42);
    Result stats = c.call("ОчередьСостояние");
    CHECK_MSG(stats.ok && json_number(stats.text, "pending") == 1 && json_number(stats.text, "dead") == 0, stats.text);
    CHECK(c.get("КодОшибки").i4 == 0);  // a successful outbox call clears the 12
    Result list = c.call("OutboxList", {a_str("{\"state\": \"pending\"}")});
    CHECK_MSG(list.ok && json_number(list.text, "id") == id, list.text);
    CHECK_MSG(contains(list.text, "\"method\":\"updatecard\"") && contains(list.text, "\"state\":\"pending\""), list.text);
    CHECK_MSG(contains(list.text, "\"cardId\":\"" + card_id + "\"") && contains(list.text, "\"BONUS\":42"), list.text);
    CHECK_MSG(!contains(list.text, sandbox.token), "the outbox list shows the token");
    // Flushing while still down sends nothing and keeps the entry.
    Result early = c.call("ОчередьОтправить", {a_i4(500)});
    CHECK_MSG(early.ok && json_number(early.text, "sent") == 0 && json_number(early.text, "pending") == 1, early.text);

    // Reachable again: ОчередьОтправить sends it, and the card has the new balance. (The failed replay
    // above made the entry due again in a second: wait for that.)
    CHECK(c.set("Settings", a_str(up)));
    usleep(1200 * 1000);
    Result flushed = c.call("ОчередьОтправить", {a_i4(5000)});
    CHECK_MSG(flushed.ok && json_number(flushed.text, "sent") == 1 && json_number(flushed.text, "pending") == 0, flushed.text);
    Result card = c.call("ПолучитьКарту", {a_str("{\"cardId\": \"" + card_id + "\"}")});
    CHECK_MSG(card.ok && contains(card.text, "\"%BONUS%\":\"42\""), card.text);
    stats = c.call("OutboxStats");
    CHECK_MSG(json_number(stats.text, "pending") == 0 && json_number(stats.text, "dead") == 0, stats.text);

    // A card that does not exist: queued while down, refused (404) on replay, so it goes to the dead list.
    CHECK(c.set("Settings", a_str(down)));
    const long dead_id = queue_update(ctx, "000000000000000000000000", 1);
    CHECK(c.set("Settings", a_str(up)));
    Result buried = c.call("OutboxFlush");  // МаксМс left to its default (5000)
    CHECK_MSG(buried.ok && json_number(buried.text, "sent") == 0 && json_number(buried.text, "dead") == 1, buried.text);
    Result dead = c.call("ОчередьСписок", {a_str("{\"state\": \"dead\"}")});
    CHECK_MSG(json_number(dead.text, "id") == dead_id && contains(dead.text, "Card not found"), dead.text);
    // ОчередьПовторить puts it back in line (it fails again: the card still does not exist).
    Result retried = c.call("ОчередьПовторить", {a_i4(int32_t(dead_id))});
    CHECK_MSG(retried.ok && json_number(retried.text, "retried") == dead_id, retried.text);
    // ОчередьПовторить makes it due now; a failed replay leaves it dead again.
    stats = c.call("ОчередьСостояние");
    CHECK_MSG(json_number(stats.text, "pending") == 1 && json_number(stats.text, "dead") == 0, stats.text);
    buried = c.call("ОчередьОтправить", {a_r8(5000.0)});
    CHECK_MSG(json_number(buried.text, "dead") == 1, buried.text);
    // An id that is not a whole number is an argument error, raised like any other.
    const size_t errors_before = ctx.platform.errors.size();
    CHECK(!c.call("ОчередьУдалить", {a_str("1")}).ok && c.get("КодОшибки").i4 == 1);
    CHECK(ctx.platform.errors.size() == errors_before + 1 && contains(ctx.platform.errors.back().description, "Ид / Id"));
    // ОчередьУдалить removes it for good.
    Result discarded = c.call("OutboxDiscard", {a_r8(double(dead_id))});
    CHECK_MSG(discarded.ok && json_number(discarded.text, "discarded") == dead_id, discarded.text);
    stats = c.call("OutboxStats");
    CHECK_MSG(json_number(stats.text, "pending") == 0 && json_number(stats.text, "dead") == 0, stats.text);
    CHECK(c.get("ErrorCode").i4 == 0);

    // Back to the plain settings (this closes the outbox file), then remove it.
    CHECK(c.set("Settings", a_str("{\"token\": \"" + sandbox.token + "\", \"base_url\": \"" + sandbox.base_url + "\"}")));
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
    CHECK(rmdir(dir) == 0);
}
