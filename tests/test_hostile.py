"""A box that survives hostile hands: recovery that works, nothing raw to the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import NOW, build_app
from helpers import cardbox_command, notice_hook, on_disk, some, today

from cardbox.core.backups import list_backups, restore_backup
from cardbox.core.box import Box
from cardbox.core.box_errors import BoxCorrupt
from cardbox.core.text import shown

CARDBOX = str(Path(sys.executable).parent / "cardbox")
HOSTILE = "Evil\x1b]0;PWNED\x07 \x1b[2J\x1b]52;c;aGk=\x07\x9b31m\u202eName\r\nline2"


def cli(box: Path, *args: str, now: str = "2026-11-22T10:00") -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW=now, XDG_CONFIG_HOME=str(box.parent / "config"), HOME=str(box.parent))
    env.pop("CARDBOX_BOX", None)
    return cardbox_command(["--box", str(box), *args], env)


def hostile_box(path: Path) -> None:
    card = {"id": 1, "name": HOSTILE, "company": "Co\x1b[2J", "phones": [], "email": "", "why": "why\x1b[31m", "notes": "n\x07",
            "tags": ["t\x1b"], "status": "active", "attempts": [
                {"at": "2026-11-20T09:00:00", "channel": "call", "outcome": "no-answer", "note": "\x1b]0;x\x07", "next": None}],
            "due": {"start": "2026-11-22", "end": "2026-11-22", "grain": "day", "phrase": "today\x1b]52;c;aGk=\x07", "label": "Sun 22 Nov 2026"},
            "created": "2026-11-20T09:00:00", "updated": "2026-11-20T09:00:00"}
    path.write_text(json.dumps({"cards": {"1": card}, "sessions": {}, "meta": {"1": {"schema": 1, "next_id": 2}}}))


# -- what is read from the file is as untrusted as what is typed ----------------


def test_shown_makes_control_characters_visible():
    assert shown("a\x1b[2Jb\x07") == "a␛[2Jb␇"
    assert shown("x\x9by\x7f") == "x�y␡"
    assert shown("one\r\ntwo\nthree", one_line=True) == "one two three"
    assert shown("keep\nlines\ttabs") == "keep\nlines\ttabs"
    assert "\u202e" not in shown("a\u202eb")


@pytest.mark.parametrize("command", [["due"], ["show", "1"], ["find", "Evil"]])
def test_the_cli_never_sends_control_characters(tmp_path, command):
    box = tmp_path / "box.json"
    hostile_box(box)
    done = cli(box, *command)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\x9b" not in done.stdout
    assert "␛]0;PWNED␇" in done.stdout
    # Names stay on one line.
    assert not any(line.startswith("line2") for line in done.stdout.splitlines())


def test_json_output_stays_exact(tmp_path):
    box = tmp_path / "box.json"
    hostile_box(box)
    done = cli(box, "show", "1", "--json")
    assert json.loads(done.stdout)["name"] == HOSTILE


async def test_the_app_draws_no_control_characters(tmp_path):
    box = tmp_path / "box.json"
    hostile_box(box)
    app = build_app(Box(box, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        from cardbox.ui.safe_output import DropControlCharacters

        # The last line of defence: every line drawn passes the filter, whatever the theme's own filters.
        assert isinstance(app.get_line_filters()[-1], DropControlCharacters)
        title = str(app.screen.query_one("#card-title").render())
        assert "␛]0;PWNED␇" in title and "line2" in title and "\n" not in title  # visible, and one line
        for key in ("", "e", "escape", "f4"):
            if key:
                await pilot.press(key)
            await pilot.pause()
            text = app.export_screenshot()
            assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, key


# -- recovery works exactly when it is needed ------------------------------------


def broken_box_with_backups(tmp_path: Path) -> Path:
    box = tmp_path / "box.json"
    cli(box, "add", "Ann", now="2026-11-20T10:00")
    cli(box, "add", "Bo", now="2026-11-21T10:00")  # the first change of the 21st backs up the 20th's box
    box.write_bytes(b"{ not json \x1b]0;x\x07")
    return box


def test_backups_list_and_restore_on_a_box_that_cannot_be_read(tmp_path):
    box = broken_box_with_backups(tmp_path)
    broken = box.read_bytes()
    assert cli(box, "due").returncode == 3
    listed = cli(box, "backups")
    assert listed.returncode == 0 and "2026-11-21" in listed.stdout
    restored = cli(box, "backups", "--restore", "2026-11-21")
    assert restored.returncode == 0, restored.stderr
    assert "kept, untouched, as" in restored.stdout
    kept = Path(restored.stdout.split("kept, untouched, as ")[1].strip())
    assert kept.read_bytes() == broken  # the broken box is kept beside, never deleted
    assert "Ann" in cli(box, "find", "Ann").stdout


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path):
    box = broken_box_with_backups(tmp_path)
    broken = box.read_bytes()
    [backup] = list_backups(box)
    backup.path.write_text("{oops")
    with pytest.raises(BoxCorrupt):
        restore_backup(box, backup.day, clock=lambda: NOW)
    assert box.read_bytes() == broken


async def test_the_app_offers_the_backups_of_a_box_it_cannot_read(tmp_path):
    from textual.widgets import OptionList

    from cardbox.ui.recovery import RecoveryApp

    box = broken_box_with_backups(tmp_path)
    broken = box.read_bytes()
    app = RecoveryApp(box, "box.json is not valid JSON", clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        options = app.query_one(OptionList)
        assert options.option_count == 1 and "1 card" in str(options.get_option_at_index(0).prompt)
        assert box.read_bytes() == broken  # nothing written before the rep chooses
        await pilot.press("enter")
    assert app.return_value is not None and some(app.return_value.kept).read_bytes() == broken
    assert [c.name for c in Box(box, clock=lambda: NOW).cards()] == ["Ann"]
    # Quitting changes nothing.
    box.write_bytes(broken)
    app = RecoveryApp(box, "box.json is not valid JSON", clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
    assert app.return_value is None and box.read_bytes() == broken


# -- read-only means read-only --------------------------------------------------


def as_other_user() -> list[str] | None:
    """A command prefix that runs as an unprivileged user, when we are root and such a user exists."""
    import pwd
    import shutil

    if os.geteuid() != 0:
        return []  # already not root
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return None
    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser is None:
        return None
    return [runuser, "-u", "nobody", "--"] if runuser.endswith("runuser") else [runuser, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


DROP_TO_NOBODY = """
import os, sys, tempfile
import cardbox.cli
from cardbox.cli import main
scratch = tempfile.mkdtemp()
for warm in (["add", "X", "--phone", "415 555 0100", "--when", "tomorrow"], ["log", "1", "no-answer"], ["tick", "dial"]):
    main(["--box", os.path.join(scratch, "warm.json"), *warm])  # loads every module the commands use, as root
