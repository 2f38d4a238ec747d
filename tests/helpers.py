"""Helpers the tests share: a settable clock, the box file as data, a file's hash, waiting for saves."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cardbox.ui.screens.today import TodayScreen

# A Sunday morning, the moment most tests live in.
NOW = datetime(2026, 11, 22, 10, 0)


class Clock:
    """A clock a test can move: `clock.moment = …`."""

    def __init__(self, moment: datetime = NOW) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def box_state(path: Path) -> dict[str, str]:
    """What "nothing was written" compares: the box file, its journal and its index, each by hash.
    (A change saved as a journal line leaves box.json as it was: hashing it alone proves nothing.)"""
    return {suffix or "box": sha(path.with_name(path.name + suffix)) for suffix in ("", ".journal", ".index")}


def on_disk(path: Path) -> dict[str, Any]:
    """The box as saved on disk: the box file with the journal beside it replayed.

    Written here from the journal's documented format (a header line, then
    `{"put": {table: {key: doc or null}}}` lines; the header's "box" names the
    box file it was begun on; the box's meta "folded" says how much of which
    journal it already holds), not with cardbox's own
    reader, so the tests check the format as well as the code."""
    data = json.loads(path.read_text())
    journal = path.with_name(path.name + ".journal")
    if not journal.exists():
        return data
    raw = journal.read_bytes()
    complete = raw[: raw.rfind(b"\n") + 1]  # a torn last line was never acknowledged
    folded = (data.get("meta", {}).get("1") or {}).get("folded") or {}
    offset = 0
    ident = None
    st = path.stat()
    mark = [st.st_mtime_ns, st.st_size, st.st_ino]
    for number, line in enumerate(complete.split(b"\n")[:-1]):
        offset += len(line) + 1
        record = json.loads(line)
        if number == 0:
            ident = record["journal"]
            # Paired with this very box file, or folded into it: otherwise another box's, never applied.
            if folded.get("journal") != ident and record.get("box") not in (None, mark):
                return data
            continue
        if folded.get("journal") == ident and offset <= folded.get("through", 0):
            continue
        for table, docs in record["put"].items():
            rows = data.setdefault(table, {})
            for key, doc in docs.items():
                if doc is None:
                    rows.pop(key, None)
                else:
                    rows[key] = doc
    return data


def file_cards(path: Path) -> dict[str, dict[str, Any]]:
    """The cards as saved on disk (the box file and its journal), by id."""
    return on_disk(path)["cards"]


def file_table(path: Path, table: str) -> dict[str, dict[str, Any]]:
    return on_disk(path).get(table, {})


async def settle(app, pilot) -> None:
    """Wait until every save asked for is on disk and the screen has caught up."""
    await app.saver.drain()
    await pilot.pause()


def notice_hook() -> tuple[list[str], Any]:
    """A message hook for `run_test` that records every notification's text."""
    from textual.notifications import Notify

    seen: list[str] = []

    def hook(message) -> None:
        if isinstance(message, Notify):
            seen.append(str(message.notification.message))

    return seen, hook


def fill_disk(monkeypatch) -> None:
    """Every write to the box fails as on a full disk: whole writes and journal lines alike."""
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("cardbox.core.files.write_atomically", full)
    monkeypatch.setattr("cardbox.core.journal.append", full)


class typed(str):
    """Text a test types into the focused field in one go: one key at a time costs Pilot two idle waits a key,
    and what typing does key by key is tested on its own (test_key_bursts, the tmux tests)."""


async def press(pilot, *steps: str) -> None:
    """`pilot.press`, with `typed(...)` steps written straight into whichever field has the focus then."""
    from textual.widgets import Input, TextArea

    keys: list[str] = []
    for step in steps:
        if not isinstance(step, typed):
            keys.append(step)
            continue
        if keys:
            await pilot.press(*keys)
            keys = []
        field = pilot.app.focused
        if isinstance(field, Input):
            if not field.selection.is_empty:
                field.delete_selection()  # typing over a selection replaces it, as a key would
            field.insert_text_at_cursor(step)
        elif isinstance(field, TextArea):
            field.insert(step)
        else:
            await pilot.press(*step)  # no field has the focus: the characters are keys to the screen
    if keys:
        await pilot.press(*keys)
    else:
        await pilot.pause()


def cardbox_command(argv: list[str], env: dict[str, str], text: bool = True):
    """`cardbox argv` run by its own `main` in this process, as the command would run it: this environment, its
    own stdout and stderr, its exit code. Starting a Python process for each of hundreds of commands cost most of
    the suite's time; the tests about the process itself (exit on a signal, a closed pipe, the installed entry
    point, file modes under another user) still start one."""
    import io
    import os
    import subprocess
    import sys
    import traceback

    from cardbox import cli

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="backslashreplace", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    saved_env, saved_streams = dict(os.environ), (sys.stdout, sys.stderr)
    os.environ.clear()
    os.environ.update(env)
    sys.stdout, sys.stderr = stdout, stderr
    try:
        try:
            code = cli.main(argv)
        except SystemExit as done:  # argparse's own errors and --version
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if isinstance(done.code, str):
                print(done.code, file=sys.stderr)
        except Exception:
            traceback.print_exc()
            code = 1
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_env)
    stdout.flush()
    stderr.flush()
    made: tuple[bytes | str, bytes | str] = (out.getvalue(), err.getvalue())
    if text:
        made = (out.getvalue().decode("utf-8", "backslashreplace"), err.getvalue().decode("utf-8", "backslashreplace"))
    return subprocess.CompletedProcess(["cardbox", *argv], code, made[0], made[1])


def today(app: Any) -> TodayScreen:
    """The Today screen, asserted to be the one showing (and typed as it, for mypy)."""
    from cardbox.ui.screens.today import TodayScreen

    screen = app.screen
    assert isinstance(screen, TodayScreen), f"{screen!r} is showing, not Today"
    return screen


T = TypeVar("T")


def some(value: T | None) -> T:
    """`value`, which the test expects to be there (a None fails the test at this line)."""
    assert value is not None
    return value
