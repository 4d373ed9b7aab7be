"""``passteam.Client``: one method per Passteam operation, the generic ``call``, and ``iter_cards``.

Keyword arguments are snake_case and become the wire's camelCase (``card_id`` -> ``cardId``); keywords a
method does not name pass through converted the same way, so a parameter the vendor adds is usable at
once. ``None`` means "not sent". Every method also takes ``timeout=`` (seconds, for this call only).
Results are the decoded JSON (``dict``/``list``/scalars); see ``passteam.types`` for their shapes.
"""

from __future__ import annotations

import functools
import json
import warnings
from typing import Any, Callable, Generator, Iterable, Mapping, Optional, TypeVar, cast

from ._handle import Handle, timeout_to_ms
from ._names import to_camel
from .errors import ERR_INVALID_JSON, ERR_PROTOCOL, InvalidJsonError, ProtocolError, error_from_json
from .outbox import QUEUED, Queued, QueuedText
from .types import Card, DeleteResult, Diagnosis, IssueResult, Page, Template, UpdateResult

_F = TypeVar("_F", bound=Callable[..., Any])

#: Params to JSON text: compact, UTF-8 as is. One encoder for every call: ``json.dumps`` with options builds a new
#: ``JSONEncoder`` each time (1.6 us a getcard's params, against 1.0 us for ``encode`` on a kept one).
_PARAMS_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

#: Operation methods of :class:`Client`: Python name -> wire name (filled by ``@_operation``).
OPERATIONS: dict[str, str] = {}


def _operation(wire: str, *, deprecated: Optional[str] = None) -> Callable[[_F], _F]:
    """Makes the decorated method the binding of the wire operation ``wire``, the one place it is named.

    The method's signature (keyword-only snake_case parameters, ``timeout``, ``**extra``) and docstring
    are its whole definition: calling it checks the keywords against that signature (Python raises
    ``TypeError`` for a missing or misspelt one), converts them to the wire's camelCase (``None`` = not
    sent) and calls ``wire``. ``deprecated`` names what to use instead.
    """

    def bind(declared: _F) -> _F:
        @functools.wraps(declared)
        def run(self: "Client", *args: Any, **kwargs: Any) -> Any:
            declared(self, *args, **kwargs)  # only checks the arguments: the body is the docstring
            if deprecated is not None:
                _deprecated(declared.__name__, deprecated)
            timeout = kwargs.pop("timeout", None)
            return self._invoke(wire, _wire_params({}, kwargs), timeout)

        OPERATIONS[declared.__name__] = wire
        run.__passteam_wire__ = wire  # type: ignore[attr-defined]
        run.__passteam_deprecated__ = deprecated is not None  # type: ignore[attr-defined]
        return cast(_F, run)

    return bind


