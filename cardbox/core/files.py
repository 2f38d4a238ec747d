"""Files written so a crash leaves the old one or the new one, never half; private from the start.

Every write of the box, its backups and exports goes through `write_atomically`:
a temporary file beside the target, fsynced, renamed over it, the folder
fsynced. New files are the owner's alone (0600), new folders 0700.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cardbox.core.box_errors import BoxError, BoxNotAFile
from cardbox.core.cardtable import BoxFile


def fsync_dir(directory: Path) -> None:
    # Without this the rename itself may not survive a power cut. Windows
    # cannot open a directory; its rename is durable enough there.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_is_a_file(path: Path) -> None:
    """A box is a plain file (or not there yet): a folder, a device or a FIFO is refused before anything reads it."""
    import stat

    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as err:
        raise BoxError(f"cannot read {path} ({err.strerror or err})") from None
    if stat.S_ISDIR(info.st_mode):
        raise BoxNotAFile(f"{path} is a directory; give the path of a box file, e.g. {path / 'box.json'}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise BoxNotAFile(f"{path} is {kind}, not a box file; give the path of a box file (cardbox never reads or replaces it)")


def describe_os_error(err: OSError, path: Path) -> str:
    if err.errno == errno.ENOSPC:
        return f"the disk holding {path.parent} is full: free some space, then try again"
    if err.errno == errno.ELOOP:
        return f"{path} is a symbolic link, which cardbox never writes through: remove the link"
    if err.errno == errno.EPERM and path.exists():
        return f"{path} is locked against changes (immutable, chattr +i): chattr -i {path}"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write in {path.parent} ({err.strerror}): check its permissions, or choose another box with --box"
    return f"cannot write {path} ({err.strerror or err})"


def file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return signature_of_stat(st)


def signature_of(file: BoxFile) -> tuple[int, int, int]:
    """The signature of the file as it was opened (the path may name a newer one by now)."""
    return signature_of_stat(os.fstat(file.fileno()))


def signature_of_stat(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def read_only_reason(path: Path) -> str | None:
    """Why the file at `path` may not be changed, or None when it may (or does not exist yet).

    The permission bits are read, not tried: root may write anything, yet a
    box made read-only (chmod 444) is a rep saying "do not change this".
    An immutable file (chattr +i) refuses even root: that is tried, by
    opening it for writing without writing anything."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not st.st_mode & 0o222:
        return (f"{path} is read-only (mode {st.st_mode & 0o777:o}); cardbox will not change it. "
                f"To save changes, make it writable: chmod u+w {path}")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except PermissionError as err:
        if err.errno == errno.EPERM:
            return (f"{path} is locked against changes (immutable, chattr +i); cardbox will not change it. "
                    f"To save changes: chattr -i {path}")
        return f"{path} is not writable by you ({err.strerror}); cardbox will not change it. Check its owner and permissions"
    except OSError:
        return None  # not a question of permission: the write itself will say what is wrong
    os.close(fd)
    return None


def _keep_owner(tmp_name: str, target: Path) -> None:
    """The replacement keeps the original's owner and group where we may set them (root, or our own group)."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return
    for uid, gid in ((st.st_uid, st.st_gid), (-1, st.st_gid)):
        try:
            os.chown(tmp_name, uid, gid)
            return
        except (PermissionError, OSError):
            continue


# The box holds prospects' names, numbers and notes: new files are the owner's alone (as ssh and gpg keep
# private data), and folders cardbox makes for them too. An existing file keeps the mode its owner gave it.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private_dirs(directory: Path) -> None:
    """Make `directory` and any missing parents, each new one 0700 (existing ones are left as they are)."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode passes through the umask


def write_atomically(target: Path, payload: bytes | Iterable[bytes], mode: int | None = None) -> str | None:
    """Replace `target` with `payload` so a crash leaves the old file or the new one, never half.

    The bytes go to a temporary file beside it, are fsynced, renamed over the
    target and the directory is fsynced. The file keeps its permissions (or
    gets `mode`, or 0600 for a new file). Returns a warning when only
    the directory sync failed: the new file is in place, but saying "not
    saved" then would invite a duplicate retry.
    """
    directory = target.parent
    make_private_dirs(directory)
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(payload, bytes):
                handle.write(payload)
            else:
                for part in payload:
                    handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode if mode is not None else PRIVATE_FILE)
        if hasattr(os, "chown"):
            _keep_owner(tmp_name, target)
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    try:
        fsync_dir(directory)
    except OSError as err:
        return f"could not sync {directory} after saving ({err.strerror or err})"
    return None


def write_export(target: Path, payload: bytes) -> str | None:
    """An export to `target`: a FIFO or a device gets the bytes written straight into it (never replaced by a
    plain file); a symbolic link is written through, to the file it names (the link stays); anything else is
    replaced atomically (a new file is 0600)."""
    import stat

    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise OSError(err.errno, f"{err.strerror}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder; give a file name inside it")
        with open(target, "wb") as handle:  # a FIFO, a terminal, a device: as `cat > target` would
            handle.write(payload)
        return None
    return write_atomically(target.resolve() if target.is_symlink() else target, payload)

