"""The box: every card a rep has, behind one small API.

Screens and commands ask the box for "cards due on a day" or "log this
outcome"; they never touch TinyDB or the file. Each change is one locked,
durable save that first catches up with any change another process made,
so two windows (or the app and `cardbox add`) never lose each other's work.
Reads come from memory; `Card` objects are built lazily, because a box of
100k cards is mostly cards nobody looks at today.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cardbox.core.box_base import (
    NEEDS_A_DATE,
    PILE_SORTS,
    CardDamaged,
    CardNotFound,
    Change,
    ImportReport,
    meta_count,
    same_person,
)
from cardbox.core.box_codec import META_TABLE
from cardbox.core.box_imports import BoxImports
from cardbox.core.card import Attempt, Card, clean_fields, clean_text
from cardbox.core.documents import stored
from cardbox.core.errors import CardError
from cardbox.core.outcomes import STATUSES, check_channel
from cardbox.core.outcomes import outcome as outcome_named
from cardbox.core.refile import plan_refile
from cardbox.core.window import DueWindow

# The box's public face: what screens and commands import from here, wherever it is defined.
__all__ = ["NEEDS_A_DATE", "PILE_SORTS", "Box", "CardDamaged", "CardNotFound", "Change", "ImportReport", "same_person"]


class Box(BoxImports):
    """Every card a rep has: read (box_base), listed (box_lists), imported (box_imports), changed (here)."""

    # -- changing -------------------------------------------------------

    def _save(self, card: Card | None, *, remove: int | None = None, new_id: bool = False) -> None:
        """Write one change durably. Copy-on-write: readers on other threads keep
        iterating the box they started with, and a failed write leaves memory
        exactly as it was."""
        cards: dict[str, dict[str, Any] | None] = {}
        changes = {"cards": cards}
        if remove is not None:
            cards[str(remove)] = None
        if card is not None:
            cards[str(card.id)] = stored(card.to_dict())
        if new_id and card is not None:
            meta = dict(self.storage.data()[META_TABLE].get("1", {}))
            meta["next_id"] = max(meta_count(meta, "next_id"), card.id + 1)
            changes[META_TABLE] = {"1": meta}
        self.storage.put(changes)
        self._generation = self.storage.loads


    def validate_new(
        self,
        name: str,
        *,
        company: str = "",
        phones: Iterable[str] = (),
        email: str = "",
        why: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
    ) -> dict[str, Any]:
        """Clean and check capture fields; CardError names the first bad one."""
        return clean_fields(name, company=company, phones=phones, email=email, why=why, notes=notes, tags=tags, region=self.region)

    def add(
        self,
        name: str,
        *,
        company: str = "",
        phones: Iterable[str] = (),
        email: str = "",
        due: DueWindow | None = None,
        why: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
        status: str = "active",
    ) -> Change:
        fields = self.validate_new(name, company=company, phones=phones, email=email, why=why, notes=notes, tags=tags)
        if status not in STATUSES:
            raise CardError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}", field="status")
        now = self._now()
        with self.storage.locked():
            card = Card(id=self._next_id(), created=now, updated=now, due=due, captured=due, status=status, **fields)
            self._save(card, new_id=True)
        return Change("add", None, card)

    def log(
        self,
        card_id: int,
        outcome: str,
        *,
        channel: str = "call",
        note: str = "",
        next_window: DueWindow | None = None,
        opted_in: bool = False,
    ) -> Change:
        outcome_named(outcome)
        check_channel(channel)
        note = clean_text(note, "the note", field="note")
        now = self._now()
        with self.storage.locked():
            before = self.get(card_id)
            block = self.block_reason(before)
            if block:
                # A hard block: a do-not-call card is never logged as called. Its record stays.
                raise CardError(f"#{before.id} {before.name} is do-not-call ({block}); it can't be called or logged. "
                                "The card and the request are kept on record", field="outcome")
            refile = plan_refile(
                outcome,
                streak_before=before.unanswered_streak,
                today=now.date(),
                next_window=next_window,
                opted_in=opted_in,
                holidays=self.holidays,
            )
            attempt = Attempt(at=now, channel=channel, outcome=outcome, note=note, next=refile.due)
            after = before.with_changes(
                attempts=(*before.attempts, attempt), status=refile.status, due=refile.due, updated=now
            )
            changes: dict[str, Any] = {"cards": {str(after.id): after.to_dict()}}
            rows: tuple[tuple[str, str], ...] = ()
            if refile.status == "do-not-call":
                # A request not to be called is about the number: every card with it is blocked, in one change.
                how = f"asked on the {channel} (card #{after.id} {after.name})"
                _added, _already, rows = self._dnc_put(after.phones, how=how, note=note, now=now, changes=changes)
            self.storage.put(changes)
            self._generation = self.storage.loads
        return Change("log", before, after, rows)

    def edit(self, card_id: int, **changes: Any) -> Change:
        """Change a card's fields (not its history)."""
        allowed = {"name", "company", "phones", "email", "due", "why", "notes", "tags", "status"}
        unknown = set(changes) - allowed
        if unknown:
            raise CardError(f"cannot edit {', '.join(sorted(unknown))}")
        if "status" in changes and changes["status"] not in STATUSES:
            raise CardError(f"unknown status {changes['status']!r}; use one of: {', '.join(STATUSES)}", field="status")
        now = self._now()
        with self.storage.locked():
            before = self.get(card_id)
            merged: dict[str, Any] = {
                "name": before.name, "company": before.company, "phones": before.phones,
                "email": before.email, "why": before.why, "notes": before.notes, "tags": before.tags,
            }
            merged.update({k: v for k, v in changes.items() if k in merged})
            fields = self.validate_new(**merged)
            extra = {k: changes[k] for k in ("due", "status") if k in changes}
            after = before.with_changes(updated=now, **fields, **extra)
            self._save(after)
        return Change("edit", before, after)

    def add_note(self, card_id: int, text: str) -> Change:
        """Append a dated line to the card's notes (to the notes as saved, not as last seen)."""
        line = clean_text(text, "the note")
        if not line:
            raise CardError("the note is empty")
        now = self._now()
        stamped = f"{now:%Y-%m-%d}: {line}"
        with self.storage.locked():
            before = self.get(card_id)
            notes = f"{before.notes}\n{stamped}" if before.notes else stamped
            after = before.with_changes(notes=clean_text(notes, "the notes"), updated=now)
            self._save(after)
        return Change("note", before, after)

    def replace_card(self, card: Card) -> Change:
        """Write a card exactly as given, history and all (an import, a repair)."""
        with self.storage.locked():
            before = self.get(card.id)
            self._save(card)
        return Change("edit", before, card)

    def delete(self, card_id: int) -> Change:
        with self.storage.locked():
            before = self.get(card_id)
            self._save(None, remove=card_id)
        return Change("delete", before, None)

    def undo(self, change: Change) -> Change:
        """Put the card back as it was before `change`."""
        with self.storage.locked():
            if change.after is not None:
                try:
                    current = self.get(change.after.id)
                except CardNotFound:
                    current = None
                if current != change.after:
                    raise CardError(
                        f"card #{change.after.id} was changed again since (another window?); "
                        "undo would overwrite that, so it was not undone"
                    )
            changes: dict[str, Any] = {"cards": {}}
            if change.before is None:
                assert change.after is not None
                changes["cards"][str(change.after.id)] = None
            else:
                changes["cards"][str(change.before.id)] = change.before.to_dict()
            if change.dnc_rows:
                # Off the list again, the rows this change put there (a row added since by other means stays).
                current_rows = self._dnc_rows()
                changes["dnc"] = {key: None for key, number in change.dnc_rows
                                  if isinstance(current_rows.get(key), dict) and current_rows[key].get("number") == number}
            self.storage.put(changes)
            self._generation = self.storage.loads
        return Change("restore", change.after, change.before)

