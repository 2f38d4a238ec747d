"""One card opened from find or the box: read it, log the call, edit it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from cardbox.core.box import CardNotFound
from cardbox.core.card import Card
from cardbox.core.deck import Filed
from cardbox.core.window import DueWindow
from cardbox.ui.app_commands import screen_commands
from cardbox.ui.events import BoxChanged
from cardbox.ui.footer_fit import OUTCOMES
from cardbox.ui.outcomes import OutcomeKeys, card_scroll_bindings, outcome_bindings
from cardbox.ui.widgets.footer import CardboxFooter
from cardbox.ui.widgets.index_card import IndexCard
from cardbox.ui.widgets.session_bar import SessionBar
from cardbox.ui.widgets.status_strip import StatusStrip


class CardScreen(OutcomeKeys):
    AUTO_FOCUS = ""  # nothing: "" rather than None, which means the app default

    FOOTER_ORDER = (OUTCOMES, "card.back", "card.more", "card.edit", "card.add_note", "app.capture", "app.find", "session.dial", "app.today", "app.session", "app.box", "app.numbers", "app.palette")
    BINDINGS = [
        *outcome_bindings("card"),
        *card_scroll_bindings("card"),
        Binding("escape", "close", "Back", id="card.back"),
        Binding("e", "edit", "Edit", id="card.edit"),
        Binding("a", "add_note", "Note", id="card.add_note"),
        Binding("c", "channel", "Channel", id="card.channel", show=False),
        Binding("C", "channel(-1)", "Channel back", id="card.channel_back", show=False, tooltip="The channel before: … text, email, call"),
        Binding("delete", "delete", "Delete", id="card.delete", show=False, tooltip="Delete the card (undo brings it back)"),
    ]

    def __init__(self, card_id: int) -> None:
        super().__init__()
        self.card_id = card_id
        self.filed: Filed | None = None

    def compose(self) -> ComposeResult:
        yield StatusStrip()
        yield SessionBar()
        yield IndexCard(id="opened-card")
        yield CardboxFooter()

    def on_mount(self) -> None:
        self.app.box_changed.subscribe(self, self.on_box_changed)
        self.show_card()

    def card(self) -> Card | None:
        try:
            return self.app.box.get(self.card_id)
        except CardNotFound:
            return None

    def outcome_card(self) -> Card | None:
        return self.card()

    def show_card(self) -> None:
        card = self.card()
        if card is None:
            self.app.notify(f"Card #{self.card_id} is no longer in the box.", severity="warning")
            self.dismiss()
            return
        stamp = f"✓ logged: {self.filed.where}   (ctrl+z undoes)" if self.filed else ""
        when, block = self.app.call_check(card)
        self.query_one(IndexCard).show(card, self.app.clock(), self.app.box.region, stamp, when=when, block=block)
        self.query_one(StatusStrip).show(f"Card #{card.id} · {card.status} · esc goes back")
        self.refresh_bindings()

    def file_outcome(self, card: Card, outcome: str, window: DueWindow | None, note: str, opted_in: bool) -> None:
        filed = self.log_request(card, outcome, window, note, opted_in)

        def failed(error: BaseException) -> None:
            self.filed = None

        self.filed = filed
        self.app.change_box_after_refresh(f"“{filed.where}” for {card.name}", self.app.box.log, card.id, outcome,
                            channel=self.app.channel, note=note, next_window=window, opted_in=opted_in, on_error=failed)
        self.app.notify(f"{card.name}: {filed.where}", timeout=3)

    def on_box_changed(self, event: BoxChanged) -> None:
        if event.undone and event.change and event.change.card_id == self.card_id:
            self.filed = None
        if self.is_current:
            self.show_card()

    def action_close(self) -> None:
        self.dismiss()

    def action_delete(self) -> None:
        card = self.card()
        if card is None:
            return
        from cardbox.ui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.change_box(f"deleting {card.name}", self.app.box.delete, card.id)
                self.app.notify(f"Deleted {card.name} — ctrl+z brings it back.", timeout=5)
                self.dismiss()

        self.app.push_screen(ConfirmDialog(f"Delete {card.name}'s card?", "Prefer 6 (not now) to keep it on the not-now pile."), confirmed)

    def palette_commands(self):
        yield from screen_commands(self)
