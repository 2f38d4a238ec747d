"""Capture a card while the prospect is still on the line (and edit one later).

Tab through the fields, ctrl+s saves, and the rep is back where they were.
The "when" field shows what the phrase means as it is typed. Closing the
form keeps the draft; only a save or an explicit discard clears it.
"""

from __future__ import annotations

import re

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from cardbox.core.box_errors import BoxError
from cardbox.core.card import STATUSES, Card, CardError
from cardbox.core.phone import display, normalize
from cardbox.core.text import shown, strip_controls
from cardbox.ui.base import CardboxModal
from cardbox.ui.early_keys import catch_early_key
from cardbox.ui.phrase_preview import preview
from cardbox.ui.widgets.footer import CardboxFooter

FIELDS = ("name", "phone", "company", "email", "when", "why", "tags")
# Fields a CardError can point at; "notes" is the TextArea.
FORM_FIELDS = (*FIELDS, "notes")


def split_phones(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/]", text) if part.strip()]


class WhyField(TextArea):
    """The prospect's reason: one paragraph that wraps as it grows (an Input
    scrolls a long reason out of sight). Enter goes on to the next field."""

    BINDINGS = [Binding("enter", "next_field", "Next field", show=False, id="capture.why_next")]

    DEFAULT_CSS = "WhyField { height: auto; max-height: 3; padding: 0; }"

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return key != "enter" and super().check_consume_key(key, character)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()  # the binding moves on; a reason has no line breaks (TextArea's own handler skipped)

    def action_next_field(self) -> None:
        self.screen.focus_next()

    @property
    def value(self) -> str:
        return " ".join(self.text.split("\n"))

    @value.setter
    def value(self, text: str) -> None:
        self.text = text

    def insert_text_at_cursor(self, text: str) -> None:
        self.insert(text)


