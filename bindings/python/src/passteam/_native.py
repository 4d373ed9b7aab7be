"""Loading libpassteam with ctypes, checking its ABI version and declaring the C signatures.

Everything that touches a raw pointer lives here and in ``client.py``; the rest of the package sees
Python strings. Returned strings are declared ``c_void_p`` on purpose: ``c_char_p`` would copy the text
into a ``bytes`` and drop the pointer, so nobody could hand it back to ``passteam_string_free``.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

#: The ABI major version this package was written for: a library with another major is refused.
ABI_MAJOR = 1

#: Environment variable naming a libpassteam to load instead of the copy inside the package.
LIBRARY_ENV = "PASSTEAM_LIBRARY"

_c_char_pp = ctypes.POINTER(ctypes.c_void_p)


class LibraryLoadError(ImportError):
    """libpassteam could not be loaded, or it is of an ABI major version this package does not speak."""


class LibraryTooOldError(LibraryLoadError):
    """The loaded libpassteam speaks this package's ABI major but an older minor, so it lacks an export that
    the method called needs (``PASSTEAM_LIBRARY`` pointing at an old build). Raised by that method, not at
    import: everything the library does have keeps working."""


def library_filename() -> str:
    """The platform's file name of the shared library (``libpassteam.so`` on Linux)."""
    if sys.platform == "darwin":
        return "libpassteam.dylib"
    if sys.platform == "win32":
        return "passteam.dll"
    return "libpassteam.so"


def default_library_path() -> Path:
    """Where the wheel puts the library: next to this file."""
    return Path(__file__).resolve().parent / library_filename()


class Library:
    """The loaded library with its functions declared.

    ``ops`` maps an operation's wire name (``getcard``) to its dedicated export (``passteam_get_card``)
    when the library has it (the 23 operations of ABI 1.1; the set is frozen): other operations, and an older
    library lacking an export, go through ``passteam_call`` by name.
    """

    def __init__(self, cdll: Any, path: str) -> None:
        self.path = path
        self.cdll = cdll
        abi = cdll.passteam_abi_version
        abi.argtypes = []
        abi.restype = ctypes.c_uint32
        self.abi_version = int(abi())
        major, minor = self.abi_version >> 16, self.abi_version & 0xFFFF
        if major != ABI_MAJOR:
            raise LibraryLoadError(
                f"{path} speaks passteam ABI {major}.{minor}, but this passteam package needs ABI "
                f"{ABI_MAJOR}.x; install a matching package or point {LIBRARY_ENV} at a matching library"
            )

        self.version = _declare(cdll.passteam_version, [], ctypes.c_char_p)
        self.status_name = _declare(cdll.passteam_status_name, [ctypes.c_int32], ctypes.c_char_p)
        self.methods_json = _declare(cdll.passteam_methods_json, [], ctypes.c_char_p)
        self.client_new = _declare(
            cdll.passteam_client_new,
            [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), _c_char_pp],
            ctypes.c_int32,
        )
        self.client_free = _declare(cdll.passteam_client_free, [ctypes.c_void_p], None)
        self.call = _declare(
            cdll.passteam_call,
            [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, _c_char_pp],
            ctypes.c_int32,
        )
        self.call_with_timeout = _declare(
            cdll.passteam_call_with_timeout,
            [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint64, _c_char_pp],
            ctypes.c_int32,
        )
        self.string_free = _declare(cdll.passteam_string_free, [ctypes.c_void_p], None)
        self.debug_panic = _declare(cdll.passteam_debug_panic, [_c_char_pp], ctypes.c_int32)
        # ABI 1.3: an older library lacks it, and Client.call_batch says so.
        batch = getattr(cdll, "passteam_call_batch", None)
        self.call_batch = (
            None
            if batch is None
            else _declare(batch, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, _c_char_pp], ctypes.c_int32)
        )
        # ABI 1.2: a library of an older minor lacks it, and Client.diagnose says so.
        diagnose = getattr(cdll, "passteam_diagnose", None)
        self.diagnose = (
            None if diagnose is None else _declare(diagnose, [ctypes.c_void_p, _c_char_pp], ctypes.c_int32)
        )

        # The outbox exports (ABI 1.5); absent from older libraries of the same major.
        outbox_args = {
            "flush": [ctypes.c_void_p, ctypes.c_uint32, _c_char_pp],
            "stats": [ctypes.c_void_p, _c_char_pp],
            "list": [ctypes.c_void_p, ctypes.c_char_p, _c_char_pp],
            "retry": [ctypes.c_void_p, ctypes.c_int64, _c_char_pp],
            "discard": [ctypes.c_void_p, ctypes.c_int64, _c_char_pp],
        }
        self.outbox: dict[str, Any] = {}
        for name, argtypes in outbox_args.items():
            export = getattr(cdll, "passteam_outbox_" + name, None)
            if export is not None:
                self.outbox[name] = _declare(export, argtypes, ctypes.c_int32)

        self.methods: list[dict[str, Any]] = json.loads(self.methods_json().decode("utf-8"))
        # The config schema (ABI 1.5): every key Client(**config) accepts, with its JSON type.
        schema = getattr(cdll, "passteam_config_schema_json", None)
        self.config_schema: Optional[dict[str, Any]] = (
            json.loads(_declare(schema, [], ctypes.c_char_p)().decode("utf-8")) if schema is not None else None
        )
        self.ops: dict[str, Any] = {}
        for method in self.methods:
            export = getattr(cdll, "passteam_" + method["snake"], None)
            if export is not None:
                self.ops[method["name"]] = _declare(
                    export, [ctypes.c_void_p, ctypes.c_char_p, _c_char_pp], ctypes.c_int32
                )

    def take_string(self, ptr: ctypes.c_void_p) -> Optional[str]:
        """Reads a string the library handed over and frees it; ``None`` for a NULL pointer."""
        address = ptr.value
        if not address:
            return None
        try:
            return ctypes.string_at(address).decode("utf-8")
        finally:
            self.string_free(address)


def _declare(func: Any, argtypes: list[Any], restype: Any) -> Any:
    func.argtypes = argtypes
    func.restype = restype
    return func


def load(path: Optional[str] = None) -> Library:
    """Loads libpassteam: ``path``, else ``$PASSTEAM_LIBRARY``, else the copy inside the package.

    Raises :class:`LibraryLoadError` with the path tried when the file is missing or not loadable, or
    when its ABI major version is not :data:`ABI_MAJOR`.
    """
    chosen = path or os.environ.get(LIBRARY_ENV) or str(default_library_path())
    try:
        # CDLL (not PyDLL) releases the GIL during each foreign call, so threads sharing a client
        # really wait on the network in parallel.
        cdll = ctypes.CDLL(chosen)
    except OSError as exc:
        hint = (
            f"set {LIBRARY_ENV} to a libpassteam build"
            if chosen == str(default_library_path())
            else f"check {LIBRARY_ENV}"
        )
        raise LibraryLoadError(f"cannot load libpassteam from {chosen}: {exc} ({hint})") from exc
    try:
        return Library(cdll, chosen)
    except AttributeError as exc:
        raise LibraryLoadError(f"{chosen} is not libpassteam (missing export: {exc})") from exc


_LIB: Optional[Library] = None


def lib() -> Library:
    """The library this process uses, loaded on first use."""
    global _LIB
    if _LIB is None:
        _LIB = load()
    return _LIB
