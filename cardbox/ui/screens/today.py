"""Today: the ten-minute daily flip-through of due and overdue cards.

One card at a time, in flip order. An outcome key logs the call, re-files
the card and moves on at once; the save finishes in the background. When
the last card is done, a summary of the session.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Input, Static

from cardbox.core.box import CardNotFound
from cardbox.core.calling_hours import callable_first
from cardbox.core.card import Attempt, Card
from cardbox.core.deck import REVIEW_BREAK, Deck, ReviewSummary, day_summary
from cardbox.core.text import shown
from cardbox.core.window import DueWindow, day_words
from cardbox.ui.app_commands import screen_commands
from cardbox.ui.events import BoxChanged
from cardbox.ui.footer_fit import OUTCOMES
from cardbox.ui.outcomes import OUTCOME_KEYS, OutcomeKeys, card_scroll_bindings, outcome_bindings, refile_hint
from cardbox.ui.time_words import clock_words
from cardbox.ui.widgets.footer import CardboxFooter
from cardbox.ui.widgets.index_card import IndexCard
from cardbox.ui.widgets.session_bar import SessionBar
from cardbox.ui.widgets.status_strip import StatusStrip


class TodayScreen(OutcomeKeys):
    # Keys are outcome keys until the rep asks for the call note (tab).
    AUTO_FOCUS = ""  # nothing: "" rather than None, which means the app default

    FOOTER_ORDER = (OUTCOMES, "app.capture", "today.next", "today.call_note", "today.more", "app.find", "session.dial", "app.today", "app.session", "app.box", "app.numbers", "app.palette")
    BINDINGS = [
        *outcome_bindings("today"),
        *card_scroll_bindings("today"),
        Binding("right,space,j", "next", "Next", id="today.next", tooltip="Next card", key_display="→"),
        Binding("left,k", "previous", "Prev", id="today.previous", tooltip="Previous card", show=False),
        Binding("e", "edit", "Edit", id="today.edit", tooltip="Edit the card", show=False),
        Binding("a", "add_note", "Note", id="today.add_note", tooltip="Add a dated note to the card", show=False),
        Binding("tab", "call_note", "Note", id="today.call_note", tooltip="Type a call note for this card's outcome"),
        Binding("c", "channel", "Channel", id="today.channel", show=False, tooltip="Cycle the channel: call, email, text…"),
        Binding("C", "channel(-1)", "Channel back", id="today.channel_back", show=False, tooltip="The channel before: … text, email, call"),
        Binding("g", "reload", "Reload", id="today.reload", show=False, tooltip="Rebuild today's list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.deck = Deck(date.min)
        self._footer_key: tuple | None = None
        self.review = ReviewSummary(0, 0, 0, 0, 0, 0, 0)
        # A call note belongs to the card it was typed on: moving away keeps
        # it with that card, and it comes back with the card.
        self.drafts: dict[int, str] = {}
        # Outcomes logged here whose save has not landed yet, so the counts
        # on screen include them at once.
        self.pending: dict[int, Card] = {}
        self._note_card: int | None = None

    def compose(self) -> ComposeResult:
        yield StatusStrip()
        yield SessionBar()
        with ContentSwitcher(initial="today-card", id="today-switcher"):
            yield IndexCard(id="today-card")
            yield Static(id="today-summary", classes="panel-message")
            yield Static(id="today-empty", classes="panel-message")
        with Vertical(id="call-note-bar"):
            yield Static(id="last-logged")
            yield Input(placeholder="call note — tab to type while you talk; it goes with the next outcome key", id="call-note")
        yield CardboxFooter()

    def on_mount(self) -> None:
        self.build_deck()
        self.app.box_changed.subscribe(self, self.on_box_changed)
        self.set_interval(1.0, self.update_strip, name="review-timer")
        self.watch(self.app, "channel", lambda _channel: self.update_strip(), init=False)
        self.set_focus(None)

    # -- the deck ------------------------------------------------------------

    def build_deck(self, keep: int | None = None) -> None:
        now = self.app.clock()
        today = now.date()
        due = self.app.box.due(today)
        blocked = frozenset(card.id for card in due if self.app.box.block_reason(card))
        # Those that may be called now first; the others say when they open.
        self.deck.build(callable_first(due, now, self.app.rep_zone, blocked, self.app.settings.calls_per_day, self.app.calling_rules), today, keep)
        self.show_current()

    def merge_new_due(self) -> None:
        self.deck.merge(self.app.box.due(self.deck.day))
        self.show_current()

    def current(self) -> Card | None:
        card_id = self.deck.current_id
        if card_id is None:
            return None
        try:
            return self.app.box.get(card_id)
        except CardNotFound:
            return None

    def outcome_card(self) -> Card | None:
        return self.current()

    def call_note(self) -> str:
        if self._note_card != self.deck.current_id:
            return ""  # never another card's draft
        return self.query_one("#call-note", Input).value

    # -- showing -------------------------------------------------------------

    def keep_draft_with_its_card(self) -> None:
        """The note box shows the draft of the card on screen, never another card's."""
        note_input = self.query_one("#call-note", Input)
        showing = self.deck.current_id
        if showing == self._note_card:
            return
        if self._note_card is not None:
            if note_input.value.strip():
                self.drafts[self._note_card] = note_input.value
            else:
                self.drafts.pop(self._note_card, None)
        self._note_card = showing
        note_input.value = self.drafts.get(showing, "") if showing is not None else ""
        if showing is None and note_input.has_focus:
            self.set_focus(None)

    def count_review(self) -> None:
        """Today's review from the box's history: right whatever screen logged it, and after a relaunch."""
        today = self.deck.day if self.deck.day != date.min else self.app.clock().date()
        touched = {card.id: card for card in self.app.box.touched_since(datetime.combine(today, datetime.min.time()))}
        touched.update(self.pending)
        self.review = day_summary(touched.values(), today, self.deck.left, until=self.app.clock())

    def review_seconds(self) -> float:
        """Review time so far, still running while the rep is on a card (a pause of a quarter hour is a break)."""
        review = self.review
        if review.last_at is None:
            return 0.0
        since = (self.app.clock() - review.last_at).total_seconds()
        live = since if self.deck.current_id is not None and 0 < since <= REVIEW_BREAK.total_seconds() else 0.0
        return review.seconds + live

    def show_current(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        deck = self.deck
        self.count_review()
        self.keep_draft_with_its_card()
        # Nothing to work: no note box, and on an empty day no bar at all.
        self.query_one("#call-note", Input).display = deck.current_id is not None
        self.query_one("#call-note-bar").display = deck.total > 0
        if not deck.total:
            switcher.current = "today-empty"
            self.query_one("#today-empty", Static).update(self.empty_message())
        elif deck.finished:
            switcher.current = "today-summary"
            self.query_one("#today-summary", Static).update(self.summary_message())
        else:
            card = self.current()
            if card is None:
                # Deleted elsewhere: drop it and show the next.
                deck.drop_current()
                self.show_current()
                return
            switcher.current = "today-card"
            filed = deck.filed.get(card.id)
            stamp = f"✓ logged: {filed.where}   (ctrl+z undoes)" if filed else ""
            when, block = self.app.call_check(card)
            self.query_one(IndexCard).show(card, self.app.clock(), self.app.box.region, stamp, when=when, block=block)
        self.update_strip()
        self.refresh_footer()

    def refresh_footer(self) -> None:
        """Rebuild the footer only when what it shows changes (it costs a frame or two)."""
        card = self.current()
        today = self.app.clock().date()
        key = (
            self.deck.finished,
            self.deck.can_go_back,
            card is None,
            None if card is None else tuple(refile_hint(card, outcome, today, self.app.box.holidays) for _, outcome, _ in OUTCOME_KEYS),
        )
        if key != self._footer_key:
            self._footer_key = key
            self.refresh_bindings()

    def update_strip(self) -> None:
        if self.deck.day != date.min and self.app.clock().date() != self.deck.day:
            # Left open past midnight: a new day has its own cards.
            self.build_deck()
            return
        deck = self.deck
        elapsed = self.review_seconds()
        # (text, rank): at 80 columns the least needed parts go first, whole.
        parts: list[tuple[str, int]] = [("Today", 0)]
        if not deck.total:
            parts.append(("nothing due", 0))
        elif deck.finished and deck.left:
            # The same count the summary below gives: never "all done" over cards not worked.
            parts += [("end of the cards", 0), (f"{deck.left} not worked yet", 0), ("← goes back", 3)]
        elif deck.finished:
            parts += [(f"all {deck.total} done", 0), (clock_words(elapsed), 3)]
        else:
            parts.append((f"card {deck.index + 1} of {deck.total}", 0))
            if deck.overdue_left:
                parts.append((f"{deck.overdue_left} overdue", 0))  # what matters most: kept at any width
            if deck.left < deck.total:
                parts.append((f"{deck.left} to go", 2))
            if elapsed:
                parts.append((f"{clock_words(elapsed)} into today's review", 4))
        channel = getattr(self.app, "channel", "call")
        if channel != "call":
            parts.append((f"logging as {channel}", 0))  # it changes what an outcome key logs
        where = parts
        self.query_one(StatusStrip).show(where)

    def summary_message(self) -> Content:
        s = self.review
        rate = f"{round(100 * s.answer_rate)}%" if s.answer_rate is not None else "—"
        left = s.left
        elapsed = s.seconds
        lines = [
            Content.styled("Today's review is done" if not left else "End of today's cards", "bold $accent"),
            Content(""),
            Content.assemble(("worked        ", "$text-muted"), (str(s.worked), "bold")),
            Content.assemble(("answered      ", "$text-muted"), (f"{s.answered}", "bold"), f"  ({rate} of the cards worked)"),
            Content.assemble(("appointments  ", "$text-muted"), (f"{s.appointments}", "bold")),
            Content.assemble(("sales         ", "$text-muted"), (f"{s.sales}", "bold")),
            Content.assemble(("re-filed      ", "$text-muted"), (f"{s.refiled}", "bold")),
            Content.assemble(("not now       ", "$text-muted"), (f"{s.set_aside}", "bold")),
            *([Content.assemble(("do not call   ", "$text-muted"), (f"{s.do_not_call}", "bold"))] if s.do_not_call else []),
            Content.assemble(("time          ", "$text-muted"), (clock_words(elapsed), "bold")),
            Content(""),
        ]
        if left:
            lines.append(Content.styled(f"{left} card{'s' if left != 1 else ''} not worked yet — ← goes back to them", "$warning"))
        lines.append(Content.styled(f"{self.hints()} · back to dialing!", "$text-muted"))
        return Content("\n").join(lines)

    def hints(self) -> str:
        # Read from the live bindings: a keymap that moves find moves the hint too.
        return (f"{self.key_for('app.capture', 'n')} new card · {self.key_for('app.find', '/')} find · "
                f"{self.key_for('app.box', 'f4')} the whole box")

    def empty_message(self) -> Content:
        today = self.app.clock().date()
        upcoming = []
        for offset in range(1, 8):
            day = today + timedelta(days=offset)
            count = sum(1 for card in self.app.box.due(day) if card.due and card.due.first_day == day)
            if count:
                upcoming.append(f"{day_words(day, year=False)}: {count}")
            if len(upcoming) == 3:
                break
        lines = [
            Content.styled("Nothing due today — back to dialing.", "bold $accent"),
            Content(""),
            Content("Coming up: " + (" · ".join(upcoming) if upcoming else "nothing in the next week")),
            Content(""),
            Content.styled(f"{self.hints()} · {self.key_for('app.help', '?')} every key", "$text-muted"),
        ]
        return Content("\n").join(lines)

    # -- moving --------------------------------------------------------------

    def action_next(self) -> None:
        self._last_outcome = ("", 0.0)  # moving on purpose: the next key is meant
        self.deck.next()
        self.show_current()

    def action_previous(self) -> None:
        self._last_outcome = ("", 0.0)
        self.deck.previous()
        self.show_current()

    # -- logging -------------------------------------------------------------

    def file_outcome(self, card: Card, outcome: str, window: DueWindow | None, note: str, opted_in: bool) -> None:
        filed = self.log_request(card, outcome, window, note, opted_in)
        note_input = self.query_one("#call-note", Input)
        if self._note_card == card.id:
            note_input.value = ""
        self.drafts.pop(card.id, None)
        logged = Attempt(self.app.clock(), self.app.channel, outcome, note, filed.due)
        self.pending[card.id] = card.with_changes(attempts=(*card.attempts, logged))

        def failed(error: BaseException) -> None:
            self.pending.pop(card.id, None)
            self.deck.unfile(card.id, filed)
            self.query_one("#last-logged", Static).update(
                Content.assemble(("✗ ", "$error bold"), (shown(card.name, one_line=True), "bold"), ": not saved — the card is still to work")
            )
            # The note goes back with its own card (not onto the one now on screen).
            if note and not self.drafts.get(card.id):
                if self._note_card == card.id:
                    if not note_input.value:
                        note_input.value = note
                else:
                    self.drafts[card.id] = note
            self.show_current()

        # Show the next card first; the save starts after that frame is drawn
        # (serialising the box holds the interpreter lock for a while).
        self.app.change_box_after_refresh(
            f"“{filed.where}” for {card.name}",
            self.app.box.log,
            card.id,
            outcome,
            channel=self.app.channel,
            note=note,
            next_window=window,
            opted_in=opted_in,
            on_error=failed,
        )
        self.query_one("#last-logged", Static).update(
            Content.assemble(("✓ ", "$success bold"), (shown(card.name, one_line=True), "bold"), f": {shown(filed.where, one_line=True)}",
                             ("   ctrl+z undoes", "$text-muted"))
        )
        self.deck.file(card.id, filed)
        self.show_current()

    def on_box_changed(self, event: BoxChanged) -> None:
        change = event.change
        if change is not None:
            self.pending.pop(change.card_id, None)  # saved (or undone): the history has it now
        if event.undone and change is not None and change.kind == "log":
            self.deck.unfile(change.card_id)
            self.deck.go_to(change.card_id)
            # The line under the card follows the undo; it must not still claim the outcome.
            name = shown(change.before.name, one_line=True) if change.before is not None else "the card"
            self.query_one("#last-logged", Static).update(
                Content.assemble(("↶ ", "$warning bold"), (name, "bold"), ": outcome undone — the card is back to work")
            )
        if change is None:
            self.merge_new_due()  # another window: anything may have changed
        else:
            card = change.after if not event.undone else change.before
            if card is not None and change.kind == "edit":
                self.deck.leave(card)  # re-dated out of today with e: off today's flip
            self.deck.merge_card(card)
            self.show_current()

    # -- call note, edit, note ------------------------------------------------

    def action_call_note(self) -> None:
        self.set_focus(self.query_one("#call-note", Input))  # at once: the keys typed next go in

    @on(Input.Submitted, "#call-note")
    def _call_note_done(self) -> None:
        self.set_focus(None)

    def key_escape(self) -> None:
        if self.focused is not None:
            self.set_focus(None)

    def action_reload(self) -> None:
        self.build_deck(keep=self.deck.current_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.deck.current_id is None and action in ("edit", "add_note", "call_note", "scroll_card", "next", "channel"):
            # The review is done (or nothing is due): keys for a card on screen are not offered, not just greyed.
            return False
        if action in ("edit", "add_note") and self.current() is None:
            return None  # a card that cannot be read
        if action == "next" and not self.deck.can_go_on:
            return None
        if action == "previous" and not self.deck.can_go_back:
            return None
        return super().check_action(action, parameters)

    def palette_commands(self):
        yield from screen_commands(self)