os.setgroups([]); os.setgid(65534); os.setuid(65534)
assert os.geteuid() == 65534
sys.argv = sys.argv[1:]
raise SystemExit(main(sys.argv[1:]))
"""


def shared_dir(tmp_path: Path) -> Path:
    """A folder another user can reach (pytest's own tmp folders are private)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="cardbox-ro-", dir="/tmp"))
    folder.chmod(0o777)
    return folder


@pytest.mark.parametrize("user", ["me", "other"])
def test_a_read_only_box_file_is_never_written(tmp_path, user):
    prefix: list[str] = []
    if user == "other":
        found = as_other_user()
        if found is None:
            pytest.skip("no unprivileged user (nobody) to run as, or no runuser/setpriv")
        prefix = found
        if prefix and subprocess.run([*prefix, sys.executable, "-c", "pass"], capture_output=True).returncode != 0:
            # This Python lives in a folder only root may enter: start it as root, load cardbox,
            # then drop to nobody before any command runs.
            prefix = [sys.executable, "-c", DROP_TO_NOBODY]
    folder = shared_dir(tmp_path)
    box = folder / "box.json"
    assert cli(box, "add", "Ann").returncode == 0
    box.chmod(0o444)
    before, owner = box.read_bytes(), (box.stat().st_uid, box.stat().st_gid)
    env = dict(os.environ, CARDBOX_NOW="2026-11-22T10:00", XDG_CONFIG_HOME=str(folder / "config"), HOME=str(folder))
    for command in (["add", "Bo"], ["log", "1", "no-answer"], ["tick", "dial"]):
        program = [CARDBOX] if not prefix or prefix[-1] == "--" or "setpriv" in prefix[0] else ["cardbox"]
        done = subprocess.run([*prefix, *program, "--box", str(box), *command], capture_output=True, text=True, env=env, timeout=30)
        assert done.returncode == 3, (command, done.stdout, done.stderr)
        assert "read-only" in done.stderr and "chmod u+w" in done.stderr
    assert box.read_bytes() == before and (box.stat().st_uid, box.stat().st_gid) == owner
    assert box.stat().st_mode & 0o777 == 0o444


def test_an_immutable_box_is_reported_as_the_file_locked(tmp_path):
    import shutil

    folder = shared_dir(tmp_path)
    box = folder / "box.json"
    assert cli(box, "add", "Ann").returncode == 0
    chattr = shutil.which("chattr")
    if chattr is None or os.geteuid() != 0 or subprocess.run([chattr, "+i", str(box)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that supports it")
    try:
        before = box.read_bytes()
        done = cli(box, "add", "Bo")
        assert done.returncode == 3 and "immutable" in done.stderr and str(box) in done.stderr
        assert "cannot write in" not in done.stderr  # the file, not the folder
        assert box.read_bytes() == before
    finally:
        subprocess.run([chattr, "-i", str(box)], capture_output=True)


def test_a_saved_box_keeps_its_mode_and_owner(tmp_path):
    folder = shared_dir(tmp_path)
    box = folder / "box.json"
    assert cli(box, "add", "Ann").returncode == 0
    box.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(box, 65534, 65534)
    owner = (box.stat().st_uid, box.stat().st_gid)
    assert cli(box, "add", "Bo").returncode == 0
    assert box.stat().st_mode & 0o777 == 0o640
    assert (box.stat().st_uid, box.stat().st_gid) == owner


async def test_the_app_opens_a_read_only_box_read_only(tmp_path):
    from helpers import settle

    folder = shared_dir(tmp_path)
    box = folder / "box.json"
    assert cli(box, "add", "Ann", "--when", "today").returncode == 0
    box.chmod(0o444)
    before = box.read_bytes()
    app = build_app(Box(box, clock=lambda: NOW))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.save_status.startswith("READ-ONLY")
        await pilot.press("1")
        await settle(app, pilot)
        assert app.save_status.startswith("READ-ONLY")
        assert "not saved" in str(app.screen.query_one("#last-logged").render())
    assert box.read_bytes() == before


# -- space ------------------------------------------------------------------------


def test_the_daily_backup_is_a_hard_link_that_costs_no_space(tmp_path):
    box = tmp_path / "box.json"
    cli(box, "add", "Ann", now="2026-11-20T10:00")
    before = box.read_bytes()
    inode = box.stat().st_ino
    cli(box, "add", "Bo", now="2026-11-21T10:00")  # the first change of the day keeps the box as it was
    [backup] = list_backups(box)
    assert backup.path.stat().st_ino == inode  # the old file itself, not a copy
    assert backup.path.read_bytes() == before
    assert box.stat().st_ino != inode  # the box goes on in a new file: the backup never shares it
    assert [c["name"] for c in on_disk(box)["cards"].values()] == ["Ann", "Bo"]


def test_a_backup_that_cannot_be_made_never_blocks_the_save_and_is_reported(tmp_path):
    box = tmp_path / "box.json"
    cli(box, "add", "Ann", now="2026-11-20T10:00")
    (tmp_path / "box-backups").write_text("a file where the backup folder should be")
    done = cli(box, "add", "Bo", now="2026-11-21T10:00")
    assert done.returncode == 0, done.stderr  # the change is on disk
    assert "warning: today's backup could not be made" in done.stderr and "does not stop changes" in done.stderr
    assert "Bo" in cli(box, "find", "Bo").stdout


def test_a_full_disk_during_the_backup_copy_does_not_fail_the_save(tmp_path, monkeypatch):
    import errno

    from cardbox.core import files

    box_path = tmp_path / "box.json"
    box = Box(box_path, clock=lambda: NOW)
    box.add("Ann")
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EPERM, "no links here")))
    real = files.write_atomically

    def full_for_backups(target, payload, mode=None):
        if "backups" in str(target):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, payload, mode)

    monkeypatch.setattr(files, "write_atomically", full_for_backups)
    later = Box(box_path, clock=lambda: NOW.replace(day=NOW.day + 1))
    later.add("Bo")  # saved although the backup could not be written
    assert {c.name for c in Box(box_path, clock=lambda: NOW).cards()} == {"Ann", "Bo"}
    assert any("backup could not be made" in w for w in later.storage.warnings)