class CaptureScreen(CardboxModal[int | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="capture.save", priority=True),
        Binding("escape", "close", "Close (keep draft)", id="capture.close"),
        Binding("ctrl+d", "discard", "Discard", id="capture.discard", priority=True),
    ]

    saving = False

    def __init__(self, card: Card | None = None, focus: str = "name") -> None:
        super().__init__(classes="form-screen")
        self.card = card  # None: a new card; else edit this one
        self.window = card.due if card else None
        self.first_field = focus if focus in FIELDS else "name"

    @property
    def editing(self) -> bool:
        return self.card is not None

    def compose(self) -> ComposeResult:
        card = self.card
        if card is not None:
            # What the form shows is what a save keeps: a hand-edited box's control characters and bidi overrides
            # are neither shown raw nor put back.
            card = card.with_changes(name=strip_controls(card.name), company=strip_controls(card.company),
                                     email=strip_controls(card.email), why=strip_controls(card.why),
                                     notes=strip_controls(card.notes), tags=tuple(strip_controls(t) for t in card.tags))
        region = self.app.box.region
        title = f"Edit card #{card.id} — {shown(card.name, one_line=True)}" if card else "New callback card"

        def row(label: str, widget) -> Horizontal:
            return Horizontal(Label(label, classes="field-label"), widget, classes="field")

        with VerticalScroll(classes="form"):
            yield Static(Content.styled(title, "bold"), classes="form-title")
            yield row("Name", Input(card.name if card else "", placeholder="the prospect's name", id="name", compact=True))
            yield row("Phone", Input(", ".join(display(p, region) for p in card.phones) if card else "",
                                     placeholder="(415) 555-0134 · more than one: commas", id="phone", compact=True))
            yield Static(id="phone-check", classes="field-check")
            yield row("Company", Input(card.company if card else "", id="company", compact=True))
            yield row("Email", Input(card.email if card else "", placeholder="if there is something to send", id="email", compact=True))
            yield row("When", Input(card.due.phrase if card and card.due else "",
                                    placeholder="as they said it: late January · Tuesday at 4", id="when", compact=True))
            yield Static(id="when-preview", classes="field-check")
            yield row("Why then", WhyField(card.why if card else "", placeholder="their reason: budget opens in January", id="why",
                                           soft_wrap=True, tab_behavior="focus", compact=True))
            yield row("Notes", TextArea(card.notes if card else "", id="notes", tab_behavior="focus", soft_wrap=True, compact=True))
            yield row("Tags", Input(" ".join(card.tags) if card else "", placeholder="hot referral …", id="tags", compact=True))
            if card:
                yield row("Status", Select([(s, s) for s in STATUSES], value=card.status, allow_blank=False, id="status", compact=True))
            yield Static(id="form-error", classes="form-error")
            yield Static("tab next field · ctrl+s save · esc close" + (" (draft kept)" if not card else "") + " · ctrl+d discard",
                         classes="form-keys")
        yield CardboxFooter()

    def on_mount(self) -> None:
        if not self.editing and self.app.capture_draft:
            draft = self.app.capture_draft
            for field in FIELDS:
                if field in draft:
                    self.field(field).value = draft[field]
            self.query_one("#notes", TextArea).text = draft.get("notes", "")
            self.notify("Your unsaved draft is back.", timeout=3)
        self._check_when(self.query_one("#when", Input).value)
        self._check_phone(self.query_one("#phone", Input).value)
        first = self.field(self.first_field)
        self.set_focus(first)
        if self.first_field != "name":
            first.select_all()  # a wrong number is typed over, not edited

    def on_key(self, event) -> None:
        catch_early_key(self, event, self.query_one("#name", Input))

    # -- live checks -----------------------------------------------------

    @on(Input.Changed, "#when")
    def _when_changed(self, event: Input.Changed) -> None:
        self._check_when(event.value)

    def _check_when(self, phrase: str) -> None:
        if self.card and self.card.due and phrase == self.card.due.phrase:
            self.window = self.card.due
            message = Content.assemble(("✓ ", "$success bold"), (self.card.due.label, "bold"), " (unchanged)")
        else:
            self.window, message = preview(phrase, self.app.clock(), self.app.settings.day_first, self.app.box.holidays,
                                           self.app.rep_zone, self._typed_zone())
        self.query_one("#when-preview", Static).update(message)

    @on(Input.Changed, "#phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self._check_phone(event.value)
        if self.query_one("#when", Input).value.strip():
            self._check_when(self.query_one("#when", Input).value)  # the number says whose clock a time is on

    def _check_phone(self, text: str) -> None:
        check = self.query_one("#phone-check", Static)
        numbers = split_phones(text)
        if not numbers:
            check.update(Content.styled("no phone yet", "$text-muted italic"))
            return
        normal = []
        for number in numbers:
            try:
                normal.append(normalize(number, self.app.box.region))
            except CardError as err:
                check.update(Content.styled(f"✗ {err}", "$error"))
                return
        formatted = [display(e164, self.app.box.region) for e164 in normal]
        dupes = self.app.box.duplicates_of(name="", company="", phones=normal, ignore=self.card.id if self.card else None)
        hint = Content.styled(f"   already on #{dupes[0].id} {shown(dupes[0].name, one_line=True)}", "$warning bold") if dupes else Content("")
        listed = [number for number in normal if number in self.app.box.dnc_numbers()]
        if listed:
            # Warned the moment it is typed: this number asked not to be called.
            hint = Content.styled(f"   ✗ {display(listed[0], self.app.box.region)} is on the do-not-call list", "$error bold") + hint
        check.update(Content.assemble(("✓ ", "$success bold"), " · ".join(formatted)) + hint)

    # -- draft -------------------------------------------------------------

    def _typed_zone(self) -> str | None:
        """The prospect's zone from the card's own zone or the numbers typed so far (for times in the phrase)."""
        if self.card is not None and self.card.time_zone:
            return self.card.time_zone
        from cardbox.core.zones import zone_of_numbers

        return zone_of_numbers(split_phones(self.field("phone").value), self.app.box.region)

    def field(self, name: str) -> Input | WhyField:
        return self.query_one(f"#{name}", Input | WhyField)  # type: ignore[arg-type]

    def form_values(self) -> dict[str, str]:
        values = {field: self.field(field).value for field in FIELDS}
        values["notes"] = self.query_one("#notes", TextArea).text
        return values

    def action_close(self) -> None:
        if not self.editing:
            values = self.form_values()
            self.app.capture_draft = values if any(v.strip() for v in values.values()) else {}
            if self.app.capture_draft:
                self.app.notify("Draft kept — n brings it back.", timeout=3)
        self.dismiss(None)

    @work
    async def action_discard(self) -> None:
        from cardbox.ui.screens.dialogs import ConfirmDialog

        if any(v.strip() for v in self.form_values().values()):
            question = "Discard the changes?" if self.editing else "Discard this draft?"
            if not await self.app.push_screen_wait(ConfirmDialog(question, "What you typed will be gone.")):
                return
        if not self.editing:
            self.app.capture_draft = {}
        self.dismiss(None)

    # -- saving ------------------------------------------------------------

    def show_error(self, message: str, field: str | None = None) -> None:
        self.query_one("#form-error", Static).update(Content.styled(f"✗ {message}", "$error bold"))
        if field:
            self.set_focus(self.query_one(f"#{field}"))

    def action_save(self) -> None:
        # Set at once, before the next key is read: keys typed behind ctrl+s
        # wait for the outcome (the app holds them), then go to the screen
        # beneath once the form closes, or back here if it could not save.
        if self.saving:
            return
        self.saving = True
        self.run_worker(self._save_and_clear(), group="capture-save", exclusive=True)

    async def _save_and_clear(self) -> None:
        try:
            await self._save()
        finally:
            self.saving = False

    async def _save(self) -> None:
        values = self.form_values()
        box = self.app.box
        phones = split_phones(values["phone"])
        tags = values["tags"].replace(",", " ").split()
        try:
            checked = box.validate_new(values["name"], company=values["company"], phones=phones, email=values["email"],
                                       why=values["why"], notes=values["notes"], tags=tags)
        except CardError as err:
            self.show_error(str(err), err.field if err.field in FORM_FIELDS else None)
            return
        if values["when"].strip() and self.window is None:
            self.show_error("the callback date doesn't read yet — see the hint under When", "when")
            return
        if not self.editing:
            dupes = box.duplicates_of(name=checked["name"], company=checked["company"], phones=checked["phones"])
            if dupes:
                from cardbox.ui.screens.dialogs import DuplicateDialog

                answer = await self.app.push_screen_wait(DuplicateDialog(dupes, box.region))
                if answer is None:
                    return
                if answer == "open":
                    self.app.capture_draft = values
                    self.dismiss(None)
                    self.app.open_card(dupes[0].id)
                    self.app.notify("Your draft is kept; n brings it back.", timeout=4)
                    return
        self.query_one("#form-error", Static).update(Content.styled("saving…", "$text-muted"))
        try:
            if self.card is not None:
                status = self.query_one("#status", Select).value
                change = await self.app.change_box(
                    f"edit of {checked['name']}", box.edit, self.card.id, name=values["name"], company=values["company"],
                    phones=phones, email=values["email"], why=values["why"], notes=values["notes"], tags=tags,
                    due=self.window if values["when"].strip() else None, status=status,
                )
            else:
                change = await self.app.change_box(
                    f"new card for {checked['name']}", box.add, values["name"], company=values["company"], phones=phones,
                    email=values["email"], due=self.window, why=values["why"], notes=values["notes"], tags=tags,
                )
        except (CardError, BoxError) as err:
            # Nothing is lost: the form stays open with everything typed.
            self.show_error(f"not saved: {err}")
            return
        card = change.after
        assert card is not None  # an add or an edit always leaves a card
        if not self.editing:
            self.app.capture_draft = {}
        when = card.due.label if card.due else "no date yet"
        self.app.notify(f"Saved #{card.id} {card.name} — {when}", timeout=3)
        self.dismiss(card.id)
