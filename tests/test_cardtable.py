"""The lazy cards table: heads without parsing cards, an overlay of changes, damaged cards named."""

from __future__ import annotations

from typing import Any

import msgspec
import orjson
import pytest
from helpers import some

from cardbox.core import cardtable
from cardbox.core.cardtable import CardTable, attempt_count, head_of, table_of_file


def card(card_id: int, name: str, **more) -> dict:
    return {"id": card_id, "name": name, "created": "2026-11-22T10:00:00-08:00", "updated": "2026-11-22T10:00:00-08:00",
            "attempts": [], **more}


def table(*cards: dict) -> CardTable:
    raw = orjson.dumps({"cards": {str(c["id"]): c for c in cards}})
    rows = msgspec.json.decode(raw, type=dict[str, dict[str, msgspec.Raw]])["cards"]
    return table_of_file(raw, rows)


def test_a_card_is_read_from_its_bytes_and_its_head_without_parsing_it():
    t = table(card(1, "Ann", company="Acme", due={"start": "2026-12-01", "end": "2026-12-05"}), card(2, "Bo"))
    assert t["1"]["company"] == "Acme" and t["1"] is not t["1"]  # parsed on each read, never kept
    head = t.heads["1"]
    assert head is not None and head.name == "Ann" and head.due is not None and head.due.start == "2026-12-01"
    assert list(t) == ["1", "2"] and len(t) == 2 and "2" in t and "3" not in t


def test_changes_sit_on_an_overlay_in_the_right_order_and_compact(monkeypatch):
    t = table(card(1, "Ann"), card(2, "Bo"), card(3, "Cy"))
    changed = t.with_docs({"2": None, "4": card(4, "Di"), "1": card(1, "Ann B")})
    assert list(changed) == ["1", "3", "4"] and len(changed) == 3
    assert changed["1"]["name"] == "Ann B" and some(changed.heads["4"]).name == "Di" and "2" not in changed.heads
    assert list(t) == ["1", "2", "3"] and t["1"]["name"] == "Ann"  # the old table is as it was
    monkeypatch.setattr(cardtable, "_COMPACT_AT", 2)
    compact = changed.with_docs({"5": card(5, "Ed")})
    assert list(compact) == ["1", "3", "4", "5"] and dict(compact.items())["5"]["name"] == "Ed"
    assert compact._entries._over == {}  # merged into a new base


def test_damaged_cards_have_no_head_and_nulls_are_read_as_empty():
    assert head_of(orjson.dumps({"id": 1, "name": "No stamps"})) is None
    assert head_of(orjson.dumps(card(1, "Bad stamp") | {"created": "yesterday"})) is None
    assert head_of(b"[1, 2]") is None
    loose = head_of(orjson.dumps(card(1, "Nulls", company=None, tags=None, status=None)))
    assert loose is not None and loose.company == "" and loose.tags == [] and loose.status == "active"
    assert some(head_of(orjson.dumps({**card(7, "Id as text"), "id": "7"}))).id == 7
    t = table(card(1, "Fine"), {"id": 2, "name": "Broken"})
    assert t.heads["1"] is not None and t.heads["2"] is None and t.has_damaged


@pytest.mark.parametrize(("attempts", "count"), [([], 0), ([{"outcome": "x"}] * 3, 3), (None, 0)])
def test_attempts_are_counted_from_the_bytes(attempts, count):
    t = table(card(1, "Ann") | {"attempts": attempts})
    assert t.attempts("1") == count
    assert attempt_count(card(1, "Ann") | {"attempts": attempts}) == count


def test_the_fast_readers_know_the_card_as_card_writes_it():
    # The card's shape has one home, Card (to_dict / from_dict). The readers that skip most of a card for speed
    # (a list's Head, the numbers' Counted) name its fields again: each name must be one Card writes, and each
    # default the value Card gives a card that leaves the field out.
    import msgspec

    from cardbox.core.card import Card
    from cardbox.core.cardtable import Head
    from cardbox.core.counted import _Card

    written: dict[str, Any] = dict(Card.from_dict({"id": 1, "name": "", "created": "2026-11-02T09:00:00",
                                                   "updated": "2026-11-02T09:00:00"}).to_dict())
    for struct in (Head, _Card):
        for field in msgspec.structs.fields(struct):
            assert field.encode_name in written, f"{struct.__name__}.{field.name} is not a field Card writes"
            if field.default is not msgspec.NODEFAULT:
                assert field.default == written[field.encode_name], f"{struct.__name__}.{field.name}'s default"
            elif field.default_factory is not msgspec.NODEFAULT:
                assert field.default_factory() == written[field.encode_name], f"{struct.__name__}.{field.name}'s default"
