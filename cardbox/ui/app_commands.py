"""Every key of a screen, also in the command palette."""

from __future__ import annotations

from functools import partial

from textual.app import SystemCommand
from textual.screen import Screen


def screen_commands(screen: Screen):
    """One palette command per visible binding of the screen that can run now."""
    seen = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or not active.enabled or binding.action in seen:
            continue
        seen.add(binding.action)
        help_text = binding.tooltip or binding.description
        yield SystemCommand(
            binding.description,
            f"{help_text} ({binding.key_display or binding.key})",
            partial(screen.run_action, binding.action),
        )
