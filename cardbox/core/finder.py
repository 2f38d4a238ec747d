"""Find's index: every card's searchable text in name order, so a key typed in find scans lists, not cards.

A box of 100k cards is searched on every key typed in find. Walking the
cards' heads for each key costs ~130 ms; here the text of each card (name,
company, email, reason, notes, tags, phone digits; casefolded) sits in one
list in name order, and a query is one list comprehension over it (~10 ms).

The index is built over the cards table's base (cardtable's `_Layered`) and
kept while that base lives: the few cards changed since (the overlay) are
searched on their own and merged into the results in name order, so saving
an outcome does not rebuild the index of 100k cards.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from heapq import merge
from itertools import accumulate, islice
from typing import Any

from cardbox.core import phone as phones_mod
from cardbox.core.cardtable import Head, layers

# A search of more than this many candidates scans the whole text at once, until it has found this many matches.
SCAN_FROM = 20_000
SCAN_UP_TO = 6_000
# Hits put in order at once for a query of digits; the rest when the list is scrolled past them.
SCREENFUL = 60


def fold(text: str) -> str:
    """Text as find compares it: case and accents folded ("José Gutiérrez" is "jose gutierrez"), digits as they are."""
    if text.isascii():
        return text.casefold()
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def haystack(head: Head) -> str:
    """Everything find matches words by, folded (see fold), one field a line."""
    return fold("\n".join((head.name, head.company, head.email, head.why, head.notes, " ".join(head.tags))))


def phone_digits(head: Head) -> str:
    """What a query of digits is matched against: each number's digits, international and as dialled at home."""
    return " ".join(phones_mod.search_digits(number) for number in head.phones)


def phone_ends(head: Head) -> str:
    # Stored numbers are E.164: their digits are the number less the "+". Each ends with "\0",
    # so "a number ends with these digits" is one substring test.
    return "".join(number[1:] + "\0" for number in head.phones)


def parse_query(query: str) -> tuple[bool, list[str]]:
    """(by phone, the words): a query of digits and phone punctuation matches numbers by their digits."""
    query = fold(query.strip())
    by_phone = any(ch.isdigit() for ch in query) and all(ch.isdigit() or ch in " -().+" for ch in query)
    return by_phone, ([phones_mod.digits(query)] if by_phone else query.split())


