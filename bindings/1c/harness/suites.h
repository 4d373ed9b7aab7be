// The harness's test suites; each records failures with CHECK.
#pragma once

#include "component.h"
#include "loader.h"
#include "sandbox.h"

struct Context {
    Component& c;
    CountingMemory& memory;
    FakePlatform& platform;
    Sandbox& sandbox;
    LoadedAddIn& addin;
};

// The LOYALTY template the sandbox seeds.
constexpr const char* LOYALTY = "5e424c181dbf0d537c8b4569";

// GetClassObject / DestroyObject with good and bad arguments, two objects at once.
void test_class_objects(LoadedAddIn& addin);
// Every method and property by its Russian and English name in any case; counts and defaults.
void test_names(Context& ctx);
// The vendor's integration (card issue / update, balance push, read back, 409 as an exception).
void test_scenario(Context& ctx);
// NULL and empty strings, big JSON, out-of-range numbers, wrong types, failed allocations.
void test_edges(Context& ctx);
// ВызыватьИсключения = Ложь: failures return Undefined and set ПоследняяОшибка.
void test_raise_exceptions_off(Context& ctx);
// The webhook receiver: the sandbox posts a card's createCard (and a repeat) to it; ВнешнееСобытие is
// raised once, СледующийВебхук / ПодтвердитьВебхук hand it over exactly once.
void test_webhooks(Context& ctx);
// The offline outbox: a call queued while Passteam is down (КодОшибки 12, no exception), listed, sent
// once it is up; a dead entry retried and discarded.
void test_outbox(Context& ctx);
// ВызватьПакет / CallBatch: order kept, a failing item an entry, not an exception; bad batches refused.
void test_batch(Context& ctx);
// Timings (printed only).
void bench(Context& ctx);
