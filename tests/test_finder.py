"""Find's index against a plain walk over every card: the same hits, in the same order, after any changes."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from cardbox.core import cardtable, finder
from cardbox.core.box import Box
from cardbox.core.demo import box_data, write_box
from cardbox.core.finder import haystack, parse_query, phone_digits

NOW = datetime(2026, 11, 22, 10, 0)
QUERIES = ("m", "ma", "mar", "marc", "k", "ko", "a", "an", "smith", "roof", "ann b", "5", "55", "555", "555 0", "555 01",
           "0134", "415", "(415) 555", "owner", "z", "zed", "solar panels", "new", "newcomer", "q")


def walked(box: Box, query: str) -> list[int]:
    """What find must return, by walking every card's head (the rule in Box.find_ids' docstring)."""
    by_phone, words = parse_query(query)
    if not words or not words[0]:
        return []
    first = words[0]
    live = sorted(((int(key), head) for key, head in box._heads().items() if head is not None and key.isdigit()),
                  key=lambda item: (item[1].name.casefold(), item[0]))
    buckets: tuple[list[int], list[int], list[int]] = ([], [], [])
    for card_id, head in live:
        text = phone_digits(head) if by_phone else haystack(head)
        if not all(word in text for word in words):
            continue
        name = head.name.casefold()
        if by_phone:
            rank = 0 if any(number[1:].endswith(first) for number in head.phones) else 1
        else:
            rank = 0 if name.startswith(first) else 1 if first in name else 2
        buckets[rank].append(card_id)
    return [card_id for bucket in buckets for card_id in bucket]


@pytest.fixture
def box(tmp_path) -> Box:
    path = tmp_path / "box.json"
    write_box(path, box_data(300, NOW))
    return Box(path, clock=lambda: NOW)


def test_every_query_matches_the_walk_on_an_unchanged_box(box):
    for query in QUERIES:
        assert box.find_ids(query) == walked(box, query), query


@pytest.fixture(params=["per card", "one scan", "one scan given up"])
def scanning(request, monkeypatch):
    """The three ways a word is looked for (finder.SearchIndex._matching), forced on a small box."""
    if request.param == "one scan":
        monkeypatch.setattr(finder, "SCAN_FROM", 0)
    elif request.param == "one scan given up":
        monkeypatch.setattr(finder, "SCAN_FROM", 0)
        monkeypatch.setattr(finder, "SCAN_UP_TO", 5)
    return request.param


def test_every_query_matches_the_walk_whichever_way_it_is_scanned(box, scanning):
    for query in QUERIES:
        assert box.find_ids(query) == walked(box, query), query


def found_as_walked(box: Box, query: str) -> None:
    """find's lazy hits: the count and the first ones before the rest are worked out, then all of them."""
    expected = walked(box, query)
    hits = box.find_hits(query)
    assert len(hits) == len(expected), query
    assert [hits[i] for i in range(min(len(hits), 12))] == expected[:12], query
    assert list(hits) == expected, query


@pytest.mark.parametrize("seed", range(3))
def test_changes_laid_over_the_index_give_the_walks_hits_in_its_order(box, seed, scanning, monkeypatch):
    monkeypatch.setattr(cardtable, "_COMPACT_AT", 40)  # the base is rebuilt now and then too
    rng = random.Random(seed)
    box.find_ids("a")  # the index is built on the first base
    names = ["Marc Zed", "Ann Bolt", "Anna Kowalski", "Zed Newcomer", "Kim Ko", "Smith & Sons", "Marcus Aaron", "Aaron Marc"]
    for step in range(120):
        ids = box.ids()
        move = rng.random()
        if move < 0.35:
            box.add(rng.choice(names), company=rng.choice(["", "Acme Roofing", "Solar Panels Inc"]),
                    phones=[f"415 555 {rng.randrange(100, 9999):04d}"], notes=rng.choice(["", "owner", "call the owner back"]))
        elif move < 0.6 and ids:
            box.edit(rng.choice(ids), name=rng.choice(names))
        elif move < 0.75 and ids:
            box.delete(rng.choice(ids))
        elif ids:
            box.edit(rng.choice(ids), notes=rng.choice(["zed was here", "owner", ""]))
        query = rng.choice(QUERIES)
        assert box.find_ids(query) == walked(box, query), (step, query)
        # Typing on, key by key, narrows the last hits: still the walk's answer.
        for longer in (query + "a", query + "ar"):
            assert box.find_ids(longer) == walked(box, longer), (step, longer)
        found_as_walked(box, rng.choice(QUERIES))


