"""Small questions asked on the way: when, which Plan B track, a note, are you sure."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from cardbox.core.card import Card
from cardbox.core.refile import nurture_wait
from cardbox.core.text import shown
from cardbox.core.window import DueWindow
from cardbox.core.zones import prospect_zones
from cardbox.ui.base import CardboxModal
from cardbox.ui.phrase_preview import preview


@dataclass(frozen=True)
class WhenAnswer:
    window: DueWindow
    note: str


class WhenDialog(CardboxModal[WhenAnswer | None]):
    """Ask when (call back / appointment), with the parsed window shown live."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, card: Card, note: str = "", phrase: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.card = card
        self.note = note
        self.phrase = phrase
        self.window: DueWindow | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((shown(self.title_text), "bold"), f" — {shown(self.card.name, one_line=True)}"), classes="dialog-title")
            yield Label("When? (as they said it)")
            yield Input(self.phrase, placeholder="early May · Tuesday at 4 · in 6 weeks", id="when")
            yield Static(id="when-preview", classes="preview")
            yield Label("Note (optional)")
            yield Input(self.note, placeholder="what was said", id="note")
            yield Static("enter files it · tab moves · esc cancels", classes="dialog-keys")

    def on_mount(self) -> None:
        self._update(self.query_one("#when", Input).value)

    @on(Input.Changed, "#when")
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, phrase: str) -> None:
        app = self.app
        zones = prospect_zones(self.card)
        # A time is the prospect's: "tomorrow at 4" on a San Francisco card is 4 p.m. Pacific.
        self.window, message = preview(phrase, app.clock(), app.settings.day_first, app.box.holidays, app.rep_zone,
                                       zones[0] if zones else None)
        self.query_one("#when-preview", Static).update(message)

    @on(Input.Submitted)
    def _submit(self) -> None:
        if self.window is None:
            self.set_focus(self.query_one("#when", Input))
            self.app.bell()
            return
        self.dismiss(WhenAnswer(self.window, self.query_one("#note", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NurtureAnswer:
    opted_in: bool
    note: str


class NurtureDialog(CardboxModal[NurtureAnswer | None]):
    AUTO_FOCUS = ""  # y / n answer at once; the note field is reached with tab
    BINDINGS = [
        Binding("y", "choose(True)", f"Opted in: {nurture_wait(True)}", id="nurture.yes"),
        Binding("n", "choose(False)", f"No: {nurture_wait(False)}", id="nurture.no"),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, card: Card, note: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.card = card
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.assemble(("Plan B / nurture", "bold"), f" — {shown(self.card.name, one_line=True)}"), classes="dialog-title")
            yield Static("Did they opt in to receive information?\n"
                         f"y  yes — send it, call back in about {nurture_wait(True)}\n"
                         f"n  no — slow track, call back in about {nurture_wait(False)}")
            yield Label("Note (optional) — type it, then press enter; y/n when not typing")
            yield Input(self.note, placeholder="what you'll send", id="note")
            yield Static("y / n chooses · esc cancels", classes="dialog-keys")

    @on(Input.Submitted)
    def _note_done(self) -> None:
        self.set_focus(None)

    def action_choose(self, opted_in: bool) -> None:
        self.dismiss(NurtureAnswer(opted_in, self.query_one("#note", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(CardboxModal[str | None]):
    """One line of text: a note to add, a call note."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(shown(self.title_text), "bold"), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="text")
            yield Static("enter saves · esc cancels", classes="dialog-keys")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(CardboxModal[bool]):
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.styled(shown(self.question), "bold"), classes="dialog-title")
            if self.detail:
                yield Static(Content(shown(self.detail)))
            yield Static("y yes · n / esc no", classes="dialog-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class WrongNumberDialog(CardboxModal[str | None]):
    """A wrong number mostly means the number on the card is wrong: fix it, or set the card aside."""

    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("f", "answer('fix')", "Fix the number", id="wrong_number.fix"),
        Binding("n", "answer('file')", "File not-now", id="wrong_number.file"),
        Binding("escape", "answer(None)", "Back", id="wrong_number.back"),
    ]

    def __init__(self, card: Card, region: str) -> None:
        super().__init__(classes="dialog-screen")
        self.card = card
        self.phone_region = region

    def compose(self) -> ComposeResult:
        from cardbox.core.phone import display

        numbers = ", ".join(display(p, self.phone_region) for p in self.card.phones) or "no number on the card"
        with Vertical(classes="dialog"):
            yield Static(Content.styled(f"Wrong number for {shown(self.card.name, one_line=True)}?", "bold"), classes="dialog-title")
            yield Static(Content(f"On the card: {numbers}"))
            yield Static(Content("f  fix the number now (the card stays due)\nn  file it not-now: no way to reach them"))
            yield Static("f fix · n not-now · esc back", classes="dialog-keys")

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class DuplicateDialog(CardboxModal[str | None]):
    """Point out a card that looks like the one being captured."""

    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("o", "answer('open')", "Open that card", id="duplicate.open"),
        Binding("s", "answer('save')", "Save anyway", id="duplicate.save"),
        Binding("escape", "answer(None)", "Back to the form", id="duplicate.back"),
    ]

    def __init__(self, matches: list[Card], region: str) -> None:
        super().__init__(classes="dialog-screen")
        self.matches = matches
        self.phone_region = region

    def compose(self) -> ComposeResult:
        from cardbox.core.phone import display

        with Vertical(classes="dialog"):
            yield Static(Content.styled("This prospect may already have a card", "bold"), classes="dialog-title")
            for card in self.matches[:5]:
                phones = ", ".join(display(p, self.phone_region) for p in card.phones)
                yield Static(Content.assemble((f"#{card.id} {shown(card.name, one_line=True)}", "bold"), shown(f" · {card.company} · {phones} · {card.status}", one_line=True)))
            if len(self.matches) > 5:
                yield Static(f"… and {len(self.matches) - 5} more")
            with Horizontal(classes="dialog-keys"):
                yield Static("o open that card · s save anyway · esc back to the form")

    # A rep who pressed ctrl+s and typed straight on ("/zoe" to find the next one) has not read the question:
    # o and s count as answers from this long after it is up (the app's monotonic clock; tests move their own).
    SETTLE = 0.4

    def on_mount(self) -> None:
        self._shown_at = self.app.monotonic()

    def action_answer(self, answer: str | None) -> None:
        if answer is not None and self.app.monotonic() - self._shown_at < self.SETTLE:
            self.notify("That key came as the question came up; press o or s again to answer it.", timeout=3)
            return
        self.dismiss(answer)
