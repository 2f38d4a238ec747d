"""Help: every key, read from the bindings themselves so it never goes stale."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from cardbox.ui.base import CardboxModal, CardboxScreen
from cardbox.ui.outcomes import REPEAT_GUARD_SECONDS

GENERAL = """\
Outcomes file the card and move on at once; the save finishes in the background.
The same outcome key pressed twice within {guard}s counts once (no double logs).
Type a call note with tab before pressing an outcome key; it goes with the outcome.
ctrl+p opens the command palette: every action is there, and themes.
"""


class HelpScreen(CardboxModal[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__(classes="dialog-screen")
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Content.styled("cardbox — every key", "bold"), classes="dialog-title")
            yield Static(self.key_table(), id="help-keys")
            yield Static(Content(GENERAL.format(guard=REPEAT_GUARD_SECONDS)), classes="help-general")
            yield Static("esc closes", classes="dialog-keys")

    def key_table(self) -> Content:
        by_action: dict[tuple[bool, str], tuple[list[str], str]] = {}
        under = self.under
        live = under.every_binding() if isinstance(under, CardboxScreen) else under.active_bindings
        for active in live.values():
            binding = active.binding
            if binding.id is None and binding.action != "command_palette":
                continue  # Textual's own keys (focus cycling, copying, scrolling)
            label = binding.tooltip or binding.description
            entry = by_action.setdefault((active.node is self.app, binding.action), ([], label))
            shown = self.app.get_key_display(binding)
            if shown not in entry[0]:
                entry[0].append(shown)
        rows: list[Content] = []
        for is_app, title in ((False, "This screen"), (True, "Anywhere (outside a text field)")):
            rows.append(Content.styled(title, "bold $accent"))
            for (app_level, _action), (keys, label) in by_action.items():
                if app_level == is_app:
                    rows.append(Content.assemble((f"  {', '.join(keys):<18}", "bold"), label))
            rows.append(Content(""))
        return Content("\n").join(rows)

    def action_close(self) -> None:
        self.dismiss()
