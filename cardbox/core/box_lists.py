"""The lists a screen or a command asks the box for: due on a day, a pile, found by a query, touched since."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cardbox.core.box_base import (
    COUNTED_RUN,
    FAR_DAY,
    NEEDS_A_DATE,
    PILE_SORTS,
    BoxBase,
    pile_key,
)
from cardbox.core.card import Card
from cardbox.core.cardtable import CardMisplaced, Head, layers
from cardbox.core.counted import Counted, counted_of_bytes
from cardbox.core.errors import CardError
from cardbox.core.finder import search_index_for
from cardbox.core.outcomes import STATUSES
from cardbox.core.review import due_cards
from cardbox.core.stamps import parse_stamp

if TYPE_CHECKING:
    from cardbox.core.numbers import Ledger


class BoxLists(BoxBase):
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
            chosen.sort(key=lambda item: pile_key(sort, item[1]))
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
        for start in range(0, len(keys), COUNTED_RUN):
            run = keys[start : start + COUNTED_RUN]
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

    def warm_search(self) -> bool:
        """Build the indexes of find and of the review's count ahead of their use (the app does it in the background).
        True when something was built (False: they were ready)."""
        self._sync()
        before = self._finder
        self._finder, _ = search_index_for(self._heads(), self._finder)
        built = self._finder is not before
        base, _ = layers(self._heads())
        if self._by_updated is None or self._by_updated[0] is not base:
            order = sorted(((head.updated[:19] if head is not None else FAR_DAY), key) for key, head in base.items() if key.isdigit())
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

