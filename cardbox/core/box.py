"""The box: every card a rep has, behind one small API.

Screens and commands ask the box for "cards due on a day" or "log this
outcome"; they never touch TinyDB or the file. Each change is one locked,
durable save that first catches up with any change another process made,
so two windows (or the app and `cardbox add`) never lose each other's work.
Reads come from memory; `Card` objects are built lazily, because a box of
100k cards is mostly cards nobody looks at today.
"""

from __future__ import annotations

import os
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from cardbox.core import importing
from cardbox.core import phone as phones_mod
from cardbox.core.box_codec import META_TABLE
from cardbox.core.box_errors import BoxCorrupt, BoxError
from cardbox.core.card import ADDRESS_PARTS, Attempt, Card, card_damage, clean_email, clean_fields, clean_text
from cardbox.core.cardtable import CardMisplaced, CardTable, Head, layers
from cardbox.core.counted import Counted, counted_of_bytes
from cardbox.core.errors import CardError
from cardbox.core.finder import SearchIndex, fold, search_index_for
from cardbox.core.importing import Parsed
from cardbox.core.outcomes import STATUSES, check_channel
from cardbox.core.outcomes import outcome as outcome_named
from cardbox.core.refile import plan_refile
from cardbox.core.review import due_cards
from cardbox.core.session import SessionBook
from cardbox.core.stamps import parse_stamp, stamp
from cardbox.core.storage import SafeStorage
from cardbox.core.window import DueWindow
from cardbox.core.zones import check_zone


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
_COUNTED_RUN = 256
PILE_SORTS: tuple[str, ...] = ("due", "name", "company", "touched", "attempts")
_FAR = "9999"


def _pile_key(sort: str, raw: Head) -> Any:
    # Sorted on the cards' heads: a pile of 10k cards is ordered without
    # building 10k Card objects.
    name = fold(raw.name)
    if sort == "due":
        # By when each window opens (overdue ones opened first), then when it closes: "due" as a rep reads it —
        # a card opening in 3 days comes before one opening in 8, however long either stays open.
        due = raw.due
        return (due.start[:16] if due and due.start else _FAR, due.end[:10] if due and due.end else _FAR, name)
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


