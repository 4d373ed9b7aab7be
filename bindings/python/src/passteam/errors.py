"""Exceptions: one class per status code of the C ABI, all under :class:`PassteamError`.

The library reports a failure as a JSON error object (``status``, ``name``, ``message``, ``http_status``,
``api_code``, ``retryable``, ``details``, and sometimes ``outcome`` and ``retry_after_ms``);
:func:`error_from_json` turns it into the matching exception. Classes also derive from the builtin that
fits, so generic handlers work: ``except TimeoutError`` catches :class:`PassteamTimeout`, ``except
ValueError`` catches argument, JSON and validation errors, ``except LookupError`` catches
:class:`NotFoundError`.
"""

from __future__ import annotations

import json
from typing import Any, Optional

# The status codes of passteam.h; their numbers never change meaning.
OK = 0
ERR_INVALID_ARGUMENT = 1
ERR_INVALID_JSON = 2
ERR_VALIDATION = 3
ERR_TRANSPORT = 4
ERR_TIMEOUT = 5
ERR_AUTH = 6
ERR_NOT_FOUND = 7
ERR_CONFLICT = 8
ERR_RATE_LIMITED = 9
ERR_API = 10
ERR_PROTOCOL = 11
ERR_INTERNAL = 99


class PassteamError(Exception):
    """A failed call.

    Attributes:
        status: the ABI status code (``passteam.errors.ERR_*``).
        name: the status's C name, e.g. ``"PASSTEAM_ERR_CONFLICT"``.
        message: a message for people (the server's, when the server answered).
        http_status: the HTTP status of the reply, or ``None`` when no reply came.
        api_code: the ``code`` of the reply's envelope, or ``None``.
        retryable: whether repeating the same call later may succeed.
        details: structured facts (``cardIds``, ``field``, ``method``, ``attempts``...).
        outcome: ``"unknown"`` when a non-idempotent request may have been applied although the call
            failed (check before repeating it), else ``None``.
        raw: the whole error object as the library returned it.
    """

    status: int = -1

    def __init__(self, message: str, error: Optional[dict[str, Any]] = None) -> None:
        super().__init__(message)
        doc = error or {}
        self.raw: dict[str, Any] = doc
        self.status = int(doc.get("status", type(self).status))
        self.name: str = str(doc.get("name", ""))
        self.message: str = message
        self.http_status: Optional[int] = doc.get("http_status")
        self.api_code: Optional[int] = doc.get("api_code")
        self.retryable: bool = bool(doc.get("retryable", False))
        self.details: dict[str, Any] = dict(doc.get("details") or {})
        self.outcome: Optional[str] = doc.get("outcome")

    def __str__(self) -> str:
        return f"{self.name or type(self).__name__}: {self.message}"

    def __reduce__(self) -> Any:
        # Exceptions are pickled through their args by default, which would lose the error object.
        return (type(self), (self.message, self.raw))


class InvalidArgumentError(PassteamError, ValueError):
    """A bad argument: an unknown method or config key, a bad config value, text that is not UTF-8."""

    status = ERR_INVALID_ARGUMENT


class InvalidJsonError(PassteamError, ValueError):
    """The params or config text is not JSON, or not a JSON object."""

    status = ERR_INVALID_JSON


class ValidationError(PassteamError, ValueError):
    """A required parameter is missing or has the wrong type (checked before anything is sent).

    ``details["field"]`` names the parameter.
    """

    status = ERR_VALIDATION


class TransportError(PassteamError):
    """DNS, connect, TLS, a broken connection, or a 502/503/504 from the gateway."""

    status = ERR_TRANSPORT


class PassteamTimeout(PassteamError, TimeoutError):
    """The call's deadline or a connect/read timeout passed. Also a builtin :class:`TimeoutError`."""

    status = ERR_TIMEOUT


class AuthError(PassteamError):
    """The token is missing or was rejected (401/403)."""

    status = ERR_AUTH


class NotFoundError(PassteamError, LookupError):
    """404: no such card, template, sale or product."""

    status = ERR_NOT_FOUND


class ConflictError(PassteamError):
    """409: a unique variable's value is already taken.

    Attributes:
        card_ids: the ids of the cards that hold the value.
    """

    status = ERR_CONFLICT

    @property
    def card_ids(self) -> list[str]:
        ids = self.details.get("cardIds") or []
        return [str(i) for i in ids]


class RateLimitedError(PassteamError):
    """429 or the server's "You can only make N requests per hour", or the client-side budget is spent.

    Attributes:
        retry_after_ms: how long to wait before the budget allows another request, when known.
    """

    status = ERR_RATE_LIMITED

    @property
    def retry_after_ms(self) -> Optional[int]:
        value = self.raw.get("retry_after_ms")
        return None if value is None else int(value)


class ApiError(PassteamError):
    """Any other error reply from Passteam (the message is the server's)."""

    status = ERR_API


class ProtocolError(PassteamError):
    """The reply is not the documented JSON envelope (or is larger than max_response_bytes)."""

    status = ERR_PROTOCOL


class InternalError(PassteamError):
    """A bug in libpassteam: a caught panic. The client stays usable; please report it."""

    status = ERR_INTERNAL


_BY_STATUS: dict[int, type[PassteamError]] = {
    cls.status: cls
    for cls in (
        InvalidArgumentError,
        InvalidJsonError,
        ValidationError,
        TransportError,
        PassteamTimeout,
        AuthError,
        NotFoundError,
        ConflictError,
        RateLimitedError,
        ApiError,
        ProtocolError,
        InternalError,
    )
}


def error_class(status: int) -> type[PassteamError]:
    """The exception class of a status code; :class:`PassteamError` itself for an unknown number."""
    return _BY_STATUS.get(status, PassteamError)


def error_from_json(status: int, text: Optional[str]) -> PassteamError:
    """Builds the exception for a failed call from its status and the library's error object text."""
    try:
        doc = json.loads(text) if text else {}
    except (ValueError, RecursionError):
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    # The status returned by the function is authoritative; the object's copy is only a convenience.
    doc["status"] = status
    message = str(doc.get("message") or text or f"passteam status {status}")
    return error_class(status)(message, doc)
