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
    assert "issued a new card" in first and "+50 points, balance 50" in first
    assert "card link sent by SMS" in first

    sandbox.clear_requests()
    second = run_cashier(sandbox, phone, "4000")
    assert "found the card" in second and "balance 250" in second
    methods = [r["method"] for r in sandbox.requests()]
    assert "createcard" not in methods
    assert {"getcard", "updatecard", "distribute", "getcardswithpagination"} <= set(methods)

    card = client.get_card(template_id=LOYALTY, values={"PHONE": phone})
    assert card["values"]["%BONUS%"] == "250"  # whole points, written as an integer
    assert card["values"]["%LEVEL%"] == "Gold"


def test_points_are_whole_and_rounded_down(client: passteam.Client, sandbox: Sandbox) -> None:
    """Issue 10, item 8: 5 % of 1250.50 is 62 points (62.525 rounded down), written as "62"."""
    phone = new_phone()
    out = run_cashier(sandbox, phone, "1250.50")
    assert "+62 points, balance 62" in out, out
    card = client.get_card(template_id=LOYALTY, values={"PHONE": phone})
    assert card["values"]["%BONUS%"] == "62"
