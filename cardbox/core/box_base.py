"""The box's cards as they are read: each card built when first asked for, damaged ones named, do-not-call numbers.

`Box` (cardbox.core.box) is this, plus the lists the screens ask for
(`box_lists`), imports (`box_imports`) and the changes (`box`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Container, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from cardbox.core import importing
from cardbox.core import phone as phones_mod
from cardbox.core.box_codec import META_TABLE
from cardbox.core.box_errors import BoxCorrupt, BoxError
from cardbox.core.card import Card, card_damage, clean_text
from cardbox.core.cardtable import CardMisplaced, CardTable, Head
from cardbox.core.errors import CardError
from cardbox.core.finder import SearchIndex, fold
from cardbox.core.session import SessionBook
from cardbox.core.stamps import stamp
from cardbox.core.storage import SafeStorage
from cardbox.core.window import DueWindow


def _name_words(name: str) -> list[str]:
    return [word for word in re.split(r"[^\w]+", fold(name)) if word]  # folded as find folds them


def same_person(one: str, other: str) -> bool:
    """Two names for one person: the same words (accents, case and order aside), or first and last names that
    agree, an initial standing for its word ("J. Smith" and "John Smith", "Dana W." and "Dana Whitfield").
    "Front desk" and "Ann Lee" at one number are two people."""
    a, b = _name_words(one), _name_words(other)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    if len(a) < 2 or len(b) < 2:
        return False

    def alike(x: str, y: str) -> bool:  # "w" and "whitfield" are alike: an initial stands for the word
        return x == y or (min(len(x), len(y)) == 1 and x[0] == y[0])

    return alike(a[0], b[0]) and alike(a[-1], b[-1])


def meta_count(meta: Mapping[str, Any], key: str) -> int:
    """A counter kept in the box's meta (next_id, next_dnc), read as untrusted: anything but a whole number
    counts as 1, and the caller takes the larger of it and what the box itself shows."""
    value = meta.get(key, 1)
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return max(1, int(str(value)))
        except ValueError:
            return 1
    return max(1, value)


class CardDamaged(BoxCorrupt):
    """One card in the file cannot be read: it costs that card, never the others. `problem` says what, shortly."""

    def __init__(self, path: Path, key: str, what: str) -> None:
        self.problem = f"card {key} is damaged ({what})"
        super().__init__(f"{path}: {self.problem}; it is left as it is in the file. "
                         "Restore a backup (cardbox backups) or fix that entry by hand")


class CardNotFound(CardError):
    pass


if TYPE_CHECKING:
    from cardbox.core.numbers import Ledger

_EMPTY = CardTable({})
COUNTED_RUN = 256
PILE_SORTS: tuple[str, ...] = ("due", "name", "company", "touched", "attempts")
FAR_DAY = "9999"


def pile_key(sort: str, raw: Head) -> Any:
    # Sorted on the cards' heads: a pile of 10k cards is ordered without
    # building 10k Card objects.
    name = fold(raw.name)
    if sort == "due":
        # By when each window opens (overdue ones opened first), then when it closes: "due" as a rep reads it —
        # a card opening in 3 days comes before one opening in 8, however long either stays open.
        due = raw.due
        return (due.start[:16] if due and due.start else FAR_DAY, due.end[:10] if due and due.end else FAR_DAY, name)
    if sort == "name":
        return name
    if sort == "company":
        return (fold(raw.company), name)
    if sort == "touched":
        # Newest first; ISO stamps sort as text, so invert each character.
        return "~" + "".join(chr(0x10FFFF - ord(ch)) for ch in raw.updated[:19])
    return 0  # "attempts": counted by pile() from the cards' bytes


@dataclass(frozen=True, slots=True)
class Change:
    """What one change did, so it can be undone: the card before and after."""

    kind: str  # "add", "log", "edit", "note", "delete", "restore"
    before: Card | None
    after: Card | None
    # Rows this change put on the do-not-call list (key → number): an undo takes them off again.
    dnc_rows: tuple[tuple[str, str], ...] = ()

    @property
    def card_id(self) -> int:
        card = self.after or self.before
        assert card is not None
        return card.id

    @property
    def card(self) -> Card:
        """The card as the change left it (a delete leaves none: ask `before`)."""
        if self.after is None:
            raise CardNotFound(f"card {self.card_id} was deleted by this change")
        return self.after


@dataclass
class ImportReport:
    layout: str
    rows: int
    skipped: list[tuple[int, str]]
    imported: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    record: str = ""  # the import's key in the `imports` table (for undo)
    remarks: list[tuple[int, str]] = field(default_factory=list)  # rows imported with something left out
    places: list[tuple[str, str, int]] = field(default_factory=list)  # (column or property, where it went, values)
    blocked: list[str] = field(default_factory=list)  # numbers put on the do-not-call list (the file said so)

    def to_json(self) -> dict[str, Any]:
        return {"layout": self.layout, "rows": self.rows, "imported": len(self.imported), "merged": len(self.merged),
                "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped], "card_ids": self.imported,
                "remarks": [{"line": line, "note": note} for line, note in self.remarks],
                "do_not_call": self.blocked,
                "columns": [{"column": column, "went_to": where, "values": count} for column, where, count in self.places],
                "not_mapped": [{"column": column, "went_to": where, "values": count} for column, where, count in self.not_mapped]}

    @property
    def not_mapped(self) -> list[tuple[str, str, int]]:
        """The columns with values that have no field of their own (importing.not_mapped)."""
        return importing.not_mapped(self.places)


NEEDS_A_DATE = "needs-a-date"


def label_for(window: DueWindow) -> str:
    """A label for a window read back from a file (the phrase reader's style)."""
    from cardbox.core.window import day_words

    if window.first_day == window.last_day:
        return day_words(window.first_day) + (f" {window.start:%H:%M}" if window.timed else "")
    return f"{day_words(window.first_day, year=False)} – {day_words(window.last_day)}"


class BoxBase:
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], datetime],
        region: str = "US",
        holidays: Container[date] = (),
        lock_timeout: float = 10.0,
        loading: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.clock = clock
        self.region = region
        # Days the cool-down skips besides weekends (see cardbox.core.days_off).
        self.holidays = holidays
        self.storage = SafeStorage(path, clock=clock, lock_timeout=lock_timeout, loading=loading)
        # Dialing sessions live in the same file, behind the same lock.
        self.sessions = SessionBook(self.storage, clock)
        # id -> (the raw dict it was built from, the object); see _sync.
        # id -> (the table's token for the card's bytes, the Card built from them)
        self._cards: dict[int, tuple[object, Card]] = {}
        self._ledger: tuple[int, Ledger] | None = None
        # Cards in the file that cannot be read, by id, with what is wrong: left out of every list, named to the rep.
        self.damaged: dict[int, str] = {}
        self._dnc: dict[str, dict[str, Any]] = {}
        self._dnc_of: object = None
        self._finder: SearchIndex | None = None
        self._by_updated: tuple[Mapping[str, Head | None], list[str], list[str]] | None = None
        self._due_memo: tuple[Mapping[str, Head | None], date, list[Card]] | None = None
        self._generation = self.storage.loads

    def _now(self) -> datetime:
        # Stamps are kept to the second in the file; keep them so in memory too.
        return self.clock().replace(microsecond=0)

    @property
    def path(self) -> Path:
        return self.storage.path

    # -- reading --------------------------------------------------------

    def _raw_cards(self) -> CardTable:
        """The cards as the file holds them: each parsed when it is read (see cardbox.core.cardtable)."""
        data = self.storage.read() or {}
        table = data.get("cards")
        return table if isinstance(table, CardTable) else _EMPTY

    def _heads(self) -> Mapping[str, Head | None]:
        """What lists, sorting and find read of every card, without parsing whole cards (None: damaged)."""
        return self._raw_cards().heads

    def _sync(self) -> None:
        # After the box was read anew every cached object is stale: drop them to free memory.
        # A change saved here or a journal line picked up keeps them: each entry is checked
        # against the card's bytes (token) or head it was built from, so a reader never sees
        # a stale card, and find stays warm after an outcome in a box of 100k cards.
        if self._generation != self.storage.loads:
            self._cards.clear()
            self._finder = None
            self._by_updated = None
            self._due_memo = None
            self._generation = self.storage.loads

    def _card_from_raw(self, key: str, raw: dict[str, Any]) -> Card:
        try:
            card = Card.from_dict(raw)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as err:
            what = f"no {err.args[0]!r}" if isinstance(err, KeyError) else str(err) if not isinstance(err, RecursionError) else "nested too deep"
            raise CardDamaged(self.path, key, what) from None
        if str(card.id) != key:
            raise CardDamaged(self.path, key, f"it says it is card #{card.id}; its id should be {key}")
        return card

    def get(self, card_id: int) -> Card:
        self._sync()
        table = self._raw_cards()
        key = str(card_id)
        if key not in table:
            raise CardNotFound(f"no card #{card_id} in this box; find it with: cardbox find NAME")
        token = table.token(key)
        cached = self._cards.get(card_id)
        if cached is not None and cached[0] is token:
            return cached[1]
        try:
            raw = table[key]
        except (orjson.JSONDecodeError, RecursionError) as err:  # bytes that are not UTF-8 JSON: that card only
            raise CardDamaged(self.path, key, f"its bytes do not read: {err}") from None
        except (CardMisplaced, OSError) as err:
            raise self._unreadable(key, err) from None
        card = self._card_from_raw(key, raw)
        self._cards[card_id] = (token, card)
        return card

    def _unreadable(self, key: str, err: CardMisplaced | OSError) -> BoxError:
        """What to raise when a card's bytes cannot be read from the open box file."""
        if isinstance(err, CardMisplaced):
            # The index beside the box placed the card wrongly (someone rewrote the box in place, keeping
            # its size and times): it is only derived, so it goes, and the next open reads the box itself.
            self.storage.drop_index()
            return BoxError(f"{self.path}: the index beside the box does not match it and has been removed; "
                            "open the box again (close cardbox and start it again)")
        return BoxError(f"cannot read card {key} from {self.path} ({err.strerror or err}); "
                        "open the box again (close cardbox and start it again)")

    def __len__(self) -> int:
        return len(self._raw_cards())

    def ids(self) -> list[int]:
        found = []
        for key in self._raw_cards():
            if key.isdigit():
                found.append(int(key))
            else:
                self.damaged[-1] = f"a card filed under {key!r}, which is not a card number, is left as it is"
        return found

    def box_id(self) -> str:
        """The box's own id (meta "box_id", given at its first whole write): "" for a box not written since."""
        meta = self.storage.data()[META_TABLE].get("1") or {}
        value = meta.get("box_id")
        return value if isinstance(value, str) and value.isalnum() else ""

    def gone_ids(self) -> list[int]:
        """The ids of deleted cards: ids are never reused, so every one below the next that no card holds."""
        held = set(self.ids())
        meta = self.storage.data()[META_TABLE].get("1") or {}
        try:
            top = meta_count(meta, "next_id")
        except (TypeError, ValueError):
            top = max(held, default=0) + 1
        return [card_id for card_id in range(1, min(top, max(held, default=0) + 1_000_000)) if card_id not in held]

    def cards(self) -> list[Card]:
        """Every readable card (a damaged one is left out and named in `damaged`)."""
        return self._readable(self.ids())

    def _readable(self, ids: Iterable[int]) -> list[Card]:
        found = []
        for card_id in ids:
            try:
                found.append(self.get(card_id))
            except BoxCorrupt as err:
                self.damaged[card_id] = err.problem if isinstance(err, CardDamaged) else str(err)
        return found

    def check_damage(self) -> dict[int, str]:
        """Name the damaged cards: those whose head (id, name, stamps, window …) does not read.
        (A card damaged deeper in its history is named when it is read.)"""
        table = self._raw_cards()
        for key, head in table.heads.items():
            if head is None:
                try:
                    problem = card_damage(table[key]) or "a field of the wrong kind"
                except (orjson.JSONDecodeError, RecursionError) as err:
                    problem = f"its bytes do not read ({err})"
                except (CardMisplaced, OSError) as err:
                    raise self._unreadable(key, err) from None
                self.damaged[int(key) if key.isdigit() else -1] = f"card {key} is damaged ({problem})"
        return self.damaged

    # -- do not call ---------------------------------------------------------

    def _dnc_rows(self) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = (self.storage.read() or {}).get("dnc", {})
        return rows

    def dnc_numbers(self) -> dict[str, dict[str, Any]]:
        """The numbers on the box's do-not-call list (E.164 → the request: when, how, note)."""
        rows = self._dnc_rows()
        # Asked for every card shown or listed: rebuilt only when the list changed (saves copy the table).
        if self._dnc_of is not rows:
            self._dnc = {str(row.get("number")): row for row in rows.values() if isinstance(row, dict)}
            self._dnc_of = rows
        return self._dnc

    def block_reason(self, card: Card) -> str:
        """Why `card` may not be called ("" when it may): marked do-not-call, or a number on the list."""
        if card.status == "do-not-call":
            return "marked do-not-call"
        listed = self.dnc_numbers()
        for number in card.phones:
            if number in listed:
                added = str(listed[number].get("added", ""))[:10]
                # Written as the rep reads numbers everywhere else: "(312) 555-0154", not "+13125550154".
                return f"{phones_mod.display(number, self.region)} is on the do-not-call list" + (f" since {added}" if added else "")
        return ""

    def _dnc_put(self, numbers: Iterable[str], *, how: str, note: str, now: datetime,
                 changes: dict[str, Any]) -> tuple[list[str], list[str], tuple[tuple[str, str], ...]]:
        """Add the numbers' rows to `changes` (one put with whatever else it holds): (added, already there, rows)."""
        listed = self.dnc_numbers()
        rows: dict[str, dict[str, Any] | None] = {}
        meta = dict(changes.get(META_TABLE, {}).get("1") or self.storage.data()[META_TABLE].get("1") or {})
        next_row = max(meta_count(meta, "next_dnc"), max((int(k) for k in self._dnc_rows() if str(k).isdigit()), default=0) + 1)
        added: list[str] = []
        already: list[str] = []
        keys: list[tuple[str, str]] = []
        for number in numbers:
            if number in listed or number in added:
                already.append(number)
                continue
            rows[str(next_row)] = {"number": number, "added": stamp(now), "how": how, "note": note}
            keys.append((str(next_row), number))
            next_row += 1
            added.append(number)
        if rows:
            meta["next_dnc"] = next_row
            changes["dnc"] = rows
            changes[META_TABLE] = {"1": meta}
        return added, already, tuple(keys)

    def dnc_add(self, numbers: Iterable[str], *, how: str, note: str = "") -> tuple[list[str], list[str]]:
        """Put numbers on the do-not-call list: (added, already there). CardError for one that does not read."""
        wanted = [phones_mod.normalize(number, self.region) for number in numbers]
        note = clean_text(note, "the note", 500, field="note")
        now = self._now()
        with self.storage.locked():
            changes: dict[str, Any] = {}
            added, already, _rows = self._dnc_put(wanted, how=how, note=note, now=now, changes=changes)
            if changes:
                self.storage.put(changes)
        return added, already

    def _next_id(self) -> int:
        data = self.storage.data()
        meta = data[META_TABLE].get("1", {})
        highest = max((int(k) for k in data["cards"] if k.isdigit()), default=0)
        # Never reuse an id, even of a deleted card: an undo or another
        # window may still hold it.
        return max(meta_count(meta, "next_id"), highest + 1)

