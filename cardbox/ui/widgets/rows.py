"""One card as one line of a list."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from cardbox.core.card import Card
from cardbox.core.phone import display
from cardbox.core.review import describe_due


def card_row(card: Card, now: datetime, region: str, width: int) -> Text:
    phone = display(card.phones[0], region) if card.phones else ""
    who = card.name + (f" · {card.company}" if card.company else "")
    urgency = describe_due(card, now) if card.status not in ("won", "do-not-call") or card.due else ""
    when = card.due.label if card.due else ""
    status = "" if card.status == "active" else card.status
    fixed = 7 + 17 + 17 + (31 if width >= 100 else 0) + 1
    who_width = max(12, min(48, width - fixed))
    text = Text(no_wrap=True)
    text.append(f"#{card.id:<6}", style="dim")
    text.append(f"{who[:who_width]:<{who_width}} ", style="bold")
    text.append(f"{phone:<16} ")
    if width >= 100:
        text.append(f"{when[:30]:<30} ", style="dim")
    style = "bold red" if urgency.startswith("overdue") else ""
    text.append(f"{urgency:<17}", style=style)
    if status:
        text.append(f" {status}", style="italic")
    return text
