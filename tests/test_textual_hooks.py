"""Textual's private API: used only in cardbox/ui/textual_hooks.py, and this file fails loudly when it moves."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import textual
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from cardbox.ui import textual_hooks

PRIVATE = re.compile(r"\b(_check_bindings|_forward_event|_filters|_on_key)\b")
CARDBOX = Path(__file__).resolve().parent.parent / "cardbox"


def test_no_module_but_the_adapter_reaches_past_textuals_public_api():
    used = [f"{path.relative_to(CARDBOX)}:{number}" for path in CARDBOX.rglob("*.py") if path.name != "textual_hooks.py"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if PRIVATE.search(line)]
    assert used == []


def test_the_textual_release_is_the_one_the_hooks_were_read_against():
    assert textual.__version__.startswith(textual_hooks.TESTED + "."), (
        f"Textual {textual.__version__}: re-read cardbox/ui/textual_hooks.py against it, then move TESTED and the pin")


def test_the_hooks_are_there_with_the_shape_they_had():
    assert list(inspect.signature(App._check_bindings).parameters) == ["self", "key", "priority"], \
        "App._check_bindings(key, priority) changed: cardbox's key ordering needs it"
    assert inspect.iscoroutinefunction(App._check_bindings)
    assert list(inspect.signature(Input._forward_event).parameters) == ["self", "event"], \
        "Widget._forward_event(event) changed: cardbox hands late keys on with it"


class _Probe(App[None]):
    BINDINGS = [Binding("f5", "mark", "Mark", id="probe.mark")]
    marked = 0

    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def action_mark(self) -> None:
        self.marked += 1


async def test_run_bindings_runs_a_binding_and_says_so_and_hand_on_types_into_a_field():
    from textual import events

    app = _Probe()
    async with app.run_test() as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause()
        assert await textual_hooks.run_bindings(app, "f5") is True and app.marked == 1
        assert await textual_hooks.run_bindings(app, "f6") is False and app.marked == 1
        textual_hooks.hand_on(field, events.Key("q", "q"))
        await pilot.pause()
        assert field.value == "q"
