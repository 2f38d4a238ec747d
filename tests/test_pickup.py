"""When a prospect picks up, and the nudge after unanswered calls — from the card's own history."""

from __future__ import annotations

from datetime import datetime

from cardbox.core.card import Attempt, Card
from cardbox.core.pickup import nudge, picked_up


def card(*attempts: tuple[str, str, str]) -> Card:
    moment = datetime(2026, 11, 1)
    return Card(id=1, name="A", created=moment, updated=moment,
                attempts=tuple(Attempt(datetime.fromisoformat(at), channel, outcome) for at, channel, outcome in attempts))


def test_when_they_picked_up():
    history = card(("2026-11-03T09:10", "call", "callback"), ("2026-11-05T08:45", "call", "callback"),
                   ("2026-11-09T15:00", "call", "no-answer"))
    assert picked_up(history) == "last answered: Tue 9:10, Thu 8:45 — mornings"
    assert picked_up(card(("2026-11-03T09:10", "call", "no-answer"))) == ""


def test_a_nudge_after_three_unanswered_says_what_to_change_and_why():
    history = card(("2026-11-03T09:10", "call", "callback"),  # they answered a morning call once
                   ("2026-11-10T15:00", "call", "no-answer"), ("2026-11-12T16:00", "call", "voicemail"),
                   ("2026-11-16T14:30", "call", "no-answer"))
    assert nudge(history) == "3 unanswered in a row, all in the afternoon, all by call: try the morning (they picked up then before); try an email or a text"
    assert nudge(card(("2026-11-10T15:00", "call", "no-answer"), ("2026-11-12T16:00", "call", "no-answer"))) == ""  # only two
    varied = card(("2026-11-10T09:00", "call", "no-answer"), ("2026-11-12T16:00", "email", "no-answer"), ("2026-11-13T18:00", "text", "no-answer"))
    assert nudge(varied).endswith("change the message (a new reason to talk), or let it cool down longer")
