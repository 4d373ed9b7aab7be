"""One client shared by many threads: correct results, real parallelism, and a close that waits."""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import passteam
from conftest import LOYALTY, MISSING_CARD, Sandbox, new_phone
from passteam import _native


def test_threads_share_one_client(client: passteam.Client) -> None:
    def work(n: int) -> tuple[str, str]:
        phone = new_phone()
        card = client.create_card(template_id=LOYALTY, values={"PHONE": phone, "BONUS": n})
        again = client.get_card(card_id=card["cardId"])
        with pytest.raises(passteam.NotFoundError):
            client.get_card(card_id=MISSING_CARD)
        return phone, again["values"]["%PHONE%"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(80)))
    assert len(results) == 80
    assert all(sent == read for sent, read in results)
    assert len({sent for sent, _ in results}) == 80


def test_calls_run_in_parallel(client: passteam.Client, sandbox: Sandbox) -> None:
    """ctypes releases the GIL during a foreign call, so four slow calls overlap."""
    sandbox.fault(method="getlisttemplates", kind="delay", delay_ms=400, times=4)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: client.get_list_templates(), range(4)))
    elapsed = time.monotonic() - started
    assert all(results)
    assert elapsed < 1.2, f"4 x 400 ms calls took {elapsed:.2f} s: they did not overlap"


def test_close_waits_for_calls_in_flight(sandbox: Sandbox) -> None:
    c = passteam.Client(token=sandbox.token, base_url=sandbox.base_url, timeout=10)
    sandbox.fault(method="getlisttemplates", kind="delay", delay_ms=500)
    outcome: dict = {}

    def slow_call() -> None:
        outcome["result"] = c.get_list_templates()

    sandbox.clear_requests()
    worker = threading.Thread(target=slow_call)
    worker.start()
    # Close only once the call is surely in flight: the sandbox logs a request before delaying it.
    deadline = time.monotonic() + 5
    while not sandbox.requests() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    c.close()
    waited = time.monotonic() - started
    worker.join()
    assert outcome["result"], "the call in flight finished normally"
    assert waited > 0.2, "close() returned while a call was still running"
    assert c.closed
    with pytest.raises(ValueError, match="closed"):
        c.get_list_templates()
    c.close()  # idempotent


def test_garbage_collection_frees_an_unclosed_client_once(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = _native.lib()
    freed: list[int] = []
    real_free = lib.client_free

    def counting_free(ptr: int) -> None:
        freed.append(ptr)
        real_free(ptr)

    monkeypatch.setattr(lib, "client_free", counting_free)
    forgotten = passteam.Client(token=sandbox.token, base_url=sandbox.base_url)
    forgotten.get_list_templates()
    del forgotten
    gc.collect()
    assert len(freed) == 1

    closed = passteam.Client(token=sandbox.token, base_url=sandbox.base_url)
    closed.close()
    del closed
    gc.collect()
    assert len(freed) == 2, "a closed client is not freed a second time by the collector"
