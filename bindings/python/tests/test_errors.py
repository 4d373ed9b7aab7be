"""Every exception class, each provoked for real through the library against the sandbox."""

from __future__ import annotations

import pickle
import socket
import time

import pytest

import passteam
from conftest import LOYALTY, MISSING_CARD, Sandbox, new_phone


def make_client(sandbox: Sandbox, **config: object) -> passteam.Client:
    settings: dict = {"token": sandbox.token, "base_url": sandbox.base_url, "timeout": 10, "max_attempts": 1}
    settings.update(config)
    return passteam.Client(**settings)


def test_hierarchy_and_builtin_bases() -> None:
    subclasses = [
        passteam.InvalidArgumentError,
        passteam.InvalidJsonError,
        passteam.ValidationError,
        passteam.TransportError,
        passteam.PassteamTimeout,
        passteam.AuthError,
        passteam.NotFoundError,
        passteam.ConflictError,
        passteam.RateLimitedError,
        passteam.ApiError,
        passteam.ProtocolError,
        passteam.InternalError,
    ]
    assert all(issubclass(cls, passteam.PassteamError) for cls in subclasses)
    assert [cls.status for cls in subclasses] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99]
    assert issubclass(passteam.PassteamTimeout, TimeoutError)
    assert issubclass(passteam.ValidationError, ValueError)
    assert issubclass(passteam.NotFoundError, LookupError)


def test_invalid_argument_unknown_config_key() -> None:
    with pytest.raises(passteam.InvalidArgumentError) as info:
        passteam.Client(token="t", no_such_option=1)
    assert info.value.status == 1
    assert info.value.name == "PASSTEAM_ERR_INVALID_ARGUMENT"
    assert "no_such_option" in info.value.message


def test_invalid_argument_unknown_method(client: passteam.Client) -> None:
    with pytest.raises(passteam.InvalidArgumentError) as info:
        client.call("nosuchmethod")
    assert isinstance(info.value, ValueError)


def test_invalid_json(client: passteam.Client) -> None:
    with pytest.raises(passteam.InvalidJsonError) as info:
        client.call_json("getcard", "not json")
    assert info.value.status == 2


