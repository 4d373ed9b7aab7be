"""Webhooks: validate a payload, or run a durable receiver that Passteam posts card events to.

>>> import passteam
>>> with passteam.WebhookReceiver(path="/passteam/4f9c2b7a1e6d8c03", store_path="hooks.sqlite",
...                               listen="0.0.0.0:8080") as receiver:          # doctest: +SKIP
...     for event in receiver:                       # acknowledged when the loop asks for the next one
...         if event["event"] in ("installCard", "unInstallCard"):
...             mark_installed(event["card"]["cardId"], event["card"]["installed"])

The receiver is libpassteam's (``passteam_webhook_server_*``): POST on the secret path only, each new
event committed to its SQLite store before the 200, repeats of a ``webhookId`` answered 200 and not
delivered again, events kept until acknowledged, across restarts and crashes.
"""

from __future__ import annotations

import ctypes
import json
import math
import threading
import weakref
from typing import Any, Iterator, Optional, Union

from . import _native
from .errors import OK, error_from_json

__all__ = ["parse_webhook", "WebhookReceiver", "WEBHOOK_EVENTS"]

#: The events Passteam posts, in the spelling the normalised event uses.
WEBHOOK_EVENTS = ("createCard", "updateCard", "deleteCard", "installCard", "unInstallCard")

# One native wait is at most this long, so that close() never waits long for a blocked next().
_SLICE_MS = 250

_c_char_pp = ctypes.POINTER(ctypes.c_void_p)


class _Exports:
    """The webhook exports, declared on first use (a library older than ABI 1.2 lacks them)."""

    def __init__(self, lib: _native.Library) -> None:
        cdll = lib.cdll
        try:
            self.parse = _native._declare(cdll.passteam_webhook_parse, [ctypes.c_char_p, _c_char_pp], ctypes.c_int32)
            self.start = _native._declare(
                cdll.passteam_webhook_server_start,
                [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), _c_char_pp],
                ctypes.c_int32,
            )
            self.free = _native._declare(cdll.passteam_webhook_server_free, [ctypes.c_void_p], None)
            self.info = _native._declare(
                cdll.passteam_webhook_server_info, [ctypes.c_void_p, _c_char_pp], ctypes.c_int32
            )
            self.next = _native._declare(
                cdll.passteam_webhook_next, [ctypes.c_void_p, ctypes.c_uint32, _c_char_pp], ctypes.c_int32
            )
            self.ack = _native._declare(
                cdll.passteam_webhook_ack, [ctypes.c_void_p, ctypes.c_char_p, _c_char_pp], ctypes.c_int32
            )
        except AttributeError as exc:
            raise _native.LibraryLoadError(
                f"{lib.path} has no webhook support (ABI 1.2 or later is needed): {exc}"
            ) from exc


_EXPORTS: Optional[_Exports] = None


def _exports() -> _Exports:
    global _EXPORTS
    if _EXPORTS is None:
        _EXPORTS = _Exports(_native.lib())
    return _EXPORTS


def _result(status: int, out: ctypes.c_void_p) -> Any:
    text = _native.lib().take_string(out)
    if status != OK:
        raise error_from_json(status, text)
    return json.loads(text if text is not None else "null")


