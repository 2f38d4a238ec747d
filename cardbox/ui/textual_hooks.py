"""The one place cardbox reaches past Textual's public API, and why.

cardbox handles a key the moment it arrives when it is not typing (tab,
enter, an action key), so that a burst of keys typed faster than screens open
lands field by field and screen by screen (see `CardboxApp.on_event`).
Textual has no public call that runs a key's bindings and says whether one
took it, nor one that hands a key on to a widget as Textual itself does
(marked forwarded, so it is not taken for a new key). Those two hooks live
here and nowhere else. `tests/test_textual_hooks.py` fails loudly, naming
the hook, when a Textual release renames or reshapes either; pyproject pins
Textual to the releases tested (8.2.x).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual import events
    from textual.app import App
    from textual.widget import Widget

TESTED = "8.2"  # the Textual minor release these hooks were read against


async def run_bindings(app: App[Any], key: str) -> bool:
    """Run the binding `key` stands for (priority bindings first, then the focused chain's): True when one ran."""
    if await app._check_bindings(key, priority=True):
        return True
    return await app._check_bindings(key)


def hand_on(node: Widget, event: events.Key) -> None:
    """Give `node` a key as Textual's own key routing does (a forwarded event, handled by the node and bubbled)."""
    node._forward_event(event)
