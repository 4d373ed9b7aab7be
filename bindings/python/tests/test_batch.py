"""Client.call_batch: input order, per-item errors returned (not raised), the options."""

from __future__ import annotations

import pytest

import passteam
from conftest import LOYALTY, MISSING_CARD, new_phone


def test_batch_answers_in_order_with_errors_as_values(client: passteam.Client) -> None:
    card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()})
    results = client.call_batch(
        [
            ("getcard", {"cardId": card["cardId"]}),
            {"method": "getcard", "params": {"cardId": MISSING_CARD}},
            ("nosuchmethod", {}),
            ("updatecard", {"cardId": card["cardId"], "values": {"BONUS": "5"}}),
        ],
        concurrency=2,
    )
    assert len(results) == 4
    assert results[0]["cardId"] == card["cardId"]
    assert isinstance(results[1], passteam.NotFoundError)
    assert isinstance(results[2], passteam.InvalidArgumentError)
    assert not isinstance(results[3], passteam.PassteamError)


def test_batch_options_are_checked(client: passteam.Client) -> None:
    with pytest.raises(passteam.InvalidArgumentError, match="concurrency"):
        client.call_batch([("getlisttemplates", {})], concurrency=0)
    assert client.call_batch([]) == []


def test_a_library_without_a_newer_export_says_which_and_what_to_do(
    client: passteam.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = client._handle._lib
    monkeypatch.setattr(lib, "call_batch", None)
    monkeypatch.setattr(lib, "diagnose", None)
    monkeypatch.setattr(lib, "outbox", {})
    with pytest.raises(passteam.LibraryTooOldError, match=r"passteam_call_batch \(ABI 1\.3 or later"):
        client.call_batch([("getlisttemplates", {})])
    with pytest.raises(passteam.LibraryTooOldError, match=r"passteam_diagnose \(ABI 1\.2 or later"):
        client.diagnose()
    with pytest.raises(passteam.LibraryTooOldError, match=r"passteam_outbox_stats \(ABI 1\.5 or later"):
        client.outbox_stats()
