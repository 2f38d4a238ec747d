"""The strip at the top of every screen: where the rep is, and whether it's saved."""

from __future__ import annotations

from collections.abc import Sequence

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
        saved.set_class(status.startswith(("NOT", "BOX", "READ-ONLY")), "-failed")

    _parts: tuple[tuple[str, int], ...] = ()

    def show(self, where: Content | str | Sequence[tuple[str, int]]) -> None:
        """Show where the rep is. Given as (text, rank) parts, the ones ranked
        highest (least needed) are left out, whole, until the line fits."""
        if isinstance(where, (Content, str)):
            self._parts = ()
            self.query_one("#strip-where", Static).update(where if isinstance(where, Content) else Content(where))
            return
        self._parts = tuple(where)
        self._fit()

    def on_resize(self) -> None:
        if self._parts:
            self._fit()

    def _fit(self) -> None:
        saved = self.query_one("#strip-saved", Static)
        room = self.size.width - saved.outer_size.width - 2 if self.size.width else 10_000
        self.query_one("#strip-where", Static).update(Content(fit_parts(self._parts, room)))


def fit_parts(parts: Sequence[tuple[str, int]], room: int, sep: str = " · ") -> str:
    """Join the parts that fit in `room` columns, leaving out the highest-ranked first (rank 0 always stays).

    >>> fit_parts([("Today", 0), ("card 1 of 18", 0), ("6 overdue", 2), ("17 to go", 1)], 30)
    'Today · card 1 of 18 · 17 to go'
    """
    kept = list(parts)
    while len(sep.join(text for text, _ in kept)) > room:
        droppable = [part for part in kept if part[1] > 0]
        if not droppable:
            break
        # Of equal ranks, the last goes first.
        worst = max(part[1] for part in droppable)
        kept.remove([part for part in droppable if part[1] == worst][-1])
    return sep.join(text for text, _ in kept)
