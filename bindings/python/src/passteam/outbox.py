"""The offline outbox (issue 12): the :class:`Queued` value a mutating call returns when Passteam cannot be
reached now and the library stored the call in ``outbox_path`` (status ``PASSTEAM_QUEUED`` = 12).

A queued call is not a failure and raises nothing: the update is on disk and will be sent later, once, in
order. Tell it apart from a result with ``isinstance(result, passteam.Queued)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: The ABI status of a queued call.
QUEUED = 12


class QueuedText(str):
    """What the low-level ``Client.call_json`` returns for a queued call: the queued object's JSON text."""


@dataclass(frozen=True)
class Queued:
    """A call stored in the outbox instead of being sent now.

    Attributes:
        outbox_id: the entry's id (for ``Client.outbox_retry`` / ``outbox_discard``).
        message: what happened, for people.
        cause: the failure that made it queue (an error object: ``status``, ``name``, ``message``...).
        raw: the whole object as the library returned it.
    """

    outbox_id: int
    message: str
    cause: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, text: str) -> "Queued":
        doc = json.loads(text)
        return cls(
            outbox_id=int(doc.get("outbox_id", 0)),
            message=str(doc.get("message", "")),
            cause=dict(doc.get("details") or {}),
            raw=doc,
        )
