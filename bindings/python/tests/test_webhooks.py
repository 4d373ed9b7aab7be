"""The webhook receiver from Python: real HTTP posts to it on 127.0.0.1, the iterator, the context
manager, restarts, and parse_webhook."""

from __future__ import annotations

import http.client
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import passteam

SECRET = "/passteam/hooks-5e4515b1cea6c61f"


def webhook(webhook_id: str, event: str = "installCard", card_id: str = "5e451571cea6c6141807b792") -> str:
    return json.dumps(
        {"card": {"cardId": card_id, "values": {"%POINTS%": "1000"}, "installed": event == "installCard"},
         "event": event, "webhookId": webhook_id}
    )


def post(receiver: passteam.WebhookReceiver, body: str, path: str = SECRET, method: str = "POST") -> tuple[int, Any]:
    connection = http.client.HTTPConnection(*receiver.address, timeout=10)
    try:
        connection.request(method, path, body=body.encode(), headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        return reply.status, json.loads(reply.read() or b"null")
    finally:
        connection.close()


@pytest.fixture
def store(tmp_path: Path) -> str:
    return str(tmp_path / "hooks.sqlite")


def test_parse_webhook_normalises_and_names_defects() -> None:
    event = passteam.parse_webhook(webhook("5e4515b1cea6c61fba2a4212", "UNINSTALLCARD"))
    assert event["event"] == "unInstallCard"
    assert set(event) == {"webhookId", "event", "card"}
    assert passteam.parse_webhook(webhook("w").encode())["webhookId"] == "w"
    with pytest.raises(passteam.ProtocolError, match="cardId"):
        passteam.parse_webhook('{"webhookId": "w", "event": "createCard", "card": {}}')
    with pytest.raises(passteam.ProtocolError, match="not JSON"):
        passteam.parse_webhook("{")


def test_a_repeat_is_delivered_once_and_the_iterator_acknowledges(store: str) -> None:
    with passteam.WebhookReceiver(path=SECRET, store_path=store) as receiver:
        assert receiver.url == f"http://127.0.0.1:{receiver.address[1]}{SECRET}"
        for webhook_id in ["a", "a", "b", "a"]:
            status, reply = post(receiver, webhook(webhook_id))
            assert status == 200 and reply["ok"] is True
        assert receiver.pending() == 2
        seen = [event["webhookId"] for event in receiver.events(idle_timeout=0.2)]
        assert seen == ["a", "b"]
        assert receiver.pending() == 0
        assert receiver.ack("a") is False  # acknowledged before
        with pytest.raises(passteam.NotFoundError):
            receiver.ack("never-seen")
    assert receiver.closed
    with pytest.raises(ValueError, match="closed"):
        receiver.next(0)


def test_refusals_over_http(store: str) -> None:
    with passteam.WebhookReceiver(path=SECRET, store_path=store, max_body_bytes=512) as receiver:
        status, reply = post(receiver, '{"webhookId": "x", "event": "burnCard", "card": {"cardId": "c"}}')
        assert status == 400 and "burnCard" in reply["error"]
        assert post(receiver, webhook("x"), path="/elsewhere")[0] == 404
        assert post(receiver, "", method="GET")[0] == 405
        assert post(receiver, json.dumps({"pad": "x" * 1000}))[0] == 413
        assert receiver.next(0) is None


def test_an_event_whose_handler_raised_is_delivered_again_after_a_restart(store: str) -> None:
    with passteam.WebhookReceiver(path=SECRET, store_path=store) as receiver:
        post(receiver, webhook("crashy", "deleteCard"))
        with pytest.raises(RuntimeError):
            for event in receiver:
                raise RuntimeError(f"handler failed on {event['webhookId']}")
    with passteam.WebhookReceiver(path=SECRET, store_path=store) as receiver:
        event = receiver.next(1)
        assert event is not None and event["webhookId"] == "crashy" and event["event"] == "deleteCard"
        assert post(receiver, webhook("crashy", "deleteCard"))[1]["duplicate"] is True


def test_next_waits_for_a_post_and_close_ends_the_iterator(store: str) -> None:
    receiver = passteam.WebhookReceiver(path=SECRET, store_path=store)
    threading.Timer(0.2, lambda: post(receiver, webhook("late"))).start()
    started = time.monotonic()
    event = receiver.next(5)
    assert event is not None and event["webhookId"] == "late"
    assert time.monotonic() - started < 2
    receiver.ack("late")
    threading.Timer(0.3, receiver.close).start()
    assert list(receiver) == []  # the iterator ends when the receiver is closed
    receiver.close()  # idempotent


def test_bad_config_raises_invalid_argument(store: str) -> None:
    with pytest.raises(passteam.InvalidArgumentError, match="at least 16"):
        passteam.WebhookReceiver(path="/short", store_path=store)
    with pytest.raises(passteam.InvalidArgumentError, match="unknown webhook config key"):
        passteam.WebhookReceiver(path=SECRET, store_path=store, colour="red")
