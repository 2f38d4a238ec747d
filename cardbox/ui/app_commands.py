"""Every key of a screen, also in the command palette."""

from __future__ import annotations

from functools import partial

from textual.app import SystemCommand
from textual.screen import Screen


def screen_commands(screen: Screen):
    """One palette command per visible binding of the screen that can run now."""
    from cardbox.ui.base import CardboxScreen

    seen = set()
    live = screen.every_binding() if isinstance(screen, CardboxScreen) else screen.active_bindings
    for _key, active in live.items():
        binding = active.binding
        if active.node is not screen or not active.enabled or binding.action in seen or binding.id is None:
            continue  # (no id: Textual's own, such as copying selected text)
        seen.add(binding.action)
        help_text = binding.tooltip or binding.description
        yield SystemCommand(
            binding.description,
            f"{help_text} ({screen.app.get_key_display(binding)})",
            partial(screen.run_action, binding.action),
        )