def test_a_removed_and_a_damaged_card_are_never_found(box):
    target = box.find_ids("a")[0]
    box.delete(target)
    assert target not in box.find_ids("a")
    assert box.find_ids("a") == walked(box, "a")


def test_touched_since_finds_what_a_walk_finds_after_changes(tmp_path, monkeypatch):
    from datetime import timedelta

    from cardbox.core.stamps import parse_stamp

    monkeypatch.setattr(cardtable, "_COMPACT_AT", 25)
    clock = {"now": NOW}
    path = tmp_path / "box.json"
    write_box(path, box_data(200, NOW))
    box = Box(path, clock=lambda: clock["now"])
    rng = random.Random(7)
    moments = [NOW - timedelta(days=40), NOW - timedelta(days=3), NOW - timedelta(hours=1), NOW, NOW + timedelta(hours=5)]
    for step in range(80):
        clock["now"] = NOW + timedelta(minutes=step * 7)
        ids = box.ids()
        if rng.random() < 0.3:
            box.add(f"Touched {step}")
        elif rng.random() < 0.5:
            box.delete(rng.choice(ids))
        else:
            box.edit(rng.choice(ids), notes=f"step {step}")
        if step % 3:
            box.warm_search()  # the sorted index (kept over the base), or else a walk: both must agree
        moment = rng.choice(moments)
        expected = sorted(int(key) for key, head in box._heads().items()
                          if head is not None and parse_stamp(head.updated) >= moment.replace(microsecond=0))
        assert [card.id for card in box.touched_since(moment)] == expected, step


def test_a_query_of_digits_then_letters_is_not_narrowed_from_the_numbers(tmp_path):
    writer = Box(tmp_path / "box.json", clock=lambda: NOW)
    writer.add("Ann Seven", phones=["415 555 0134"], notes="gate code 7a")  # no 7 in the number
    writer.add("Bo Sevens", phones=["415 555 0177"])
    writer.storage.fold()
    box = Box(tmp_path / "box.json", clock=lambda: NOW)  # both cards in the index's base, not laid over it
    assert box.find_ids("7") == [2]  # digits: the numbers
    assert [box.get(i).name for i in box.find_ids("7a")] == ["Ann Seven"]  # words: the text, not the last hits
    assert box.find_ids("017") == [2] and box.find_ids("0177") == [2] and box.find_ids("01") == [1, 2]


@pytest.mark.parametrize("screenful", [1, 2, 60])
def test_the_first_hits_at_hand_are_the_walks_first_whatever_the_screenful(box, screenful, monkeypatch):
    monkeypatch.setattr(finder, "SCREENFUL", screenful)
    for query in QUERIES:
        found_as_walked(box, query)
    box.add("Ann Phone", phones=["415 555 0005"])  # a changed card: laid over the index
    for query in ("5", "05", "ann"):
        found_as_walked(box, query)


def test_find_folds_accents_and_case_and_keeps_digits(tmp_path):
    box = Box(tmp_path / "box.json", clock=lambda: datetime(2026, 12, 4, 10))
    jose = box.add("José Gutiérrez", company="Café Lumière", phones=["212 555 0101"], notes="wants a quote for Zürich").card
    box.add("Joseph Gute", phones=["212 555 0102"])
    for query in ("gutierrez", "GUTIÉRREZ", "jose gutierrez", "cafe lumiere", "zurich", "Gutiérrez"):
        assert box.find_ids(query)[:1] == [jose.id], query
    assert box.find_ids("0101") == [jose.id]  # digits as they are
    # Cards changed since the index was built are folded the same way.
    later = box.add("Zoë Ångström").card
    assert box.find_ids("zoe angstrom") == [later.id]
    assert finder.fold("Ærøskøbing straße 12") == "ærøskøbing strasse 12"


def test_the_box_sorted_by_due_is_by_when_each_window_opens(tmp_path):
    from datetime import date

    from cardbox.core.window import DueWindow

    box = Box(tmp_path / "box.json", clock=lambda: datetime(2026, 12, 4, 10))
    long_open = box.add("Opens in 3, open a month", due=DueWindow(date(2026, 12, 7), date(2027, 1, 6), "month", "p", "l")).card
    short = box.add("Opens in 8, one day", due=DueWindow(date(2026, 12, 12), date(2026, 12, 12), "day", "p", "l")).card
    overdue = box.add("Opened last week", due=DueWindow(date(2026, 11, 27), date(2027, 2, 1), "month", "p", "l")).card
    assert box.pile("active", "due") == [overdue.id, long_open.id, short.id]
