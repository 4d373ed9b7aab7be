// ВызватьПакет / CallBatch (issue 16): many operations in one call, answered in input order; a failing
// item is an entry of the answer, never an exception; a bad batch is refused naming the parameter.
#include "suites.h"

void test_batch(Context& ctx) {
    Component& c = ctx.c;
    auto& errors = ctx.platform.errors;
    const size_t errors_before = errors.size();
    const std::string requests = std::string("[{\"method\": \"getlisttemplates\"}, ") +
                                 "{\"method\": \"getcard\", \"params\": {\"cardId\": \"000000000000000000000000\"}}, " +
                                 "{\"method\": \"gettemplate\", \"params\": {\"templateId\": \"" + LOYALTY + "\"}}]";
    for (Arg options : {a_str(""), a_str("{\"concurrency\": 3}"), a_empty()}) {
        Result r = c.call("ВызватьПакет", {a_str(requests), options});
        CHECK_MSG(r.ok && r.vt == VTYPE_PWSTR && r.nul_terminated, r.text);
        CHECK(errors.size() == errors_before);
        CHECK(c.get("КодОшибки").i4 == 0);
        // Three entries in input order: result, error (404), result.
        const size_t npos = std::string::npos;
        const size_t first = r.text.find("{\"status\":0,\"result\":");
        const size_t second = r.text.find("\"status\":7");
        const size_t third = second == npos ? npos : r.text.find("{\"status\":0,\"result\":", second);
        CHECK_MSG(!r.text.empty() && r.text[0] == '[' && first == 1, r.text);
        CHECK_MSG(first < second && second < third && third != npos, r.text);
        if (third == npos) continue;
        const std::string failed = r.text.substr(first, third - first);
        CHECK_MSG(contains(failed, "\"error\":{") && contains(failed, "Card not found"), r.text);
        CHECK_MSG(contains(r.text.substr(third), "\"templateId\":\"" + std::string(LOYALTY) + "\""), r.text);
    }
    // The English name, the options left to their default, an empty batch.
    Result empty = c.call("CallBatch", {a_str("[]")});
    CHECK_MSG(empty.ok && empty.text == "[]", empty.text);
    // A bad batch raises, naming the parameter; nothing is sent.
    CHECK(!c.call("ВызватьПакет", {a_str("{\"method\": \"getcard\"}")}).ok && c.get("КодОшибки").i4 == 2);
    CHECK(errors.size() == errors_before + 1 && contains(errors.back().description, "ЗапросыJSON / RequestsJSON"));
    CHECK(!c.call("CallBatch", {a_str("[]"), a_str("{\"concurrency\": 500}")}).ok && c.get("ErrorCode").i4 == 1);
    CHECK(!errors.empty() && contains(errors.back().description, "ПараметрыJSON / OptionsJSON"));
    CHECK(!c.call("CallBatch", {a_i4(1)}).ok && c.get("ErrorCode").i4 == 1);
    // Without exceptions: Неопределено and КодОшибки.
    CHECK(c.set("ВызыватьИсключения", a_bool(false)));
    Result quiet = c.call("ВызватьПакет", {a_str("[oops")});
    CHECK(quiet.ok && quiet.vt == VTYPE_EMPTY && c.get("КодОшибки").i4 == 2);
    CHECK(c.set("ВызыватьИсключения", a_bool(true)));
    CHECK(errors.size() == errors_before + 3);
}
