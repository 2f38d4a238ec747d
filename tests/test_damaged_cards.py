"""One damaged card costs that card, never the others: every command names it, nothing crashes, and no change
mangles it (a string of phones is never taken apart digit by digit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from helpers import cardbox_command

from cardbox.core.box import Box

CARDBOX = str(Path(sys.executable).parent / "cardbox")
NOW = datetime(2026, 12, 7, 12, 0)

DAMAGE = {
    "attempts as a word": ("attempts", "none"),
    "attempts of text": ("attempts", ["x"]),
    "a number for a name": ("name", 5),
    "notes as a table": ("notes", {"a": 1}),
    "phones as one string": ("phones", "2125550100"),
    "tags as one string": ("tags", "abc"),
    "an id that is not its key": ("id", 99),
    "a window that is a word": ("due", "tomorrow"),
}


def damaged_box(tmp_path: Path, field: str, value) -> Path:
    path = tmp_path / "box.json"
    box = Box(path, clock=lambda: NOW)
    for name in ("Ann Good", "Dee Damaged", "Zed Good"):
        box.add(name, phones=["212 555 0100"])
    box.storage.fold()
    data = json.loads(path.read_text())
    data["cards"]["2"][field] = value
    path.write_text(json.dumps(data))
    path.with_name("box.json.index").unlink(missing_ok=True)
    return path


def cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW="2026-12-07T12:00", CARDBOX_TZ="America/New_York", HOME=str(path.parent),
               XDG_CONFIG_HOME=str(path.parent / "config"))
    return cardbox_command(["--box", str(path), *args], env)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_every_command_names_the_damaged_card_and_works_for_the_others(tmp_path, damage):
    path = damaged_box(tmp_path, *DAMAGE[damage])
    as_written = json.loads(path.read_text())["cards"]["2"]
    for command in (["find", "Good"], ["export", "--format", "csv"], ["due"]):
        done = cli(path, *command)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stderr)
        # Commands that read every card name it (find reads only the cards that match).
        assert command[0] == "find" or "card 2 is damaged" in done.stderr, command
    assert "Ann Good" in cli(path, "find", "Good").stdout and "Zed Good" in cli(path, "export", "--format", "csv").stdout
    shown = cli(path, "show", "2")
    assert shown.returncode == 3 and "card 2 is damaged" in shown.stderr and "Traceback" not in shown.stderr
    logged = cli(path, "log", "2", "no-answer")
    assert logged.returncode == 3 and "card 2 is damaged" in logged.stderr  # never saved over the damage
    assert cli(path, "log", "1", "no-answer").returncode == 0
    Box(path, clock=lambda: NOW).storage.fold()
    assert json.loads(path.read_text())["cards"]["2"] == as_written  # kept exactly as it was


def test_a_non_numeric_next_id_does_not_stop_a_new_card(tmp_path):
    path = tmp_path / "box.json"
    box = Box(path, clock=lambda: NOW)
    box.add("Ann")
    box.storage.fold()
    data = json.loads(path.read_text())
    data["meta"]["1"]["next_id"] = "abc"
    path.write_text(json.dumps(data))
    added = cli(path, "add", "Bo")
    assert added.returncode == 0 and "#2" in added.stdout


def test_a_card_nested_too_deep_is_refused_in_words(tmp_path):
    path = tmp_path / "box.json"
    Box(path, clock=lambda: NOW).add("Ann")
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"notes":""', b'"notes":' + b"[" * 100_000 + b"]" * 100_000, 1))
    done = cli(path, "due")
    assert done.returncode == 3 and "nested too deep" in done.stderr and "Traceback" not in done.stderr


async def test_the_app_starts_on_a_box_with_a_damaged_card(tmp_path, monkeypatch):
    from app_support import build_app
    from helpers import notice_hook

    monkeypatch.setenv("CARDBOX_TZ", "America/New_York")
    path = damaged_box(tmp_path, "attempts", "none")
    app = build_app(Box(path, clock=lambda: NOW), clock=lambda: NOW)
    seen, hook = notice_hook()
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        await pilot.pause()
        assert any("card 2 is damaged" in message for message in seen)
