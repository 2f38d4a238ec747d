"""End to end: the real `cardbox` console script in a real terminal (tmux).

Keys go in with `tmux send-keys`; the screen is read with `capture-pane`;
the box file is checked after the app quits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux") or ""
pytestmark = pytest.mark.skipif(not TMUX, reason="tmux is not installed (apt-get install tmux); .ci/run installs it")

CARDBOX = str(Path(sys.executable).parent / "cardbox")


def run_cli(env, *args) -> dict:
    done = subprocess.run([CARDBOX, *args, "--json"], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


class Terminal:
    def __init__(self, command: str, env: dict[str, str], size=(120, 40)) -> None:
        self.name = f"cardbox-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items() if key.startswith(("CARDBOX_", "XDG_")) or key in ("HOME", "TMPDIR"))
        subprocess.run(
            [TMUX, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
             # Started a moment after the window: on a fresh tmux server the window takes its size just after
             # creation, and a program that read 80x24 before its resize handler was in place would stay so.
             f"sleep 0.5; env {exports} TERM=xterm-256color {command}; sleep 30"],
            check=True,
        )
        # A tmux server started earlier may hold another default size.
        subprocess.run([TMUX, "resize-window", "-t", self.name, "-x", str(size[0]), "-y", str(size[1])], capture_output=True)

    def screen(self) -> str:
        return subprocess.run([TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([TMUX, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        subprocess.run([TMUX, "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{screen}")

    def close(self) -> None:
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def env(tmp_path):
    values = dict(os.environ)
    values.update(
        CARDBOX_NOW="2026-11-22T10:00",
        CARDBOX_BOX=str(tmp_path / "box.json"),
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        TMPDIR=str(tmp_path),  # the demo box goes in the temp folder: this test's own, never the machine's shared one
    )
    return values


def test_review_and_capture_in_a_real_terminal(env, tmp_path):
    run_cli(env, "add", "Dana Whitfield", "--company", "Acme Roofing", "--phone", "415 555 0134", "--when", "today",
            "--why", "budget opens today")
    run_cli(env, "add", "Sam Okafor", "--company", "Harbor HVAC", "--phone", "212 555 0178", "--when", "today",
            "--why", "contract ends this month")
    terminal = Terminal(CARDBOX, env)
    try:
        terminal.wait_for("card 1 of 2")
        screen = terminal.wait_for("budget opens today")  # the card itself may paint a frame after the top line
        assert "Dana Whitfield" in screen
        assert "1–9 Outcome" in screen and "/ Find" in screen  # the outcome keys, and find beside them
        # Work the review: no answer on Dana, then call back Sam in early May.
        terminal.keys("1")
        screen = terminal.wait_for("Sam Okafor")
        terminal.keys("3")
        terminal.wait_for("call back when?")
        terminal.type("early May")
        terminal.wait_for("May 2027")
        terminal.keys("Enter")
        terminal.wait_for("Today's review is done")
        # Capture a card while the prospect is on the line.
        terminal.keys("n")
        terminal.wait_for("New callback card")
        terminal.type("Priya Patel")
        terminal.keys("Tab")
        terminal.type("(617) 555-0142")
        terminal.keys("Tab", "Tab", "Tab")
        terminal.type("after the holidays")
        terminal.wait_for("Jan 2027")
        terminal.keys("Tab")
        terminal.type("new budget in January")
        terminal.keys("C-s")
        terminal.wait_for("Saved #3 Priya Patel")
        # Find her by phone digits.
        terminal.keys("/")
        terminal.type("5550142")
        terminal.wait_for("1 card")
        terminal.keys("Enter")
        terminal.wait_for("new budget in January")
        terminal.keys("Escape", "C-q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "Priya" in terminal.screen():
            time.sleep(0.1)
    finally:
        terminal.close()
    cards = {card["name"]: card for card in run_cli(env, "find", "5")}
    assert [a["outcome"] for a in cards["Dana Whitfield"]["attempts"]] == ["no-answer"]
    assert cards["Sam Okafor"]["due"]["start"] == "2027-05-01"
    assert cards["Priya Patel"]["due"]["phrase"] == "after the holidays"
    assert cards["Priya Patel"]["phones"] == ["+16175550142"]


def test_demo_opens_on_a_full_day(env):
    terminal = Terminal(f"{CARDBOX} --demo", env)
    try:
        screen = terminal.wait_for("Today · card 1 of")
        assert "overdue" in screen
        terminal.keys("F4")
        terminal.wait_for("Box ·")
        terminal.keys("C-q")
    finally:
        terminal.close()


def test_a_short_dialing_session_in_a_real_terminal(env):
    run_cli(env, "add", "Dana Whitfield", "--phone", "415 555 0134", "--when", "today", "--why", "budget opens today")
    terminal = Terminal(CARDBOX, env, size=(80, 24))
    try:
        terminal.wait_for("card 1 of 1")
        terminal.keys("F3")
        terminal.wait_for("No session running")
        terminal.keys("s")
        terminal.wait_for("dialed · started at")
        terminal.keys("d", "d", "d", "c", "p")
        terminal.wait_for("dials 3/100")
        terminal.keys("F2")  # the counter bar follows the rep to Today, and d still dials
        terminal.wait_for("this session · dials 3 · contacts 1 · callbacks set")
        terminal.keys("d")
        terminal.wait_for("this session · dials 4 ·")
        terminal.keys("C-q")
        time.sleep(1.5)
    finally:
        terminal.close()
    status = run_cli(env, "session", "status")
    assert status["running"] is True
    assert status["counts"] == {"dial": 4, "contact": 1, "pitch": 1, "appointment": 0, "sale": 0}


def test_a_burst_of_keys_in_a_real_terminal(env):
    """One send-keys call: the terminal delivers the whole burst at once."""
    run_cli(env, "add", "Dana Whitfield", "--phone", "415 555 0134", "--when", "today", "--why", "budget opens today")
    terminal = Terminal(CARDBOX, env, size=(80, 24))
    try:
        terminal.wait_for("card 1 of 1")
        subprocess.run([TMUX, "send-keys", "-t", terminal.name, "Tab", "wants a quote", "Enter", "3", "early May", "Enter",
                        "n", "Zed Alpha", "Tab", "4155550199", "Tab", "Acme", "C-s"], check=True)
        terminal.wait_for("Saved #2 Zed Alpha")
        terminal.keys("F4")
        terminal.wait_for("Box ·")
        subprocess.run([TMUX, "send-keys", "-t", terminal.name, "l", "l", "l"], check=True)
        time.sleep(1.0)
        terminal.keys("C-q")
        time.sleep(1.5)
    finally:
        terminal.close()
    dana, zed = run_cli(env, "show", "1"), run_cli(env, "show", "2")
    assert [(a["outcome"], a["note"]) for a in dana["attempts"]] == [("callback", "wants a quote")]
    assert dana["due"]["phrase"] == "early May"
    assert (zed["name"], zed["phones"], zed["company"]) == ("Zed Alpha", ["+14155550199"], "Acme")
