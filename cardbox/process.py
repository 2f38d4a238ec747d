"""What the running program (the app or a command) does to the interpreter as a whole; the core never does.

Reading a box of 100k cards makes millions of objects at once: with the
garbage collector on, it walks them again and again while they are made
(a third of the read), and afterwards on every full collection, though the
box lives as long as the process. The app and the command line read a box
with the collector off and freeze what was read out of later walks. A test
or another program using `cardbox.core` keeps its interpreter as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_load() -> Iterator[None]:
    """The collector off while a box is read; what was read frozen out of later collections once it is in."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        if was_on:
            gc.enable()
        raise
    if was_on:
        gc.enable()
    gc.freeze()
