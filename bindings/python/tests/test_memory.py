"""Every string the library returns is freed exactly once with passteam_string_free; nothing leaks."""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest

import passteam
from conftest import LOYALTY, MISSING_CARD, Sandbox, new_phone
from passteam import _native


class Ledger:
    """Wraps the exports that hand out strings and passteam_string_free, and records the pointers."""

    def __init__(self, lib: _native.Library, monkeypatch: pytest.MonkeyPatch) -> None:
        self.returned: list[int] = []
        self.freed: list[int] = []
        real_free = lib.string_free

        def free(ptr: Any) -> None:
            self.freed.append(ptr)
            real_free(ptr)

        monkeypatch.setattr(lib, "string_free", free)
        monkeypatch.setattr(lib, "call", self._recording(lib.call))
        monkeypatch.setattr(lib, "call_with_timeout", self._recording(lib.call_with_timeout))
        monkeypatch.setattr(lib, "client_new", self._recording(lib.client_new))
        monkeypatch.setattr(lib, "debug_panic", self._recording(lib.debug_panic))
        ops = {name: self._recording(func) for name, func in lib.ops.items()}
        monkeypatch.setattr(lib, "ops", ops)

    def _recording(self, func: Callable[..., int]) -> Callable[..., int]:
        def wrapper(*args: Any) -> int:
            status = func(*args)
            out = args[-1]._obj.value  # the byref(c_void_p) out parameter
            if out:
                self.returned.append(out)
            return status

        return wrapper


def test_each_returned_string_is_freed_once(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = Ledger(_native.lib(), monkeypatch)
    with passteam.Client(token=sandbox.token, base_url=sandbox.base_url) as client:
        card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()})
        for _ in range(10):
            client.get_card(card_id=card["cardId"])  # OK through the dedicated export
            client.get_card(card_id=card["cardId"], timeout=5)  # OK through call_with_timeout
            client.call("getcard", card_id=card["cardId"])  # OK, by name
            client.call_json("getcard", '{"cardId": "%s"}' % card["cardId"])
            with pytest.raises(passteam.NotFoundError):  # an error object is a returned string too
                client.get_card(card_id=MISSING_CARD)
            with pytest.raises(passteam.ValidationError):
                client.get_card()
            with pytest.raises(passteam.InvalidJsonError):
                client.call_json("getcard", "not json")
            with pytest.raises(passteam.InvalidArgumentError):
                client.call("nosuchmethod")
            with pytest.raises(passteam.InternalError):
                passteam.debug_panic()
        with pytest.raises(passteam.InvalidArgumentError):
            passteam.Client(no_such_key=1)  # the error of client_new is freed as well
    assert len(ledger.returned) == 1 + 10 * 9 + 1
    assert ledger.freed == ledger.returned


def test_static_strings_are_never_freed(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _native.lib()
    freed: list[int] = []
    monkeypatch.setattr(lib, "string_free", freed.append)
    passteam.version()
    passteam.status_name(8)
    passteam.methods()
    passteam.abi_version()
    assert freed == []


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def grow_while_reading(client: passteam.Client, card_id: str, calls: int) -> int:
    before = rss_bytes()
    for _ in range(calls):
        client.get_card(card_id=card_id)
    return rss_bytes() - before


def test_rss_stays_flat_over_many_large_results(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """~64 KiB per reply x 400 calls: 25 MiB would stay behind if the strings were not freed.

    The second half proves the measure can see a leak: with the free disabled, RSS does grow.
    """
    big_name = "N" * 65536
    calls = 400
    with passteam.Client(token=sandbox.token, base_url=sandbox.base_url) as client:
        card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone(), "CLIENT_NAME": big_name})
        grow_while_reading(client, card["cardId"], 50)  # warm up allocator pools
        freed_growth = grow_while_reading(client, card["cardId"], calls)

        monkeypatch.setattr(_native.lib(), "string_free", lambda ptr: None)
        leaked_growth = grow_while_reading(client, card["cardId"], calls)

    assert freed_growth < 8 * 2**20, f"RSS grew by {freed_growth} bytes with the strings freed"
    assert leaked_growth > 16 * 2**20, f"the leak control grew only {leaked_growth} bytes"
