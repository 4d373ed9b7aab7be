"""The Client's life cycle and configuration."""

from __future__ import annotations

import pytest

import passteam
from conftest import LOYALTY, Sandbox, new_phone


def test_context_manager_closes(sandbox: Sandbox) -> None:
    with passteam.Client(token=sandbox.token, base_url=sandbox.base_url) as c:
        assert not c.closed
        assert c.get_list_templates()
        assert "open" in repr(c)
    assert c.closed
    assert "closed" in repr(c)
    with pytest.raises(ValueError):
        c.get_list_templates()


def test_config_keys_pass_through(sandbox: Sandbox) -> None:
    with passteam.Client(
        token=sandbox.token, base_url=sandbox.base_url, body_encoding="urlencoded", user_agent="cashier/1.0"
    ) as c:
        sandbox.clear_requests()
        c.create_card(template_id=LOYALTY, values={"PHONE": new_phone()})
    assert sandbox.requests()[-1]["content_type"] == "urlencoded"


def test_timeout_in_seconds_or_timeout_ms_not_both(sandbox: Sandbox) -> None:
    with passteam.Client(token=sandbox.token, base_url=sandbox.base_url, timeout_ms=5000) as c:
        assert c.get_list_templates()
    with pytest.raises(TypeError):
        passteam.Client(token=sandbox.token, timeout=5, timeout_ms=5000)


def test_a_parameter_given_twice_is_refused(client: passteam.Client) -> None:
    with pytest.raises(TypeError, match="cardId"):
        client.get_card(card_id="a", cardId="b")


def test_required_keywords_are_checked_by_python(client: passteam.Client) -> None:
    with pytest.raises(TypeError):
        client.update_card(values={"BONUS": 1})  # type: ignore[call-arg]
