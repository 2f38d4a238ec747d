"""The footer every screen shows: Textual's, without the memory it leaks.

Textual 8's Footer binds each key it draws to its own `compact` setting
(`data_bind`), and a binding is dropped only when `compact` next changes.
The footer is drawn again whenever the keys change (on Today, for every card:
the outcome keys show where each would re-file the card), so over a shift the
footer kept every key it had ever drawn, ~10 widgets a card: ~35 MB after a
few hundred cards. Here the bindings of keys that are gone are dropped each
time the footer is drawn again.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class CardboxFooter(Footer):
    def __init__(self, *children: Any, compact: bool = True, show_command_palette: bool = False, **kwargs: Any) -> None:
        super().__init__(*children, compact=compact, show_command_palette=show_command_palette, **kwargs)

    async def recompose(self) -> None:
        await super().recompose()
        # Textual keeps watchers in the object's "__watchers" mapping; it prunes closed ones itself
        # only when the watched value changes. (If a later Textual stores them elsewhere, this does nothing.)
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached and not node._closing]
