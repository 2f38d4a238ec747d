"""The `cardbox` command, run through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import box_state, cardbox_command, sha

import cardbox
from cardbox.core.demo import box_data, write_box

CARDBOX = Path(sys.executable).parent / "cardbox"
NOW = "2026-11-22T10:00"  # a Sunday

CARD_KEYS = {"id", "name", "company", "phones", "email", "due", "why", "notes", "tags", "status",
             "attempts", "created", "updated"}
ATTEMPT_KEYS = {"at", "channel", "outcome", "note"}
DUE_KEYS = {"start", "end", "grain", "phrase"}


class Runner:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.box = tmp_path / "box.json"
        self.env = dict(os.environ)
        self.env.pop("CARDBOX_BOX", None)
        self.env.update(
            CARDBOX_NOW=NOW,
            XDG_CONFIG_HOME=str(tmp_path / "config"),
            XDG_DATA_HOME=str(tmp_path / "data"),
            HOME=str(tmp_path / "home"),
            COLUMNS="120",
        )

    def __call__(self, *args: str, box: bool = True, now: str | None = None, exe: list[str] | None = None):
        env = dict(self.env)
        if now is not None:
            env["CARDBOX_NOW"] = now
        argv = [*(["--box", str(self.box)] if box else []), *args]
        if exe is None:
            return cardbox_command(argv, env)
        return subprocess.run([*exe, *argv], capture_output=True, text=True, env=env, timeout=30)

    def ok(self, *args: str, **kw):
        proc = self(*args, **kw)
        assert proc.returncode == 0, proc.stderr
        return proc

    def json(self, *args: str, **kw):
        return json.loads(self.ok(*args, "--json", **kw).stdout)


@pytest.fixture
def run(tmp_path) -> Runner:
    return Runner(tmp_path)


def check_card_shape(card: dict) -> None:
    assert CARD_KEYS <= set(card)
    if card["due"] is not None:
        assert DUE_KEYS <= set(card["due"])
    for attempt in card["attempts"]:
        assert ATTEMPT_KEYS <= set(attempt)


# -- the round trip -------------------------------------------------------------


def test_add_due_log_round_trip(run):
    added = run.json(
        "add", "Dana Whitfield", "--company", "Acme Roofing", "--phone", "(415) 555-0134", "--phone", "212 555 0199",
        "--email", "dana@acme.example", "--when", "late January", "--why", "budget opens in January",
        "--note", "roof problems", "--tag", "hot", "--tag", "Owner",
    )
    check_card_shape(added)
    assert added["id"] == 1
    assert added["name"] == "Dana Whitfield" and added["company"] == "Acme Roofing"
    assert added["phones"] == ["+14155550134", "+12125550199"]
    assert added["email"] == "dana@acme.example"
    assert added["why"] == "budget opens in January" and added["notes"] == "roof problems"
    assert added["tags"] == ["hot", "owner"]
    assert added["status"] == "active" and added["attempts"] == []
    assert added["created"] == added["updated"] == "2026-11-22T10:00:00-08:00"
    assert added["due"]["phrase"] == "late January"
    assert added["due"]["start"].startswith("2027-01-") and added["due"]["end"] == "2027-01-31"

    assert run.json("due") == []  # not due yet on Sunday 22 November
    due = run.json("due", "--on", "2027-01-25")
    assert [c["id"] for c in due] == [1]
    # The card as saved, plus when it may be called (zones, local time, calling hours).
    assert {key: value for key, value in due[0].items() if key in added} == added
    assert {"zones", "local_time", "callable_now", "callable_from"} <= set(due[0])

    first = run.json("log", "1", "no-answer", "--note", "rang out")
    check_card_shape(first)
    assert first["attempts"] == [
        {"at": "2026-11-22T10:00:00-08:00", "channel": "call", "outcome": "no-answer", "note": "rang out",
         "next": first["due"]}
    ]
    assert first["due"]["start"] == "2026-11-23"  # Sunday + 1 business day
    assert first["status"] == "active"
    assert [c["id"] for c in run.json("due", "--on", "2026-11-23")] == [1]

    second = run.json("log", "#1", "callback", "--channel", "email", "--next", "2026-12-01",
                      "--note", "asked for the overview", now="2026-11-23T09:15")
    assert second["attempts"][0] == first["attempts"][0]  # history preserved
    assert second["attempts"][1]["outcome"] == "callback"
    assert second["attempts"][1]["channel"] == "email"
    assert second["attempts"][1]["at"] == "2026-11-23T09:15:00-08:00"
    assert second["due"]["start"] == "2026-12-01"
    assert second["updated"] == "2026-11-23T09:15:00-08:00" and second["created"] == "2026-11-22T10:00:00-08:00"
    for key in ("name", "company", "phones", "email", "why", "notes", "tags"):
        assert second[key] == added[key]

    assert run.json("show", "1") == second
    assert [c["id"] for c in run.json("find", "555-0134")] == [1]
    assert [c["id"] for c in run.json("find", "acme", "roofing")] == [1]
    assert run.json("find", "nobody") == []


def test_log_outcomes_through_the_cli(run):
    run.ok("add", "A")
    nurture = run.json("log", "1", "nurture", "--opted-in")
    assert nurture["status"] == "nurture" and nurture["due"]["start"] == "2027-01-03"
    sale = run.json("log", "1", "sale")
    assert sale["status"] == "won" and sale["due"] is None
    appointment = run.json("log", "1", "appointment", "--next", "tomorrow at 4pm")
    assert appointment["due"]["start"] == "2026-11-23T16:00-08:00" and appointment["due"]["grain"] == "time"
    assert len(appointment["attempts"]) == 3


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("tomorrow", "2026-11-23", "2026-11-23"),
        ("today", "2026-11-22", "2026-11-22"),
        ("2026-12-01", "2026-12-01", "2026-12-01"),
        ("in 6 weeks", "2027-01-03", "2027-01-03"),
    ],
)
def test_when_phrases(run, phrase, start, end):
    window = run.json("when", *phrase.split(), box=False)
    assert window["start"] == start and window["end"] == end and window["phrase"] == phrase
    assert run.json("add", "X", "--when", phrase)["due"]["start"] == start


def test_when_late_january(run):
    window = run.json("when", "late", "January", box=False)
    assert window["start"] >= "2027-01-15" and window["end"] == "2027-01-31"
    assert run.ok("when", "late January", box=False).stdout.strip() == window["label"]


def test_reading_a_box_that_is_not_there_says_so(run):
    missing = run("due")
    assert missing.returncode == 2 and "there is no box at" in missing.stderr and missing.stdout == ""
    assert not run.box.exists()  # nothing made by asking
    run.ok("add", "Dana", "--when", "today")
    assert "Dana" in run.ok("due").stdout


def test_text_output(run):
    run.ok("add", "Zed", "--when", "next month")
    assert "nothing due on Sun 22 Nov 2026" in run.ok("due").stdout
    assert run.ok("add", "Dana", "--company", "Acme", "--when", "today", "--why", "budget").stdout.startswith(
        "saved card #2: Dana"
    )
    run.ok("add", "Undated")
    out = run.ok("due").stdout
    assert out.startswith("2 cards due on Sun 22 Nov 2026")
    assert "#2" in out and "Dana · Acme" in out and "why: budget" in out and "#3" in out
    show = run.ok("show", "2").stdout
    assert "#2  Dana · Acme   [active]" in show and "history: 0 attempts" in show
    assert "logged no-answer on #2 Dana" in run.ok("log", "2", "no-answer").stdout
    assert "no card matches" in run.ok("find", "zzz").stdout


def test_due_into_a_closed_pipe_is_not_an_error(run):
    write_box(run.box, box_data(300, __import__("datetime").datetime(2026, 11, 22, 10), due_today=100))
    proc = subprocess.run(
        f"'{CARDBOX}' --box '{run.box}' due | head -n 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=run.env, timeout=30,
    )
    assert proc.stdout.strip() == "0"
    assert "Traceback" not in proc.stderr


# -- bad input: exit 2, one line on stderr, box untouched --------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["show", "99"], "no card #99"),
        (["show", "abc"], "not a card id"),
        (["log", "99", "no-answer"], "no card #99"),
        (["log", "1", "hung-up"], "unknown outcome"),
        (["log", "1", "no-answer", "--channel", "pigeon"], "unknown channel"),
        (["log", "1", "callback"], "needs a date"),
        (["log", "1", "callback", "--next", "blurgh"], "blurgh"),
        (["due", "--on", "2026-13-45"], "not a date"),
        (["due", "--on", "tomorrow"], "not a date"),
        (["add", "X", "--phone", "12"], "not a valid number"),
        (["add", "X", "--phone", "call me"], "not a phone number"),
        (["add", "X", "--email", "nope"], "not an email"),
        (["add", "   "], "needs a name"),
        (["add", "X", "--when", "blurgh"], "blurgh"),
        (["add", "X", "--when", "the 31st of February"], ""),
        (["when", "flibbertigibbet"], "flibbertigibbet"),
    ],
)
def test_bad_input_exits_2_with_one_line(run, args, words):
    run.ok("add", "Existing")
    run.ok("add", "Second")  # a journal waits: a saved change would land there, not in box.json
    before = box_state(run.box)
    proc = run(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cardbox: ") and words in lines[0]
    assert "Traceback" not in proc.stderr
    assert box_state(run.box) == before


def test_bad_now_exits_2(run):
    proc = run("due", now="yesterday-ish")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "CARDBOX_NOW" in proc.stderr


def test_unknown_command_exits_2(run):
    proc = run("explode")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_box_that_is_a_directory_is_bad_input(run):
    run.box.mkdir()
    proc = run("due")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "is a directory" in proc.stderr


# -- help, version, where, backups ------------------------------------------------


@pytest.mark.parametrize("command", [[], ["add"], ["due"], ["show"], ["log"], ["find"], ["when"], ["where"], ["backups"]])
def test_help(run, command):
    proc = run(*command, "--help", box=False)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: cardbox") and proc.stderr == ""


def test_help_mentions_the_environment_and_outcomes(run):
    assert "CARDBOX_NOW" in run.ok("--help", box=False).stdout
    assert "do-not-call" in run.ok("log", "--help", box=False).stdout


def test_version(run):
    assert run.ok("--version", box=False).stdout.strip() == f"cardbox {cardbox.__version__}"
    module = run("--version", box=False, exe=[sys.executable, "-m", "cardbox"])
    assert module.returncode == 0 and module.stdout.strip() == f"cardbox {cardbox.__version__}"


def test_where(run, tmp_path):
    out = run.ok("where").stdout
    rows = dict(line.split(":", 1) for line in out.splitlines())
    rows = {key.strip(): Path(value.strip()) for key, value in rows.items()}
    assert {"box", "backups", "settings", "themes", "bundled themes"} <= set(rows)
    assert rows["box"].absolute() == run.box
    assert rows["backups"] == tmp_path / "box-backups"
    assert rows["settings"] == tmp_path / "config" / "cardbox" / "settings.json"
    # without --box: $CARDBOX_BOX, then the data folder
    rows = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in run.ok("where", box=False).stdout.splitlines()}
    assert rows["box"] == str(tmp_path / "data" / "cardbox" / "box.json")
    run.env["CARDBOX_BOX"] = str(tmp_path / "elsewhere.json")
    rows = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in run.ok("where", box=False).stdout.splitlines()}
    assert rows["box"] == str(tmp_path / "elsewhere.json")
    assert not (tmp_path / "data").exists()  # `where` creates nothing


def test_backups_list_and_restore(run, tmp_path):
    assert "no backups yet" in run.ok("backups").stdout
    run.ok("add", "Day one", now="2026-11-20T09:00")
    run.ok("add", "Day one again", now="2026-11-20T10:00")
    run.ok("add", "Day two", now="2026-11-21T09:00")
    out = run.ok("backups").stdout.splitlines()
    assert [line.split()[0] for line in out] == ["2026-11-21", "2026-11-20"]
    assert all(str(tmp_path / "box-backups") in line for line in out)
    restored = run.ok("backups", "--restore", "2026-11-20")
    assert "restored box-2026-11-20.json" in restored.stdout
    assert [c["name"] for c in run.json("find", "day")] == ["Day one"]
    assert any("before-restore" in line for line in run.ok("backups").stdout.splitlines())
    # the replaced box was kept and can itself be restored
    kept = next(line.split()[0] for line in run.ok("backups").stdout.splitlines() if "before-restore" in line)
    run.ok("backups", "--restore", kept)
    assert len(run.json("find", "day")) == 3


def test_restore_unknown_backup_is_bad_input(run):
    run.ok("add", "One")
    proc = run("backups", "--restore", "1999-01-01")
    assert proc.returncode == 2


def test_restore_damaged_backup_exits_3(run, tmp_path):
    run.ok("add", "One", now="2026-11-20T09:00")
    run.ok("add", "Two", now="2026-11-20T09:05")
    (tmp_path / "box-backups" / "box-2026-11-20.json").write_bytes(b"{broken")
    before = sha(run.box)
    proc = run("backups", "--restore", "2026-11-20")
    assert proc.returncode == 3 and "not valid JSON" in proc.stderr and proc.stderr.count("\n") == 1
    assert sha(run.box) == before


def test_global_options_work_after_the_command_too(run, tmp_path):
    run.ok("add", "Ann Lee", "--when", "tomorrow")
    after = run("show", "1", "--box", str(run.box), box=False)
    assert after.returncode == 0, after.stderr
    assert "Ann Lee" in after.stdout
    # The one given after the command wins; one given before still works alone.
    other = tmp_path / "other.json"
    run.ok("--box", str(other), "add", "Bo Park")
    assert "Bo Park" in run("--box", str(run.box), "show", "1", "--box", str(other), box=False).stdout
    assert "Ann Lee" in run("--box", str(run.box), "show", "1", box=False).stdout


def test_find_says_what_a_card_that_is_no_longer_a_callback_is(run):
    for name, phone in (("Won Wanda", "212 555 0101"), ("Active Al", "212 555 0102"), ("Dnc Dan", "212 555 0103")):
        run.ok("add", name, "--phone", phone, "--when", "tomorrow")
    run.ok("log", "1", "sale")
    run.ok("log", "3", "do-not-call")
    lines = {line.split()[1]: line for line in run.ok("find", "a").stdout.splitlines() if line.startswith("#")}
    assert lines["Won"].endswith("won (a sale)") and lines["Dnc"].endswith("DO NOT CALL")
    assert "opens in" in lines["Active"]


def test_session_pause_and_resume_say_what_they_do(run):
    run.ok("session", "start")
    assert "paused" in run.ok("session", "pause").stdout
    again = run.ok("session", "pause").stdout
    assert again.startswith("already paused") and "session #1 paused" in again  # never a resume
    assert "running" in run.ok("session", "resume").stdout
    assert run.ok("session", "resume").stdout.startswith("already running")
    # A tick while paused counts and resumes, as the app's d does.
    run.ok("session", "pause")
    ticked = run.ok("tick", "dial").stdout
    assert "running" in ticked and "1 dial" in ticked


def test_a_second_run_in_the_same_process_reads_its_own_zone(tmp_path):
    # main() keeps what it learned for the run (the rep's zone): a second run on another zone must not reuse it.
    env = dict(os.environ, CARDBOX_NOW="2026-11-23T10:00", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    first = cardbox_command(["--box", str(tmp_path / "a.json"), "add", "Al", "--when", "tomorrow"], dict(env, CARDBOX_TZ="America/Los_Angeles"))
    assert first.returncode == 0, first.stderr
    added = cardbox_command(["--box", str(tmp_path / "b.json"), "add", "Dana", "--phone", "415 555 0134", "--when", "tomorrow at 4"],
                            dict(env, CARDBOX_TZ="America/New_York"))
    assert added.returncode == 0, added.stderr
    [card] = json.loads((tmp_path / "b.json").read_text())["cards"].values()
    assert card["due"]["start"] == "2026-11-24T19:00-05:00"  # 4 p.m. Pacific on the New York rep's clock
