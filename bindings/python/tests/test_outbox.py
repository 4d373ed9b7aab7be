"""The offline outbox from Python: a queued call is a ``passteam.Queued`` value, never an exception."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import passteam
from conftest import LOYALTY, MISSING_CARD, Sandbox, new_phone


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def till(sandbox: Sandbox, path: Path, base_url: str) -> passteam.Client:
    return passteam.Client(
        token=sandbox.token, base_url=base_url, timeout=5, outbox_path=str(path), outbox_replay="manual"
    )


def test_queue_flush_stats_list_retry_discard(sandbox: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    with till(sandbox, path, sandbox.base_url) as online, till(sandbox, path, closed_port_url()) as down:
        card = online.create_card(template_id=LOYALTY, values={"PHONE": new_phone(), "BONUS": 0})
        queued = down.update_card(card_id=card["cardId"], values={"BONUS": 15})
        assert isinstance(queued, passteam.Queued)
        assert queued.outbox_id > 0
        assert queued.cause["name"] == "PASSTEAM_ERR_TRANSPORT"
        assert passteam.status_name(12) == "PASSTEAM_QUEUED"
        ghost = down.update_card(card_id=MISSING_CARD, values={"BONUS": 1})
        assert isinstance(ghost, passteam.Queued)

        stats = down.outbox_stats()
        assert (stats["pending"], stats["dead"]) == (2, 0)
        entries = down.outbox_list(state="pending")
        assert [e["id"] for e in entries] == [queued.outbox_id, ghost.outbox_id]
        assert entries[0]["params"]["values"]["BONUS"] == 15
        assert sandbox.token not in str(entries)

        assert online.outbox_flush(5) == {"sent": 1, "failed": 1, "pending": 0, "dead": 1}
        assert online.get_card(card_id=card["cardId"])["values"]["%BONUS%"] == "15"
        dead = online.outbox_list(state="dead")
        assert [e["id"] for e in dead] == [ghost.outbox_id]
        assert dead[0]["last_error"]["name"] == "PASSTEAM_ERR_NOT_FOUND"

        assert online.outbox_retry(ghost.outbox_id) == {"retried": ghost.outbox_id}
        assert online.outbox_stats()["pending"] == 1
        assert online.outbox_discard(ghost.outbox_id) == {"discarded": ghost.outbox_id}
        assert online.outbox_stats() ["pending"] == 0
        with pytest.raises(passteam.NotFoundError):
            online.outbox_discard(ghost.outbox_id)


def test_the_raw_call_json_hands_back_the_queued_object(sandbox: Sandbox, tmp_path: Path) -> None:
    with till(sandbox, tmp_path / "o.sqlite", closed_port_url()) as down:
        text = down.call_json("updatecard", '{"cardId": "c1", "values": {"BONUS": 1}}')
        assert isinstance(text, passteam.QueuedText)
        assert '"status":12' in text.replace(" ", "")


def test_client_errors_still_raise_and_no_outbox_says_so(sandbox: Sandbox, client: passteam.Client) -> None:
    with pytest.raises(passteam.ValidationError):
        client.update_card(card_id=None, values={"BONUS": 1})  # type: ignore[arg-type]
    with pytest.raises(passteam.InvalidArgumentError, match="outbox_path"):
        client.outbox_stats()
    with pytest.raises(passteam.InvalidArgumentError, match="outbox_path"):
        client.outbox_flush()
