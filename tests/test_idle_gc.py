"""Full garbage collections wait for the rep to stop typing (cardbox.ui.idle_gc)."""

from __future__ import annotations

import gc

from cardbox.ui import idle_gc
from cardbox.ui.idle_gc import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_full_collections_run_when_idle_never_mid_typing_and_at_least_every_so_often(monkeypatch):
    runs: list[float] = []
    clock = Clock()
    monkeypatch.setattr(idle_gc.gc, "collect", lambda *args: runs.append(clock.now))
    saved = gc.get_threshold()
    collector = IdleCollector(clock, incremental=False)
    collector.start()
    try:
        assert gc.get_threshold()[:2] == saved[:2] and gc.get_threshold()[2] > 10_000  # automatic full ones off
        step = idle_gc.IDLE_FOR * 0.75
        # Typing a key faster than the idle spell, for most of the longest wait: none.
        for _ in range(int(idle_gc.AT_LEAST_EVERY * 0.9 / step)):
            clock.now += step
            collector.key_pressed()
            assert collector.tick() is False
        # A pause: one, then not again for a moment however idle.
        clock.now += idle_gc.IDLE_FOR + 0.1
        assert collector.tick() is True and len(runs) == 1
        clock.now += idle_gc.NOT_MORE_OFTEN_THAN / 2
        assert collector.tick() is False
        # Typing without a pause for longer than the longest wait: one all the same.
        for _ in range(int(idle_gc.AT_LEAST_EVERY * 1.2 / step)):
            clock.now += step
            collector.key_pressed()
            collector.tick()
        assert len(runs) == 2
    finally:
        collector.stop()
    assert gc.get_threshold() == saved
    assert collector.tick() is False  # stopped: nothing


async def test_the_app_turns_automatic_full_collections_off_while_it_runs_and_back_on_after(box_path):
    from app_support import build_app, review_box

    saved = gc.get_threshold()
    app = build_app(review_box(box_path))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("right")
        assert gc.get_threshold()[2] > 10_000
        assert app.idle_gc.last_key > 0
    assert gc.get_threshold() == saved


def test_on_an_incremental_collector_the_thresholds_stay_and_idle_collections_still_run(monkeypatch):
    """CPython 3.14 ignores the third threshold: nothing to turn off there, and the idle collections go on."""
    runs: list[float] = []
    clock = Clock()
    monkeypatch.setattr(idle_gc.gc, "collect", lambda *args: runs.append(clock.now))
    saved = gc.get_threshold()
    collector = IdleCollector(clock, incremental=True)
    collector.start()
    try:
        assert gc.get_threshold() == saved
        clock.now += idle_gc.IDLE_FOR + idle_gc.NOT_MORE_OFTEN_THAN
        assert collector.tick() is True and len(runs) == 1
    finally:
        collector.stop()
    assert gc.get_threshold() == saved and collector.tick() is False


def test_the_core_leaves_the_interpreters_collector_as_it_found_it(tmp_path):
    """Reading a box through cardbox.core never turns the collector off or freezes objects: only the program does."""
    from datetime import datetime
    from pathlib import Path

    from cardbox.core.box import Box

    core = Path(idle_gc.__file__).resolve().parent.parent / "core"
    assert not [p.name for p in core.rglob("*.py") if "import gc" in p.read_text(encoding="utf-8")]
    Box(tmp_path / "box.json", clock=lambda: datetime(2026, 12, 4, 10)).add("Ann")
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    assert len(Box(tmp_path / "box.json", clock=lambda: datetime(2026, 12, 4, 10))) == 1
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)


def test_the_program_reads_a_box_with_the_collector_off_and_freezes_it_after():
    from cardbox.process import bulk_load

    seen: list[bool] = []
    before = gc.get_freeze_count()
    try:
        with bulk_load():
            seen.append(gc.isenabled())
            made = [[n] for n in range(1000)]  # what was read
        assert seen == [False] and gc.isenabled() and gc.get_freeze_count() >= before + len(made)
    finally:
        gc.unfreeze()
