"""The outcome facts every screen, command and figure asks."""

from __future__ import annotations

import pytest
from helpers import some

from cardbox.core import outcomes
from cardbox.core.errors import CardError


@pytest.mark.parametrize(
    ("name", "reached"),
    [
        ("no-answer", False),
        ("voicemail", False),
        ("callback", True),
        ("appointment", True),
        ("sale", True),
        ("not-interested", True),
        ("nurture", True),
        # Somebody answered, but not the prospect: not an answer on the card.
        ("wrong-number", False),
        ("do-not-call", True),
    ],
)
def test_which_outcomes_reached_the_prospect(name, reached):
    assert outcomes.outcome(name).reached is reached
    assert outcomes.reached(name) is reached


@pytest.mark.parametrize(
    ("name", "status", "leaves_active"),
    [
        ("no-answer", "active", False),
        ("callback", "active", False),
        ("sale", "won", True),
        ("not-interested", "not-now", True),
        ("nurture", "nurture", True),
        ("wrong-number", "not-now", True),
        ("do-not-call", "do-not-call", True),
    ],
)
def test_the_pile_each_outcome_leads_to(name, status, leaves_active):
    facts = outcomes.outcome(name)
    assert facts.status == status
    assert facts.ends_active_life is leaves_active


def test_only_no_answer_and_voicemail_cool_down():
    assert [o for o in outcomes.OUTCOMES if outcomes.unanswered(o)] == ["no-answer", "voicemail"]


def test_only_talked_outcomes_set_an_agreed_window():
    assert [o for o in outcomes.OUTCOMES if outcomes.outcome(o).agreed_window] == ["callback", "appointment"]


def test_sale_and_set_aside():
    assert [o for o in outcomes.OUTCOMES if outcomes.outcome(o).is_sale] == ["sale"]
    assert [o for o in outcomes.OUTCOMES if outcomes.outcome(o).sets_aside] == ["not-interested", "wrong-number", "do-not-call"]


def test_an_unknown_outcome_is_refused_with_the_real_ones_and_the_field():
    with pytest.raises(CardError, match="unknown outcome 'hung-up'; use one of: no-answer, voicemail") as caught:
        outcomes.outcome("hung-up")
    assert caught.value.field == "outcome"


def test_words_of_an_outcome_from_a_newer_box_are_shown_as_stored():
    assert outcomes.words("callback") == "talked — call back"
    assert outcomes.words("fax-sent") == "fax-sent"
    assert outcomes.reached("fax-sent") is False


def test_an_unknown_channel_is_refused():
    with pytest.raises(CardError, match="unknown channel 'pigeon'") as caught:
        outcomes.check_channel("pigeon")
    assert caught.value.field == "channel"


def test_the_fact_sets_agree_with_each_outcome():
    assert {o for o in outcomes.OUTCOMES if outcomes.outcome(o).reached} == outcomes.REACHED
    assert outcomes.AGREES_WINDOW == {"callback", "appointment"}


def test_the_prospects_own_words_survive_a_cool_down(tmp_path):
    from datetime import date, datetime

    from helpers import Clock

    from cardbox.core.box import Box
    from cardbox.core.phrases import parse_when

    now = datetime(2026, 11, 23, 10)
    box = Box(tmp_path / "box.json", clock=Clock(now))
    asked = parse_when("after the holidays", now)
    card = box.add("Ann", due=asked, why="budget").card
    assert card.agreed == asked and not card.agreed_differs
    card = box.log(card.id, "no-answer").card
    assert some(card.due).first_day == date(2026, 11, 24)  # the cool-down
    assert card.agreed == asked and card.agreed_differs  # …but what Ann said is kept in view
    later = parse_when("early March", now)
    card = box.log(card.id, "callback", next_window=later).card
    assert card.agreed == later and not card.agreed_differs
