"""Every operation of the API through its Client method, against the sandbox, plus the generic call."""

from __future__ import annotations

import pytest

import passteam
from conftest import COMPANY, GIFT, LOYALTY, Sandbox, new_phone


def last_request(sandbox: Sandbox) -> dict:
    return sandbox.requests()[-1]


def test_get_a_token(client: passteam.Client) -> None:
    token = client.get_a_token(nickname="demo", password="demo")
    assert token in ("sandbox-token", {"token": "sandbox-token"})


def test_templates(client: passteam.Client) -> None:
    listed = client.get_list_templates()
    ids = {t["templateId"] if isinstance(t, dict) else t for t in listed}
    assert {LOYALTY, GIFT} <= ids

    template = client.get_template(template_id=LOYALTY)
    assert template["templateId"] == LOYALTY
    names = {f["name"] for f in template["fields"]}
    assert {"%PHONE%", "%BONUS%", "%CLIENT_NAME%"} <= names

    with pytest.warns(DeprecationWarning):
        every = client.get_templates()
    assert {t["templateId"] for t in every} >= {LOYALTY, GIFT}


def test_card_life_cycle(client: passteam.Client, sandbox: Sandbox) -> None:
    phone = new_phone()
    card = client.create_card(template_id=LOYALTY, values={"PHONE": phone, "%CLIENT_NAME%": "Anna", "BONUS": 10})
    card_id = card["cardId"]
    assert len(card_id) == 24
    assert card["values"]["%PHONE%"] == phone
    assert card["values"]["%CLIENT_NAME%"] == "Anna"
    # snake_case keywords arrive camelCase on the wire
    fields = last_request(sandbox)["fields"]
    assert fields["templateId"] == LOYALTY and fields["values[%PHONE%]"] == phone

    assert client.get_card(card_id=card_id)["cardId"] == card_id
    assert client.get_card(card_code=card["cardCode"])["cardId"] == card_id
    assert client.get_card(template_id=LOYALTY, values={"PHONE": phone})["cardId"] == card_id

    updated = client.update_card(card_id=card_id, values={"BONUS": 25})
    assert updated["updated"] is True
    assert updated["card"]["values"]["%BONUS%"] == "25"

    check = client.check_variable_value(template_id=LOYALTY, values={"PHONE": phone})
    assert check == {"unique": False, "cardsIds": [card_id]}
    free = client.check_variable_value(template_id=LOYALTY, values={"PHONE": new_phone()})
    assert free["unique"] is True

    assert client.distribute(card_id=card_id, type="sms") is True
    assert last_request(sandbox)["fields"]["type"] == "sms"

    with pytest.warns(DeprecationWarning):
        result = client.update_cards(template_id=LOYALTY, values={"PHONE": phone, "BONUS": 30})
    assert result["updated"] == 1
    assert client.get_card(card_id=card_id)["values"]["%BONUS%"] == "30"

    with pytest.warns(DeprecationWarning):
        all_cards = client.get_cards(template_id=LOYALTY)
    assert card_id in {c["cardId"] for c in all_cards}

    assert client.delete_card(card_id=card_id)["n"] == 1
    assert client.delete_card(card_id=card_id)["n"] == 0
    with pytest.raises(passteam.NotFoundError):
        client.get_card(card_id=card_id)


def test_cards_with_pagination_maps_per_page(client: passteam.Client, sandbox: Sandbox) -> None:
    for _ in range(3):
        client.create_card(template_id=GIFT, values={"CODE": new_phone(), "AMOUNT": 500})
    page = client.get_cards_with_pagination(template_id=GIFT, page=1, per_page=2)
    assert len(page["cards"]) == 2
    assert page["nextPage"] == 2
    assert page["cardsCount"] >= 3
    fields = last_request(sandbox)["fields"]
    assert fields["perPage"] == "2" and fields["page"] == "1"


def test_send_push(client: passteam.Client, sandbox: Sandbox) -> None:
    assert client.send_push(template_id=LOYALTY, message="Double bonus today") is True
    assert last_request(sandbox)["fields"]["message"] == "Double bonus today"


