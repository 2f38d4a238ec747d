"""The cardbox app: one factory builds it from a box, a clock and settings.

The CLI and the tests both call `make_app`, so the app under test is the
app a rep runs, just with a temporary box and a fixed clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from cardbox.core.box import Box, Change
from cardbox.core.calling_hours import WhenToCall, log_check, rule_book, when_to_call
from cardbox.core.card import Card, CardError
from cardbox.core.live import LiveSession
from cardbox.core.session import TickChange
from cardbox.core.settings import Settings, save_settings
from cardbox.core.text import shown
from cardbox.core.zones import rep_zone
from cardbox.ui.box_changes import BoxChangesApp, ImportUndo
from cardbox.ui.events import BoxChanged
from cardbox.ui.idle_gc import IdleCollector
from cardbox.ui.saver import Saver
from cardbox.ui.screens.box_screen import BoxScreen
from cardbox.ui.screens.numbers import NumbersScreen
from cardbox.ui.screens.session import SessionScreen
from cardbox.ui.screens.today import TodayScreen
from cardbox.ui.themes import VARIABLE_DEFAULTS, load_themes

FALLBACK_THEME = "manila"


class CardboxApp(BoxChangesApp):
    CSS_PATH = "cardbox.tcss"
    TITLE = "cardbox"

    MODES = {"today": TodayScreen, "session": SessionScreen, "box": BoxScreen, "numbers": NumbersScreen}
    DEFAULT_MODE = "today"

    BINDINGS = [
        Binding("f2", "switch_mode('today')", "Today", id="app.today", tooltip="Today's flip-through"),
        Binding("f3", "switch_mode('session')", "Session", id="app.session", tooltip="The dialing session counter"),
        Binding("f4", "switch_mode('box')", "Box", id="app.box", tooltip="Browse every card"),
        Binding("f5", "switch_mode('numbers')", "Numbers", id="app.numbers", tooltip="Your numbers: cold calls, callbacks, pipeline"),
        Binding("d", "tick('dial')", "Dial", id="session.dial", tooltip="Count a dial in the running session"),
        Binding("n", "capture", "New", id="app.capture", tooltip="Capture a callback card"),
        Binding("slash", "find", "Find", id="app.find", tooltip="Find a card by name, company, phone…"),
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change", show=False),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", tooltip="Every action, by name"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    # The channel the next attempts are logged with (c cycles it).
    channel = reactive("call")

    def __init__(
        self,
        box: Box,
        *,
        clock: Callable[[], datetime],
        settings: Settings,
        settings_path: Path | None = None,
        theme_dirs: Iterable[Traversable] = (),
        demo: bool = False,
        watch_interval: float = 2.0,
        warnings: Iterable[str] = (),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.box = box
        self.clock = clock
        # Seconds for the outcome key's bounce guard (tests give a clock of their own).
        self.monotonic = monotonic
        self.settings = settings
        zone_problems: list[str] = []
        try:
            self.rep_zone = rep_zone(settings.time_zone)
        except CardError as err:
            zone_problems.append(f"{err}; using the system's zone")
            self.rep_zone = rep_zone("", {})
        if settings.keymap:
            # Before any screen mounts, so the first hints drawn already follow it.
            self.set_keymap(settings.keymap)
        self.settings_path = settings_path
        self.theme_dirs = list(theme_dirs)
        self.demo = demo
        self.watch_interval = watch_interval
        # The calling rules, with the rep's own file: read once, passed to every verdict.
        self.calling_rules = rule_book()
        self.startup_warnings = [*warnings, *zone_problems, *self.calling_rules.problems]
        self.saver = Saver()
        self._last_change = time.monotonic()
        self.idle_gc = IdleCollector()
        self.undo_stack: list[Change | TickChange | ImportUndo] = []
        # Ticks shown at once and still being saved, by kind.
        self.pending_ticks: dict[str, int] = {}
        self._live_cache: tuple[tuple, LiveSession | None] | None = None
        self.box_changed: Signal[BoxChanged] = Signal(self, "box-changed")
        # The capture form's half-typed fields survive closing the form.
        self.capture_draft: dict[str, str] = {}
        self._settings_ready = False
        self.sub_title = "demo box" if demo else box.path.name
        # Themes go in before the first CSS pass (setting one on mount costs
        # a second full pass at start-up).
        themes, self.theme_problems = load_themes(self.theme_dirs)
        self.own_themes = [theme.name for theme in themes]
        for theme in themes:
            self.register_theme(theme)
        wanted = settings.theme
        if wanted not in self.available_themes:
            if wanted != FALLBACK_THEME:
                self.theme_problems.append(f"theme {wanted!r} not found; using {FALLBACK_THEME}")
            wanted = FALLBACK_THEME if FALLBACK_THEME in self.available_themes else "textual-dark"
        self.theme = wanted

    # -- set-up -----------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        for message in [*self.startup_warnings, *self.theme_problems, *self.box.storage.warnings]:
            self.notify(message, title="Heads up", severity="warning", timeout=8)
        self._settings_ready = True
        for problem in self.box.check_damage().values():
            self.notify(f"{problem}. The other cards work; it is kept as it is — fix it by hand or restore a backup.",
                        title="A damaged card", severity="warning", timeout=15)
        read_only = self.box.storage.read_only
        if read_only:
            # Opened to read: said in the header, and every change is refused without touching the file.
            self.save_status = "READ-ONLY — nothing can be saved"
            self.notify(read_only, title="Read-only box", severity="warning", timeout=15)
        # Ready the search index on the disk thread once the first card is
        # up, so the first key typed in find does not pay for it.
        self.call_after_refresh(self._warm_search)
        if self.watch_interval:
            self.set_interval(self.watch_interval, self.check_other_windows, name="watch-box")
        self.idle_gc.start()
        self.set_interval(0.5, self.idle_gc.tick, name="idle-gc")

    def notify(self, message: str, *, markup: bool = False, **kwargs: Any) -> None:
        # Messages carry what reps typed ("Zed [bold]…"): never read them as
        # markup, whoever sends them (a screen's notify passes markup=True).
        super().notify(shown(message), markup=False, **kwargs)

    def action_help_quit(self) -> None:
        # Textual's own says "Press [b]ctrl+q[/b]…" in markup, which notify shows raw here.
        keys = [self.get_key_display(active.binding) for active in self.active_bindings.values() if active.binding.action in ("quit", "app.quit")]
        self.notify(f"Press {keys[0] if keys else 'ctrl+q'} to quit cardbox (ctrl+c copies in a text field).", title="Quit?")

    def watch_theme(self, theme: str) -> None:
        if not self._settings_ready or theme == self.settings.theme:
            return
        self.settings.theme = theme
        self.save_settings()

    def save_settings(self) -> None:
        if self.settings_path is None:
            return
        future = self.saver.submit(save_settings, self.settings, self.settings_path)

        def done(result: asyncio.Future) -> None:
            if result.exception() is not None:
                self.notify(f"Could not remember the setting: {result.exception()}", severity="warning")

        future.add_done_callback(done)

    # -- actions ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The key for the screen you are on is hidden: the footer has no room to spare.
        if action == "switch_mode" and parameters and parameters[0] == self.current_mode:
            return False
        if action in ("capture", "find") and type(self.screen).__name__ in ("CaptureScreen", "FindScreen"):
            return False  # typing "n" or "/" in a form is typing, not a new form
        if action == "tick" and self.session_live() is None:
            # Greyed on the Session screen (where it is learnt); elsewhere out of the footer's way.
            return None if self.current_mode == "session" else False
        return True

    def action_capture(self) -> None:
        from cardbox.ui.screens.capture import CaptureScreen

        if isinstance(self.screen, CaptureScreen):
            return
        self.push_screen(CaptureScreen())

    def action_find(self) -> None:
        from cardbox.ui.screens.find import FindScreen

        if isinstance(self.screen, FindScreen):
            return
        self.push_screen(FindScreen(), self._open_found)

    def _open_found(self, card_id: int | None) -> None:
        if card_id is not None:
            self.open_card(card_id)

    def action_import(self) -> None:
        from cardbox.ui.screens.import_screen import ImportDone, ImportScreen

        def done(result: ImportDone | None) -> None:
            if result is None:
                return
            report = result.report
            self.undo_stack.append(ImportUndo(result.source, report.record))
            self.notify(f"Imported {len(report.imported)} cards from {result.source}"
                        + (f", skipped {len(report.skipped)}" if report.skipped else "")
                        + " — they are on the Box screen's 'Needs a date' pile; ctrl+z takes the import back", timeout=10)
            self.box_changed.publish(BoxChanged(None))

        self.push_screen(ImportScreen(), done)

    def export_cards(self, fmt: str) -> None:
        """Write every card to ~/cardbox-DATE.FMT on the disk thread, and say where."""
        from cardbox.core import export
        from cardbox.core.files import write_export

        box, now = self.box, self.clock()
        target = Path.home() / f"cardbox-{now:%Y-%m-%d}.{fmt}"

        def write() -> int:
            cards = box.cards()
            write_export(target, export.export_box(box, fmt, cards, now, self.rep_zone))
            return len(export.chosen_cards(box, fmt, cards))

        def done(future: Any) -> None:
            error = future.exception()
            # (An asyncio future: this runs on the app's own loop.)
            if error is not None:
                self.notify(f"Export not written: {error}", severity="error", timeout=10)
            else:
                self.notify(f"{future.result()} cards exported to {target}", timeout=8)

        self.saver.submit(write).add_done_callback(done)

    def call_check(self, card: Card) -> tuple[WhenToCall, str]:
        """May this card be called now (their clock, calling hours), and why not if it is blocked."""
        block = self.box.block_reason(card)
        return when_to_call(card, self.clock(), self.rep_zone, bool(block), self.settings.calls_per_day, self.calling_rules), block

    def log_check(self, card: Card, outcome: str) -> tuple[WhenToCall | None, str]:
        """What logging `outcome` on the current channel must respect (the core's one rule), and the block if any."""
        block = self.box.block_reason(card)
        return log_check(card, self.clock(), self.rep_zone, self.channel, bool(block), self.settings.calls_per_day,
                         self.calling_rules, outcome), block

    def open_card(self, card_id: int) -> None:
        from cardbox.core.box_errors import BoxCorrupt
        from cardbox.ui.screens.card_screen import CardScreen

        try:
            self.box.get(card_id)
        except BoxCorrupt as err:
            self.notify(f"{err}", title="A damaged card", severity="warning", timeout=10)
            return
        except Exception:  # gone since it was listed: the card screen says so
            pass
        self.push_screen(CardScreen(card_id))

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", timeout=3)
            return
        change = self.undo_stack.pop()
        if isinstance(change, TickChange):
            self.undo_session(change)
            return
        if isinstance(change, ImportUndo):
            source = change.source

            def import_undone(result: tuple[str, int, int]) -> None:
                self.notify(f"Undone: the import of {source} ({result[1]} cards removed)", timeout=5)
                self.box_changed.publish(BoxChanged(None))

            self._save_change("Undo", import_undone, None, self.box.undo_import)
            return

        def undone(_restored: Change) -> None:
            card = change.after or change.before
            name = f" ({card.name})" if card is not None else ""
            self.notify(f"Undone: {describe_change(change)}{name}", timeout=4)
            self.box_changed.publish(BoxChanged(change, undone=True))

        self._save_change("Undo", undone, None, self.box.undo, change)

    def undo_session(self, change: TickChange) -> None:
        what = f"{change.after.ticks[-1].kind} tick" if change.kind == "tick" else f"session {change.kind}"

        def undone(_result: None) -> None:
            self.session_version += 1
            self.notify(f"Undone: {what}", timeout=3)

        def failed(_error: BaseException) -> None:
            self.session_version += 1

        self._save_change("Undo", undone, failed, self.box.sessions.undo, change)

    def action_help(self) -> None:
        from cardbox.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        if self.saver.pending:
            self.save_status = "saving before quitting…"
        await self.saver.drain()
        if self.box.storage.journal_bytes:
            # Leave the box file whole: plain TinyDB and the next cardbox read it without a journal.
            self.save_status = "saving before quitting…"
            await self.saver.submit(self._fold_quietly)
        self.exit()

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        self.saver.shutdown()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New card", "Capture a callback card (n)", self.action_capture)
        yield SystemCommand("Find a card", "By name, company, email, notes or phone digits (/)", self.action_find)
        yield SystemCommand("Today", "The daily flip-through of due and overdue cards (F2)", lambda: self.switch_mode("today"))
        yield SystemCommand("Box", "Browse every card: active, not-now pile, nurture, won, do-not-call (F4)", lambda: self.switch_mode("box"))
        yield SystemCommand("Session", "The dialing session counter: start, tick, pause, stop (F3)", lambda: self.switch_mode("session"))
        yield SystemCommand("Numbers", "Cold calls, callbacks, sales, pipeline and forecast (F5)", lambda: self.switch_mode("numbers"))
        yield SystemCommand("Undo", "Undo the last change (ctrl+z)", self.action_undo)
        yield SystemCommand("Help", "Every key (?)", self.action_help)
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()
        yield SystemCommand("Import cards from a file", "A CRM or contacts export (CSV, vCard): preview, then one change",
                            self.action_import)
        for fmt, what in (("csv", "a spreadsheet (CSV)"), ("ics", "your calendar (iCalendar)"), ("vcf", "your phone's contacts (vCard)"),
                          ("json", "everything (JSON)")):
            yield SystemCommand(f"Export for {what}", f"Every card, to a .{fmt} file in your home folder",
                                lambda fmt=fmt: self.export_cards(fmt))
        # Textual's own list (screenshot, maximize, copy text…) is not what a rep reaches for.
        yield SystemCommand("Theme", "Change the colours: cardbox's themes first", self.action_change_theme)
        yield SystemCommand("Quit", "Quit cardbox (ctrl+q); every change is already saved", self.action_quit)

    def action_change_theme(self) -> None:
        from textual.command import CommandPalette

        from cardbox.ui.themes import CardboxThemes

        self.push_screen(CommandPalette(providers=[CardboxThemes], placeholder="Search for themes…"))


def describe_change(change: Change) -> str:
    if change.kind == "add":
        return "new card"
    if change.kind == "log" and change.after is not None and change.after.attempts:
        return f"logged {change.after.attempts[-1].outcome}"
    return {"edit": "edit", "note": "note", "delete": "delete"}.get(change.kind, change.kind)


def make_app(
    box: Box,
    *,
    clock: Callable[[], datetime],
    settings: Settings | None = None,
    settings_path: Path | None = None,
    theme_dirs: Iterable[Traversable] | None = None,
    demo: bool = False,
    watch_interval: float = 2.0,
    warnings: Iterable[str] = (),
    monotonic: Callable[[], float] = time.monotonic,
) -> CardboxApp:
    from cardbox.core.paths import bundled_themes_dir

    dirs = list(theme_dirs) if theme_dirs is not None else [bundled_themes_dir()]
    return CardboxApp(
        box,
        clock=clock,
        settings=settings or Settings(),
        settings_path=settings_path,
        theme_dirs=dirs,
        demo=demo,
        watch_interval=watch_interval,
        warnings=warnings,
        monotonic=monotonic,
    )
