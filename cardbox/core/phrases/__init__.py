"""Read a prospect's callback phrase ("late January", "next Tuesday at 4") as a DueWindow.

Pure: the caller passes ``now``; nothing here reads the clock, does I/O or
imports Textual. The conventions (what "early May", "after the holidays"
or a bare "4" mean) are stated once, in ``docs/phrases.md``.

A phrase is normalised into canonical tokens (``tokens``), then read by
small recognisers, one module per family (``days``, ``durations``,
``months``, ``times``); ``combine`` joins them into ranges and "before /
after / by / within", and ``reader`` refuses past and far-off dates and
labels the window (``labels``).
"""

from __future__ import annotations

# The recognisers register in this order, and the first that matches a
# phrase wins: days, then durations and weeks, then months and beyond.
from cardbox.core.phrases import days, durations, months  # noqa: F401  (registers rules)
from cardbox.core.phrases.errors import PhraseError
from cardbox.core.phrases.reader import parse_when

__all__ = ["PhraseError", "parse_when"]
