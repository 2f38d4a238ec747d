"""Benchmark the phrase parser: per-phrase parse time over the test table, and import cost.

Run from the repo root:  python bench/bench_phrases.py
Targets: median parse <= 0.2 ms; importing cardbox.core.phrases <= 15 ms beyond pendulum.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_phrases import CASES, NOW, REJECT  # noqa: E402

from cardbox.core.phrases import PhraseError, parse_when  # noqa: E402

ROUNDS = 50
IMPORT_RUNS = 9


def _parse_times() -> list[float]:
    inputs = [(c[0], datetime.fromisoformat(c[4]) if len(c) > 4 else NOW) for c in CASES]
    inputs += [(p, NOW) for p in REJECT]
    per_phrase: list[list[float]] = [[] for _ in inputs]
    clock = time.perf_counter
    for _ in range(ROUNDS):
        for i, (phrase, now) in enumerate(inputs):
            t = clock()
            try:
                parse_when(phrase, now)
            except PhraseError:
                pass
            per_phrase[i].append(clock() - t)
    # One figure per phrase (its median over the rounds) so a GC pause does not count as a slow phrase.
    return [statistics.median(ts) for ts in per_phrase]


# Measure what an installed app pays: with cached bytecode. The dev environment may set
# PYTHONDONTWRITEBYTECODE, which would charge every import for compiling the source, so
# the subprocesses get a private pycache prefix (nothing is written into the repo).
_PYCACHE = tempfile.mkdtemp(prefix="cardbox-bench-pycache-")
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": _PYCACHE}


def _import_seconds(module: str, env: dict | None = None) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env or _ENV
    )
    return float(out.stdout.strip())


def _import_cost() -> tuple[float, float, float]:
    _import_seconds("pendulum, cardbox.core.phrases")  # warm the bytecode cache
    pend = statistics.median(_import_seconds("pendulum") for _ in range(IMPORT_RUNS))
    # What the app pays: pendulum is imported anyway, then the parser on top.
    both = statistics.median(_import_seconds("pendulum, cardbox.core.phrases") for _ in range(IMPORT_RUNS))
    alone = statistics.median(_import_seconds("cardbox.core.phrases") for _ in range(IMPORT_RUNS))
    return pend, both - pend, alone


def _first_parse() -> float:
    """The one-off cost of the first parse, which compiles the recognisers' patterns."""
    code = (
        "import time, datetime, cardbox.core.phrases as p\n"
        "t = time.perf_counter(); p.parse_when('tomorrow', datetime.datetime(2026, 11, 22))\n"
        "print(time.perf_counter() - t)"
    )
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=_ENV)
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def _self_importtime() -> float:
    """The module's own line from `python -X importtime` (µs), excluding what it imports."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import cardbox.core.phrases"],
        cwd=ROOT, capture_output=True, text=True, check=True, env=_ENV,
    )
    for line in out.stderr.splitlines():
        if line.rstrip().endswith("cardbox.core.phrases"):
            return float(line.split("|")[0].split(":")[1]) / 1000
    return float("nan")


def main() -> None:
    times = sorted(_parse_times())
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"parse_when over {len(times)} table phrases × {ROUNDS} rounds")
    print(f"  median  {statistics.median(times) * 1e3:.4f} ms   (target <= 0.2 ms)")
    print(f"  p95     {p95 * 1e3:.4f} ms")
    print(f"  max     {times[-1] * 1e3:.4f} ms")
    for label, text in (("10 KB of one letter", "x" * 10_240), ("'next week' × 2000", "next week " * 2000),
                        ("10 KB of words and digits", ("call me 3 weeks from 12/3 " * 400)[:10_240])):
        t = time.perf_counter()
        try:
            parse_when(text, NOW)
        except PhraseError:
            pass
        print(f"  {label} rejected in {(time.perf_counter() - t) * 1e3:.4f} ms   (target < 50 ms)")

    pend, extra, alone = _import_cost()
    print(f"import cost (median of {IMPORT_RUNS} fresh interpreters)")
    print(f"  pendulum alone                    {pend * 1e3:.1f} ms")
    print(f"  cardbox.core.phrases beyond it    {extra * 1e3:.1f} ms   (target <= 15 ms)")
    print("  (beyond-pendulum includes cardbox.core.window and the dataclasses module it imports,")
    print("   which pendulum does not load; the parser's own share is the -X importtime self time)")
    print(f"  cardbox.core.phrases alone        {alone * 1e3:.1f} ms   (pendulum is not imported)")
    print(f"  -X importtime self time of module {_self_importtime():.1f} ms")
    first = _first_parse()
    print(f"  first parse_when call (compiles the patterns) {first * 1e3:.1f} ms")
    shutil.rmtree(_PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    main()