def test_validation(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.clear_requests()
    with pytest.raises(passteam.ValidationError) as info:
        client.get_card()
    assert info.value.status == 3
    assert info.value.http_status is None
    assert info.value.details.get("field")
    assert sandbox.requests() == []  # checked before anything was sent


def test_validation_problems_name_every_refused_variable(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.clear_requests()
    with pytest.raises(passteam.ValidationError) as info:
        client.create_card(template_id=LOYALTY, values={"PHONE": "8 916 123", "LEVL": "Gold", "CLIENT_NAME": "Anna"})
    error = info.value
    assert error.status == 3 and error.problems == error.details["problems"]
    by_field = {p["field"]: p for p in error.problems}
    assert set(by_field) == {"%PHONE%", "%LEVL%"}
    assert by_field["%PHONE%"]["value"] == "8 916 123"
    assert by_field["%LEVL%"]["suggestions"] == ["%LEVEL%"]
    assert "did you mean %LEVEL%?" in error.message
    assert [r for r in sandbox.requests() if r["method"] == "createcard"] == []
    # A phone the till typed its own way is sent in E.164.
    digits = new_phone()[2:]
    typed = f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    card = client.create_card(template_id=LOYALTY, values={"PHONE": typed})
    assert card["values"]["%PHONE%"] == "+7" + digits


def test_auth(sandbox: Sandbox) -> None:
    with make_client(sandbox, token="wrong-token") as bad:
        with pytest.raises(passteam.AuthError) as info:
            bad.get_list_templates()
    assert info.value.status == 6
    assert info.value.http_status in (401, 403)


def test_not_found(client: passteam.Client) -> None:
    with pytest.raises(passteam.NotFoundError) as info:
        client.get_card(card_id=MISSING_CARD)
    error = info.value
    assert (error.status, error.http_status, error.api_code) == (7, 404, 404)
    assert error.retryable is False
    assert error.details["method"] == "getcard"


def test_conflict_exposes_card_ids(client: passteam.Client) -> None:
    phone = new_phone()
    first = client.create_card(template_id=LOYALTY, values={"PHONE": phone})
    with pytest.raises(passteam.ConflictError) as info:
        client.create_card(template_id=LOYALTY, values={"PHONE": phone})
    error = info.value
    assert error.status == 8 and error.http_status == 409
    assert error.card_ids == [first["cardId"]]
    assert phone in error.message


def test_rate_limited_by_the_server(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.control("POST", "quota", {"per_hour": 0})
    with pytest.raises(passteam.RateLimitedError) as info:
        client.get_list_templates()
    assert info.value.status == 9
    assert "requests per hour" in info.value.message


def test_rate_limited_client_side_has_retry_after(sandbox: Sandbox) -> None:
    with make_client(sandbox, quota_per_hour=1) as limited:
        limited.get_list_templates()
        with pytest.raises(passteam.RateLimitedError) as info:
            limited.get_list_templates()
    assert info.value.retry_after_ms is not None and info.value.retry_after_ms > 0
    assert info.value.http_status is None


def test_api_error(client: passteam.Client) -> None:
    with pytest.raises(passteam.ApiError) as info:
        client.create_card(template_id=LOYALTY, values={"CLIENT_NAME": "no phone"})
    assert info.value.status == 10
    assert info.value.http_status == 500
    assert "unique and must be set" in info.value.message


def test_protocol(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.fault(method="getlisttemplates", kind="garbage")
    with pytest.raises(passteam.ProtocolError) as info:
        client.get_list_templates()
    assert info.value.status == 11


def test_transport_lost_create_has_unknown_outcome(client: passteam.Client, sandbox: Sandbox) -> None:
    phone = new_phone()
    sandbox.fault(method="createcard", kind="drop", after_processing=True)
    with pytest.raises(passteam.TransportError) as info:
        client.create_card(template_id=LOYALTY, values={"PHONE": phone})
    assert info.value.status == 4
    assert info.value.outcome == "unknown"
    # "unknown" is real: the server did create the card before the connection dropped
    assert client.get_card(template_id=LOYALTY, values={"PHONE": phone})["values"]["%PHONE%"] == phone


def test_transport_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with passteam.Client(token="t", base_url=f"http://127.0.0.1:{port}", max_attempts=1) as c:
        with pytest.raises(passteam.TransportError) as info:
            c.get_card(card_id=MISSING_CARD)
    assert info.value.http_status is None
    assert info.value.retryable is True


def test_timeout_is_a_builtin_timeout_error(sandbox: Sandbox) -> None:
    sandbox.fault(method="getlisttemplates", kind="delay", delay_ms=2000)
    with make_client(sandbox, timeout=0.3) as slow:
        started = time.monotonic()
        with pytest.raises(TimeoutError) as info:
            slow.get_list_templates()
    assert isinstance(info.value, passteam.PassteamTimeout)
    assert info.value.status == 5
    assert time.monotonic() - started < 1.5


def test_per_call_timeout_overrides_the_clients(client: passteam.Client, sandbox: Sandbox) -> None:
    sandbox.fault(method="getlisttemplates", kind="delay", delay_ms=2000)
    started = time.monotonic()
    with pytest.raises(passteam.PassteamTimeout):
        client.get_list_templates(timeout=0.3)
    assert time.monotonic() - started < 1.5


def test_internal_from_a_library_panic() -> None:
    with pytest.raises(passteam.InternalError) as info:
        passteam.debug_panic()
    assert info.value.status == 99
    assert info.value.name == "PASSTEAM_ERR_INTERNAL"
    # and the library is still usable afterwards
    assert passteam.version()


def test_errors_survive_pickling(client: passteam.Client) -> None:
    with pytest.raises(passteam.NotFoundError) as info:
        client.get_card(card_id=MISSING_CARD)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is passteam.NotFoundError
    assert (copy.status, copy.http_status, copy.message) == (7, 404, info.value.message)


def test_bad_timeout_values_are_refused(client: passteam.Client) -> None:
    for bad in (0, -1, "1", True):
        with pytest.raises(ValueError):
            client.get_card(card_id=MISSING_CARD, timeout=bad)  # type: ignore[arg-type]
