"""The one place the app touches the disk.

Every box change (and every file the app writes) runs here, on a single
background thread, in the order it was asked for: the screen never waits
on a fsync, and TinyDB never sees two writers in one process. Callers get
an awaitable; success and failure are also announced to the app, which
shows "saved" or says plainly what went wrong.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from textual.message import Message

T = TypeVar("T")


class Saver:
    @dataclass
    class Done(Message):
        what: str
        result: Any

    @dataclass
    class Failed(Message):
        what: str
        error: BaseException

    def __init__(self, app) -> None:
        self.app = app
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cardbox-disk")
        self.pending = 0

    def submit(self, what: str, fn: Callable[..., T], *args: Any, quiet: bool = False, **kwargs: Any) -> asyncio.Future[T]:
        """Run `fn` on the disk thread; announce the outcome unless `quiet`."""
        self.pending += 1
        future = asyncio.wrap_future(self._pool.submit(fn, *args, **kwargs))

        def finished(done: asyncio.Future[T]) -> None:
            self.pending -= 1
            if quiet:
                if not done.cancelled():
                    done.exception()  # mark retrieved; callers handle it
                return
            if done.cancelled():
                return
            error = done.exception()
            if error is None:
                self.app.post_message(Saver.Done(what, done.result()))
            else:
                self.app.post_message(Saver.Failed(what, error))

        future.add_done_callback(finished)
        return future

    async def drain(self) -> None:
        """Wait until everything asked for so far is on disk."""
        await asyncio.wrap_future(self._pool.submit(lambda: None))

    def shutdown(self) -> None:
        # Finish pending saves before the process goes: a change the
        # screen showed as made must reach the disk.
        self._pool.shutdown(wait=True)
