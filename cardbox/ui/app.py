"""The cardbox app: one factory builds it from a box, a clock and settings.

The CLI and the tests both call `make_app`, so the app under test is the
app a rep runs, just with a temporary box and a fixed clock.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.widget import AwaitMount

from cardbox.core.box import Box, Change
from cardbox.core.box_errors import BoxError, BoxReadOnly
from cardbox.core.calling_hours import WhenToCall, log_check, rule_book, when_to_call
from cardbox.core.card import Card, CardError
from cardbox.core.numbers import LiveSession, live_session, numbers_view
from cardbox.core.periods import PERIODS
from cardbox.core.session import TickChange
from cardbox.core.settings import Settings, save_settings
from cardbox.core.text import shown
from cardbox.core.zones import rep_zone
from cardbox.ui.events import BoxChanged
from cardbox.ui.idle_gc import IdleCollector
from cardbox.ui.safe_output import DropControlCharacters
from cardbox.ui.saver import Saver
from cardbox.ui.screens.box_screen import BoxScreen
from cardbox.ui.screens.numbers import NumbersScreen
from cardbox.ui.screens.session import SessionScreen
from cardbox.ui.screens.today import TodayScreen
from cardbox.ui.textual_hooks import hand_on, run_bindings
from cardbox.ui.themes import VARIABLE_DEFAULTS, load_themes

# Boxes up to this many cards have their numbers counted in the background at launch.
WARM_NUMBERS_UP_TO = 20_000
# Seconds without a change before the app folds the journal into the box file.
FOLD_WHEN_IDLE_FOR = 20.0
FALLBACK_THEME = "manila"
T = TypeVar("T")


class CardboxApp(App[None]):
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

    # "saving…", "saved 10:32", "SAVE FAILED: …" — shown on every screen.
    save_status = reactive("")
    # The channel the next attempts are logged with (c cycles it).
    channel = reactive("call")
    # Bumped whenever the session changes (a tick, a start, a stop, an undo),
    # so the counter bar and the Session screen redraw.
    session_version = reactive(0)

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
        self._mounting: Any = None
        zone_problems: list[str] = []
        try:
            self.rep_zone = rep_zone(settings.time_zone)
        except CardError as err:
            zone_problems.append(f"{err}; using the system's zone")
            self.rep_zone = rep_zone("", {})
        # Nothing read from the box reaches the terminal as a command (see get_line_filters).
        self._drop_controls = DropControlCharacters()
        self._settle: Any = None
        self._typed_into: Any = None
        # Keys handed on, by id, with the screen they were handed to (see on_event).
        self._key_screens: dict[int, tuple[events.Key, Screen]] = {}
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

    # -- keys in a burst -------------------------------------------------------
    #
    # A rep types on without waiting: "n", the name, tab, the number… in one
    # burst. Textual hands each key to the focused widget (or the screen) at
    # once and runs bindings only when the key comes back unhandled, so in a
    # burst (1) keys typed after "n" reach the old screen before the form
    # exists, and (2) tab typed in a field moves focus only after the keys
    # behind it were already handed to that field. Here each key is handled,
    # in order, where it would have gone had the rep typed slowly.

    _KEPT_KEYS = 64

    def push_screen(self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, **kwargs: Any) -> Any:
        result = super().push_screen(screen, callback, wait_for_dismiss, **kwargs)  # type: ignore[call-overload]
        if not wait_for_dismiss:
            self._mounting = result
        return result

    def switch_mode(self, mode: str) -> AwaitMount:
        result = super().switch_mode(mode)
        self._mounting = result
        return result

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Every line drawn, whatever the theme or colour filters: text from the box never reaches the terminal raw.
        return [*super().get_line_filters(), self._drop_controls]

    async def _screen_ready(self) -> None:
        """Wait for a screen opened by an earlier key to be up (its first field focused)."""
        if self._mounting is not None:
            mounting, self._mounting = self._mounting, None
            # Awaiting a mount that finished long ago lays the whole screen out and draws it
            # again (Textual refreshes the parent): ~20 ms on the first key typed into find.
            if not self.screen.is_mounted:
                await mounting
            await asyncio.sleep(0)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.idle_gc.key_pressed()
            if not event.is_forwarded:
                if await self._key_in_order(event):
                    return
                self._key_screens[id(event)] = (event, self.screen)
                while len(self._key_screens) > self._KEPT_KEYS:
                    self._key_screens.pop(next(iter(self._key_screens)))
            else:
                sent = self._key_screens.pop(id(event), None)
                if sent is not None and sent[0] is event and sent[1] is not self.screen:
                    await self._screen_ready()
                    await self._late_key(event)
                    return
        await super().on_event(event)

    async def _key_in_order(self, event: events.Key) -> bool:
        """Handle a key now if it is not typing; True when it was handled here."""
        await self._screen_ready()
        await self._screen_not_saving()
        await self._settled(self._settle)
        self._settle = None
        focused = self.focused
        if focused is not None and focused.check_consume_key(event.key, event.character):
            self._typed_into = focused  # typing: handed to the field, behind the keys before it
            return False
        # Not typing (tab, enter, escape, backspace, an action key): first let
        # the field finish the keys typed before it, then run it now.
        await self._settled(self._typed_into)
        self._typed_into = None
        # What it does may post on (a submitted field, a closed form): the next key waits for that.
        self._settle = focused if focused is not None else self.screen
        return await run_bindings(self, event.key)

    async def _screen_not_saving(self, limit: float = 5.0) -> None:
        """Hold keys while a form saves (it closes, or shows why not, then they go on)."""
        waited = 0.0
        while getattr(self.screen, "saving", False) and waited < limit:
            await asyncio.sleep(0.005)
            waited += 0.005
        await self._screen_ready()

    async def _settled(self, node: Any) -> None:
        """Wait until `node` has handled what it was sent, and what that posted has bubbled to the screen."""
        if node is None or not node.is_attached:
            return

        async def turn(pump: Any) -> None:
            done = asyncio.Event()
            pump.call_later(done.set)
            try:
                await asyncio.wait_for(done.wait(), 0.5)
            except TimeoutError:
                pass

        await turn(node)
        for hop in [node, *node.ancestors]:
            if hop is self:
                break
            await turn(hop)

    async def _late_key(self, event: events.Key) -> None:
        """A key handed to a screen that a key before it replaced: it belongs to the new one."""
        from textual.widgets import Input, TextArea

        focused = self.focused
        if event.is_printable and event.character:
            target = focused
            if target is None:
                first = getattr(self.screen, "first_field", None)
                target = first() if callable(first) else None
                if target is not None:
                    self.screen.set_focus(target)
            if isinstance(target, Input):
                target.insert_text_at_cursor(event.character)
                return
            if isinstance(target, TextArea):
                target.insert(event.character)
                return
        if not await run_bindings(self, event.key):
            hand_on(self.focused or self.screen, events.Key(event.key, event.character))

    def action_help_quit(self) -> None:
        # Textual's own says "Press [b]ctrl+q[/b]…" in markup, which notify shows raw here.
        keys = [self.get_key_display(active.binding) for active in self.active_bindings.values() if active.binding.action in ("quit", "app.quit")]
        self.notify(f"Press {keys[0] if keys else 'ctrl+q'} to quit cardbox (ctrl+c copies in a text field).", title="Quit?")

    def _warm_search(self) -> None:
        self.saver.submit(self._warm_indexes)  # not awaited: a failure only costs speed
        # The numbers read every card and tick of the box: count them in the
        # background too, so F5 shows its figures at once — in a box small
        # enough to count in a moment. A bigger one is counted when F5 asks
        # (the screen says "counting…"): at 100k cards counting takes seconds
        # of the interpreter, which would slow the first minutes of review.
        if len(self.box) <= WARM_NUMBERS_UP_TO:
            self.run_worker(self._warm_numbers, thread=True, group="warm", exit_on_error=False)

    def _warm_indexes(self) -> None:
        """Find's and the review's indexes, built on the disk thread, then kept out of the garbage collector's walks.

        At 100k cards they are lists of 100k strings; a full collection that
        walks them (every few seconds, as the screen makes and drops objects)
        took 50–140 ms of the screen's thread. Frozen, it is a few ms. (Freezing
        also keeps whatever cyclic garbage exists at that moment: it happens at
        launch and when a box is read anew, so that is little.)"""
        if self.box.warm_search():
            gc.freeze()

    def _warm_numbers(self) -> None:
        try:
            ledger, now = self.box.ledger(), self.clock()
            for period in PERIODS:
                numbers_view(ledger, period, now)
        except Exception:  # a damaged box is reported where it is used; warming only saves time
            pass

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

    # -- changes to the box -------------------------------------------------

    def change_box(
        self,
        what: str,
        fn: Callable[..., Change],
        *args: Any,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> asyncio.Future[Change]:
        """Run a box change on the disk thread; on success it joins the undo stack."""

        def saved(change: Change) -> None:
            self.undo_stack.append(change)
            del self.undo_stack[:-50]
            self.box_changed.publish(BoxChanged(change))

        return self._save_change(what, saved, on_error, fn, *args, **kwargs)

    def _save_change(
        self,
        what: str,
        on_saved: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None,
        fn: Callable[..., T],
        *args: Any,
        **kwargs: Any,
    ) -> asyncio.Future[T]:
        self.save_status = "saving…"
        self._last_change = time.monotonic()
        future = self.saver.submit(fn, *args, **kwargs)

        def done(result: asyncio.Future[T]) -> None:
            if result.cancelled():
                return
            error = result.exception()
            if error is None:
                self._mark_saved()
                on_saved(result.result())
                # Find's index is kept across saves; now and then (the table's base rebuilt) it is
                # made anew: here, on the disk thread, rather than on the rep's next key in find.
                self.saver.submit(self._warm_indexes)
                return
            self.report_save_error(what, error)
            if on_error is not None:
                on_error(error)

        future.add_done_callback(done)
        return future

    def change_box_after_refresh(self, what: str, fn: Callable[..., Change], *args: Any, **kwargs: Any) -> None:
        """`change_box`, started once the next frame is drawn.

        For outcomes: the rep sees the next card first, then the box is
        serialised (which holds the interpreter lock for a while at 10k+).
        """

        def start() -> None:
            self.change_box(what, fn, *args, **kwargs)  # its future is not awaited: errors are reported

        self.call_after_refresh(start)

    def _mark_saved(self) -> None:
        self.save_status = f"saved {self.clock():%H:%M:%S}"

    def report_save_error(self, what: str, error: BaseException) -> None:
        if isinstance(error, (CardError, BoxError)):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}"
        if isinstance(error, BoxReadOnly):
            self.save_status = "READ-ONLY — nothing can be saved"
        elif isinstance(error, BoxError):
            self.save_status = "NOT SAVED — see message"
        elif not self.saver.pending:
            self._mark_saved()  # refused as input: the box itself is fine and saved
        self.notify(f"{what} was not saved: {message}", title="Not saved", severity="error", timeout=15)

    async def check_other_windows(self) -> None:
        """Pick up cards another cardbox (or `cardbox add`) saved; fold the journal in when the rep is idle."""
        if self.saver.pending:
            return
        try:
            changed = await self.saver.submit(self.box.refresh)
        except BoxError as err:
            self.save_status = "BOX UNREADABLE"
            self.notify(str(err), title="The box file changed and cannot be read", severity="error", timeout=15)
            return
        if changed:
            self.notify("Picked up changes saved by another cardbox.", timeout=3)
            self.box_changed.publish(BoxChanged(None))
        if (self.box.storage.journal_bytes and not self.saver.pending
                and time.monotonic() - self._last_change >= FOLD_WHEN_IDLE_FOR):
            self._last_change = time.monotonic()  # one try per idle spell; the journal is safe meanwhile
            self.saver.submit(self._fold_quietly)

    def _fold_quietly(self) -> None:
        """Write the box whole with the journal folded in (on the disk thread); a failure leaves the journal, which is safe."""
        try:
            self.box.storage.fold()
        except BoxError as err:
            self.box.storage.warnings.append(f"the journal was not folded into the box ({err}); your changes are safe in it")

    # -- the dialing session ---------------------------------------------------

    def session_live(self) -> LiveSession | None:
        """Today's running session with its live counts, or None (cached until something changes)."""
        key = (self.session_version, self.box.storage.generation, self.clock().date(), tuple(sorted(self.pending_ticks.items())))
        if self._live_cache is None or self._live_cache[0] != key:
            session = self.box.sessions.current(self.clock())
            live = live_session(session, self.box.touched_since(session.started), self.clock(), self.pending_ticks) if session else None
            self._live_cache = (key, live)
        live = self._live_cache[1]
        if live is None:
            return None
        # Between changes only the clock moves.
        return replace(live, seconds=live.session.seconds(self.clock()))

    def change_session(self, what: str, fn: Callable[..., TickChange], *args: Any, tick: str | None = None) -> asyncio.Future:
        """Run a session change on the disk thread; a tick shows at once and joins the undo stack."""
        if tick:
            self.pending_ticks[tick] = self.pending_ticks.get(tick, 0) + 1
        self.session_version += 1

        def settle() -> None:
            if tick:
                self.pending_ticks[tick] -= 1
                if not self.pending_ticks[tick]:
                    del self.pending_ticks[tick]
            self.session_version += 1

        def saved(change: TickChange) -> None:
            settle()
            self.undo_stack.append(change)
            del self.undo_stack[:-50]

        return self._save_change(what, saved, lambda _error: settle(), fn, *args)

    def session_running(self) -> bool:
        live = self.session_live()
        return live is not None and not live.session.paused

    def action_tick(self, kind: str) -> None:
        live = self.session_live()
        if live is None:
            self.notify("No session is dialing: F3, then s starts one.", timeout=3)
            return
        if live.session.paused:
            self.notify("Resumed: the session was paused (space on F3 pauses it again).", timeout=3)
        self.change_session(f"the {kind} tick", self.box.sessions.tick, kind, 1, tick=kind)
        if kind == "sale":
            live = self.session_live()
            sales = live.counts["sale"] + live.callback_sales if live else 1
            self.notify(f"Sale! {sales} this session — keep dialing.", title="Sale", timeout=3)

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


@dataclass(frozen=True)
class ImportUndo:
    """An import, on the undo stack: taken back as a whole."""

    source: str
    record: str


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
