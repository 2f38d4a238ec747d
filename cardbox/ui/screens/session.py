"""Session (F3): the tally sheet beside the phone, in figures readable across the desk.

One key per tick; the callbacks worked and set during the session are
counted from the cards, never ticked by hand. A sale says so briefly and
the counting goes on — no dialog in the middle of a shift.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Label, Static

from cardbox.core.numbers import cold_figures, per_hour
from cardbox.core.numbers_text import one, pct
from cardbox.core.session import TICK_PLURALS
from cardbox.ui.app_commands import screen_commands
from cardbox.ui.base import CardboxScreen
from cardbox.ui.time_words import worked_words
from cardbox.ui.widgets.footer import CardboxFooter
from cardbox.ui.widgets.status_strip import StatusStrip

# tick kind, label over the big figure
FIGURES: tuple[tuple[str, str], ...] = (
    ("dial", "DIALS  d"),
    ("contact", "CONTACTS  c"),
    ("pitch", "PITCHES  p"),
    ("appointment", "APPTS  A"),
    ("sale", "COLD SALES S"),  # ticked with S; a callback's sale (5 on Today) is in the callbacks line
)


class SessionScreen(CardboxScreen[None]):
    AUTO_FOCUS = ""

    FOOTER_ORDER = ("session.start", "session.dial", "session.contact", "session.pitch", "session.appointment", "session.sale",
                    "session.pause", "session.stop", "app.capture", "app.find", "session.dial", "app.today", "app.session", "app.box", "app.numbers", "app.palette")
    BINDINGS = [
        Binding("s", "start", "Start", id="session.start", tooltip="Start today's dialing session"),
        Binding("space", "pause", "Pause", id="session.pause", tooltip="Pause or resume (paused time is left out of per-hour rates)"),
        Binding("x", "stop", "Stop", id="session.stop", tooltip="End the session"),
        Binding("c", "app.tick('contact')", "Contact", id="session.contact", tooltip="A person picked up"),
        Binding("p", "app.tick('pitch')", "Pitch", id="session.pitch", tooltip="Got to deliver the pitch"),
        # Shifted: weighty ticks should not be hit by accident.
        Binding("A", "app.tick('appointment')", "Appt", id="session.appointment", tooltip="An appointment set on a cold call"),
        Binding("S", "app.tick('sale')", "Sale", id="session.sale", tooltip="A sale on a cold call"),
    ]

    _goals_key: tuple | None = None

    def compose(self) -> ComposeResult:
        yield StatusStrip()
        with Vertical(id="session-body"):
            yield Static(id="session-state")
            with Horizontal(id="session-figures"):
                for kind, label in FIGURES:
                    with Vertical(classes="session-figure", id=f"figure-{kind}"):
                        yield Label(label, classes="figure-label")
                        yield Digits("0", id=f"digits-{kind}")
            yield Static(id="session-rates")
            yield Static(id="session-callbacks")
            yield Static(id="session-goals")
        yield CardboxFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "session_version", lambda _version: self.redraw(), init=False)
        self.set_interval(1.0, self.redraw, name="session-clock")
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        app = self.app
        live = app.session_live()
        strip = "Session · " + ("not started" if live is None else "paused" if live.session.paused else "dialing")
        self.query_one(StatusStrip).show(strip)
        state = self.query_one("#session-state", Static)
        if live is None:
            state.update(Content.assemble(
                ("No session running.", "bold $accent"),
                "  s starts one; it runs until x stops it, through a quit or a restart today.",
            ))
            counts = dict.fromkeys((kind for kind, _ in FIGURES), 0)
        else:
            counts = live.counts
            # Worked time is a length ("1 h 05 min dialed"), never a time of day; the start is the clock time.
            since = f" · started at {live.session.started:%H:%M}"
            paused = "  ⏸ PAUSED — space resumes" if live.session.paused else ""
            state.update(Content.assemble((worked_words(live.seconds), "bold"), " dialed", since, (paused, "bold $warning")))
        for kind, _ in FIGURES:
            self.query_one(f"#digits-{kind}", Digits).update(f"{counts.get(kind, 0):,}")
        self.query_one("#figure-sale").set_class(bool(counts.get("sale")), "-sold")
        rates = self.query_one("#session-rates", Static)
        callbacks = self.query_one("#session-callbacks", Static)
        if live is None:
            rates.update("")
            callbacks.update("")
        else:
            # The rates are the Numbers screen's, from one home (numbers.cold_figures), on this session's ticks.
            figures = cold_figures({TICK_PLURALS[kind]: count for kind, count in counts.items()})
            calls_per = one(figures["calls_per_conversation"])
            rates.update(Content.assemble(
                ("rates  ", "$text-muted"),
                f"{one(live.dials_per_hour)} dials/h · contact rate {pct(figures['contact_rate'])}",
                f" · {calls_per} calls per conversation (10–15 is usual)",
                f" · pitch rate {pct(figures['pitch_rate'])}",
                f" · close rate {pct(figures['close_rate'])}",
                f" · sales/h {one(per_hour(counts['sale'], live.seconds))}",
            ))
            callbacks.update(Content.assemble(
                ("callbacks  ", "$text-muted"),
                f"set {live.callbacks_set} · worked {live.callbacks_worked} · answered {live.callbacks_answered}",
                f" · sales {live.callback_sales}",
                ("   (counted from the cards: capture with n, log with 1–9 on Today)", "$text-muted"),
            ))
        # Today's totals read every card: only when something changed, not every second.
        key = (self.app.session_version, self.app.box.storage.generation, self.app.clock().date())
        if key != self._goals_key:
            self._goals_key = key
            self.query_one("#session-goals", Static).update(self.goals_line())
            self.refresh_bindings()

    def goals_line(self) -> Content:
        from cardbox.core.numbers import day_totals

        app = self.app
        now = app.clock()
        start_of_day = datetime.combine(now.date(), datetime.min.time())
        today = day_totals(app.box.touched_since(start_of_day), app.box.sessions.all(), now.date())
        settings = app.settings

        def mark(done: int, goal: int) -> tuple[str, str]:
            return (f"{done}/{goal}", "bold $success" if done >= goal else "bold")

        return Content.assemble(
            ("today, all sessions  ", "$text-muted"),
            "dials ", mark(today["dials"] + app.pending_ticks.get("dial", 0), settings.goal_dials),
            " · sales ", mark(today["sales"] + app.pending_ticks.get("sale", 0), settings.goal_sales),
            " · callbacks set today ", mark(today["callbacks"], settings.goal_callbacks),
        )

    # -- keys ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        live = self.app.session_live()
        if action == "start":
            return live is None
        if action in ("pause", "stop"):
            return None if live is None else True
        return True

    def action_start(self) -> None:
        self.app.change_session("starting the session", self.app.box.sessions.start)

    def action_pause(self) -> None:
        self.app.change_session("pausing the session", self.app.box.sessions.pause, None)

    def label_bindings(self, bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
        live = self.app.session_live()
        if live is None or not live.session.paused:
            return bindings
        # While paused, space resumes: the footer says so.
        return {key: active._replace(binding=replace(active.binding, description="Resume"))
                if active.binding.id == "session.pause" else active for key, active in bindings.items()}

    def action_stop(self) -> None:
        from cardbox.ui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.change_session("stopping the session", self.app.box.sessions.stop)

        self.app.push_screen(ConfirmDialog("Stop today's session?", "Its ticks are kept; s starts a new one."), confirmed)

    def palette_commands(self):
        yield from screen_commands(self)