def test_sales(client: passteam.Client, sandbox: Sandbox) -> None:
    sale = client.get_sale(id="sale-1")
    assert sale["id"] == "sale-1"

    written = client.update_sale(
        id="sale-2",
        title="Coffee",
        payment_type="CASH",
        payment_status="PAID",
        total_price=300,
        client_name="Anna",
        products=[{"_id": "p1", "name": "Latte", "quantity": 2, "price": 150}],
    )
    assert written["id"] == "sale-2"
    assert written["paymentType"] == "CASH" and written["totalPrice"] == 300
    request = last_request(sandbox)
    assert request["verb"] == "PUT"
    assert request["fields"]["paymentStatus"] == "PAID" and request["fields"]["clientName"] == "Anna"
    assert client.get_sale(id="sale-2")["title"] == "Coffee"

    client.delete_sale(id="sale-2")
    with pytest.raises(passteam.NotFoundError):
        client.get_sale(id="sale-2")


def test_products(client: passteam.Client, sandbox: Sandbox) -> None:
    product = client.create_product(company_id=COMPANY, name="Tea", price=120)
    product_id = product["_id"]
    assert product["name"] == "Tea"
    assert last_request(sandbox)["fields"]["companyId"] == COMPANY

    changed = client.update_product(id=product_id, price=99.5)
    assert float(changed["price"]) == 99.5

    listed = client.list_products(company_id=COMPANY, page=1, per_page=100)
    names = {p["name"] for p in listed["products"]}
    assert "Tea" in names
    assert last_request(sandbox)["fields"]["perPage"] == "100"

    client.delete_product(id=product_id)
    with pytest.raises(passteam.NotFoundError):
        client.update_product(id=product_id, name="gone")


def test_issue_card_scenario(client: passteam.Client) -> None:
    phone = new_phone()
    first = client.issue_card(template_id=LOYALTY, values={"PHONE": phone, "CLIENT_NAME": "Boris"})
    assert first["created"] is True
    again = client.issue_card(template_id=LOYALTY, values={"PHONE": phone})
    assert again["created"] is False
    assert again["card"]["cardId"] == first["card"]["cardId"]
    by_id = client.issue_card(card_id=first["card"]["cardId"])
    assert by_id["created"] is False


def test_update_client_scenario(client: passteam.Client) -> None:
    phone = new_phone()
    card = client.create_card(template_id=LOYALTY, values={"PHONE": phone, "BONUS": 1})
    result = client.update_client(template_id=LOYALTY, find={"PHONE": phone}, values={"BONUS": 42})
    assert result["updated"] is True
    assert result["card"]["cardId"] == card["cardId"]
    assert client.get_card(card_id=card["cardId"])["values"]["%BONUS%"] == "42"


def test_unknown_keywords_pass_through_as_camel_case(client: passteam.Client, sandbox: Sandbox) -> None:
    card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()}, import_uid="erp-17")
    assert last_request(sandbox)["fields"]["importUid"] == "erp-17"
    assert card.get("importUid") == "erp-17"


def test_generic_call_matches_the_methods(client: passteam.Client, sandbox: Sandbox) -> None:
    card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()})
    by_kw = client.call("get_card", card_id=card["cardId"])
    by_dict = client.call("getCard", {"cardId": card["cardId"]})
    assert by_kw["cardId"] == by_dict["cardId"] == card["cardId"]
    page = client.call("getcardswithpagination", template_id=LOYALTY, per_page=1)
    assert len(page["cards"]) == 1
    assert last_request(sandbox)["fields"]["perPage"] == "1"

    text = client.call_json("getcard", '{"cardId": "%s"}' % card["cardId"])
    assert isinstance(text, str) and card["cardId"] in text


def test_per_call_timeout_still_succeeds_when_fast(client: passteam.Client) -> None:
    card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()}, timeout=5)
    assert client.get_card(card_id=card["cardId"], timeout=0.5)["cardId"] == card["cardId"]
    assert client.call("getcard", card_id=card["cardId"], timeout=2.5)["cardId"] == card["cardId"]


def test_none_means_not_sent(client: passteam.Client, sandbox: Sandbox) -> None:
    card = client.create_card(template_id=LOYALTY, values={"PHONE": new_phone()}, card_code=None)
    client.get_card(card_id=card["cardId"], card_code=None, template_id=None)
    assert set(last_request(sandbox)["fields"]) == {"cardId"}
