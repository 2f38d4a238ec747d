"""The strip at the top of every screen: where the rep is, and whether it's saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class StatusStrip(Horizontal):
    DEFAULT_CSS = """
    StatusStrip { height: 1; dock: top; background: $panel; }
    StatusStrip #strip-where { width: 1fr; padding: 0 1; }
    StatusStrip #strip-saved { width: auto; padding: 0 1; color: $text-muted; }
    StatusStrip #strip-saved.-failed { color: $error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="strip-where")
        yield Static(id="strip-saved")

    def on_mount(self) -> None:
        self.watch(self.app, "save_status", self._saved, init=True)

    def _saved(self, status: str) -> None:
        saved = self.query_one("#strip-saved", Static)
        saved.update(Content(status or self.app.sub_title))
        saved.set_class(status.startswith(("NOT", "BOX")), "-failed")

    def show(self, where: Content | str) -> None:
        self.query_one("#strip-where", Static).update(where if isinstance(where, Content) else Content(where))
