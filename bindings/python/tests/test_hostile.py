"""Hostile replies from a small server on 127.0.0.1: whatever the shape, a call raises a PassteamError."""

from __future__ import annotations

import http.server
import threading
from typing import Iterator

import pytest

import passteam


def _serve(body: bytes) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _reply

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _envelope(result: str) -> bytes:
    return ('{"result":' + result + ',"message":"OK","code":200,"error":false}').encode()


@pytest.fixture
def deep_server() -> Iterator[str]:
    # About 1 000 levels in a 2 KB body: Python's own decoder would raise a bare RecursionError.
    yield from _serve(_envelope("[" * 1000 + "]" * 1000))


def test_a_deeply_nested_reply_is_a_protocol_error(deep_server: str) -> None:
    with passteam.Client(token="hostile-token-0123456789", base_url=deep_server, timeout=5, max_attempts=1) as c:
        with pytest.raises(passteam.ProtocolError) as caught:
            c.call("getlisttemplates")
    assert "deeper than 128" in caught.value.message


def test_a_result_within_the_limit_still_decodes() -> None:
    for base_url in _serve(_envelope("[" * 100 + "]" * 100)):
        with passteam.Client(token="hostile-token-0123456789", base_url=base_url, timeout=5) as c:
            value = c.call("getlisttemplates")
        depth = 0
        while isinstance(value, list) and value:
            value, depth = value[0], depth + 1
        assert depth == 99


def test_a_decoder_failure_is_never_a_bare_exception() -> None:
    from passteam.client import _decode_result

    with pytest.raises(passteam.ProtocolError):
        _decode_result("getcard", "{broken")
