"""The compact counter bar: on every screen while a dialing session runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.widgets import Static

from cardbox.ui.time_words import worked_words

if TYPE_CHECKING:
    from cardbox.ui.app import CardboxApp


class SessionBar(Static):
    DEFAULT_CSS = """
    SessionBar { height: 1; background: $accent 25%; padding: 0 1; display: none; text-wrap: nowrap; text-overflow: ellipsis; }
    SessionBar.-running { display: block; }
    """

    def on_mount(self) -> None:
        app = cast("CardboxApp", self.app)
        self.watch(app, "session_version", lambda _version: self.redraw(), init=True)
        self.set_interval(1.0, self.redraw, name="session-bar-clock")

    def redraw(self) -> None:
        app = cast("CardboxApp", self.app)
        live = app.session_live()
        self.set_class(live is not None, "-running")
        if live is None:
            return
        state = "⏸ paused " if live.session.paused else "● "
        rate = live.dials_per_hour
        # This session's figures, said so (the day's, against the goals, are on the Session screen); fits 80
        # columns with a long shift's figures in it.
        self.update(Content.assemble(
            # "12 min", never "12:04": a stopwatch's digits read as the time of day.
            (f"{state}{worked_words(live.seconds)}", "bold"),
            " this session",
            f" · dials {live.counts['dial']}",
            f" · contacts {live.counts['contact']}",
            f" · callbacks set {live.callbacks_set}",
            f" · sales {live.counts['sale'] + live.callback_sales}",
            f" · {rate:.0f} dials/h" if rate is not None else " · —/h",
        ))
