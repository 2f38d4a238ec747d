"""Numbers and ticks at size: the Numbers screen's figures on a 10k-card box with two years of sessions,
and one tick made durable. Prints its figures; not run by CI.

    .venv/bin/python bench/bench_numbers.py [--cards 10000] [--days 730]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cardbox.core.box import Box  # noqa: E402
from cardbox.core.demo import box_data, demo_sessions, write_box  # noqa: E402
from cardbox.core.numbers import contact_rate_by_hour, due_per_day, figures, per_day  # noqa: E402

NOW = datetime(2026, 11, 22, 10, 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=730)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "box.json"
        data = box_data(args.cards, NOW, due_today=50)
        data["sessions"] = demo_sessions(NOW, days=args.days)
        write_box(path, data)
        ticks = sum(len(s["ticks"]) for s in data["sessions"].values())
        print(f"box: {args.cards:,} cards, {len(data['sessions']):,} sessions, {ticks:,} ticks, {path.stat().st_size / 1e6:.1f} MB")
        box = Box(path, clock=lambda: NOW)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            cards = box.cards()
            sessions = box.sessions.all()
            figures(cards, sessions, "month", NOW.date(), NOW)
            per_day(sessions, "dial", NOW.date(), 28)
            per_day(sessions, "sale", NOW.date(), 28)
            contact_rate_by_hour(sessions)
            due_per_day(cards, NOW.date(), 28)
            runs.append(time.perf_counter() - start)
        print(f"Numbers figures + charts: median {statistics.median(runs) * 1000:.0f} ms, first {runs[0] * 1000:.0f} ms (target ≤ 300 ms)")
        box.sessions.start()
        tick_runs = []
        for _ in range(20):
            start = time.perf_counter()
            box.sessions.tick("dial")
            tick_runs.append(time.perf_counter() - start)
        print(f"one tick durable on disk: median {statistics.median(tick_runs) * 1000:.0f} ms (runs on the disk thread in the app)")


if __name__ == "__main__":
    main()
