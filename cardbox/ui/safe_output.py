"""The last guard between the box's text and the terminal.

Screens show card text through `cardbox.core.text.shown` (control characters
made visible). This filter sees every line the app draws and drops any
control character that still got through (from a widget showing raw file
text), so none ever reaches the terminal as a command. Dropping keeps the
layout: such characters take no cells.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class DropControlCharacters(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_RAW.search(segment.text) for segment in segments if segment.control is None):
            return segments
        return [
            Segment(_RAW.sub("", segment.text), segment.style, segment.control) if segment.control is None else segment
            for segment in segments
        ]
