"""examples/python/cashier.py runs against the sandbox and leaves the expected card behind."""

from __future__ import annotations

import subprocess
import sys

import passteam
from conftest import LOYALTY, REPO, Sandbox, new_phone

EXAMPLE = REPO / "examples" / "python" / "cashier.py"


def run_cashier(sandbox: Sandbox, phone: str, amount: str) -> str:
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", sandbox.base_url, "--token", sandbox.token,
         "--phone", phone, "--amount", amount],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_cashier_issues_then_finds_and_accrues(client: passteam.Client, sandbox: Sandbox) -> None:
    phone = new_phone()
    first = run_cashier(sandbox, phone, "1000")
    assert "issued a new card" in first and "+50.00 bonus, balance 50.00" in first
    assert "card link sent by SMS" in first

    sandbox.clear_requests()
    second = run_cashier(sandbox, phone, "4000")
    assert "found the card" in second and "balance 250.00" in second
    methods = [r["method"] for r in sandbox.requests()]
    assert "createcard" not in methods
    assert {"getcard", "updatecard", "distribute", "getcardswithpagination"} <= set(methods)

    card = client.get_card(template_id=LOYALTY, values={"PHONE": phone})
    assert float(card["values"]["%BONUS%"]) == 250.0
    assert card["values"]["%LEVEL%"] == "Gold"
