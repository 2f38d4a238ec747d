"""Private files, links and devices: what the box leaves on disk, and where exports go."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from cardbox.core.box import Box

NOW = datetime(2026, 11, 22, 10, 0)
CARDBOX = str(Path(sys.executable).parent / "cardbox")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def cli(tmp_path: Path, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW="2026-11-22T10:00", CARDBOX_TZ="America/New_York", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("CARDBOX_BOX", None)
    return subprocess.run([CARDBOX, *args], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=30)


def test_a_new_box_and_everything_beside_it_is_the_owners_alone(tmp_path):
    old = os.umask(0o022)  # the usual umask, under which files were 0644 and folders 0755
    try:
        assert cli(tmp_path, "add", "Ann", "--phone", "212 555 0100", "--when", "tomorrow").returncode == 0
        assert cli(tmp_path, "add", "Abe").returncode == 0  # the day's backup, a journal
        assert cli(tmp_path, "log", "1", "no-answer").returncode == 0
    finally:
        os.umask(old)
    folder = tmp_path / "data" / "cardbox"
    assert mode(folder) == 0o700 and mode(tmp_path / "data") == 0o700
    for name in ("box.json", "box.json.journal", "box.json.index", "box.json.lock"):
        assert mode(folder / name) == 0o600, name
    assert mode(folder / "box-backups") == 0o700
    assert all(mode(backup) == 0o600 for backup in (folder / "box-backups").iterdir())


def test_an_existing_box_keeps_the_mode_its_owner_gave_it(tmp_path):
    box = Box(tmp_path / "box.json", clock=lambda: NOW)
    box.add("Ann")
    os.chmod(box.path, 0o640)
    box.add("Abe")
    box.storage.fold()
    assert mode(box.path) == 0o640


def test_an_export_file_is_private(tmp_path):
    cli(tmp_path, "add", "Ann")
    target = tmp_path / "out.csv"
    assert cli(tmp_path, "export", "--format", "csv", "-o", str(target)).returncode == 0
    assert mode(target) == 0o600


def test_an_export_into_a_fifo_is_written_into_it_never_replacing_it(tmp_path):
    cli(tmp_path, "add", "Ann Fifo")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = cli(tmp_path, "export", "--format", "csv", "-o", str(fifo))
    out, _ = reader.communicate(timeout=10)
    assert done.returncode == 0 and b"Ann Fifo" in out
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO


def test_an_export_through_a_link_writes_the_file_it_names_and_keeps_the_link(tmp_path):
    cli(tmp_path, "add", "Ann Link")
    real = tmp_path / "synced" / "export.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "export.csv"
    link.symlink_to(real)
    assert cli(tmp_path, "export", "--format", "csv", "-o", str(link)).returncode == 0
    assert link.is_symlink() and "Ann Link" in real.read_text(encoding="utf-8-sig")


def test_a_symlinked_box_stays_a_link_and_the_file_it_names_gets_the_changes(tmp_path):
    real = tmp_path / "sync" / "box.json"
    box = Box(real, clock=lambda: NOW)
    box.add("Ann")
    link = tmp_path / "box.json"
    link.symlink_to(real)
    through = Box(link, clock=lambda: NOW)
    through.add("Abe")
    through.log(1, "no-answer")
    through.storage.fold()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert [card.name for card in Box(real, clock=lambda: NOW).cards()] == ["Ann", "Abe"]
    assert not (tmp_path / "box.json.journal").exists() and not (tmp_path / "box.json.index").exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_an_export_to_a_terminal_shows_control_characters_and_to_a_pipe_keeps_them(tmp_path):
    import tinydb

    cli(tmp_path, "add", "Eve")
    box = tmp_path / "data" / "cardbox" / "box.json"
    with tinydb.TinyDB(box) as db:  # what a hand edit or a sync tool can leave in a box
        db.table("cards").update({"name": "Eve \x1b]0;owned\x07 \x1b[2J"}, doc_ids=[1])
    piped = cli(tmp_path, "export", "--format", "csv")
    assert b"\x1b]0;owned\x07" in piped.stdout  # exact in a pipe or a file
    primary, secondary = os.openpty()
    try:
        done = cli(tmp_path, "export", "--format", "csv", stdout=secondary)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert done.returncode == 0 and b"\x1b" not in seen and "␛]0;owned␇".encode() in seen


def test_imported_address_parts_are_stored_without_control_characters(tmp_path):
    import json

    source = tmp_path / "leads.csv"
    source.write_text("Full Name,Phone,City,State\nEve Esc,212 555 0100,\"New\x1b]0;owned\x07 York\",N\x9bY\u202e\n", encoding="utf-8")
    done = cli(tmp_path, "import", str(source), "--map", "Full Name=name", "--map", "Phone=phone", "--map", "City=city",
               "--map", "State=region")
    assert done.returncode == 0, done.stderr
    Box(tmp_path / "data" / "cardbox" / "box.json", clock=lambda: NOW).storage.fold()
    [card] = json.loads((tmp_path / "data" / "cardbox" / "box.json").read_text())["cards"].values()
    assert card["address"] == {"city": "New]0;owned York", "region": "NY"}


async def test_the_edit_form_never_shows_bidi_overrides_or_controls_raw(tmp_path, monkeypatch):
    import tinydb
    from app_support import build_app
    from textual.widgets import Input

    path = tmp_path / "box.json"
    box = Box(path, clock=lambda: NOW)
    box.add("Eve", company="Acme")
    box.storage.fold()
    with tinydb.TinyDB(path) as db:
        db.table("cards").update({"name": "Eve \u202etxt.exe", "company": "Ac\x1bme"}, doc_ids=[1])
    app = build_app(Box(path, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_card(1)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Eve txt.exe"
        assert app.screen.query_one("#company", Input).value == "Acme"