# -- small input holes ------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["in -5 days", "-3 weeks", "within -2 days", ""])
def test_a_backwards_or_empty_phrase_is_refused(tmp_path, phrase):
    box = tmp_path / "box.json"
    done = cli(box, "add", "Ann", "--when", phrase)
    assert done.returncode == 2 and ("backwards" in done.stderr or "empty" in done.stderr), done.stderr
    assert not box.exists() or "Ann" not in box.read_text()


def test_ranges_with_a_dash_still_read():
    from datetime import date, datetime

    from cardbox.core.phrases import parse_when

    assert parse_when("5-10 Jan", datetime(2026, 11, 23, 10)).first_day == date(2027, 1, 5)


@pytest.mark.parametrize(("value", "words"), [("", "set but empty"), ("0001-01-01T10:00", "year 1"), ("soon", "not an ISO 8601")])
def test_a_bad_cardbox_now_is_refused(tmp_path, value, words):
    env = dict(os.environ, CARDBOX_NOW=value, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    done = subprocess.run([CARDBOX, "--box", str(tmp_path / "box.json"), "due"], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 2 and words in done.stderr, done.stderr


def test_length_messages_read_well():
    from cardbox.core.card import clean_fields
    from cardbox.core.errors import CardError

    with pytest.raises(CardError) as caught:
        clean_fields("Ann", notes="x" * 120_000)
    assert str(caught.value) == "too long: 120,000 characters in the notes, and at most 20,000 fit; shorten it"


# -- only boxes are written into -----------------------------------------------------


@pytest.mark.parametrize("content", ['{"users": {"1": {"name": "x"}}}', '{"_default": {"1": {"a": 1}}}', "", "  \n"])
def test_a_file_that_is_not_a_box_is_refused_and_kept(tmp_path, content):
    box = tmp_path / "box.json"
    box.write_text(content)
    done = cli(box, "add", "Ann")
    assert done.returncode == 3, done.stderr
    assert ("not a card box" in done.stderr) or ("is empty" in done.stderr)
    assert box.read_text() == content


def damaged_card_box(path: Path) -> None:
    assert cli(path, "add", "Ann", "--when", "today").returncode == 0
    assert cli(path, "add", "Bo", "--when", "today").returncode == 0
    data = on_disk(path)
    del data["cards"]["2"]["created"]  # card 2 is damaged
    path.write_text(json.dumps(data))
    path.with_name(path.name + ".journal").unlink(missing_ok=True)  # its changes are in the file now


def test_a_box_with_a_damaged_card_still_works_and_names_it(tmp_path):
    box = tmp_path / "box.json"
    damaged_card_box(box)
    due = cli(box, "due")
    assert due.returncode == 0 and "Ann" in due.stdout
    assert "card 2 is damaged" in due.stderr
    added = cli(box, "add", "Cy")
    assert added.returncode == 0 and "card 2 is damaged" in added.stderr  # a write says so
    data = on_disk(box)
    assert "created" not in data["cards"]["2"] and data["cards"]["2"]["name"] == "Bo"  # kept as it was
    shown_card = cli(box, "show", "2")
    assert shown_card.returncode == 3 and "card 2 is damaged" in shown_card.stderr


async def test_the_app_lists_a_damaged_card_as_damaged(tmp_path):
    from cardbox.ui.widgets.card_list import CardList

    box = tmp_path / "box.json"
    damaged_card_box(box)
    seen, hook = notice_hook()
    app = build_app(Box(box, clock=lambda: NOW))
    async with app.run_test(size=(120, 32), message_hook=hook) as pilot:
        await pilot.pause()
        assert [app.box.get(i).name for i in today(app).deck.ids] == ["Ann"]
        await pilot.press("f4")
        await pilot.pause()
        rows = app.screen.query_one(CardList)
        texts = [str(rows.render_line(y)) for y in range(rows.size.height)]
    assert any("damaged card" in text for text in texts)
    assert any("card 2 is damaged" in message for message in seen)
