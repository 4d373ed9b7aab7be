"""Issue 10 in Python: the null rule, PHP's loose JSON, and messages in Python's terms."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Iterator

import pytest

import passteam
from conftest import LOYALTY, Sandbox, new_phone


def test_none_in_values_is_not_sent_and_empty_text_clears(client: passteam.Client, sandbox: Sandbox) -> None:
    card = client.create_card(
        template_id=LOYALTY, values={"PHONE": new_phone(), "BONUS": 7, "CLIENT_NAME": "Анна"}
    )
    updated = client.update_card(card_id=card["cardId"], values={"BONUS": None, "CLIENT_NAME": ""})
    assert updated["card"]["values"]["%BONUS%"] == "7"  # None: not sent, kept
    assert updated["card"]["values"]["%CLIENT_NAME%"] == ""  # "": cleared
    sent = [r for r in sandbox.requests() if r["method"] == "updatecard"][-1]
    assert "values[%BONUS%]" not in sent["fields"]


def test_an_empty_list_clears_and_none_keeps(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.clear_requests()
    client.update_sale(id="sale-1", products=[])
    client.update_sale(id="sale-1", products=None, title="Обед")
    first, second = [r for r in sandbox.requests() if r["verb"] == "PUT"]
    assert first["fields"].get("products") == "" and first["content_type"] == "urlencoded"
    assert not any(k.startswith("products") for k in second["fields"])


class _PHPHandler(BaseHTTPRequestHandler):
    """Answers as PHP's json_encode does: an empty associative array is [] and numbers mix with text."""

    def do_POST(self) -> None:  # noqa: N802 (the http.server API)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        card = {"cardId": "c1", "cardCode": 123456, "values": []}
        body = json.dumps({"error": False, "code": 200, "message": "", "result": card}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def php_base_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _PHPHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_card_without_variables_has_a_dict_of_values(php_base_url: str) -> None:
    with passteam.Client(token="t", base_url=php_base_url, max_attempts=1) as c:
        card = c.get_card(card_id="c1")
    assert card["values"] == {}
    assert card["values"].get("%BONUS%", "0") == "0"  # the README's loop works


def test_no_token_names_the_keyword(sandbox: Sandbox) -> None:
    with passteam.Client(base_url=sandbox.base_url) as c:
        with pytest.raises(passteam.AuthError) as caught:
            c.get_list_templates()
    assert "passteam.Client(token=" in str(caught.value)


def test_unknown_method_points_at_python_s_list(client: passteam.Client) -> None:
    with pytest.raises(passteam.InvalidArgumentError) as caught:
        client.call("noSuchMethod")
    assert "passteam.methods()" in str(caught.value)
    assert "passteam methods" not in str(caught.value)


def test_a_base_url_with_the_api_path_is_refused_with_the_url() -> None:
    with pytest.raises(passteam.InvalidArgumentError) as caught:
        passteam.Client(token="t", base_url="http://127.0.0.1:9/oapi/v1")
    assert "'http://127.0.0.1:9'" in str(caught.value) or '"http://127.0.0.1:9"' in str(caught.value)
