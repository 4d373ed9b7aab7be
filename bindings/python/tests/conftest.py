"""Fixtures: one sandbox process for the session (reset before each test module), clients, helpers.

The sandbox is ``target/release/passteam sandbox`` (override with ``PASSTEAM_CLI``); it prints one JSON
line with its base URL and token, then serves on 127.0.0.1 until killed.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

import passteam

REPO = Path(__file__).resolve().parents[3]
LOYALTY = "5e424c181dbf0d537c8b4569"
GIFT = "5e424c181dbf0d537c8b456a"
COMPANY = "5e424c181dbf0d537c8b0001"
MISSING_CARD = "000000000000000000000000"

_phones = itertools.count(1)


def new_phone() -> str:
    """A valid, never-used Russian mobile number (the sandbox validates phones like libphonenumber)."""
    return f"+7916{os.getpid() % 1000:03d}{next(_phones):04d}"


class Sandbox:
    """The running sandbox: its address, and its control interface (``/_sandbox/...``)."""

    def __init__(self, process: subprocess.Popen[str], info: dict[str, Any]) -> None:
        self.process = process
        self.base_url: str = info["base_url"]
        self.token: str = info["token"]

    def control(self, verb: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + "/_sandbox/" + path, data=data, method=verb, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read() or b"null")

    def reset(self) -> None:
        self.control("POST", "reset")

    def fault(self, **fault: Any) -> None:
        self.control("POST", "faults", fault)

    def requests(self) -> list[dict[str, Any]]:
        return self.control("GET", "requests")

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    cli = os.environ.get("PASSTEAM_CLI") or str(REPO / "target" / "release" / "passteam")
    process = subprocess.Popen(
        [cli, "sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"{cli} sandbox exited without printing its address (status {process.poll()})")
        yield Sandbox(process, json.loads(line))
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module", autouse=True)
def _fresh_state_per_module(sandbox: Sandbox) -> None:
    """Each module starts from the seeded state, whatever the previous one did."""
    sandbox.reset()


@pytest.fixture(autouse=True)
def _no_leftover_faults(sandbox: Sandbox) -> Iterator[None]:
    """Faults or a quota set by one test never hit the next one."""
    yield
    sandbox.control("DELETE", "faults")
    sandbox.control("POST", "quota", {"per_hour": None})


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[passteam.Client]:
    """A client with fast retries, so that tests injecting faults stay quick."""
    with passteam.Client(
        token=sandbox.token, base_url=sandbox.base_url, timeout=10, retry_base_delay_ms=10, retry_max_delay_ms=50
    ) as c:
        yield c
