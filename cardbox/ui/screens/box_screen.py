"""The box: every card, by pile (active, not-now, nurture, won, do-not-call), sorted."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Tab, Tabs

from cardbox.core.box import PILE_SORTS
from cardbox.core.box_errors import BoxCorrupt
from cardbox.core.outcomes import STATUSES
from cardbox.ui.app_commands import screen_commands
from cardbox.ui.base import CardboxScreen
from cardbox.ui.events import BoxChanged
from cardbox.ui.widgets.card_list import CardList
from cardbox.ui.widgets.footer import CardboxFooter
from cardbox.ui.widgets.index_card import IndexCard
from cardbox.ui.widgets.rows import card_row, damaged_row
from cardbox.ui.widgets.session_bar import SessionBar
from cardbox.ui.widgets.status_strip import StatusStrip

PILES = ("active", "needs-a-date", "not-now", "nurture", "won", "do-not-call", "all")
PILE_NAMES = {"active": "Active", "needs-a-date": "Needs a date", "not-now": "Not now", "nurture": "Nurture", "won": "Won",
              "do-not-call": "Do not call", "all": "All"}
class BoxScreen(CardboxScreen[None]):
    FOOTER_ORDER = ("box.next_pile", "box.sort", "box.import", "app.capture", "app.find", "session.dial", "app.today", "app.session", "app.box", "app.numbers", "app.palette")
    BINDINGS = [
        Binding("right,l", "pile(1)", "Next pile", id="box.next_pile", key_display="→"),
        Binding("left,h", "pile(-1)", "Prev pile", id="box.previous_pile", show=False),
        Binding("s", "sort", "Sort", id="box.sort", tooltip="Sort by due date, name, company, last touched, attempts"),
        Binding("i", "app.import", "Import", id="box.import", tooltip="Import cards from a CRM or contacts export"),
    ]

    pile = reactive("active")
    sort = reactive("due")

    def compose(self) -> ComposeResult:
        yield StatusStrip()
        yield SessionBar()
        yield Tabs(*[Tab(PILE_NAMES[p], id=f"pile-{p}") for p in PILES], id="piles")
        with Horizontal(id="box-body"):
            yield CardList(self.render_row, empty="no cards on this pile", id="box-list")
            yield IndexCard(id="box-preview")
        yield CardboxFooter()

    def render_row(self, card_id: int, width: int):
        try:
            card = self.app.box.get(card_id)
        except BoxCorrupt as err:
            return damaged_row(card_id, str(err))
        return card_row(card, self.app.clock(), self.app.box.region, width)

    def on_mount(self) -> None:
        self.app.box_changed.subscribe(self, self.on_box_changed)
        self.set_focus(self.query_one(CardList))  # at once (focus() waits a turn; a key burst would not)
        self.reload()

    def on_resize(self) -> None:
        # Below this width the list needs the room; the card opens with enter.
        self.set_class(self.size.width < 130, "-narrow")

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self, *, to_top: bool = False) -> None:
        box_list = self.query_one(CardList)
        keep = None if to_top else box_list.highlighted
        box_list.set_ids(self.app.box.pile(None if self.pile == "all" else self.pile, self.sort), keep=keep)
        counts = self.app.box.counts()
        total = sum(counts.values())
        piles = [(f"{PILE_NAMES[s].lower()} {counts.get(s, 0)}", 3) for s in STATUSES]
        self.query_one(StatusStrip).show([("Box", 0), (f"{total} card{'s' if total != 1 else ''}", 1), *piles, (f"sorted by {self.sort}", 0)])
        self.show_preview(box_list.highlighted)

    def show_preview(self, card_id: int | None) -> None:
        preview = self.query_one("#box-preview", IndexCard)
        preview.set_class(card_id is None, "-empty")
        if card_id is None:
            return
        try:
            card = self.app.box.get(card_id)
        except BoxCorrupt:
            preview.set_class(True, "-empty")
            return
        when, block = self.app.call_check(card)
        preview.show(card, self.app.clock(), self.app.box.region, when=when, block=block)

    @on(CardList.Highlighted)
    def highlighted(self, event: CardList.Highlighted) -> None:
        self.show_preview(event.card_id)

    @on(CardList.Selected)
    def selected(self, event: CardList.Selected) -> None:
        self.app.open_card(event.card_id)

    @on(Tabs.TabActivated)
    def tab(self, event: Tabs.TabActivated) -> None:
        self.pile = (event.tab.id or "pile-active").removeprefix("pile-")
        self.set_focus(self.query_one(CardList))  # at once (focus() waits a turn; a key burst would not)

    def watch_pile(self) -> None:
        if self.is_mounted:
            self.reload()

    def watch_sort(self) -> None:
        if self.is_mounted:
            self.reload(to_top=True)  # a new order is read from its top, as a re-sorted list on paper is

    def action_pile(self, step: int) -> None:
        # From the tab asked for last, not `self.pile`: that follows a message
        # that has not arrived yet when keys come in a burst (l l l = three piles).
        tabs = self.query_one(Tabs)
        current = (tabs.active or "pile-active").removeprefix("pile-")
        index = (PILES.index(current) + step) % len(PILES)
        tabs.active = f"pile-{PILES[index]}"

    def action_sort(self) -> None:
        self.sort = PILE_SORTS[(PILE_SORTS.index(self.sort) + 1) % len(PILE_SORTS)]

    def on_box_changed(self, event: BoxChanged) -> None:
        if self.is_current:
            self.reload()

    def palette_commands(self):
        yield from screen_commands(self)
        for pile in PILES:
            from textual.app import SystemCommand

            yield SystemCommand(f"Show pile: {PILE_NAMES[pile]}", "Box: every card" if pile == "all" else f"Box: the {PILE_NAMES[pile].lower()} pile",
                                lambda pile=pile: setattr(self.query_one(Tabs), "active", f"pile-{pile}"))
