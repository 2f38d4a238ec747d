"""What can go wrong with a box file, each a kind of its own: the message always says what to do."""

from __future__ import annotations


class BoxError(Exception):
    """The box file cannot be read or written. The message says what to do."""


class BoxCorrupt(BoxError):
    pass


class BoxTooNew(BoxError):
    pass


class BoxLocked(BoxError):
    pass


class BoxWriteError(BoxError):
    pass


class BoxConflict(BoxError):
    pass


class BoxReadOnly(BoxError):
    """The box file itself may not be changed (read-only mode, immutable): nothing is written."""


class BoxNotAFile(BoxError):
    """The box's path names a folder, a device or a FIFO: bad input, never read or replaced."""


class BackupNotFound(BoxError):
    """Asked for a backup that is not there: bad input, not a broken box."""
