#!/usr/bin/env python3
"""Calls per second: the passteam package against requests.Session doing the same getcard.

Not a test: it prints numbers. Two servers are measured:

* ``sandbox``: the project's sandbox (``target/release/passteam sandbox``, or ``--base-url``/``--token``).
  Its own work (routing, state, logging) is part of every call, for both clients alike.
* ``nginx`` (``--nginx URL``): the canned nginx that ``scripts/bench`` starts for the C figure, so that
  Python's ratio is measured on the same server as C's.
* ``canned``: a trivially fast HTTP/1.1 server that answers every request with the same getcard reply
  (keep-alive, no parsing beyond framing). It shows the client-side overhead better. It runs either in
  this process (a thread: it then competes for the GIL with the client under test, which penalises
  requests more than passteam, whose calls release the GIL) or in a child process (``--canned process``).

One client thread, after a warm-up. Calls per second is the best of ``--rounds`` rounds of ``--seconds``
each; the median latency of one call (over all rounds) resists the noise of a busy machine better. Both
ratios are against requests (higher = passteam faster).
requests must be installed (``pip install requests``); it is only needed here.

    python bench/bench_calls.py [--cli target/release/passteam] [--seconds 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

import requests

import passteam

REPO = Path(__file__).resolve().parents[3]
LOYALTY = "5e424c181dbf0d537c8b4569"


# -- the clients under test ------------------------------------------------------------------------


def passteam_calls(base_url: str, token: str, card_id: str) -> dict[str, Callable[[], object]]:
    # The library's client-side budget (30 000 requests an hour by default) would stop a benchmark.
    client = passteam.Client(token=token, base_url=base_url, quota_per_hour=10**12, quota_per_day=10**12)
    params = json.dumps({"cardId": card_id})
    return {
        "passteam get_card (dict result)": lambda: client.get_card(card_id=card_id),
        "passteam call_json (JSON text)": lambda: client.call_json("getcard", params),
    }


def requests_call(base_url: str, token: str, card_id: str) -> Callable[[], object]:
    """What a requests user writes for getcard: a form POST, then the envelope checked and unwrapped."""
    session = requests.Session()
    session.headers["Authorization"] = token
    url = base_url + "/oapi/v1/getcard"

    def call() -> object:
        reply = session.post(url, data={"cardId": card_id}, timeout=30)
        envelope = reply.json()
        if envelope.get("error") or envelope.get("code") != 200:
            raise RuntimeError(envelope)
        return envelope["result"]

    return call


class Result:
    """Calls per second (best round) and the median latency of one call (all rounds)."""

    def __init__(self, per_second: float, median_us: float) -> None:
        self.per_second = per_second
        self.median_us = median_us


def rate(call: Callable[[], object], seconds: float, rounds: int) -> Result:
    for _ in range(50):
        call()
    best = 0.0
    latencies: list[float] = []
    clock = time.perf_counter
    for _ in range(rounds):
        count = 0
        started = clock()
        deadline = started + seconds
        now = started
        while now < deadline:
            before = now
            call()
            now = clock()
            latencies.append(now - before)
            count += 1
        best = max(best, count / (now - started))
    latencies.sort()
    return Result(best, latencies[len(latencies) // 2] * 1e6)


# -- the canned server -----------------------------------------------------------------------------


def read_request(conn: socket.socket, buffer: bytes) -> Optional[bytes]:
    """Consumes one HTTP/1.1 request (Content-Length or chunked body); returns what follows it."""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    headers = head.lower()
    if b"transfer-encoding: chunked" in headers:
        while b"\r\n0\r\n\r\n" not in b"\r\n" + rest:
            data = conn.recv(65536)
            if not data:
                return None
            rest += data
        return (b"\r\n" + rest).split(b"\r\n0\r\n\r\n", 1)[1]
    length = 0
    for line in headers.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None
        rest += data
    return rest[length:]


def serve_canned(listener: socket.socket, body: bytes) -> None:
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )

    def handle(conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer: Optional[bytes] = b""
        with conn:
            while True:
                buffer = read_request(conn, buffer or b"")
                if buffer is None:
                    return
                conn.sendall(reply)

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def start_canned(body: bytes, mode: str) -> tuple[str, Optional[Any]]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    if mode == "thread":
        threading.Thread(target=serve_canned, args=(listener, body), daemon=True).start()
        return url, None
    process = multiprocessing.get_context("fork").Process(target=serve_canned, args=(listener, body), daemon=True)
    process.start()
    listener.close()
    return url, process


# -- main ------------------------------------------------------------------------------------------


def measure(title: str, base_url: str, token: str, card_id: str, seconds: float, rounds: int) -> None:
    print(f"\n{title} ({base_url})")
    print(f"  {'client':34s} {'calls/s':>9s} {'ratio':>6s}  {'median':>9s} {'ratio':>6s}")
    base = rate(requests_call(base_url, token, card_id), seconds, rounds)
    rows = [("requests.Session post + json", base)]
    rows += [(name, rate(call, seconds, rounds)) for name, call in passteam_calls(base_url, token, card_id).items()]
    for name, got in rows:
        print(
            f"  {name:34s} {got.per_second:9.0f} {got.per_second / base.per_second:5.2f}x"
            f"  {got.median_us:7.0f}us {base.median_us / got.median_us:5.2f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description="passteam vs requests: getcard calls per second")
    parser.add_argument("--cli", default=os.environ.get("PASSTEAM_CLI", str(REPO / "target/release/passteam")))
    parser.add_argument("--base-url", help="use this running sandbox instead of starting one")
    parser.add_argument("--token", default="sandbox-token")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--canned", choices=["thread", "process", "both", "none"], default="both")
    parser.add_argument("--nginx", metavar="URL",
                        help="also measure against this canned nginx (scripts/bench's, the C benchmark's own server)")
    parser.add_argument("--nginx-card-id", default="5f0c1a2b3c4d5e6f7a8b0001",
                        help="the card id of the nginx's canned getcard reply")
    args = parser.parse_args()

    sandbox = None
    base_url = args.base_url
    if not base_url:
        sandbox = subprocess.Popen([args.cli, "sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert sandbox.stdout is not None
        base_url = json.loads(sandbox.stdout.readline())["base_url"]
    try:
        with passteam.Client(token=args.token, base_url=base_url) as setup:
            card = setup.create_card(
                template_id=LOYALTY, values={"PHONE": f"+7916{os.getpid() % 10**7:07d}", "CLIENT_NAME": "Bench"}
            )
        print(f"passteam {passteam.version()} via {passteam.library_path()}; Python {sys.version.split()[0]}")
        measure("sandbox", base_url, args.token, card["cardId"], args.seconds, args.rounds)

        canned_body = json.dumps({"result": card, "message": "OK", "code": 200, "error": False}).encode()
        modes = ["thread", "process"] if args.canned == "both" else [] if args.canned == "none" else [args.canned]
        for mode in modes:
            url, process = start_canned(canned_body, mode)
            measure(f"canned server in a {mode}", url, args.token, card["cardId"], args.seconds, args.rounds)
            if process is not None:
                process.terminate()
        if args.nginx:
            # The server of the C figure (scripts/bench), in C: its own cost per call is a few microseconds,
            # so what remains is the clients' (the issue's Python goal is measured here).
            measure("canned nginx (the C benchmark's server)", args.nginx, args.token, args.nginx_card_id,
                    args.seconds, args.rounds)
    finally:
        if sandbox is not None:
            sandbox.kill()
            sandbox.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
