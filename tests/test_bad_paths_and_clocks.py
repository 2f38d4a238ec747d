"""Bad input at the shell: paths that are not box files, clocks and dates outside the years a rep can mean,
digits that are not ASCII, another program's TinyDB file. Each gets one clear line and exit 2 (3 for a box
that cannot be read), and nothing is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import sha

CARDBOX = str(Path(sys.executable).parent / "cardbox")


def run(tmp_path: Path, *args: str, now: str = "2026-12-07T12:00") -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW=now, CARDBOX_TZ="America/New_York", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("CARDBOX_BOX", None)
    return subprocess.run([CARDBOX, *args], capture_output=True, text=True, env=env, timeout=30)


@pytest.fixture
def box(tmp_path) -> Path:
    path = tmp_path / "box.json"
    assert run(tmp_path, "--box", str(path), "add", "Ann", "--phone", "212 555 0100").returncode == 0
    return path


def state(path: Path) -> dict[str, str]:
    return {suffix: sha(path.with_name(path.name + suffix)) for suffix in ("", ".journal", ".index")}


@pytest.mark.parametrize("args", [
    ["show", "٥"], ["show", "²"], ["tick", "dial", "--count", "٣"], ["due", "--on", "0001-01-01"],
    ["due", "--on", "9999-12-31"], ["stats", "--period", "month", "--on", "9999-12-31"], ["add", "Bo", "--phone", ""],
])
def test_bad_values_are_refused_in_one_line(tmp_path, box, args):
    before = state(box)
    done = run(tmp_path, "--box", str(box), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert state(box) == before


def test_a_clock_in_the_year_9999_is_refused_and_nothing_is_stored(tmp_path, box):
    before = state(box)
    for args in (["tick", "dial"], ["add", "Zed"]):
        done = run(tmp_path, "--box", str(box), *args, now="9999-12-31T23:59")
        assert done.returncode == 2 and "year 9999" in done.stderr
    assert state(box) == before
    assert run(tmp_path, "--box", str(box), "stats").returncode == 0  # and normal times still work


def test_paths_that_are_not_box_files(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    cases = {
        str(tmp_path): "is a directory",
        str(tmp_path / "fifo"): "is a FIFO",
        str(tmp_path / "nope" / "box.json"): "no folder",
        "": "--box is empty",
    }
    for path, words in cases.items():
        done = run(tmp_path, "--box", path, "due")
        assert done.returncode == 2 and words in done.stderr and "Remove it" not in done.stderr, (path, done.stderr)
    assert not (tmp_path / "data").exists()  # --box "" never falls back to the default box


def test_another_programs_tinydb_file_with_a_cards_table_is_never_taken_over(tmp_path):
    flash = tmp_path / "flash.json"
    flash.write_text(json.dumps({"cards": {"1": {"front": "hola", "back": "hello"}, "2": {"front": "adiós", "back": "bye"}}}))
    before = flash.read_bytes()
    done = run(tmp_path, "--box", str(flash), "add", "Bo")
    assert done.returncode == 3 and "not cardbox's" in done.stderr
    assert flash.read_bytes() == before and not (tmp_path / "flash.json.journal").exists()


def test_a_symlinked_lock_and_an_immutable_journal_are_named_for_what_they_are(tmp_path, box):
    lock = box.with_name("box.json.lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(tmp_path / "elsewhere")
    done = run(tmp_path, "--box", str(box), "add", "Bo")
    assert done.returncode == 3 and "box.json.lock is a symbolic link" in done.stderr
    assert not (tmp_path / "elsewhere").exists()
    lock.unlink()
    assert run(tmp_path, "--box", str(box), "add", "Cy").returncode == 0  # a journal now waits
    journal = box.with_name("box.json.journal")
    if subprocess.run(["chattr", "+i", str(journal)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem cannot make a file immutable")
    try:
        done = run(tmp_path, "--box", str(box), "add", "Di")
    finally:
        subprocess.run(["chattr", "-i", str(journal)], capture_output=True)
    assert done.returncode == 3 and "box.json.journal is locked against changes (immutable" in done.stderr
