"""passteam: the Passteam loyalty-card API for Python, over the native libpassteam (ctypes).

>>> import passteam
>>> with passteam.Client(token="...") as client:                    # doctest: +SKIP
...     card = client.get_card(card_id="5e42...")
...     client.update_card(card_id=card["cardId"], values={"BONUS": 120})

The library is loaded, and its ABI major version checked, when this package is imported: the copy
inside the package, or the file named by the environment variable ``PASSTEAM_LIBRARY``.
"""

from __future__ import annotations

import copy
import ctypes
from typing import Any

from . import _native
from .client import OPERATIONS, Client
from .errors import (
    ApiError,
    AuthError,
    ConflictError,
    InternalError,
    InvalidArgumentError,
    InvalidJsonError,
    NotFoundError,
    PassteamError,
    PassteamTimeout,
    ProtocolError,
    RateLimitedError,
    TransportError,
    ValidationError,
    error_from_json,
)
from .outbox import Queued, QueuedText
from .types import Card, Diagnosis, DiagnosisCheck, IssueResult, Page, Template, UpdateResult
from .webhooks import WEBHOOK_EVENTS, WebhookReceiver, parse_webhook

__all__ = [
    "Client",
    "OPERATIONS",
    "Queued",
    "QueuedText",
    "PassteamError",
    "InvalidArgumentError",
    "InvalidJsonError",
    "ValidationError",
    "TransportError",
    "PassteamTimeout",
    "AuthError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "ApiError",
    "ProtocolError",
    "InternalError",
    "Card",
    "Page",
    "Template",
    "IssueResult",
    "UpdateResult",
    "Diagnosis",
    "DiagnosisCheck",
    "version",
    "abi_version",
    "status_name",
    "methods",
    "library_path",
    "debug_panic",
    "LibraryLoadError",
    "LibraryTooOldError",
    "WebhookReceiver",
    "parse_webhook",
    "WEBHOOK_EVENTS",
]

LibraryLoadError = _native.LibraryLoadError
LibraryTooOldError = _native.LibraryTooOldError

# Fail at import, with a clear message, rather than at the first call.
_native.lib()

__version__ = "0.1.0"


def version() -> str:
    """The native library's version, e.g. ``"0.1.0"``."""
    return str(_native.lib().version().decode("utf-8"))


def abi_version() -> tuple[int, int]:
    """The native library's C ABI version as ``(major, minor)``."""
    abi = _native.lib().abi_version
    return abi >> 16, abi & 0xFFFF


def status_name(status: int) -> str:
    """The C name of a status code, e.g. ``"PASSTEAM_ERR_CONFLICT"``."""
    return str(_native.lib().status_name(status).decode("utf-8"))


def methods() -> list[dict[str, Any]]:
    """The library's method table (``passteam_methods_json``): name, snake, camel, kind, params...

    A fresh copy on every call, so callers may modify it.
    """
    return copy.deepcopy(_native.lib().methods)


def library_path() -> str:
    """The path of the native library in use."""
    return _native.lib().path


def debug_panic() -> None:
    """Test support: makes the library panic on purpose; always raises :class:`InternalError`.

    It proves that a panic inside the library comes back as an error and never crashes Python.
    """
    lib = _native.lib()
    out = ctypes.c_void_p()
    status = lib.debug_panic(ctypes.byref(out))
    text = lib.take_string(out)
    raise error_from_json(status, text)