def _wire_params(named: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Merges a method's named parameters (already camelCase) with pass-through keywords."""
    params = {key: value for key, value in named.items() if value is not None}
    for key, value in extra.items():
        wire = to_camel(key)
        if wire in params:
            raise TypeError(f"parameter {wire!r} given twice (as {key!r} and by its own keyword)")
        if value is not None:
            params[wire] = value
    return params


class Client:
    """A Passteam API client over libpassteam.

    ``Client(token=..., base_url=..., timeout=...)``; ``timeout`` is in seconds (the whole call, retries
    included). Any other keyword is a config key of the library, passed as is: ``max_attempts=1``,
    ``body_encoding="urlencoded"``, ``quota_per_hour=1000``, ``log_level="debug"``... An unknown key
    raises :class:`~passteam.InvalidArgumentError`.

    One client may be shared by any number of threads. Close it with :meth:`close` or use it as a context
    manager; a client nobody closed is freed when garbage-collected.
    """

    def __init__(
        self,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        **config: Any,
    ) -> None:
        settings: dict[str, Any] = {}
        if token is not None:
            settings["token"] = token
        if base_url is not None:
            settings["base_url"] = base_url
        if timeout is not None:
            if "timeout_ms" in config:
                raise TypeError("give timeout (seconds) or timeout_ms, not both")
            settings["timeout_ms"] = timeout_to_ms(timeout)
        settings.update(config)
        self.base_url: Optional[str] = base_url
        self._handle = Handle(settings)

    # -- life cycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the native client after the calls in flight end; later calls raise ``ValueError``."""
        self._handle.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle.closed

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<passteam.Client base_url={self.base_url!r} {state}>"

    # -- generic calls ----------------------------------------------------------------------------

    def call(
        self,
        method: str,
        params: Optional[Mapping[str, Any]] = None,
        /,
        *,
        timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> Any:
        """Calls any operation by name (``"getcard"``, ``"getCard"`` or ``"get_card"``).

        ``params`` is sent as is (wire names); keywords are converted to camelCase and added.
        ``client.call("getcard", card_id=x)`` equals ``client.get_card(card_id=x)``.
        """
        merged = _wire_params(dict(params or {}), kwargs)
        return self._invoke(method, merged, timeout)

    def call_json(self, method: str, params_json: str, *, timeout: Optional[float] = None) -> str:
        """Calls an operation with params already in JSON text; returns the result as JSON text.

        The lowest-level call: no conversion either way (useful to relay requests or to save decoding).
        """
        return self._handle.call(method, params_json, timeout)

    def _invoke(self, method: str, params: Mapping[str, Any], timeout: Optional[float]) -> Any:
        try:
            params_json = _PARAMS_ENCODER.encode(params)
        except (RecursionError, ValueError) as exc:
            # Nested too deep, or circular: a caller's mistake, reported like any other bad params.
            raise InvalidJsonError(f"params cannot be sent as JSON: {exc}", {"status": ERR_INVALID_JSON}) from None
        text = self._handle.call(method, params_json, timeout)
        if isinstance(text, QueuedText):
            return Queued.from_json(text)
        return _decode_result(method, text)

    def _op(self, wire: str, timeout: Optional[float], extra: Mapping[str, Any], **named: Any) -> Any:
        return self._invoke(wire, _wire_params(named, extra), timeout)

    # -- the offline outbox (config outbox_path; see passteam.Queued) ---------------------------------

    def outbox_flush(self, max_seconds: float = 5.0) -> dict[str, int]:
        """Replays the queued calls that are due, for at most ``max_seconds``.

        Returns ``{"sent", "failed", "pending", "dead"}``. Raises :class:`~passteam.InvalidArgumentError`
        when the client has no ``outbox_path``.
        """
        max_ms = max(0, min(int(max_seconds * 1000), 0xFFFFFFFF))
        return cast("dict[str, int]", self._handle.outbox("flush", max_ms))

    def outbox_stats(self) -> dict[str, Any]:
        """``{"pending", "dead", "oldest_age_ms", "last_error"}``."""
        return cast("dict[str, Any]", self._handle.outbox("stats"))

    def outbox_list(self, state: Optional[str] = None, limit: Optional[int] = None) -> list[dict[str, Any]]:
        """The queued entries, oldest first: ``id``, ``method``, ``params``, ``state`` (``"pending"`` or
        ``"dead"``), ``attempts``, ``last_error``, ``created_at``."""
        flt = {key: value for key, value in (("state", state), ("limit", limit)) if value is not None}
        return cast("list[dict[str, Any]]", self._handle.outbox("list", json.dumps(flt).encode("utf-8")))

    def outbox_retry(self, outbox_id: int) -> dict[str, Any]:
        """Puts an entry (a dead one, typically) back in line."""
        return cast("dict[str, Any]", self._handle.outbox("retry", int(outbox_id)))

    def outbox_discard(self, outbox_id: int) -> dict[str, Any]:
        """Removes an entry for good."""
        return cast("dict[str, Any]", self._handle.outbox("discard", int(outbox_id)))

    # -- bulk calls -------------------------------------------------------------------------------

    def call_batch(
        self,
        requests: Iterable[tuple[str, Mapping[str, Any]] | Mapping[str, Any]],
        *,
        concurrency: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> list[Any]:
        """Runs many operations on this client's pool, ``concurrency`` at a time (default 4), and returns one
        entry per request in the same order: the result, or the :class:`PassteamError` that item raised
        (returned, not raised, like ``asyncio.gather(return_exceptions=True)``), so one failing item never
        stops the others.

        ``requests`` are ``(method, params)`` pairs or ``{"method": ..., "params": ...}`` dicts (wire names).
        ``timeout`` (seconds) bounds the whole batch: items not started by then are not sent and come back
        as :class:`PassteamTimeout`.
        """
        items = []
        for request in requests:
            if isinstance(request, tuple):
                method, params = request
                items.append({"method": method, "params": dict(params or {})})
            else:
                items.append(dict(request))
        options: dict[str, Any] = {}
        if concurrency is not None:
            options["concurrency"] = concurrency
        if timeout is not None:
            options["timeout_ms"] = timeout_to_ms(timeout)
        text = self._handle.call_batch(
            _PARAMS_ENCODER.encode(items), json.dumps(options)
        )
        return [
            entry["result"]
            if entry["status"] == 0
            # A queued item is a Queued value, as from a single call.
            else Queued.from_json(json.dumps(entry["error"]))
            if entry["status"] == QUEUED
            else error_from_json(entry["status"], json.dumps(entry["error"]))
            for entry in json.loads(text)
        ]

    # -- diagnostics ------------------------------------------------------------------------------

    def diagnose(self) -> Diagnosis:
        """Checks the way to Passteam (DNS, proxy, TCP, TLS, the token, the clock, the request budget, the
        library) and returns the report; it takes a few seconds at most, whatever the network does.

        ``report["ok"]`` is false when a check failed; each of ``report["checks"]`` has ``name``,
        ``status`` (``"ok"``, ``"warning"``, ``"failed"``), ``figure``, ``advice`` and ``details``.
        """
        return json.loads(self._handle.diagnose())

    # -- pagination -------------------------------------------------------------------------------

    def iter_cards(
        self, template_id: str, per_page: int = 50, *, timeout: Optional[float] = None, **extra: Any
    ) -> Generator[Card, None, None]:
        """Yields every card of a template, fetching one page (getcardswithpagination) at a time.

        A page is requested only when the previous one is used up, so stopping early costs nothing more.
        Pages count from 1; the walk follows :func:`next_page` (the rule every binding shares).
        ``per_page`` is at most 50 on the server.
        """
        page: Optional[int] = 1
        while page is not None:
            result = self.get_cards_with_pagination(
                template_id=template_id, page=page, per_page=per_page, timeout=timeout, **extra
            )
            yield from result.get("cards") or []
            page = next_page(page, result)

    # -- operations (one per entry of passteam_methods_json) -------------------------------------

    @_operation("getatoken")
    def get_a_token(self, *, nickname: str, password: str, timeout: Optional[float] = None, **extra: Any) -> Any:
        """Exchanges the account's login and password for an API token (no token needed).

        Returns the token (a string) or ``{"token": ...}``, as the server answers.
        """

    @_operation("getlisttemplates")
    def get_list_templates(self, *, timeout: Optional[float] = None, **extra: Any) -> list[Any]:
        """Lists the account's templates: ids, or ``{"templateId", "title"}`` objects."""

    @_operation("gettemplate")
    def get_template(self, *, template_id: str, timeout: Optional[float] = None, **extra: Any) -> Template:
        """Reads one template with its fields."""

    @_operation("createcard")
    def create_card(
        self,
        *,
        template_id: str,
        values: Optional[Mapping[str, Any]] = None,
        card_code: Optional[str] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> Card:
        """Creates a card from a template; ``values`` keys with or without ``%`` (``PHONE``/``%PHONE%``).

        Never resent automatically: after a lost reply the error's ``outcome`` is ``"unknown"``
        (prefer :meth:`issue_card`, which resolves that by looking the card up).
        """

    @_operation("getcard")
    def get_card(
        self,
        *,
        card_id: Optional[str] = None,
        card_code: Optional[str] = None,
        template_id: Optional[str] = None,
        values: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> Card:
        """Finds a card by ``card_id``, by ``card_code``, or by ``template_id`` + a unique variable in
        ``values``. Raises :class:`~passteam.NotFoundError` when there is none."""

    @_operation("updatecard")
    def update_card(
        self,
        *,
        card_id: str,
        values: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> UpdateResult:
        """Changes a card's variables (only those sent change). Returns ``{"messages", "updated", "card"}``."""

    @_operation("getcardswithpagination")
    def get_cards_with_pagination(
        self,
        *,
        template_id: str,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> Page:
        """One page (from 1, at most 50 cards) of a template's cards; see also :meth:`iter_cards`."""

    @_operation("checkvariablevalue")
    def check_variable_value(
        self, *, template_id: str, values: Mapping[str, Any], timeout: Optional[float] = None, **extra: Any
    ) -> Any:
        """Checks whether a unique variable's value is free: ``{"unique", "cardsIds"}`` (or a boolean)."""

    @_operation("distribute")
    def distribute(self, *, card_id: str, type: str, timeout: Optional[float] = None, **extra: Any) -> Any:
        """Sends the card's link to its holder; ``type`` is ``"sms"`` or ``"email"``. Never resent
        automatically."""

    @_operation("deletecard")
    def delete_card(self, *, card_id: str, timeout: Optional[float] = None, **extra: Any) -> DeleteResult:
        """Deletes a card: ``{"n", "ok", "err", "errmsg"}`` (``n == 0``: nothing was deleted)."""

    @_operation("updatecards", deprecated="update_card or update_client")
    def update_cards(
        self,
        *,
        card_id: Optional[str] = None,
        card_code: Optional[str] = None,
        template_id: Optional[str] = None,
        values: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> Any:
        """Deprecated by Passteam (use :meth:`update_card` or :meth:`update_client`): updates a card
        found by card_id, card_code or template_id + a unique variable."""

    @_operation("gettemplates", deprecated="get_list_templates and get_template")
    def get_templates(self, *, timeout: Optional[float] = None, **extra: Any) -> list[Template]:
        """Deprecated and slow (use :meth:`get_list_templates`): every template with its fields."""

    @_operation("getcards", deprecated="iter_cards")
    def get_cards(self, *, template_id: str, timeout: Optional[float] = None, **extra: Any) -> list[Card]:
        """Deprecated and slow (use :meth:`iter_cards`): every card of a template in one reply."""

    @_operation("sendpush")
    def send_push(
        self, *, template_id: str, message: str, timeout: Optional[float] = None, **extra: Any
    ) -> Any:
        """Sends a push message to every card of a template (promotions). Never resent automatically."""

    @_operation("getsale")
    def get_sale(self, *, id: str, timeout: Optional[float] = None, **extra: Any) -> dict[str, Any]:
        """Reads a sale."""

    @_operation("updatesale")
    def update_sale(
        self,
        *,
        id: str,
        title: Optional[str] = None,
        payment_type: Optional[str] = None,
        payment_status: Optional[str] = None,
        total_price: Optional[int] = None,
        card_id: Optional[str] = None,
        products: Optional[list[Mapping[str, Any]]] = None,
        client_name: Optional[str] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Writes a sale (the fields sent replace the stored ones). ``payment_type``: CARD|CASH;
        ``payment_status``: DRAFT|PAID; ``products``: ``[{"_id", "name", "quantity", "price"}]``."""

    @_operation("deletesale")
    def delete_sale(self, *, id: str, timeout: Optional[float] = None, **extra: Any) -> Any:
        """Deletes a sale."""

    @_operation("createproduct")
    def create_product(
        self, *, company_id: str, name: str, price: float, timeout: Optional[float] = None, **extra: Any
    ) -> dict[str, Any]:
        """Creates a product. Never resent automatically."""

    @_operation("updateproduct")
    def update_product(
        self,
        *,
        id: str,
        name: Optional[str] = None,
        price: Optional[float] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Changes a product's name or price."""

    @_operation("deleteproduct")
    def delete_product(self, *, id: str, timeout: Optional[float] = None, **extra: Any) -> Any:
        """Deletes a product."""

    @_operation("listproducts")
    def list_products(
        self,
        *,
        company_id: str,
        page: Optional[int] = None,
        per_page: Optional[int] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> Any:
        """One page of a company's products."""

    # -- the vendor's scenarios -------------------------------------------------------------------

    @_operation("issuecard")
    def issue_card(
        self,
        *,
        card_id: Optional[str] = None,
        card_code: Optional[str] = None,
        template_id: Optional[str] = None,
        values: Optional[Mapping[str, Any]] = None,
        unique_variable: Optional[str] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> IssueResult:
        """Finds the card (card_id, card_code, or template_id + the ``unique_variable`` of ``values``,
        PHONE by default) and creates it from template_id + values if absent.

        Returns ``{"card": card, "created": bool}``. Exactly once: a lost createcard reply is resolved by
        looking the card up, never by creating twice.
        """

    @_operation("updateclient")
    def update_client(
        self,
        *,
        card_id: Optional[str] = None,
        card_code: Optional[str] = None,
        template_id: Optional[str] = None,
        find: Optional[Mapping[str, Any]] = None,
        values: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        **extra: Any,
    ) -> UpdateResult:
        """Finds the card (card_id, card_code, or template_id + ``find``, a unique variable such as
        ``{"PHONE": "+7..."}``) and writes ``values`` to it. Returns updatecard's result."""


def next_page(current: int, result: Mapping[str, Any]) -> Optional[int]:
    """The page to fetch after ``current`` given its result, or ``None`` to stop: at a page without cards,
    a null or absent ``nextPage``, or a ``nextPage`` not after ``current`` (a server that does not move
    forward must not make a walk loop forever). Shared with the core and Go: tests/vectors/pagination.json.
    """
    following = result.get("nextPage")
    if not result.get("cards") or not isinstance(following, int) or isinstance(following, bool):
        return None
    return following if following > current else None


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(f"{name} is deprecated by Passteam; use {instead}", DeprecationWarning, stacklevel=3)


def _decode_result(method: str, text: str) -> Any:
    """The result's JSON text as Python values. The core already refuses replies nested deeper than 128
    levels; this only keeps a decoder failure (a deep call stack, a broken text) a :class:`PassteamError`
    rather than a bare ``RecursionError``."""
    try:
        return json.loads(text)
    except (RecursionError, ValueError) as exc:
        raise ProtocolError(
            f"{method}: the result cannot be decoded: {type(exc).__name__}", {"status": ERR_PROTOCOL}
        ) from None
