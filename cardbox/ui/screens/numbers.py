"""Numbers (F5): today, this week, this month and all time, with the shapes a rep would rather see than read."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Label, Sparkline, Static

from cardbox.core import numbers
from cardbox.core.box_errors import BoxError
from cardbox.core.numbers_text import pct, section_rows
from cardbox.core.window import day_words
from cardbox.ui.app_commands import screen_commands
from cardbox.ui.base import CardboxScreen
from cardbox.ui.widgets.footer import CardboxFooter
from cardbox.ui.widgets.session_bar import SessionBar
from cardbox.ui.widgets.status_strip import StatusStrip

PERIOD_NAMES = {"today": "Today", "week": "This week", "month": "This month", "all": "All time"}
CHART_DAYS = 28


class NumbersScreen(CardboxScreen[None]):
    AUTO_FOCUS = "#numbers-body"

    FOOTER_ORDER = ("numbers.today", "numbers.week", "numbers.month", "numbers.all", "app.capture", "app.find", "session.dial", "app.today", "app.session", "app.box", "app.numbers", "app.palette")
    BINDINGS = [
        Binding("t", "period('today')", "Today", id="numbers.today"),
        Binding("w", "period('week')", "Week", id="numbers.week"),
        Binding("m", "period('month')", "Month", id="numbers.month"),
        Binding("a", "period('all')", "All", id="numbers.all"),
    ]

    period = reactive("today")
    _key: tuple | None = None
    _shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield StatusStrip()
        yield SessionBar()
        with VerticalScroll(id="numbers-body"):
            yield Static(id="numbers-figures")
            with Grid(id="numbers-charts"):
                for chart, title in (
                    ("dials", f"dials per day · last {CHART_DAYS} days"),
                    ("sales", f"cold sales per day · last {CHART_DAYS} days"),
                    ("hours", "contact rate by hour, 8:00–20:00"),
                    ("due", f"cards coming due per day · next {CHART_DAYS} days"),
                ):
                    with Vertical(classes="chart"):
                        yield Label(title, classes="chart-title")
                        yield Sparkline([], id=f"chart-{chart}")
                        yield Label("", id=f"chart-{chart}-note", classes="chart-note")
            yield Static(id="numbers-months")
        yield CardboxFooter()

    def on_mount(self) -> None:
        self.redraw()

    def on_screen_resume(self) -> None:
        self.redraw()

    def watch_period(self) -> None:
        if self.is_mounted:
            self.redraw()

    def action_period(self, period: str) -> None:
        self.period = period

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "period" and parameters and parameters[0] == self.period:
            return False  # the period on screen needs no key
        return True

    def redraw(self) -> None:
        app = self.app
        now = app.clock()
        key = (self.period, app.session_version, app.box.storage.generation, now.date())
        if key == self._key:
            return
        self._key = key
        if self._shown is None:
            self.query_one(StatusStrip).show(f"Numbers · {PERIOD_NAMES[self.period]} · counting…")
            # The screen is drawn first; the counting (which competes with it
            # for the interpreter) starts after that frame.
            self.call_after_refresh(self.count, key, self.period, now)
        else:
            self.count(key, self.period, now)

    @work(thread=True, exclusive=True, group="numbers")
    def count(self, key: tuple, period: str, now: datetime) -> None:
        # Reading every card of a big box takes a while: off the screen's
        # thread, so the screen opens at once and keys keep working.
        box = self.app.box
        try:
            view = numbers.numbers_view(box.ledger(), period, now, CHART_DAYS)
        except BoxError as err:
            self.app.call_from_thread(self.show_unreadable, err)
            return
        self.app.call_from_thread(self.show_view, key, view, now)

    def show_unreadable(self, err: BoxError) -> None:
        self._key = None  # counted again when the screen is next shown
        self.query_one(StatusStrip).show("Numbers · not counted: the box could not be read")
        self.app.notify(str(err), title="The numbers could not be counted", severity="error", timeout=15)

    def show_view(self, key: tuple, view: numbers.NumbersView, now: datetime) -> None:
        if key != self._key:
            return  # the period changed while counting: a newer count is on its way
        self._shown = key
        result = view.figures
        # Ranked parts: at 80 columns the key hint goes whole, never cut to "t · w · m ·" (the footer has the keys).
        span = result["from"] if result["from"] == result["to"] else f"{result['from']} to {result['to']}"
        self.query_one(StatusStrip).show([("Numbers", 0), (PERIOD_NAMES[self.period], 0), (span, 1),
                                          ("t w m a change the period", 3)])
        self._result = result
        self.query_one("#numbers-figures", Static).update(self.figures_text(result, self._figures_width()))
        today = now.date()
        self.chart("dials", view.dials_per_day, "dials")
        self.chart("sales", view.sales_per_day, "sales")
        by_hour = view.contact_rate_by_hour
        best = max(range(len(by_hour)), key=lambda i: by_hour[i] or 0) if any(by_hour) else None
        self.query_one("#chart-hours", Sparkline).data = [value or 0.0 for value in by_hour]
        self.query_one("#chart-hours-note", Label).update(
            f"best hour {8 + best}:00 ({pct(by_hour[best])})" if best is not None else "no dials yet"
        )
        due = view.due_per_day
        self.query_one("#chart-due", Sparkline).data = [float(n) for n in due]
        busiest = max(range(len(due)), key=lambda i: due[i]) if any(due) else None
        self.query_one("#chart-due-note", Label).update(
            f"{sum(due)} cards; busiest {day_words(today + timedelta(days=busiest), year=False)} ({due[busiest]})" if busiest is not None else "nothing due"
        )
        lines = [Content.styled("Sales by month: from callbacks · cold", "bold $accent")]
        for month, from_callbacks, cold in view.months:
            total = from_callbacks + cold
            share = pct(from_callbacks / total) if total else "—"
            lines.append(Content(f"  {month:<9} {from_callbacks:>4} · {cold:<4} {share:>4} from callbacks"))
        self.query_one("#numbers-months", Static).update(Content("\n").join(lines))

    def chart(self, name: str, values: list[int], unit: str) -> None:
        self.query_one(f"#chart-{name}", Sparkline).data = [float(v) for v in values]
        worked = [v for v in values if v]
        note = f"{sum(values)} {unit} · {sum(values) / len(worked):.0f} a working day" if worked else f"no {unit} yet"
        self.query_one(f"#chart-{name}-note", Label).update(note)

    _result: dict | None = None

    def on_resize(self) -> None:
        if self._result is not None:
            self.query_one("#numbers-figures", Static).update(self.figures_text(self._result, self._figures_width()))

    def _figures_width(self) -> int:
        # The figures' own width (the screen less its scrollbar and padding), or the screen's less some room.
        return self.query_one("#numbers-figures", Static).content_size.width or self.size.width - 6

    @staticmethod
    def figures_text(result: dict, width: int = 0) -> Content:
        """Every figure a line; a note too long for the screen goes on under itself, never cut (at 80 columns the
        forecast says how it was worked out in two lines)."""
        import textwrap

        lines: list[Content] = []
        indent = " " * (2 + 28 + 9 + 2)
        for title, rows in section_rows(result):
            lines.append(Content.styled(title, "bold $accent"))
            for label, figure, note in rows:
                parts = textwrap.wrap(note, max(width - len(indent), 20)) if note and width else [note]
                lines.append(Content.assemble(
                    (f"  {label:<28}", "$text-muted"), (f"{figure:>9}", "bold"), (f"  {parts[0]}" if parts and parts[0] else "", "$text-muted")
                ))
                lines.extend(Content.styled(indent + part, "$text-muted") for part in parts[1:])
        return Content("\n").join(lines)

    def palette_commands(self):
        yield from screen_commands(self)
