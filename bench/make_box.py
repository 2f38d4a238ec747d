"""Write realistic benchmark boxes of 1k, 10k and 100k cards into bench/out/.

    python bench/make_box.py            # all three sizes
    python bench/make_box.py 10000      # just one

The cards come from `cardbox.core.demo.box_data` (seeded, so every run
writes the same boxes). The script prints what it wrote and checks the
cards look like a working rep's: about 1.6 KB of JSON each and 2–9
attempts of history.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import orjson

from cardbox.core.demo import box_data, write_box

OUT = Path(__file__).resolve().parent / "out"
NOW = datetime(2026, 11, 22, 10, 0)
SIZES = (1_000, 10_000, 100_000)
TARGET_CARD_BYTES = 1_600


def box_path(count: int) -> Path:
    return OUT / f"box-{count // 1000}k.json"


def make(count: int, *, quiet: bool = False) -> Path:
    started = time.perf_counter()
    # Roughly a day's worth of cards due today on top of the demo's spread.
    data = box_data(count, NOW, due_today=max(10, count // 400))
    path = box_path(count)
    write_box(path, data)
    sizes = [len(orjson.dumps(card)) for card in data["cards"].values()]
    attempts = [len(card["attempts"]) for card in data["cards"].values()]
    mean = statistics.fmean(sizes)
    if not quiet:
        print(
            f"{path.name:<14} {count:>7,} cards  {path.stat().st_size / 1e6:7.1f} MB  "
            f"card JSON mean {mean:,.0f} B (min {min(sizes):,}, max {max(sizes):,})  "
            f"attempts {min(attempts)}–{max(attempts)} (mean {statistics.fmean(attempts):.1f})  "
            f"[{time.perf_counter() - started:.1f} s]"
        )
        if not 0.75 * TARGET_CARD_BYTES <= mean <= 1.25 * TARGET_CARD_BYTES:
            print(f"  note: cards average {mean:,.0f} B, not ~{TARGET_CARD_BYTES:,} B", file=sys.stderr)
        if min(attempts) < 2 or max(attempts) > 9:
            print("  note: attempts fall outside 2–9", file=sys.stderr)
    return path


def ensure(count: int) -> Path:
    path = box_path(count)
    if not path.exists():
        make(count)
    return path


def main(argv: list[str]) -> int:
    counts = [int(arg.replace("k", "000")) for arg in argv] or list(SIZES)
    for count in counts:
        make(count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
