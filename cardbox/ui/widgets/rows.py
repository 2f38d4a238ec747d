"""One card as one line of a list, in columns that never run together."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from cardbox.core.card import Card
from cardbox.core.phone import display
from cardbox.core.review import describe_due
from cardbox.core.text import shown

ID_WIDTH = 6
PHONE_WIDTH = 17  # "+44 20 7946 0958" and a little air
URGENCY_WIDTH = 17  # "opens in 101 days"
GAP = "  "
# An active card says nothing; the others say which pile they are on, in at most this many columns.
STATUS_WORDS = {"active": "", "won": "won", "not-now": "not now", "nurture": "nurture", "do-not-call": "do not call"}
# Below this the window's dates are left out (the urgency still says when): at 100 columns both a name and a
# window cut short ("Bluebird A…", "late Nov 2026 (Sat 21 – Mo…") told the rep less than a whole name.
WHEN_FROM = 110


def clip(text: str, width: int) -> str:
    """`text` in `width` columns: cut with an ellipsis, padded otherwise."""
    if width <= 0:
        return ""
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"{text:<{width}}"


def damaged_row(card_id: int, problem: str) -> Text:
    """A card the file holds but cannot be read: listed, as damaged, never hidden."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"#{card_id:<{ID_WIDTH}}", style="dim")
    text.append("⚠ damaged card — ", style="bold red")
    text.append(shown(problem, one_line=True), style="italic")
    return text


def card_row(card: Card, now: datetime, region: str, width: int) -> Text:
    phone = shown(display(card.phones[0], region), one_line=True) if card.phones else ""
    who = shown(card.name + (f" · {card.company}" if card.company else ""), one_line=True)
    urgency = describe_due(card, now) if card.status not in ("won", "do-not-call") or card.due else ""
    if len(urgency) > URGENCY_WIDTH and card.due is not None and card.due.first_day > now.date():
        # "Sun 23 May 2027 10:00" would be cut, and the window column says the date already: how far off it is.
        urgency = f"in {(card.due.first_day - now.date()).days} days"
    # A list is all on the rep's clock: the prospect's clock beside it ("… your time (14:30 MST)") is the card's to show.
    when = shown(card.due.label.split(" your time")[0], one_line=True) if card.due else ""
    status = STATUS_WORDS.get(card.status, card.status)
    # A card with no date to count down to says its pile where the countdown goes, so its row lines up with
    # the rest (a won card's word pushed its columns over); one with both says its pile after the countdown.
    status_width = len(status) + 1 if status and urgency else 0
    fixed = ID_WIDTH + 1 + PHONE_WIDTH + URGENCY_WIDTH + status_width + 2 * len(GAP)
    rest = max(width - fixed, 12)
    if width >= WHEN_FROM:
        when_width = min(36, max(18, rest // 2))  # "early Dec 2026 (Tue 1 – Thu 10 Dec)" whole
        who_width = max(rest - when_width - len(GAP), 12)
    else:
        when_width = 0
        who_width = rest
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"#{card.id:<{ID_WIDTH}}", style="dim")
    text.append(clip(who, who_width) + GAP, style="bold")
    text.append(clip(phone, PHONE_WIDTH))
    if when_width:
        text.append(clip(when, when_width) + GAP, style="dim")
    if status and not urgency:
        text.append(clip(status, URGENCY_WIDTH), style="italic")
        return text
    style = "bold red" if urgency.startswith("overdue") else ""
    text.append(clip(urgency, URGENCY_WIDTH), style=style)
    if status_width:
        text.append(f" {status}", style="italic")
    return text
