"""The native client handle: creation, calls that take and free the returned strings, and a safe close.

The C ABI allows many concurrent calls on one client, and ``passteam_client_free`` during calls in flight
(they finish first), but no call may start after it. ``Handle`` counts the calls in flight: ``close()``
refuses new calls, waits for the running ones, then frees. Garbage collection frees a client nobody closed (through
``weakref.finalize``, which never holds the Python object alive); no call can be in flight then, since
a running call keeps its client referenced.
"""

from __future__ import annotations

import ctypes
import json
import math
import threading
import weakref
from typing import Any, Optional

from . import _native
from .errors import OK, error_from_json
from .outbox import QUEUED, QueuedText


def timeout_to_ms(seconds: Optional[float]) -> int:
    """A timeout in seconds to whole milliseconds for the ABI (0 = the client's own timeout)."""
    if seconds is None:
        return 0
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {seconds!r}")
    # Round up so that a tiny timeout never becomes 0, which would mean "no per-call deadline".
    return max(1, math.ceil(seconds * 1000))


class Handle:
    """One ``PassteamClient*`` and its life cycle. Thread-safe."""

    def __init__(self, config: dict[str, Any]) -> None:
        lib = _native.lib()
        self._lib = lib
        client = ctypes.c_void_p()
        err = ctypes.c_void_p()
        status = lib.client_new(
            json.dumps(config, ensure_ascii=False).encode("utf-8"), ctypes.byref(client), ctypes.byref(err)
        )
        text = lib.take_string(err)
        if status != OK or not client.value:
            raise error_from_json(status, text)
        self._ptr: int = client.value
        # Calls take the plain lock (a C-level context manager: cheaper on every call than the Condition's
        # Python-level one); close() waits on the Condition built over the same lock.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._in_flight = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, lib.client_free, self._ptr)
        # At interpreter exit the OS reclaims everything; freeing then could race daemon threads.
        self._finalizer.atexit = False

    @property
    def closed(self) -> bool:
        return self._closed

    def call(self, method: str, params_json: str, timeout: Optional[float]) -> str:
        """Calls ``method`` and returns the result's JSON text; raises the matching PassteamError.

        Without a per-call timeout the operation's dedicated export is used (no name lookup); with
        one, ``passteam_call_with_timeout``.
        """
        lib = self._lib
        timeout_ms = timeout_to_ms(timeout)
        payload = params_json.encode("utf-8")
        out = ctypes.c_void_p()
        ptr = self._enter()
        try:
            export = lib.ops.get(method) if timeout_ms == 0 else None
            if export is not None:
                status = export(ptr, payload, ctypes.byref(out))
            elif timeout_ms == 0:
                status = lib.call(ptr, method.encode("utf-8"), payload, ctypes.byref(out))
            else:
                status = lib.call_with_timeout(ptr, method.encode("utf-8"), payload, timeout_ms, ctypes.byref(out))
        finally:
            self._leave()
            text = lib.take_string(out)
        if status == QUEUED:
            return QueuedText(text or "{}")  # stored in the outbox: not an error (see passteam.Queued)
        if status != OK:
            raise error_from_json(status, text)
        return text if text is not None else "null"

    def outbox(self, name: str, *args: Any) -> Any:
        """Calls ``passteam_outbox_<name>(client, *args, &out)`` and returns the decoded JSON."""
        text = self._optional_export(self._lib.outbox.get(name), f"passteam_outbox_{name}", "1.5", *args)
        return json.loads(text or "null")

    def call_batch(self, requests_json: str, options_json: str) -> str:
        """Runs ``passteam_call_batch`` and returns its JSON answer (one entry per request)."""
        args = (requests_json.encode("utf-8"), options_json.encode("utf-8"))
        return self._optional_export(self._lib.call_batch, "passteam_call_batch", "1.3", *args) or "[]"

    def diagnose(self) -> str:
        """Runs ``passteam_diagnose`` and returns its JSON document."""
        return self._optional_export(self._lib.diagnose, "passteam_diagnose", "1.2") or "null"

    def _optional_export(self, export: Any, name: str, minor: str, *args: Any) -> Optional[str]:
        """Calls ``export(client, *args, &out)``: an export newer than ABI 1.1, which a library of the same
        major but an older minor lacks (``export`` is then ``None``: said plainly, not as an AttributeError)."""
        if export is None:
            path = self._lib.path
            message = f"{path} has no {name} (ABI {minor} or later needed); update libpassteam"
            raise _native.LibraryTooOldError(message)
        out = ctypes.c_void_p()
        ptr = self._enter()
        try:
            status = export(ptr, *args, ctypes.byref(out))
        finally:
            self._leave()
            text = self._lib.take_string(out)
        if status != OK:
            raise error_from_json(status, text)
        return text

    def close(self) -> None:
        """Refuses new calls, waits for the running ones, frees the client. Idempotent."""
        with self._cond:
            self._closed = True
            while self._in_flight:
                self._cond.wait()
        self._finalizer()

    def _enter(self) -> int:
        with self._lock:
            if self._closed:
                raise ValueError("the passteam client is closed")
            self._in_flight += 1
            return self._ptr

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._in_flight == 0 and self._closed:
                self._cond.notify_all()
