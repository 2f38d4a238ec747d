"""The demo box: one a day, kept through relaunches and second windows, made again on a new day or --fresh."""

from __future__ import annotations

from datetime import datetime, timedelta

from cardbox.core.box import Box
from cardbox.core.demo import ready_demo_box

NOW = datetime(2026, 12, 4, 10, 0)


def test_a_relaunch_keeps_what_was_done_in_the_demo_and_fresh_starts_over(tmp_path):
    path = tmp_path / "demo" / "demo-box.json"
    assert ready_demo_box(path, NOW) is True
    box = Box(path, clock=lambda: NOW)
    added = box.add("Mine From The Demo").card
    # Another window, or the same one launched again later the same day: the card is still there.
    assert ready_demo_box(path, NOW + timedelta(hours=3)) is False
    assert Box(path, clock=lambda: NOW).get(added.id).name == "Mine From The Demo"
    # --fresh starts again; so does a new day (the demo's dates are the day it was made).
    assert ready_demo_box(path, NOW + timedelta(hours=4), fresh=True) is True
    assert "Mine From The Demo" not in [card.name for card in Box(path, clock=lambda: NOW).cards()]
    assert ready_demo_box(path, NOW + timedelta(days=1)) is True


def test_fresh_without_demo_is_refused_and_touches_no_box(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_DATA_HOME=str(tmp_path / "d"))
    done = subprocess.run([str(Path(sys.executable).parent / "cardbox"), "--fresh"], capture_output=True, text=True,
                          env=env, timeout=30)
    assert done.returncode == 2 and "--fresh starts the demo box again: use it with --demo" in done.stderr
    assert not (tmp_path / "d").exists()


def test_a_planted_day_mark_is_never_followed_or_trusted(tmp_path):
    folder = tmp_path / "demo"
    path = folder / "demo-box.json"
    ready_demo_box(path, NOW)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    mark = folder / "demo-box.json.made-on"
    mark.unlink()
    mark.symlink_to(victim)  # someone sharing /tmp points the mark at a file of the rep's
    assert ready_demo_box(path, NOW) is True  # a link is not a mark of ours: the demo is made again
    assert victim.read_text() == "mine\n" and not mark.is_symlink()
    mark.write_bytes(b"\xff" * 10_000)  # junk: not trusted, made again
    assert ready_demo_box(path, NOW) is True


def test_a_demo_folder_that_is_not_ours_is_refused_in_words(tmp_path):
    import pytest

    from cardbox.core.box_errors import BoxError

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "demo").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BoxError, match="is not yours"):
        ready_demo_box(tmp_path / "demo" / "demo-box.json", NOW)
    assert list(elsewhere.iterdir()) == []


def test_the_demos_do_not_call_cards_have_their_numbers_on_the_list(tmp_path):
    # As key 9 does: a card marked do-not-call puts its numbers on the list, so a new card with one is blocked.
    from cardbox.core.box import Box
    from cardbox.core.demo import box_data, write_box

    path = tmp_path / "box.json"
    write_box(path, box_data(300, NOW))
    box = Box(path, clock=lambda: NOW)
    blocked = [card for card in box.cards() if card.status == "do-not-call"]
    assert blocked, "the demo has do-not-call cards"
    listed = box.dnc_numbers()
    assert all(number in listed for card in blocked for number in card.phones)
    twin = box.add("Twin", phones=[blocked[0].phones[0]]).card
    assert box.block_reason(twin)