def parse_webhook(body: Union[str, bytes]) -> dict[str, Any]:
    """Validates a webhook body and returns the normalised event ``{"webhookId", "event", "card"}``.

    Raises :class:`passteam.ProtocolError` saying what is wrong (not JSON, no ``webhookId``, an unknown
    event, no card or no ``cardId``).
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    if b"\0" in raw:
        raw = raw.replace(b"\0", b"")  # a C string ends at NUL; JSON text never holds a raw one anyway
    out = ctypes.c_void_p()
    status = _exports().parse(raw, ctypes.byref(out))
    return _result(status, out)  # type: ignore[no-any-return]


class WebhookReceiver:
    """A running webhook receiver. Thread-safe; a context manager; iterating it yields events.

    Keyword arguments are the receiver's config keys: ``path`` (required, at least 16 characters),
    ``store_path`` (required), ``listen`` (default ``"127.0.0.1:0"``), ``retention_days``,
    ``max_body_bytes``, ``max_connections``, ``header_timeout_ms``, ``body_timeout_ms``, ``tls_cert``,
    ``tls_key``. Raises :class:`passteam.InvalidArgumentError` for a bad config, a store that cannot be
    opened or an address that cannot be bound.
    """

    def __init__(self, *, path: str, store_path: str, listen: str = "127.0.0.1:0", **config: Any) -> None:
        exports = _exports()
        settings = {"path": path, "store_path": str(store_path), "listen": listen, **config}
        server = ctypes.c_void_p()
        err = ctypes.c_void_p()
        status = exports.start(
            json.dumps(settings, ensure_ascii=False).encode("utf-8"), ctypes.byref(server), ctypes.byref(err)
        )
        text = _native.lib().take_string(err)
        if status != OK or not server.value:
            raise error_from_json(status, text)
        self._exports = exports
        self._ptr: int = server.value
        self._cond = threading.Condition()
        self._in_flight = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, exports.free, self._ptr)
        self._finalizer.atexit = False
        self.info: dict[str, Any] = self._call(lambda ptr, out: exports.info(ptr, out))
        #: ``(host, port)`` actually bound.
        self.address: tuple[str, int] = (self.info["listen"].rsplit(":", 1)[0].strip("[]"), int(self.info["port"]))
        #: The URL with the bound address (give Passteam your public name in its place).
        self.url: str = self.info["url"]

    def next(self, timeout: Optional[float] = None) -> Optional[dict[str, Any]]:
        """The oldest event not yet acknowledged, waiting up to ``timeout`` seconds (``None``: forever,
        ``0``: just look); ``None`` if none came. The same event comes back until :meth:`ack`."""
        deadline_ms = None if timeout is None else max(0, math.ceil(timeout * 1000))
        waited = 0
        while True:
            slice_ms = _SLICE_MS if deadline_ms is None else min(_SLICE_MS, deadline_ms - waited)
            event = self._call(lambda ptr, out: self._exports.next(ptr, slice_ms, out))  # noqa: B023 (called at once, inside this iteration)
            if event is not None:
                return event  # type: ignore[no-any-return]
            waited += slice_ms
            if deadline_ms is not None and waited >= deadline_ms:
                return None

    def ack(self, webhook_id: str) -> bool:
        """Marks an event handled. True if it was pending, False if acknowledged before; raises
        :class:`passteam.NotFoundError` for a ``webhookId`` the store never held."""
        result = self._call(lambda ptr, out: self._exports.ack(ptr, webhook_id.encode("utf-8"), out))
        return not result["already"]

    def pending(self) -> int:
        """How many events wait for an acknowledgement."""
        return int(self._call(lambda ptr, out: self._exports.info(ptr, out))["pending"])

    def events(self, *, auto_ack: bool = True, idle_timeout: Optional[float] = None) -> Iterator[dict[str, Any]]:
        """Yields events as they arrive, until the receiver is closed (or ``idle_timeout`` seconds pass
        with none). With ``auto_ack`` an event is acknowledged when the loop asks for the next one, so an
        event whose handling raised stays pending and is delivered again."""
        while not self._closed:
            try:
                event = self.next(idle_timeout)
            except ValueError:
                return  # closed while waiting
            if event is None:
                return
            yield event
            if auto_ack:
                self.ack(event["webhookId"])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.events()

    def close(self) -> None:
        """Stops the receiver (waits for a running :meth:`next` slice). Events not acknowledged stay in
        the store for the next receiver on the same ``store_path``. Idempotent."""
        with self._cond:
            self._closed = True
            while self._in_flight:
                self._cond.wait()
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "WebhookReceiver":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self.url
        return f"<passteam.WebhookReceiver {state}>"

    def _call(self, native: Any) -> Any:
        with self._cond:
            if self._closed:
                raise ValueError("the webhook receiver is closed")
            self._in_flight += 1
        out = ctypes.c_void_p()
        try:
            status = native(self._ptr, ctypes.byref(out))
        finally:
            with self._cond:
                self._in_flight -= 1
                if self._in_flight == 0 and self._closed:
                    self._cond.notify_all()
        return _result(status, out)
