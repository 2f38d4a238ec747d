"""What can happen on a call, and what each outcome means: one home for it all.

The card's history, the re-filing rule, the review summary, the session
counter and the Numbers screen all ask this module whether an outcome
reached the prospect, which pile it leads to and whether the prospect
agreed a new date. Nothing else keeps its own list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cardbox.core.errors import CardError

# The statuses a card can have; "active" is the live box.
STATUSES: tuple[str, ...] = ("active", "won", "not-now", "nurture", "do-not-call")
# The piles a card leaves the flip-through for, without being deleted.
SET_ASIDE_STATUSES = frozenset({"not-now", "do-not-call"})

CHANNELS: tuple[str, ...] = ("call", "voicemail", "email", "text", "mail", "social", "in-person")


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    # What a rep reads in a history line: "talked — call back".
    words: str
    # The rep spoke with the prospect. A wrong number reached somebody, but
    # not the prospect: it does not count as an answer.
    reached: bool
    # The card's status afterwards.
    status: str
    # The prospect named a new date (it must be given with the outcome).
    agreed_window: bool = False

    @property
    def ends_active_life(self) -> bool:
        """The card leaves the active box (won, set aside, slow track)."""
        return self.status != "active"

    @property
    def unanswered(self) -> bool:
        """Nobody picked up: the cool-down applies."""
        return self.status == "active" and not self.reached and not self.agreed_window

    @property
    def sets_aside(self) -> bool:
        return self.status in SET_ASIDE_STATUSES

    @property
    def is_sale(self) -> bool:
        return self.status == "won"


_ALL: tuple[Outcome, ...] = (
    Outcome("no-answer", "no answer", reached=False, status="active"),
    Outcome("voicemail", "left voicemail", reached=False, status="active"),
    Outcome("callback", "talked — call back", reached=True, status="active", agreed_window=True),
    Outcome("appointment", "appointment set", reached=True, status="active", agreed_window=True),
    Outcome("sale", "sale", reached=True, status="won"),
    Outcome("not-interested", "not interested", reached=True, status="not-now"),
    Outcome("nurture", "Plan B / nurture", reached=True, status="nurture"),
    Outcome("wrong-number", "wrong number", reached=False, status="not-now"),
    Outcome("do-not-call", "do not call", reached=True, status="do-not-call"),
)

OUTCOMES: tuple[str, ...] = tuple(outcome.name for outcome in _ALL)
_BY_NAME: dict[str, Outcome] = {outcome.name: outcome for outcome in _ALL}
# The same facts as sets, for counting over tens of thousands of attempts.
REACHED: frozenset[str] = frozenset(o.name for o in _ALL if o.reached)
AGREES_WINDOW: frozenset[str] = frozenset(o.name for o in _ALL if o.agreed_window)


def outcome(name: str) -> Outcome:
    """The outcome called `name`; a CardError listing the real ones otherwise."""
    found = _BY_NAME.get(name)
    if found is None:
        raise CardError(f"unknown outcome {name!r}; use one of: {', '.join(OUTCOMES)}", field="outcome")
    return found


def words(name: str) -> str:
    """The words a rep reads for an outcome; an unknown one (from a newer box) as stored."""
    found = _BY_NAME.get(name)
    return found.words if found else name


def reached(name: str) -> bool:
    found = _BY_NAME.get(name)
    return bool(found and found.reached)


def unanswered(name: str) -> bool:
    found = _BY_NAME.get(name)
    return bool(found and found.unanswered)


def unanswered_streak(names: Sequence[str]) -> int:
    """How many of these outcomes in a row, newest (last) back, went unanswered."""
    streak = 0
    for name in reversed(names):
        if not unanswered(name):
            break
        streak += 1
    return streak


def agreed_flags(captured: bool, names: Iterable[str]) -> list[bool]:
    """For each outcome in order, whether its attempt was made on a window the prospect agreed:
    the one set at capture (`captured`), or one set by the attempt before it (a callback, an appointment)."""
    flags = []
    agreed = captured
    for name in names:
        flags.append(agreed)
        agreed = name in AGREES_WINDOW
    return flags


def check_channel(name: str) -> str:
    if name not in CHANNELS:
        raise CardError(f"unknown channel {name!r}; use one of: {', '.join(CHANNELS)}", field="channel")
    return name
