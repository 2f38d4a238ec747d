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

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

from cardbox.core import phone as phones_mod
from cardbox.core.cardtable import Head, layers


def haystack(head: Head) -> str:
    """Everything find matches a card by, casefolded, one field a line."""
    return "\n".join((
        head.name, head.company, head.email, head.why, head.notes, " ".join(head.tags),
        " ".join(phones_mod.search_digits(number) for number in head.phones),
    )).casefold()


def phone_ends(head: Head) -> str:
    # Stored numbers are E.164: their digits are the number less the "+". Each ends with "\0",
    # so "a number ends with these digits" is one substring test.
    return "".join(number[1:] + "\0" for number in head.phones)


def parse_query(query: str) -> tuple[bool, list[str]]:
    """(by phone, the words): a query of digits and phone punctuation matches numbers by their digits."""
    query = query.strip().casefold()
    by_phone = any(ch.isdigit() for ch in query) and all(ch.isdigit() or ch in " -().+" for ch in query)
    return by_phone, ([phones_mod.digits(query)] if by_phone else query.split())


class SearchIndex:
    """The searchable text of every readable card of one base table, in name order."""

    def __init__(self, base: Mapping[str, Head | None]) -> None:
        self.base = base
        live = [(key, head) for key, head in base.items() if head is not None and key.isdigit()]
        live.sort(key=lambda item: (item[1].name.casefold(), int(item[0])))
        self.ids = [int(key) for key, _ in live]
        self.position = {key: index for index, (key, _) in enumerate(live)}
        self.names = [head.name.casefold() for _, head in live]
        self.order_keys = [(name, card_id) for name, card_id in zip(self.names, self.ids, strict=True)]
        self.hays = [haystack(head) for _, head in live]
        self.ends = [phone_ends(head) for _, head in live]
        # (query, the base positions it matched, the overlay they were filtered against): to narrow the next key.
        self._last: tuple[str, list[int]] = ("", [])

    def _matching(self, query: str, words: list[str]) -> list[int]:
        last_query, last_hits = self._last
        hays = self.hays
        if last_query and query.startswith(last_query) and " " not in query[len(last_query):]:
            candidates: Iterable[int] = last_hits  # the query only grew: its hits are among the last ones
        else:
            candidates = range(len(hays))
        if len(words) == 1:
            word = words[0]
            if isinstance(candidates, range):
                hits = [index for index, hay in enumerate(hays) if word in hay]
            else:
                hits = [index for index in candidates if word in hays[index]]
        else:
            hits = [index for index in candidates if all(word in hays[index] for word in words)]
        self._last = (query, hits)
        return hits

    def find(self, query: str, overlay: Mapping[str, Any]) -> list[int]:
        """Card ids matching every word of `query`, best first (see Box.find_ids), with `overlay`
        (key -> Head, None for damaged, or anything else for a removed card) laid over the base."""
        by_phone, words = parse_query(query)
        if not words or not words[0]:
            return []
        first = words[0]
        hits = self._matching(query.strip().casefold(), words)
        if overlay:
            gone = {self.position[key] for key in overlay if key in self.position}
            if gone:
                hits = [index for index in hits if index not in gone]
        if by_phone:
            ends, tail = self.ends, first + "\0"
            ranks = [0 if tail in ends[index] else 1 for index in hits]
        else:
            names = self.names
            ranks = [0 if names[index].startswith(first) else 1 if first in names[index] else 2 for index in hits]
        buckets: list[list[int]] = [[], [], []]
        for index, rank in zip(hits, ranks, strict=True):
            buckets[rank].append(index)
        ids = self.ids
        out: list[list[int]] = [[ids[index] for index in bucket] for bucket in buckets]
        if overlay:
            self._merge_changed(out, buckets, overlay, by_phone, words)
        return [card_id for bucket in out for card_id in bucket]

    def _merge_changed(self, out: list[list[int]], buckets: list[list[int]], overlay: Mapping[str, Any],
                       by_phone: bool, words: list[str]) -> None:
        """Put the matching cards changed since the index was built into their buckets, in name order."""
        first = words[0]
        placed: list[tuple[int, int, int]] = []  # (bucket, where in it, id)
        for key, head in overlay.items():
            if not isinstance(head, Head) or not key.isdigit():
                continue
            text = haystack(head)
            if not all(word in text for word in words):
                continue
            name = head.name.casefold()
            if by_phone:
                rank = 0 if first + "\0" in phone_ends(head) else 1
            else:
                rank = 0 if name.startswith(first) else 1 if first in name else 2
            where = bisect_left(buckets[rank], (name, int(key)), key=self.order_keys.__getitem__)
            placed.append((rank, where, int(key)))
        # From the back, so earlier insertions do not move later places; ties by name order.
        for rank, where, card_id in sorted(placed, key=lambda item: (item[0], item[1], _name_key(overlay, item[2])), reverse=True):
            out[rank].insert(where, card_id)


def _name_key(overlay: Mapping[str, Any], card_id: int) -> tuple[str, int]:
    head = overlay[str(card_id)]
    return (head.name.casefold(), card_id)


def search_index_for(heads: Mapping[str, Head | None], current: SearchIndex | None) -> tuple[SearchIndex, Mapping[str, Any]]:
    """The index for these heads (`current` when it was built on the same base) and the overlay to lay over it."""
    base, overlay = layers(heads)
    if current is None or current.base is not base:
        current = SearchIndex(base)
    return current, overlay
