"""Shapes of the results, for type checkers.

Results are the JSON the API returned, decoded into plain ``dict`` and ``list`` objects: nothing is
dropped or renamed, so a field the vendor adds tomorrow is there too. These ``TypedDict`` classes only
describe the documented keys (all optional: the API does not promise every key in every reply); at run
time a ``Card`` is a ``dict``.
"""

from __future__ import annotations

from typing import Any, Optional, TypedDict


class Card(TypedDict, total=False):
    """A card. ``values`` is keyed by ``%NAME%`` and holds strings."""

    cardId: str
    cardCode: str
    cardUrl: str
    appleUrl: str
    googleUrl: str
    qrcodeUrl: str
    values: dict[str, str]
    deviceRegistered: bool
    expirationDate: Optional[str]
    voided: int
    phoneNumber: Optional[str]
    email: Optional[str]
    strip: Optional[str]
    logo: Optional[str]
    icon: Optional[str]
    templateId: str
    importUid: Optional[str]
    installedGPay: int
    installedAW: int
    installed: bool
    created: str
    updated: str


class TemplateField(TypedDict, total=False):
    """A template variable: ``name`` like ``%PHONE%``, ``type`` like ``phone``."""

    title: str
    name: str
    type: str
    params: dict[str, Any]


class Template(TypedDict, total=False):
    """A card template with its variables (``fields``)."""

    templateId: str
    passTypeId: str
    title: str
    company: str
    type: str
    cardsCount: int
    fields: list[TemplateField]


class Page(TypedDict, total=False):
    """One page of getcardswithpagination (``previouslyPage`` is the vendor's spelling)."""

    pageCount: int
    nextPage: Optional[int]
    previouslyPage: Optional[int]
    cardsCount: int
    cards: list[Card]


class UpdateResult(TypedDict, total=False):
    """The result of updatecard (and of the update_client scenario)."""

    messages: list[Any]
    updated: bool
    card: Card


class IssueResult(TypedDict, total=False):
    """The result of the issue_card scenario: the card, and whether it was created now."""

    card: Card
    created: bool


class DeleteResult(TypedDict, total=False):
    """The result of deletecard: ``n`` = 0 means nothing was deleted."""

    n: int
    ok: int
    err: Optional[str]
    errmsg: Optional[str]


class DiagnosisCheck(TypedDict):
    """One check of :meth:`passteam.Client.diagnose`."""

    name: str  #: dns, proxy, tcp, tls, token, clock, quota, outbox, library
    status: str  #: "ok", "warning" or "failed"
    figure: str  #: what was measured, in a few words
    advice: str  #: one line saying what to do
    details: dict[str, Any]


class Diagnosis(TypedDict):
    """The report of :meth:`passteam.Client.diagnose`."""

    ok: bool  #: no check failed
    worst: str
    elapsed_ms: int
    checks: list[DiagnosisCheck]
