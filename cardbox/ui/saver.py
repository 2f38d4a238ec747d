"""The one place the app writes to the disk, or takes the box's lock.

Every box change (and every file the app writes, and an import's dry run,
which takes the lock to read the box anew) runs here, on a single
background thread, in the order it was asked for: the screen never waits
on a fsync, and TinyDB never sees two writers in one process. Callers get
an awaitable; the app turns its outcome into "saved" or a plain message.

Two readers run elsewhere, on purpose. The Numbers count on a worker thread
(seconds at 100k cards: behind them, an outcome key's save would wait):
they read a snapshot, the box's tables as they stood (a change makes new
tables, never edits them), from a file a save replaces by rename, never
rewrites. The recovery screen reads backups when the box could not be
opened, so no save can be running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Saver:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cardbox-disk")
        self.pending = 0

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Run `fn` on the disk thread; the caller handles the result or the error."""
        self.pending += 1
        future = asyncio.wrap_future(self._pool.submit(fn, *args, **kwargs))

        def finished(done: asyncio.Future[T]) -> None:
            self.pending -= 1
            if not done.cancelled():
                done.exception()  # retrieved: callers that do not await report it themselves

        future.add_done_callback(finished)
        return future

    async def drain(self) -> None:
        """Wait until everything asked for so far is on disk."""
        await asyncio.wrap_future(self._pool.submit(lambda: None))

    def shutdown(self) -> None:
        # Finish pending saves before the process goes: a change the
        # screen showed as made must reach the disk.
        self._pool.shutdown(wait=True)
