"""Logging what happened on a call, shared by Today and an opened card.

One key per outcome, like Anki's answer buttons. Each key's footer label
shows where it would re-file the card, worked out by the same core rule
that files it. Outcomes that need more (a date, the Plan B track) ask in a
small dialog; any outcome takes the call note typed beforehand.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import replace
from datetime import date

from textual.binding import ActiveBinding, Binding

from cardbox.core import outcomes
from cardbox.core.calling_hours import confirmed_note
from cardbox.core.card import CHANNELS, Card, CardError
from cardbox.core.deck import Filed, filing
from cardbox.core.refile import plan_refile
from cardbox.core.window import DueWindow, day_words
from cardbox.ui.base import CardboxScreen

# key, outcome, footer label
OUTCOME_KEYS: tuple[tuple[str, str, str], ...] = (
    ("1", "no-answer", "No answer"),
    ("2", "voicemail", "Voicemail"),
    ("3", "callback", "Call back…"),
    ("4", "appointment", "Appt…"),
    ("5", "sale", "Sale"),
    ("6", "not-interested", "Not now"),
    ("7", "nurture", "Plan B…"),
    ("8", "wrong-number", "Wrong no."),
    ("9", "do-not-call", "Do not call…"),
)
SHOWN_IN_FOOTER = {"no-answer", "voicemail", "callback", "appointment", "sale", "not-interested", "nurture"}

# The same key again this soon is a bounce or a key repeat, not a decision.
REPEAT_GUARD_SECONDS = 0.4


def outcome_bindings(prefix: str) -> list[Binding]:
    return [
        Binding(key, f"outcome('{outcome}')", label, id=f"{prefix}.{outcome}", show=outcome in SHOWN_IN_FOOTER,
                tooltip=f"Log: {outcomes.words(outcome)}")
        for key, outcome, label in OUTCOME_KEYS
    ]


def card_scroll_bindings(prefix: str) -> list[Binding]:
    """The card scrolls by keys (it never takes focus): a long history is reached at 80×24 too."""
    return [
        Binding("pagedown", "scroll_card('page_down')", "More", id=f"{prefix}.more", key_display="PgDn",
                tooltip="Scroll the card: notes and history further down"),
        Binding("down", "scroll_card('down')", "Scroll down", id=f"{prefix}.scroll_down", show=False, tooltip="Scroll the card a line"),
        Binding("pageup", "scroll_card('page_up')", "Page up", id=f"{prefix}.back_up", show=False, key_display="PgUp", tooltip="Scroll the card up a page"),
        Binding("up", "scroll_card('up')", "Scroll up", id=f"{prefix}.scroll_up", show=False, tooltip="Scroll the card up a line"),
        Binding("home", "scroll_card('home')", "Top", id=f"{prefix}.top", show=False, key_display="Home", tooltip="Back to the top of the card"),
    ]


def refile_hint(card: Card, outcome: str, today: date, holidays: Container[date] = ()) -> str:
    """Where this outcome would put the card, in a few characters."""
    if outcome in ("callback", "appointment"):
        return ""
    try:
        plan = plan_refile(outcome, streak_before=card.unanswered_streak, today=today, holidays=holidays)
    except CardError:
        return ""
    if outcome == "nurture":
        return ""
    if plan.due is None:
        return ""
    day = plan.due.first_day
    # The footer has little room: the month only when it is not this one.
    return f"{day:%a} {day.day}" if (day.year, day.month) == (today.year, today.month) else day_words(day, year=False)


class OutcomeKeys(CardboxScreen[None]):
    """Mixin for a screen that shows one card: log outcomes on it, edit it, add a note."""

    _last_outcome: tuple[str, float] = ("", 0.0)

    def on_screen_resume(self) -> None:
        # Back from a dialog or another screen: the rep has done something in between, so the next key is meant
        # (the bounce guard is for one key struck twice at once).
        self._last_outcome = ("", 0.0)

    def outcome_card(self) -> Card | None:
        raise NotImplementedError

    def call_note(self) -> str:
        return ""

    def file_outcome(self, card: Card, outcome: str, window: DueWindow | None, note: str, opted_in: bool) -> None:
        raise NotImplementedError

    # -- footer: each outcome key shows where it would re-file the card --

    def label_bindings(self, bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
        card = self.outcome_card()
        if card is None:
            # No card on screen: no outcome keys in the footer either.
            return {
                key: active._replace(binding=replace(active.binding, show=False)) if active.binding.action.startswith("outcome(") else active
                for key, active in bindings.items()
            }
        if self.app.box.block_reason(card):
            return {
                key: active._replace(binding=replace(active.binding, show=False)) if active.binding.action.startswith("outcome(") else active
                for key, active in bindings.items()
            }
        today = self.app.clock().date()
        for key, active in list(bindings.items()):
            action = active.binding.action
            if action.startswith("outcome("):
                outcome = action[len("outcome('"):-2]
                hint = refile_hint(card, outcome, today, self.app.box.holidays)
                if hint:
                    bindings[key] = active._replace(binding=replace(active.binding, description=f"{active.binding.description}·{hint}"))
        return bindings

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "outcome":
            card = self.outcome_card()
            if card is None:
                return None  # greyed out: no card on screen
            # A do-not-call card: the keys stay live so a press says why nothing is logged (action_outcome);
            # label_bindings keeps them out of the footer.
        return True

    # -- logging ------------------------------------------------------------

    def action_outcome(self, outcome: str) -> None:
        card = self.outcome_card()
        if card is None:
            return
        last, at = self._last_outcome
        now = self.app.monotonic()
        if last == outcome and now - at < REPEAT_GUARD_SECONDS:
            return
        self._last_outcome = (outcome, now)
        note = self.call_note()
        app = self.app
        when, block = app.log_check(card, outcome)
        if block:
            app.notify(f"{card.name} is do-not-call: {block}. Nothing logged.", severity="error", timeout=6)
            return
        if when is not None and not when.callable_now and not getattr(self, "_confirmed_outside", False):
            from cardbox.ui.screens.dialogs import ConfirmDialog

            def go_on(yes: bool | None) -> None:
                if yes:
                    self._confirmed_outside = True
                    try:
                        self._last_outcome = ("", 0.0)
                        self._outside_note = confirmed_note(when)
                        self.action_outcome(outcome)
                    finally:
                        self._confirmed_outside = False

            exempt = f" ({when.exemptions_note()})" if when.exemptions_note() else ""
            app.push_screen(ConfirmDialog(f"{card.name}: not callable now — log it anyway?",
                                          f"{when.why_not}{exempt}. Logging records that you confirmed it."), go_on)
            return
        extra = getattr(self, "_outside_note", "")
        if extra:
            self._outside_note = ""
            note = f"{note} · {extra}" if note else extra
        from cardbox.ui.screens.dialogs import ConfirmDialog, NurtureDialog, WhenDialog, WrongNumberDialog

        if outcome in ("callback", "appointment"):
            title = "Talked — call back when?" if outcome == "callback" else "Appointment set — when?"

            def got_when(answer) -> None:
                if answer is not None:
                    self.file_outcome(card, outcome, answer.window, answer.note, False)

            app.push_screen(WhenDialog(title, card, note), got_when)
        elif outcome == "nurture":

            def got_track(answer) -> None:
                if answer is not None:
                    self.file_outcome(card, outcome, None, answer.note, answer.opted_in)

            app.push_screen(NurtureDialog(card, note), got_track)
        elif outcome == "wrong-number":

            def fix_or_file(answer: str | None) -> None:
                if answer == "file":
                    self.file_outcome(card, outcome, None, note, False)
                elif answer == "fix":
                    from cardbox.ui.screens.capture import CaptureScreen

                    app.push_screen(CaptureScreen(card=card, focus="phone"))

            app.push_screen(WrongNumberDialog(card, app.box.region), fix_or_file)
        elif outcome == "do-not-call":

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.file_outcome(card, outcome, None, note, False)

            from cardbox.core.phone import display

            numbers = ", ".join(display(number, app.box.region) for number in card.phones)
            # Said as it is done: the request is about the number (Box.log puts it on the list).
            verb = "go" if len(card.phones) > 1 else "goes"
            listed = f"{numbers} {verb} on the do-not-call list: every card with it is blocked. " if numbers else ""
            app.push_screen(ConfirmDialog(f"Do not call {card.name}?",
                                          f"{listed}The card leaves every list; its history is kept."), confirmed)
        else:
            self.file_outcome(card, outcome, None, note, False)

    def log_request(self, card: Card, outcome: str, window: DueWindow | None, note: str, opted_in: bool) -> Filed:
        """Where the card will go (for the screen, at once) — the same rule the box applies."""
        return filing(card, outcome, self.app.clock().date(), window, opted_in, self.app.box.holidays)

    def action_edit(self) -> None:
        card = self.outcome_card()
        if card is not None:
            from cardbox.ui.screens.capture import CaptureScreen

            self.app.push_screen(CaptureScreen(card=card))

    def action_add_note(self) -> None:
        card = self.outcome_card()
        if card is None:
            return
        from cardbox.ui.screens.dialogs import TextDialog

        app = self.app

        def got(text: str | None) -> None:
            if text and text.strip():
                app.change_box(f"note on {card.name}", app.box.add_note, card.id, text)

        app.push_screen(TextDialog(f"Add a note to {card.name}", "what to remember next time"), got)

    def action_scroll_card(self, how: str) -> None:
        from cardbox.ui.widgets.index_card import IndexCard

        card = self.query(IndexCard).first()
        moves = {"page_down": card.scroll_page_down, "page_up": card.scroll_page_up, "down": card.scroll_down,
                 "up": card.scroll_up, "home": card.scroll_home}
        moves[how](animate=False)

    _channel_said = False

    def action_channel(self, step: int = 1) -> None:
        """c: the next channel; shift+c: the one before (call, voicemail, email, text, …)."""
        app = self.app
        index = CHANNELS.index(app.channel) if app.channel in CHANNELS else 0
        app.channel = CHANNELS[(index + step) % len(CHANNELS)]
        self.refresh_bindings()
        # The status line says the channel at once ("logging as email"). One toast, the first time, says where to
        # look and how back: one a press stacked up over the header, and one kept for a burst named a channel
        # the next press had already left.
        if not self._channel_said:
            app.notify("The header says the channel outcomes go on: c for the next channel, shift+c back.", timeout=4)
            self._channel_said = True
