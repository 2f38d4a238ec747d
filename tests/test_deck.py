"""The deck: today's flip-through as plain rules, without a screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from helpers import NOW

from cardbox.core.card import Attempt, Card
from cardbox.core.deck import Deck, day_summary, filing
from cardbox.core.window import DueWindow

TODAY = NOW.date()


def card(card_id: int, first: date | None, last: date | None = None, status: str = "active", attempts=()) -> Card:
    due = DueWindow.on_day(first, "a day") if first is not None else None
    if first is not None and last is not None:
        due = DueWindow(first, last, "week", "a week", "a week")
    return Card(id=card_id, name=f"Card {card_id}", created=NOW, updated=NOW, due=due, status=status, attempts=tuple(attempts))


def deck_of(*cards: Card) -> Deck:
    deck = Deck(TODAY)
    deck.build(cards, TODAY)
    return deck


def test_build_keeps_the_order_given_and_marks_overdue():
    deck = deck_of(card(1, TODAY - timedelta(days=3)), card(2, TODAY), card(3, None))
    assert deck.ids == [1, 2, 3]
    assert deck.overdue == {1}
    assert deck.current_id == 1 and deck.total == 3 and deck.left == 3


def test_logging_moves_to_the_next_card_not_worked_and_wraps():
    deck = deck_of(card(1, TODAY), card(2, TODAY), card(3, TODAY))
    deck.next()
    deck.file(2, filing(card(2, TODAY), "sale", TODAY))
    assert deck.current_id == 3
    deck.file(3, filing(card(3, TODAY), "sale", TODAY))
    assert deck.current_id == 1  # wrapped back to the one skipped
    deck.file(1, filing(card(1, TODAY), "sale", TODAY))
    assert deck.finished and deck.current_id is None and deck.left == 0


def test_next_past_the_last_card_finishes_and_previous_comes_back():
    deck = deck_of(card(1, TODAY), card(2, TODAY))
    deck.next()
    deck.next()
    assert deck.finished and not deck.can_go_on
    deck.previous()
    assert not deck.finished and deck.current_id == 2


def test_a_card_that_becomes_due_joins_the_end_and_reopens_a_finished_deck():
    deck = deck_of(card(1, TODAY))
    deck.file(1, filing(card(1, TODAY), "sale", TODAY))
    assert deck.finished
    deck.merge_card(card(7, TODAY - timedelta(days=1)))
    assert deck.ids == [1, 7] and deck.current_id == 7 and 7 in deck.overdue
    deck.merge_card(card(8, TODAY + timedelta(days=30)))  # not due today: stays out
    assert deck.ids == [1, 7]


def test_a_failed_save_unfiles_only_that_filing():
    deck = deck_of(card(1, TODAY), card(2, TODAY))
    first = filing(card(1, TODAY), "no-answer", TODAY)
    deck.file(1, first)
    second = filing(card(1, TODAY), "sale", TODAY)
    deck.filed[1] = second  # worked again before the first save failed
    deck.unfile(1, first)
    assert deck.filed[1] is second
    deck.unfile(1)
    assert 1 not in deck.filed


def test_a_new_day_starts_a_new_review():
    deck = deck_of(card(1, TODAY))
    deck.file(1, filing(card(1, TODAY), "sale", TODAY))
    tomorrow = TODAY + timedelta(days=1)
    deck.build([card(1, TODAY)], tomorrow)
    assert deck.filed == {} and deck.day == tomorrow


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)


def test_the_day_summary_comes_from_the_history():
    later = DueWindow.on_day(TODAY + timedelta(days=3), "in 3 days")
    cards = [
        card(1, None, attempts=[Attempt(at(9, 0), "call", "no-answer", next=later)]),
        card(2, None, status="not-now", attempts=[Attempt(at(9, 2), "call", "wrong-number")]),
        card(3, None, status="won", attempts=[Attempt(at(9, 5), "call", "sale")]),
        card(4, None, status="not-now", attempts=[Attempt(at(9, 6), "call", "not-interested")]),
        card(5, None, status="nurture", attempts=[Attempt(at(9, 9), "call", "nurture", next=later)]),
        # Worked twice today: counted once, by the later outcome (a sale after a no-answer).
        card(6, None, status="won", attempts=[Attempt(at(9, 10), "call", "no-answer", next=later), Attempt(at(11, 0), "call", "sale")]),
        # Worked yesterday only: not today's.
        card(7, None, attempts=[Attempt(at(9, 0, TODAY - timedelta(days=1)), "call", "no-answer", next=later)]),
    ]
    summary = day_summary(cards, TODAY, left=2)
    assert summary.worked == 6
    assert summary.answered == 4  # two sales, not interested, nurture; no answer and wrong number did not reach anyone
    assert summary.sales == 2
    assert summary.set_aside == 2  # wrong number and not interested
    assert summary.refiled == 2  # the no-answer (cool-down) and the nurture track
    assert summary.left == 2
    assert summary.answer_rate == 4 / 6
    # 9:00 → 9:10 worked (10 minutes); 9:10 → 11:00 is a break, not review time.
    assert summary.seconds == 10 * 60
    assert summary.last_at == at(11, 0)


def test_an_empty_day_has_an_empty_summary():
    summary = day_summary([card(1, TODAY)], TODAY, left=1)
    assert (summary.worked, summary.seconds, summary.last_at, summary.answer_rate) == (0, 0, None, None)


def test_filing_says_where_the_card_goes():
    miss = Attempt(datetime(2026, 11, 20, 9), "call", "no-answer")
    twice_missed = card(1, TODAY, attempts=[miss, miss])
    assert filing(twice_missed, "no-answer", TODAY).where == "no answer → Thu 26 Nov 2026"  # 3rd miss: 4 business days from Sunday
    assert filing(card(2, TODAY), "sale", TODAY).where == "sale → won"


def test_an_outcome_stamped_later_than_now_is_not_todays_work_yet():
    later = card(1, None, attempts=[Attempt(at(9, 0), "call", "sale"), Attempt(at(23, 0), "call", "no-answer")])
    summary = day_summary([later], TODAY, left=0, until=at(12, 0))
    assert (summary.worked, summary.sales, summary.last_at) == (1, 1, at(9, 0))


def test_a_do_not_call_is_counted_on_its_own_not_as_not_now():
    cards = [
        card(1, None, status="not-now", attempts=[Attempt(at(9, 0), "call", "not-interested")]),
        card(2, None, status="do-not-call", attempts=[Attempt(at(9, 5), "call", "do-not-call")]),
        card(3, None, status="not-now", attempts=[Attempt(at(9, 9), "call", "wrong-number")]),
    ]
    summary = day_summary(cards, TODAY, left=0)
    assert (summary.worked, summary.set_aside, summary.do_not_call) == (3, 2, 1)
