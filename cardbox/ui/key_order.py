"""Keys typed in a burst, each handled where it would have gone had the rep typed slowly."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from textual import events
from textual.app import App
from textual.filter import LineFilter
from textual.screen import Screen
from textual.widget import AwaitMount

from cardbox.ui.idle_gc import IdleCollector
from cardbox.ui.safe_output import DropControlCharacters
from cardbox.ui.textual_hooks import hand_on, run_bindings


class KeyOrderedApp(App[None]):
    """The app's key handling: a key typed while a screen is still coming up, or behind a tab, waits its turn."""

    idle_gc: IdleCollector

    def __init__(self) -> None:
        super().__init__()
        self._mounting: Any = None
        self._settle: Any = None
        self._typed_into: Any = None
        # Keys handed on, by id, with the screen they were handed to (see on_event).
        self._key_screens: dict[int, tuple[events.Key, Screen]] = {}
        # Nothing read from the box reaches the terminal as a command (see get_line_filters).
        self._drop_controls = DropControlCharacters()

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

