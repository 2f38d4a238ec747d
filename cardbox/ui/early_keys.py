"""Keys typed the instant a form opens belong in its first field.

A rep presses n (or /) and types straight on; until the form's first field
has focus, the screen itself gets those keys, and they would be lost.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Input


def catch_early_key(screen: Screen, event: events.Key, field: Input) -> None:
    if screen.focused is None and event.is_printable and event.character:
        screen.set_focus(field)
        field.insert_text_at_cursor(event.character)
        event.stop()
