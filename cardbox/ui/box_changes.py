"""Changes to the box and the session, saved off the screen's thread; the box read and counted in the background."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from textual.reactive import reactive
from textual.signal import Signal

from cardbox.core.box import Box, Change
from cardbox.core.box_errors import BoxError, BoxReadOnly
from cardbox.core.card import CardError
from cardbox.core.live import LiveSession, live_session
from cardbox.core.numbers import numbers_view
from cardbox.core.periods import PERIODS
from cardbox.core.session import TickChange
from cardbox.ui.events import BoxChanged
from cardbox.ui.key_order import KeyOrderedApp
from cardbox.ui.saver import Saver

# Boxes up to this many cards have their numbers counted in the background at launch.
WARM_NUMBERS_UP_TO = 20_000
# Seconds without a change before the app folds the journal into the box file.
FOLD_WHEN_IDLE_FOR = 20.0
T = TypeVar("T")


@dataclass(frozen=True)
class ImportUndo:
    """An import, on the undo stack: taken back as a whole."""

    source: str
    record: str



class BoxChangesApp(KeyOrderedApp):
    """Every change goes through here: shown at once, saved by the saver's thread, undoable, reported if it fails."""

    # "saving…", "saved 10:32", "SAVE FAILED: …" — shown on every screen.
    save_status = reactive("")
    # Bumped whenever the session changes (a tick, a start, a stop, an undo),
    # so the counter bar and the Session screen redraw.
    session_version = reactive(0)

    box: Box
    clock: Callable[[], datetime]
    saver: Saver
    undo_stack: list[Change | TickChange | ImportUndo]
    pending_ticks: dict[str, int]
    box_changed: Signal[BoxChanged]
    _live_cache: tuple[tuple, LiveSession | None] | None
    _last_change: float

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

