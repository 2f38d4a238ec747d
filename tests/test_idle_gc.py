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


def test_full_collections_run_when_idle_never_mid_typing_and_at_least_once_a_minute(monkeypatch):
    runs: list[float] = []
    clock = Clock()
    monkeypatch.setattr(idle_gc.gc, "collect", lambda *args: runs.append(clock.now))
    saved = gc.get_threshold()
    collector = IdleCollector(clock)
    collector.start()
    try:
        assert gc.get_threshold()[:2] == saved[:2] and gc.get_threshold()[2] > 10_000  # automatic full ones off
        # Typing a key every 0.3 s for 50 s: none.
        for _ in range(170):
            clock.now += 0.3
            collector.key_pressed()
            assert collector.tick() is False
        # A pause: one, then not again for a few seconds.
        clock.now += 1.2
        assert collector.tick() is True and len(runs) == 1
        clock.now += 1.0
        assert collector.tick() is False
        # Typing without a pause for over a minute: one all the same.
        for _ in range(250):
            clock.now += 0.3
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
