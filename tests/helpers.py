"""Helpers the tests share: a settable clock, the box file as data, a file's hash, waiting for saves."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

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


def file_cards(path: Path) -> dict[str, dict[str, Any]]:
    """The cards as the box file holds them, by id."""
    return json.loads(path.read_text())["cards"]


def file_table(path: Path, table: str) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text()).get(table, {})


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