class SearchIndex:
    """The searchable text of every readable card of one base table, in name order."""

    def __init__(self, base: Mapping[str, Head | None]) -> None:
        self.base = base
        live = [(key, head) for key, head in base.items() if head is not None and key.isdigit()]
        live.sort(key=lambda item: (fold(item[1].name), int(item[0])))
        self.ids = [int(key) for key, _ in live]
        self.position = {key: index for index, (key, _) in enumerate(live)}
        self.names = [fold(head.name) for _, head in live]
        self.order_keys = [(name, card_id) for name, card_id in zip(self.names, self.ids, strict=True)]
        self.hays = [haystack(head) for _, head in live]
        self.digits = [phone_digits(head) for _, head in live]
        self.ends = [phone_ends(head) for _, head in live]
        # The same text as one string, for a word few cards hold (see _scanned).
        self.blob = "\0".join(self.hays)
        self.starts = list(accumulate((len(hay) + 1 for hay in self.hays[:-1]), initial=0)) if self.hays else []
        # (by phone, the words, the base positions they matched): to narrow the next key.
        self._last: tuple[bool, list[str], list[int]] = (False, [], [])

    def _matching(self, words: list[str], by_phone: bool) -> list[int]:
        last_phone, last_words, last_hits = self._last
        hays = self.digits if by_phone else self.hays
        # A card that holds each new word holds each old one it contains: so a query that only
        # grew (a key typed in find) has its hits among the last ones, of the same kind of query.
        narrowing = bool(last_words) and last_phone == by_phone and len(words) >= len(last_words) and all(
            old in new for old, new in zip(last_words, words[:len(last_words)], strict=True))
        candidates: Sequence[int] = last_hits if narrowing else range(len(hays))
        word, *others = words
        hits = None
        if not by_phone and len(word) > 1 and len(candidates) > SCAN_FROM:
            hits = self._scanned(word)
        if hits is None:
            if isinstance(candidates, range):
                hits = [index for index, hay in enumerate(hays) if word in hay]
            else:
                hits = [index for index in candidates if word in hays[index]]
        if others:
            hits = [index for index in hits if all(other in hays[index] for other in others)]
        self._last = (by_phone, words, hits)
        return hits

    def _scanned(self, word: str) -> list[int] | None:
        """The cards holding `word`, found by one regular-expression scan of all the text at once:
        about twice as fast as a test per card for a word of two letters or more that few cards hold.
        None when it turns out many do (then a test per card is faster)."""
        starts = self.starts
        hits: list[int] = []
        last = -1
        for count, match in enumerate(re.finditer(re.escape(word), self.blob)):
            if count == SCAN_UP_TO:
                return None
            index = bisect_right(starts, match.start()) - 1
            if index != last:
                hits.append(index)
                last = index
        return hits

    def find(self, query: str, overlay: Mapping[str, Any]) -> Found:
        """Card ids matching every word of `query`, best first (see Box.find_ids), with `overlay`
        (key -> Head, None for damaged, or anything else for a removed card) laid over the base.

        A word of letters puts first the cards whose names start with it: those
        are one run in name order, found by bisection, and are at hand at once;
        the rest of the order is worked out when it is first asked for (a list
        in find shows a screenful: for "k" in 100k cards, 80k are never looked at)."""
        by_phone, words = parse_query(query)
        if not words or not words[0]:
            return Found([], 0, list)
        hits = self._matching(words, by_phone)
        if overlay:
            gone = {self.position[key] for key in overlay if key in self.position}
            if gone:
                hits = [index for index in hits if index not in gone]
        changed = self._changed(overlay, by_phone, words)
        if by_phone:
            # Numbers ending with the digits first (a caller ID): not one run in name order, so the
            # first screenful is picked by one walk through the numbers (changed cards: the whole order).
            count = len(hits) + len(changed)
            ends, tail, keys = self.ends, words[0] + "\0", self.order_keys
            top = [index for index in hits if tail in ends[index]]
            taken = set(top)
            rest = islice((index for index in hits if index not in taken), SCREENFUL)
            # Each bucket in name order, the changed cards merged into theirs.
            first_screen: list[int] = []
            for bucket, rank in ((top, 0), (rest, 1)):
                ours = [(keys[index], self.ids[index]) for index in bucket]
                theirs = sorted(((name, card_id), card_id) for name, card_id, changed_rank in changed if changed_rank == rank)
                first_screen += [card_id for _, card_id in merge(ours, theirs)]
                if len(first_screen) >= SCREENFUL:
                    break
            return Found(first_screen[:SCREENFUL], count, lambda: self._ordered(hits, overlay, by_phone, words))
        first = words[0]
        names, ids = self.names, self.ids
        low = bisect_left(hits, bisect_left(names, first))
        high = bisect_left(hits, bisect_left(names, first + "\U0010ffff"))
        best = [ids[index] for index in hits[low:high]]
        starting = sorted((name, card_id) for name, card_id, rank in changed if rank == 0)
        if starting:
            keys = [self.order_keys[index] for index in hits[low:high]]
            for name, card_id in reversed(starting):
                best.insert(bisect_left(keys, (name, card_id)), card_id)
        return Found(best, len(hits) + len(changed), lambda: self._ordered(hits, overlay, by_phone, words))

    def _changed(self, overlay: Mapping[str, Any], by_phone: bool, words: list[str]) -> list[tuple[str, int, int]]:
        """(name, id, bucket) of each card changed since the index was built that matches the words."""
        first = words[0]
        found = []
        for key, head in overlay.items():
            if not isinstance(head, Head) or not key.isdigit():
                continue
            text = phone_digits(head) if by_phone else haystack(head)
            if not all(word in text for word in words):
                continue
            name = fold(head.name)
            if by_phone:
                rank = 0 if first + "\0" in phone_ends(head) else 1
            else:
                rank = 0 if name.startswith(first) else 1 if first in name else 2
            found.append((name, int(key), rank))
        return found

    def _ordered(self, hits: list[int], overlay: Mapping[str, Any], by_phone: bool, words: list[str]) -> list[int]:
        """Every hit (base positions, the removed ones taken out) and matching changed card, best first."""
        first = words[0]
        # Each bucket by one comprehension (a key in find may match all 100k cards).
        if by_phone:
            ends, tail = self.ends, first + "\0"
            top = [index for index in hits if tail in ends[index]]
            buckets = [top, _rest(hits, top), []]
        else:
            # The names are in order, so those starting with the word are one run of positions,
            # and `hits` (positions, ascending) holds them as one run too.
            names = self.names
            low = bisect_left(hits, bisect_left(names, first))
            high = bisect_left(hits, bisect_left(names, first + "\U0010ffff"))
            top, rest = hits[low:high], hits[:low] + hits[high:]
            inside = [index for index in rest if first in names[index]]
            buckets = [top, inside, _rest(rest, inside)]
        ids = self.ids
        out: list[list[int]] = [[ids[index] for index in bucket] for bucket in buckets]
        if overlay:
            # The matching cards changed since the index was built, into their buckets in name order
            # (from the back, so earlier insertions do not move later places).
            placed = [(rank, bisect_left(buckets[rank], (name, card_id), key=self.order_keys.__getitem__), name, card_id)
                      for name, card_id, rank in self._changed(overlay, by_phone, words)]
            for rank, where, _, card_id in sorted(placed, reverse=True):
                out[rank].insert(where, card_id)
        return [card_id for bucket in out for card_id in bucket]


class Found(Sequence[int]):
    """Find's hits, best first: the first ones at hand, the whole order worked out when it is asked for."""

    def __init__(self, first: list[int], count: int, everything: Callable[[], list[int]]) -> None:
        self._first = first
        self._count = count
        self._everything = everything
        self._all: list[int] | None = None

    def all(self) -> list[int]:
        if self._all is None:
            self._all = self._everything()
        return self._all

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int) and 0 <= index < len(self._first):
            return self._first[index]
        return self.all()[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self.all())

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        return self.all().index(value, start, len(self) if stop is None else stop)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Found | list):
            return self.all() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Found({self.all()!r})"


def _rest(hits: list[int], taken: list[int]) -> list[int]:
    """`hits` less `taken` (a subsequence of it), in order."""
    if not taken:
        return hits
    if len(taken) == len(hits):
        return []
    gone = set(taken)
    return [index for index in hits if index not in gone]


def search_index_for(heads: Mapping[str, Head | None], current: SearchIndex | None) -> tuple[SearchIndex, Mapping[str, Any]]:
    """The index for these heads (`current` when it was built on the same base) and the overlay to lay over it."""
    base, overlay = layers(heads)
    if current is None or current.base is not base:
        current = SearchIndex(base)
    return current, overlay
