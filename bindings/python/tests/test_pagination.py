"""iter_cards walks every page lazily: one getcardswithpagination request per page, only when needed."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Optional

import pytest

import passteam
from conftest import GIFT, LOYALTY, Sandbox, new_phone
from passteam.client import next_page

CREATED = 120


@pytest.fixture(scope="module")
def created_ids(sandbox: Sandbox) -> set[str]:
    with passteam.Client(token=sandbox.token, base_url=sandbox.base_url) as c:
        return {c.create_card(template_id=LOYALTY, values={"PHONE": new_phone()})["cardId"] for _ in range(CREATED)}


def page_requests(sandbox: Sandbox) -> list[dict]:
    return [r for r in sandbox.requests() if r["method"] == "getcardswithpagination"]


def test_walks_every_card_once(client: passteam.Client, sandbox: Sandbox, created_ids: set[str]) -> None:
    total = client.get_cards_with_pagination(template_id=LOYALTY, page=1, per_page=1)["cardsCount"]
    assert total >= CREATED
    sandbox.clear_requests()

    ids = [card["cardId"] for card in client.iter_cards(LOYALTY)]

    assert len(ids) == total == len(set(ids))
    assert created_ids <= set(ids)
    pages = page_requests(sandbox)
    assert len(pages) == math.ceil(total / 50)
    assert [r["fields"]["page"] for r in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert {r["fields"]["perPage"] for r in pages} == {"50"}


def test_fetches_pages_only_when_needed(client: passteam.Client, sandbox: Sandbox, created_ids: set[str]) -> None:
    sandbox.clear_requests()
    cards = client.iter_cards(LOYALTY, per_page=20)
    assert page_requests(sandbox) == []  # a generator: nothing is fetched before the first next()

    first = [next(cards) for _ in range(20)]
    assert len(page_requests(sandbox)) == 1
    assert len({c["cardId"] for c in first}) == 20

    next(cards)
    assert len(page_requests(sandbox)) == 2

    cards.close()  # stopping early costs nothing more
    assert len(page_requests(sandbox)) == 2


def test_empty_template_makes_one_request(client: passteam.Client, sandbox: Sandbox) -> None:
    # collect first: deleting while walking would shift the pages under the walk
    for card_id in [card["cardId"] for card in client.iter_cards(GIFT)]:
        client.delete_card(card_id=card_id)
    sandbox.clear_requests()
    assert list(client.iter_cards(GIFT)) == []
    assert len(page_requests(sandbox)) == 1


VECTOR = Path(__file__).resolve().parents[3] / "tests" / "vectors" / "pagination.json"


def test_next_page_follows_the_shared_vector() -> None:
    cases = json.loads(VECTOR.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 8
    for case in cases:
        requests: list[int] = []
        cards = 0
        page: Optional[int] = 1
        while page is not None:
            requests.append(page)
            spec = case["pages"][str(page)]
            result: dict[str, Any] = {"cards": [{"cardId": f"c{page}-{i}"} for i in range(spec["cards"])]}
            if "nextPage" in spec:
                result["nextPage"] = spec["nextPage"]
            cards += len(result["cards"])
            page = next_page(page, result)
        assert (requests, cards) == (case["requests"], case["cards"]), case["name"]
