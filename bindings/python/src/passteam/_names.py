"""Parameter names: Python's snake_case keywords to the wire's camelCase, and back (for checks)."""

from __future__ import annotations

import functools
import re

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


@functools.lru_cache(maxsize=1024)  # a program uses a few dozen keywords; converting each call cost ~3 us
def to_camel(key: str) -> str:
    """``card_id`` -> ``cardId``, ``per_page`` -> ``perPage``.

    Names without an inner underscore (``values``, ``cardId``) are already wire names and stay as they
    are, as do names starting with ``_`` (``_id``), which are literal wire names too.
    """
    if key.startswith("_") or "_" not in key:
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_snake(key: str) -> str:
    """``cardId`` -> ``card_id``: the keyword a wire parameter has in this package."""
    return _UPPER.sub(r"_\1", key).lower()
