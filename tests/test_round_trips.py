"""cardbox's own exports come back whole: the demo box's 300 cards, through CSV and through vCard, re-import to
cards equal to the originals in every field the export carries (statuses, tags, extensions, every phone and
e-mail, the address, the window as its phrase and its dates, the why and the notes)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cardbox.core import export, importing
from cardbox.core.box import Box
from cardbox.core.card import Card
from cardbox.core.demo import write_demo_box
from cardbox.core.window import DueWindow

NOW = datetime(2026, 12, 4, 10, 0)
EVERY_STATUS = ("active", "not-now", "nurture", "won", "do-not-call")


def carried(card: Card) -> tuple:
    window = (card.due.phrase, card.due.start, card.due.end) if card.due else None
    return (card.name, card.company, card.phones, card.email, card.emails, card.address, card.status, card.why,
            card.notes, card.tags, card.time_zone, window)


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_the_demo_box_comes_back_whole(tmp_path, fmt, monkeypatch):
    monkeypatch.setenv("CARDBOX_TZ", "America/New_York")
    write_demo_box(tmp_path / "demo.json", now=NOW)
    demo = Box(tmp_path / "demo.json", clock=lambda: NOW)
    originals = demo.cards()
    payload = export.export_box(demo, fmt, originals, NOW, "America/New_York", EVERY_STATUS)
    again = Box(tmp_path / "again.json", clock=lambda: NOW)
    report = again.import_rows(importing.parse(payload, f"demo.{fmt}"), source=f"demo.{fmt}")
    assert not report.skipped and len(again.cards()) == len(originals) == 300
    assert [carried(card) for card in again.cards()] == [carried(card) for card in originals]


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_a_card_with_every_field_comes_back_whole(tmp_path, fmt, monkeypatch):
    monkeypatch.setenv("CARDBOX_TZ", "America/New_York")
    box = Box(tmp_path / "box.json", clock=lambda: NOW)
    window = DueWindow(datetime(2026, 12, 8, 16, 0), datetime(2026, 12, 8, 16, 0), "time", "tuesday at 4", "")
    box.add("Zoë O'Brien-Łukasz", company="Acme, Inc.", phones=["212 555 0100 x102", "+44 20 7946 0958"],
            email="zoe@acme.example", why="budget; opens in Q1, \"maybe\"", notes="line one\nline two; with ; semis",
            tags=["price-shopper", "referral"], due=window)
    card = box.get(1)
    card = box.replace_card(card.with_changes(emails=("zoe.home@example.org",), time_zone="America/Chicago",
                                              address={"street": "1 Main St", "city": "Springfield", "region": "IL",
                                                       "postal_code": "62701", "country": "USA"}, status="nurture")).card
    payload = export.export_box(box, fmt, box.cards(), NOW, "America/New_York", EVERY_STATUS)
    again = Box(tmp_path / "again.json", clock=lambda: NOW)
    assert not again.import_rows(importing.parse(payload, f"x.{fmt}"), source=f"x.{fmt}").skipped
    assert carried(again.get(1)) == carried(card)
