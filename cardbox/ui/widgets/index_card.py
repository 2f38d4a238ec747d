"""The index card on screen: everything the rep needs while dialing.

Drawn top to bottom in the order a rep uses it on a callback: who and
which number, when they asked to be called and why (restated on the
call), the notes, then the history, newest first.
"""

from __future__ import annotations

from datetime import datetime

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cardbox.core import outcomes
from cardbox.core.calling_hours import NO_PHONE, WhenToCall
from cardbox.core.card import Card, address_text
from cardbox.core.phone import display
from cardbox.core.pickup import nudge, picked_up
from cardbox.core.review import describe_due
from cardbox.core.text import shown
from cardbox.core.window import day_words


def span_words(first: datetime, last: datetime) -> str:
    days = (last.date() - first.date()).days
    if days < 1:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 70:
        return f"{days // 7} weeks"
    return f"{round(days / 30.4)} months"


def window_line(card: Card, now: datetime) -> Content:
    if card.due is None:
        return Content.assemble(("no date yet", "$card-overdue bold"), " — press e to give it one")
    urgency = describe_due(card, now)
    style = "$card-overdue bold" if urgency.startswith("overdue") else "$card-due bold"
    phrase = f"“{shown(card.due.phrase, one_line=True)}” · " if card.due.phrase else ""
    line = Content.assemble((phrase, "italic"), (shown(card.due.label, one_line=True), ""), " · ", (urgency, style))
    agreed = card.agreed
    if agreed is not None and card.agreed_differs:
        # What the prospect asked for stays beside the cool-down date.
        asked = shown(f"“{agreed.phrase}” · {agreed.label}" if agreed.phrase else agreed.label, one_line=True)
        passed = " (passed)" if agreed.last_day < now.date() else ""
        line = Content.assemble(line, "\n", ("they asked for ", "$card-muted"), (asked, "italic"), (passed, "$card-muted"))
    return line


def history_lines(card: Card) -> Content:
    attempts = card.attempts
    if not attempts:
        return Content.styled("no attempts yet — this is the first call", "$card-muted italic")
    talked = sum(1 for a in attempts if outcomes.reached(a.outcome))
    head = Content.assemble(
        (f"{len(attempts)} attempt{'s' if len(attempts) != 1 else ''}", "bold"),
        f" over {span_words(attempts[0].at, attempts[-1].at)}" if len(attempts) > 1 else "",
        f" · reached {talked}×" if talked else " · never reached",
    )
    lines = [head]
    for attempt in reversed(attempts):
        refiled = f" → {shown(attempt.next.label, one_line=True)}" if attempt.next else ""
        lines.append(
            Content.assemble(
                (f"{day_words(attempt.at.date())} {attempt.at:%H:%M}", "$card-muted"),
                f"  {shown(attempt.channel, one_line=True):<9} ",
                (outcomes.words(attempt.outcome), "bold"),
                (refiled, "$card-muted"),
                (f" — {shown(attempt.note)}" if attempt.note else "", "italic"),
            )
        )
    return Content("\n").join(lines)


def clock_line(when: WhenToCall | None, now: datetime, block: str) -> Content:
    """Their clock beside yours, and whether calling now is inside calling hours."""
    if block:
        return Content.assemble(("✗ DO NOT CALL", "$card-overdue bold"), f" — {shown(block, one_line=True)}; the card is kept on record")
    if when is None:
        return Content("")
    parts: list[str | tuple[str, str]] = []
    if when.local_times:
        theirs = when.local_times[0]
        more = f" (+{len(when.zones) - 1} zone{'s' if len(when.zones) > 2 else ''})" if len(when.zones) > 1 else ""
        parts += [(f"{theirs:%-I:%M %p} their time", "bold"), f"{more} · {now:%-I:%M %p} yours · "]
    if when.callable_now:
        parts.append(("✓ inside calling hours", "$card-due"))
    elif when.why_not == NO_PHONE:
        parts.append(("no number to call", "$card-muted italic"))
    else:
        opens = f" — opens {when.opens:%H:%M}" + ("" if when.opens and when.opens.date() == now.date() else f" {when.opens:%a}") if when.opens else ""
        parts.append((f"✗ not now: {when.why_not}{opens}", "$card-overdue bold"))
    return Content.assemble(*parts)


class IndexCard(VerticalScroll, can_focus=False):
    """One card, drawn like the paper one. Long histories scroll."""

    def compose(self):
        yield Static(id="card-title")
        yield Static(id="card-contact")
        yield Static(id="card-clock")
        yield Static(id="card-pickup")
        yield Static(id="card-stamp")
        yield Static("WHEN", classes="card-label")
        yield Static(id="card-when")
        yield Static("WHY THEY WANT THE CALL", classes="card-label")
        yield Static(id="card-why")
        yield Static("NOTES", classes="card-label", id="card-notes-label")
        yield Static(id="card-notes")
        yield Static("HISTORY", classes="card-label")
        yield Static(id="card-history")

    def show(self, card: Card, now: datetime, region: str, stamp: str = "", when: WhenToCall | None = None, block: str = "") -> None:
        title = Content.assemble(
            (shown(card.name, one_line=True), "bold $card-heading"),
            (f"  ·  {shown(card.company, one_line=True)}" if card.company else "", "bold"),
            (f"   #{card.id}", "$card-muted"),
            ("" if card.status == "active" else f"  [{card.status}]", "$card-hot bold"),
        )
        self.query_one("#card-title", Static).update(title)
        contact: list[str | tuple[str, str]] = []
        for number in card.phones:
            # A do-not-call number is struck through: it is on record, never to be dialled.
            contact.append((f"☎ {shown(display(number, region), one_line=True)}", "strike $card-muted" if block else "bold"))
            contact.append("   ")
        if card.email:
            contact.append((f"✉ {shown(card.email, one_line=True)}", ""))
            if card.emails:
                contact.append((f" (+{len(card.emails)} more)", "$card-muted"))
        if card.address:
            contact.append((f"   ⌂ {shown(address_text(card.address), one_line=True)}", "$card-muted"))
        if card.tags:
            contact.append(("   " + " ".join(f"#{shown(tag, one_line=True)}" for tag in card.tags), "$card-muted"))
        if not card.phones and not card.email:
            contact.append(("no phone or email on this card", "$card-muted italic"))
        self.query_one("#card-contact", Static).update(Content.assemble(*contact))
        self.query_one("#card-clock", Static).update(clock_line(when, now, block))
        habit, advice = picked_up(card), nudge(card)
        pickup = self.query_one("#card-pickup", Static)
        pickup.update(Content.assemble((habit, "$card-muted"), ("\n" if habit and advice else "", ""), (f"→ {advice}" if advice else "", "$card-hot")))
        pickup.display = bool(habit or advice)
        stamp_widget = self.query_one("#card-stamp", Static)
        stamp_widget.update(Content.styled(stamp, "bold $card-due") if stamp else "")
        stamp_widget.display = bool(stamp)
        self.query_one("#card-when", Static).update(window_line(card, now))
        if card.why:
            why = Content.styled(shown(card.why), "bold")
        elif card.is_lead:
            why = Content.styled("a lead: nobody has spoken to them yet — find out what they need", "$card-muted italic")
        else:
            why = Content.styled("no reason given — ask why; without one it is probably a brush-off", "$card-overdue italic")
        self.query_one("#card-why", Static).update(why)
        self.query_one("#card-notes", Static).update(Content(shown(card.notes)) if card.notes else Content.styled("—", "$card-muted"))
        self.query_one("#card-history", Static).update(history_lines(card))
        self.scroll_home(animate=False)