class Box:
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

    def due(self, day: date) -> list[Card]:
        """Cards due on `day` and overdue, in flip order."""
        # Compare ISO strings on the raw dicts first: only the cards that
        # can be due get turned into objects.
        self._sync()
        heads = self._heads()
        kept = self._due_memo
        if kept is not None and kept[0] is heads and kept[1] == day:
            return list(kept[2])  # asked again with nothing changed (the launch, then Today)
        limit = day.isoformat()
        candidates = []
        imported = self._imported_ids()
        table = self._raw_cards() if imported else None
        for key, head in heads.items():
            if not key.isdigit():
                continue
            if head is None:
                candidates.append(int(key))  # read, so it is named as damaged
            elif head.due is None:
                # An undated card the rep made joins the flip; an imported lead nobody has called waits in
                # the Box's "Needs a date" pile instead (a 5,000-row import would bury the day's callbacks).
                if head.status == "active" and not (table is not None and int(key) in imported and not table.attempts(key)):
                    candidates.append(int(key))
            elif head.due.start[:10] <= limit:
                candidates.append(int(key))
        found = due_cards(self._readable(candidates), day)
        self._due_memo = (heads, day, found)
        return list(found)

    def _imported_ids(self) -> set[int]:
        """The cards that imports (not undone) made."""
        found: set[int] = set()
        for record in (self.storage.data().get("imports") or {}).values():
            if isinstance(record, dict) and not record.get("undone"):
                found.update(i for i in record.get("created") or [] if isinstance(i, int))
        return found

    def pile(self, status: str | None, sort: str = "due") -> list[int]:
        """Ids of the cards with `status` (every card for None), in `sort` order (see PILE_SORTS)."""
        if sort not in PILE_SORTS:
            raise CardError(f"unknown sort {sort!r}; use one of: {', '.join(PILE_SORTS)}", field="sort")
        if status == NEEDS_A_DATE:
            # Live cards nobody gave a window yet (imports, mostly): so none is forgotten.
            chosen = [(key, raw) for key, raw in self._heads().items()
                      if key.isdigit() and raw is not None and raw.status == "active" and not raw.due]
        else:
            chosen = [
                (key, raw) for key, raw in self._heads().items()
                if key.isdigit() and raw is not None and (status is None or raw.status == status)
            ]
        if sort == "attempts":
            table = self._raw_cards()
            chosen.sort(key=lambda item: -table.attempts(item[0]))
        else:
            chosen.sort(key=lambda item: _pile_key(sort, item[1]))
        # A damaged card (its status unreadable) is listed, last, with every card and the live ones: never hidden.
        damaged = [key for key, raw in self._heads().items() if raw is None and key.isdigit()] if status in (None, "active") else []
        return [int(key) for key, _ in chosen] + [int(key) for key in damaged]

    def touched_since(self, moment: datetime) -> list[Card]:
        """Cards created, logged or edited at or after `moment` — all a session or a day can count.

        Filtered on the raw stamps' wall-clock text first (a day's margin
        for a stamp written in another offset), so a box of 10k cards is
        not turned into 10k Card objects; the few left are compared exactly."""
        moment = moment.replace(microsecond=0)
        rough = (moment - timedelta(days=1)).isoformat(timespec="seconds")
        heads = self._heads()
        chosen = []
        for key in self._updated_since(rough):
            raw = heads[key]
            if raw is None:
                chosen.append(int(key))  # a damaged card is read, so it is named
                continue
            try:
                if parse_stamp(raw.updated) >= moment:
                    chosen.append(int(key))
            except ValueError:
                chosen.append(int(key))  # a damaged card: _readable names it
        chosen.sort()
        return self._readable(chosen)

    def _updated_since(self, rough: str) -> list[str]:
        """Keys of the cards whose `updated` text is at least `rough` (damaged ones too).

        Asked on every card the review shows: the table's base is kept sorted by
        that text (found by bisection, not a walk through 100k heads), and the
        few cards changed since are looked at one by one."""
        base, overlay = layers(self._heads())
        if self._by_updated is None or self._by_updated[0] is not base:
            # Not sorted yet (warm_search does it, off the screen's thread): one walk.
            found = [key for key, head in base.items()
                     if key.isdigit() and key not in overlay and (head is None or head.updated[:19] >= rough)]
        else:
            _, texts, keys = self._by_updated
            found = [key for key in keys[bisect_left(texts, rough):] if key not in overlay]
        for key, head in overlay.items():
            if key.isdigit() and (head is None or (isinstance(head, Head) and head.updated[:19] >= rough)):
                found.append(key)
        return found

    def counts(self) -> dict[str, int]:
        tally = {status: 0 for status in STATUSES}
        for raw in self._heads().values():
            if raw is None:
                continue
            tally[raw.status] = tally.get(raw.status, 0) + 1
        return tally

    def find_ids(self, query: str) -> list[int]:
        """Ids of the cards matching every word of `query`, best first.

        Words match name, company, email, reason, notes and tags. A query of
        digits (with the usual phone punctuation) matches phone numbers by
        their digits, so "555 0134" finds (415) 555-0134; numbers ending in
        the digits (a caller ID) come first. Otherwise names starting with the
        first word come first, then names containing it, then the rest, each
        by name. When the query only grew since the last call (a key typed
        in find), only the last matches are searched again (cardbox.core.finder).
        """
        return list(self.find_hits(query))

    def find_hits(self, query: str) -> Sequence[int]:
        """`find_ids` as find's list wants it: the count and the first hits at once, the rest when scrolled to."""
        self._sync()
        if not query.strip():
            return []
        index, overlay = search_index_for(self._heads(), self._finder)
        self._finder = index
        return index.find(query, overlay)

    def ledger(self) -> Ledger:
        """Every attempt and tick in time order, for the numbers; rebuilt only after the box changed."""
        self._sync()
        generation = self.storage.generation
        cached = self._ledger
        if cached is not None and cached[0] == generation:
            return cached[1]
        from cardbox.core.numbers import Ledger  # pendulum and the numbers: not needed by most commands

        ledger = Ledger(self._counted_cards(), self.sessions.all())
        self._ledger = (generation, ledger)
        return ledger

    def _counted_cards(self) -> Iterator[Counted]:
        """Every readable card, cut down to what the numbers count, read from the file's bytes
        a run at a time without filling the card cache (see cardbox.core.counted)."""
        table = self._raw_cards()
        keys = [key for key, head in table.heads.items() if head is not None and key.isdigit()]
        for start in range(0, len(keys), _COUNTED_RUN):
            run = keys[start : start + _COUNTED_RUN]
            try:
                texts = table.batch_bytes(run)
            except (CardMisplaced, OSError) as err:
                # Not "damaged": a misplaced card is the index's fault (a ValueError, kept apart from the cards').
                raise self._unreadable(run[0], err) from None
            for key, text in zip(run, texts, strict=True):
                try:
                    yield counted_of_bytes(text)
                except (KeyError, TypeError, ValueError):
                    self.damaged[int(key)] = f"card {key} is damaged"
            # Counting 100k cards takes a while; it runs beside the screen (a worker thread), so
            # let the screen's thread have the interpreter now and then rather than every 5 ms at best.
            time.sleep(0)

    # -- imports ---------------------------------------------------------------

    def import_rows(
        self,
        parsed: Parsed,
        *,
        source: str,
        when: DueWindow | None = None,
        tags: Iterable[str] = (),
        merge: bool = False,
        dry_run: bool = False,
    ) -> ImportReport:
        """Make cards of the rows, as one change (undone as a whole with `undo_import`).

        A row whose number or email is already on a card (or on an earlier row)
        is skipped and reported, or with `merge` fills that card's empty
        fields and adds its numbers and notes, overwriting nothing."""
        report = ImportReport(layout=parsed.layout, rows=len(parsed.rows), skipped=list(parsed.skipped), remarks=list(parsed.remarks),
                              places=list(parsed.places))
        now = self._now()
        with self.storage.locked():
            data = self.storage.data()
            seen_phones: dict[str, list[int]] = {}
            seen_emails: dict[str, int] = {}
            seen_names: dict[int, str] = {}
            for key, head in self._heads().items():
                if head is None or not key.isdigit():
                    continue
                seen_names[int(key)] = head.name
                for number in head.phones:
                    seen_phones.setdefault(number, []).append(int(key))
                if head.email:
                    seen_emails.setdefault(head.email.casefold(), int(key))
            next_id = self._next_id()
            new_cards: dict[int, Card] = {}
            merged: dict[int, tuple[Card, Card]] = {}  # id → (before, after)
            blocked: list[str] = []  # numbers of rows that say the prospect asked not to be called
            for row in parsed.rows:
                name = importing.name_of(row) or row.first("company") or (importing.emails_in(row) or [""])[0]
                phones, unreadable = [], []
                for typed in importing.phones_in(row):
                    try:
                        phones.append(phones_mod.normalize(typed, self.region))
                    except CardError:
                        unreadable.append(typed)
                emails = importing.emails_in(row)
                notes = row.all("notes")
                if unreadable:
                    notes.append("Numbers kept as typed (not readable as phone numbers): " + ", ".join(unreadable))
                odd_emails = importing.not_emails_in(row)
                if odd_emails:
                    notes.append("E-mail kept as typed (not an address): " + ", ".join(odd_emails))
                address = {part: clean_text(row.first(part), "the address", 500) for part in ADDRESS_PARTS if row.first(part)}
                address = {part: text for part, text in address.items() if text}
                zone = row.first("time_zone")
                given = row.first("status")
                asked_not = importing.asks_not_to_call(row)
                status = given if given in STATUSES else ("do-not-call" if asked_not else "active")
                if given and given not in STATUSES:
                    notes.append(f"Status: {given}")  # a CRM's own status ("Open - Not Contacted"), kept as it was
                window = when
                if window is None and row.first("when_start"):
                    # cardbox's own export: the window it had, as it had it.
                    try:
                        window = DueWindow.from_dict({"start": row.first("when_start"), "end": row.first("when_end") or row.first("when_start"),
                                                      "grain": "day", "phrase": row.first("when_phrase"), "label": ""})
                        window = DueWindow(window.start, window.end, window.grain, window.phrase,
                                           label_for(window))
                    except (ValueError, KeyError):
                        report.skipped.append((row.line, f"the window {row.first('when_start')!r} is not a date; imported without one"))
                        window = None
                if not name:
                    report.skipped.append((row.line, "no name, company or email to file it under"))
                    continue
                # The same person: the same e-mail, or the same number under a similar name. Colleagues share a
                # switchboard number; two people at one number are two cards.
                match = next((seen_emails[e.casefold()] for e in emails if e.casefold() in seen_emails), None)
                if match is None:
                    match = next((card_id for p in phones for card_id in seen_phones.get(p, ())
                                  if same_person(seen_names.get(card_id, ""), name)), None)
                if match is not None:
                    if not merge:
                        report.skipped.append((row.line, f"already in the box as #{match} (the same e-mail, or the same number "
                                                         "and name); --merge adds to it"))
                        continue
                    before = merged[match][1] if match in merged else (new_cards.get(match) or self.get(match))
                    extra_emails = [e for e in emails if e not in (before.email, *before.emails)]
                    after = before.with_changes(
                        company=before.company or row.first("company"),
                        email=before.email or (extra_emails.pop(0) if extra_emails else ""),
                        emails=(*before.emails, *extra_emails),
                        address=before.address or address,
                        why=before.why or row.first("why"),
                        phones=tuple(dict.fromkeys((*before.phones, *phones))),
                        notes="\n".join(part for part in (before.notes, *[n for n in notes if n not in before.notes]) if part),
                        updated=now,
                    )
                    if match in new_cards:
                        new_cards[match] = after
                    else:
                        merged[match] = (merged[match][0] if match in merged else before, after)
                    if asked_not:
                        blocked.extend(phones)
                    continue
                try:
                    fields = clean_fields(name, company=row.first("company"), phones=phones, email=emails[0] if emails else "",
                                          why=row.first("why"), notes="\n".join(notes), tags=[*tags, *importing.tags_in(row)], region=self.region)
                    if zone:
                        zone = check_zone(zone)
                    more_emails = tuple(clean_email(e) for e in emails[1:] if e != fields["email"])
                except CardError as err:
                    report.skipped.append((row.line, str(err)))
                    continue
                # captured stays empty: the window is the file's (or --when's), not one a prospect agreed to.
                card = Card(id=next_id, created=now, updated=now, due=window, captured=None, time_zone=zone, status=status,
                            emails=more_emails, address=address, **fields)
                new_cards[card.id] = card
                next_id += 1
                if asked_not:
                    blocked.extend(card.phones)
                seen_names[card.id] = card.name
                for number in card.phones:
                    seen_phones.setdefault(number, []).append(card.id)
                if card.email:
                    seen_emails.setdefault(card.email.casefold(), card.id)
            report.imported = sorted(new_cards)
            report.merged = sorted(merged)
            listed = self.dnc_numbers()
            report.blocked = [number for number in dict.fromkeys(blocked) if number not in listed]
            if dry_run or not (new_cards or merged):
                return report
            record_key = str(max((int(k) for k in data.get("imports", {}) if k.isdigit()), default=0) + 1)
            cards_changed: dict[str, dict[str, Any] | None] = {str(i): c.to_dict() for i, c in new_cards.items()}
            cards_changed.update({str(i): after.to_dict() for i, (_, after) in merged.items()})
            meta = dict(data[META_TABLE].get("1") or {})
            meta["next_id"] = max(meta_count(meta, "next_id"), next_id)
            record = {"at": stamp(now), "source": source, "created": sorted(new_cards),
                      "merged": {str(i): before.to_dict() for i, (before, _) in merged.items()}}
            changes: dict[str, Any] = {"cards": cards_changed, META_TABLE: {"1": meta}}
            # A request not to be called is about the number, whichever file it came in: on the list, in this change.
            _added, _already, rows = self._dnc_put(report.blocked, how=f"imported from {source}", note="", now=now,
                                                   changes=changes)
            record["dnc"] = [list(row) for row in rows]
            changes["imports"] = {record_key: record}
            self.storage.put(changes)
            self._generation = self.storage.loads
            report.record = record_key
        return report

    def undo_import(self) -> tuple[str, int, int]:
        """Take the last import back: its new cards go, merged cards return to what they were. (source, removed, restored)."""
        with self.storage.locked():
            records = self.storage.data().get("imports", {})
            undone = [k for k, r in records.items() if not r.get("undone")]
            if not undone:
                raise CardError("no import to undo", field="import")
            key = max(undone, key=lambda k: int(k) if k.isdigit() else 0)
            record = dict(records[key])
            cards: dict[str, dict[str, Any] | None] = {str(card_id): None for card_id in record.get("created", [])}
            cards.update(dict(record.get("merged", {})))
            record["undone"] = stamp(self._now())
            changes: dict[str, Any] = {"cards": cards, "imports": {key: record}}
            # Off the list again, the numbers this import put there (a row added since by other means stays).
            current_rows = self._dnc_rows()
            taken = {str(row[0]): None for row in record.get("dnc") or [] if isinstance(row, list) and len(row) == 2
                     and isinstance(current_rows.get(str(row[0])), dict) and current_rows[str(row[0])].get("number") == row[1]}
            if taken:
                changes["dnc"] = taken
            self.storage.put(changes)
            self._generation = self.storage.loads
        return str(record.get("source", "")), len(record.get("created", [])), len(record.get("merged", {}))

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

    def warm_search(self) -> bool:
        """Build the indexes of find and of the review's count ahead of their use (the app does it in the background).
        True when something was built (False: they were ready)."""
        self._sync()
        before = self._finder
        self._finder, _ = search_index_for(self._heads(), self._finder)
        built = self._finder is not before
        base, _ = layers(self._heads())
        if self._by_updated is None or self._by_updated[0] is not base:
            order = sorted(((head.updated[:19] if head is not None else _FAR), key) for key, head in base.items() if key.isdigit())
            self._by_updated = (base, [text for text, _ in order], [key for _, key in order])
            built = True
        return built

    def find(self, query: str, limit: int | None = None) -> list[Card]:
        """The cards `find_ids` names, as cards."""
        ids = self.find_ids(query)
        if limit is not None:
            ids = ids[:limit]
        return self._readable(ids)

    def duplicates_of(self, *, name: str, company: str, phones: Iterable[str], ignore: int | None = None) -> list[Card]:
        """Cards with one of these phone numbers, or the same name at the same company."""
        wanted_phones = set(phones)
        key = (name.strip().casefold(), company.strip().casefold())
        found = []
        for raw_key, raw in self._heads().items():
            if not raw_key.isdigit() or int(raw_key) == ignore or raw is None:
                continue
            same_phone = wanted_phones and wanted_phones.intersection(raw.phones)
            same_person = key[0] and (raw.name.casefold(), raw.company.casefold()) == key
            if same_phone or same_person:
                found.append(int(raw_key))
        return self._readable(found)

    def refresh(self) -> bool:
        """Pick up changes another process saved. True when there were some."""
        changed = self.storage.refresh()
        self._sync()
        return changed

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
            cards[str(card.id)] = card.to_dict()
        if new_id and card is not None:
            meta = dict(self.storage.data()[META_TABLE].get("1", {}))
            meta["next_id"] = max(meta_count(meta, "next_id"), card.id + 1)
            changes[META_TABLE] = {"1": meta}
        self.storage.put(changes)
        self._generation = self.storage.loads

    def _next_id(self) -> int:
        data = self.storage.data()
        meta = data[META_TABLE].get("1", {})
        highest = max((int(k) for k in data["cards"] if k.isdigit()), default=0)
        # Never reuse an id, even of a deleted card: an undo or another
        # window may still hold it.
        return max(meta_count(meta, "next_id"), highest + 1)

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
