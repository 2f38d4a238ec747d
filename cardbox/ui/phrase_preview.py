"""The live preview under a "when" field: what the phrase means, or why not."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime

from textual.content import Content

from cardbox.core.phrases import PhraseError, parse_when
from cardbox.core.window import DueWindow


def preview(
    phrase: str, now: datetime, day_first: bool, holidays: Container[date] = (), rep_zone: str | None = None,
    prospect_zone: str | None = None,
) -> tuple[DueWindow | None, Content]:
    if not phrase.strip():
        return None, Content.styled("type it as the prospect said it: late January · next Tuesday at 4 · in 6 weeks", "$text-muted italic")
    try:
        window = parse_when(phrase, now, day_first=day_first, holidays=holidays, rep_zone=rep_zone, prospect_zone=prospect_zone)
    except PhraseError as err:
        return None, Content.styled(f"✗ {err}", "$error")
    return window, Content.assemble(("✓ ", "$success bold"), (window.label, "bold"))
