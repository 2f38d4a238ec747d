"""Full garbage collections while the rep is idle, not in the middle of a keystroke.

Python's collector walks every live container now and then (a "full"
collection). Textual keeps tens of thousands of rendered strips in its
caches, and a box of 100k cards keeps its indexes, so in a long shift a full
collection took 50–140 ms of the screen's thread — a key pressed at that
moment waited for it. The app turns the automatic full collections off and
runs them itself once the rep has not pressed a key for a second (at most
every two seconds), or after 20 s without one whatever the rep is doing. The young generations are still collected as usual. The collector's
settings are put back when the app stops.

Often rather than rarely: each card shown leaves ~2,000 objects for a full
collection (the footer drawn again, the card's text), ~0.35 MB a card.
Collected only once a minute in a fast review they added ~35 MB to the
app's peak; with the indexes frozen out of the walk (see the app) a
collection of a few cards' worth takes 5–15 ms. The idle second stays: a
collection after a shorter pause often landed on the next key (find's first
key after a pause: 23 ms became ~70 ms).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

IDLE_FOR = 1.0  # seconds without a key before a full collection may run
NOT_MORE_OFTEN_THAN = 2.0
AT_LEAST_EVERY = 20.0
_NEVER = 1_000_000  # full collections every million young ones: i.e. only when asked
# CPython 3.14's collector is incremental: it has no full collections of its own to put off (its third threshold
# is ignored) and does the old generation a slice at a time. There the thresholds are left as they are and the idle
# collections still run, so a burst of dropped objects is cleared while the rep is idle, not at a keystroke.
INCREMENTAL = sys.version_info >= (3, 14)


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic, incremental: bool = INCREMENTAL) -> None:
        self.clock = clock
        self.incremental = incremental
        self.started = False
        self.last_key = self.last_full = clock()
        self._saved: tuple[int, int, int] | None = None
        self.collections = 0

    def start(self) -> None:
        self.started = True
        if self._saved is None and not self.incremental:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], _NEVER)

    def stop(self) -> None:
        self.started = False
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def key_pressed(self) -> None:
        self.last_key = self.clock()

    def tick(self) -> bool:
        """Collect if it is time (call it every half second or so). True when it did."""
        if not self.started:
            return False
        now = self.clock()
        idle = now - self.last_key >= IDLE_FOR and now - self.last_full >= NOT_MORE_OFTEN_THAN
        if not (idle or now - self.last_full >= AT_LEAST_EVERY):
            return False
        gc.collect()
        self.last_full = self.clock()
        self.collections += 1
        return True
