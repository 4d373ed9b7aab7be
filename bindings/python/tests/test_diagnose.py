"""Client.diagnose: the report's shape and its verdicts against the sandbox."""

from __future__ import annotations

import socket

import passteam
from conftest import Sandbox


def test_diagnose_against_the_sandbox_finds_the_way_clear(client: passteam.Client, sandbox: Sandbox) -> None:
    report = client.diagnose()
    assert report["ok"] is True, report
    by_name = {check["name"]: check for check in report["checks"]}
    assert by_name["token"]["status"] == "ok"
    assert by_name["tcp"]["status"] == "ok"
    assert set(by_name) >= {"proxy", "dns", "tcp", "tls", "token", "clock", "quota", "library"}
    assert sandbox.token not in str(report)


def test_diagnose_names_a_wrong_token(sandbox: Sandbox) -> None:
    with passteam.Client(token="wrong-token", base_url=sandbox.base_url) as client:
        report = client.diagnose()
    token = next(check for check in report["checks"] if check["name"] == "token")
    assert token["status"] == "failed"
    assert "token" in token["advice"]
    assert report["ok"] is False


def test_diagnose_names_a_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with passteam.Client(token="t0ken", base_url=f"http://127.0.0.1:{port}", connect_timeout_ms=500) as client:
        report = client.diagnose()
    tcp = next(check for check in report["checks"] if check["name"] == "tcp")
    assert tcp["status"] == "failed", report
    assert "nothing listens" in tcp["advice"]
