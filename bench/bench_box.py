"""Benchmark the box at 1k, 10k and 100k cards.

    python bench/bench_box.py                # all sizes
    python bench/bench_box.py 10k            # one size
    python bench/bench_box.py --profile 10k  # also cProfile open, due(), a save and `cardbox due`

For each size it measures

* open      – `Box(path, clock=...)` alone (read + parse + validate), median of 5;
* due()     – the first `box.due(today)` on a freshly opened box (it builds
              the Card objects it needs), median of 5;
* save      – one durable change, `box.log(card, ...)` (lock, catch-up check,
              serialise, temp file + fsync + rename + dir fsync), median of 10
              after one warm-up save that takes the day's backup;
* cli due   – `cardbox --box PATH due` end to end through the real console
              script (process start, imports, open, due, print), median of 5;
* peak RSS  – ru_maxrss of a child process that opens the box and runs due().

and, for reference, stock TinyDB (`JSONStorage`, no caching) updating one
document in the 10k box. Boxes are written by bench/make_box.py into
bench/out/ (git-ignored) on first use; saves run on a scratch copy.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_box import NOW, OUT, SIZES, ensure  # noqa: E402

from cardbox.core.box import Box  # noqa: E402
from cardbox.process import bulk_load  # noqa: E402

CARDBOX = Path(sys.executable).parent / "cardbox"
TARGETS_10K = {"open": 0.25, "save": 0.080, "cli due": 0.6}


def clock() -> datetime:
    return NOW


def median_time(action: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        state = setup() if setup else None
        started = time.perf_counter()
        action() if state is None else action(state)  # type: ignore[call-arg]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def scratch_copy(path: Path) -> Path:
    scratch = OUT / "scratch" / path.name
    if scratch.parent.exists():
        shutil.rmtree(scratch.parent)
    scratch.parent.mkdir(parents=True)
    shutil.copyfile(path, scratch)
    return scratch


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["CARDBOX_NOW"] = NOW.isoformat(timespec="minutes")
    env["XDG_CONFIG_HOME"] = str(OUT / "config")
    env.pop("CARDBOX_BOX", None)
    return env


def bench_open(path: Path) -> float:
    return median_time(lambda: Box(path, clock=clock, loading=bulk_load), 5)


def bench_due(path: Path) -> tuple[float, int]:
    count = len(Box(path, clock=clock, loading=bulk_load).due(NOW.date()))
    return median_time(lambda box: box.due(NOW.date()), 5, setup=lambda: Box(path, clock=clock, loading=bulk_load)), count


def bench_save(path: Path, repeat: int) -> float:
    scratch = scratch_copy(path)
    box = Box(scratch, clock=clock)
    ids = box.ids()
    box.log(ids[0], "no-answer")  # warm-up: takes today's backup
    times = []
    for i in range(repeat):
        card_id = ids[(i + 1) * 7 % len(ids)]
        started = time.perf_counter()
        box.log(card_id, "no-answer", note=f"bench {i}")
        times.append(time.perf_counter() - started)
    shutil.rmtree(scratch.parent)
    return statistics.median(times)


def bench_cli_due(path: Path, repeat: int) -> float:
    env = child_env()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.run([str(CARDBOX), "--box", str(path), "due"], capture_output=True,
                              env=env, check=False)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.decode())
    return statistics.median(times)


def bench_peak_rss(path: Path) -> float:
    code = (
        "import resource, sys\n"
        "from datetime import datetime\n"
        "from cardbox.core.box import Box\n"
        f"box = Box(sys.argv[1], clock=lambda: datetime.fromisoformat({NOW.isoformat()!r}))\n"
        f"box.due(datetime.fromisoformat({NOW.isoformat()!r}).date())\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    kib = int(out.split()[-1])
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def bench_stock_tinydb(path: Path, repeat: int = 10) -> float:
    from tinydb import TinyDB

    scratch = scratch_copy(path)
    times = []
    with TinyDB(scratch) as db:
        table = db.table("cards")
        for i in range(repeat):
            started = time.perf_counter()
            table.update({"notes": f"stock {i}"}, doc_ids=[1 + i])
            times.append(time.perf_counter() - started)
    shutil.rmtree(scratch.parent)
    return statistics.median(times)


def profile(path: Path) -> None:
    def show(title: str, profiler: cProfile.Profile) -> None:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(18)
        print(f"\n=== profile: {title} ===")
        print("\n".join(stream.getvalue().splitlines()[:45]))

    profiler = cProfile.Profile()
    profiler.enable()
    box = Box(path, clock=clock, loading=bulk_load)
    profiler.disable()
    show(f"open {path.name}", profiler)
    profiler = cProfile.Profile()
    profiler.enable()
    box.due(NOW.date())
    profiler.disable()
    show(f"first due() {path.name}", profiler)
    scratch = scratch_copy(path)
    box = Box(scratch, clock=clock)
    box.log(box.ids()[0], "no-answer")
    profiler = cProfile.Profile()
    profiler.enable()
    for card_id in box.ids()[1:6]:
        box.log(card_id, "no-answer")
    profiler.disable()
    show(f"5 saves {path.name}", profiler)
    shutil.rmtree(scratch.parent)
    # the CLI: import time and the whole command, in a child
    prof_out = OUT / "cli-due.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof_out), "-m", "cardbox", "--box", str(path), "due"],
                   stdout=subprocess.DEVNULL, env=child_env(), check=True)
    stream = io.StringIO()
    pstats.Stats(str(prof_out), stream=stream).sort_stats("cumulative").print_stats(25)
    print(f"\n=== profile: cardbox due {path.name} (in-process part) ===")
    print("\n".join(stream.getvalue().splitlines()[:50]))
    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "cardbox", "--box", str(path), "due"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env()).stderr
    rows = []
    for line in imports.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.split("|")
            try:
                rows.append((int(parts[1].strip()), parts[2].rstrip()))
            except ValueError:
                continue
    print("\n=== slowest imports (cumulative µs) for cardbox due ===")
    for micros, name in sorted(rows, reverse=True)[:12]:
        print(f"{micros:>10,}  {name}")


def main(argv: list[str]) -> int:
    want_profile = "--profile" in argv
    args = [a for a in argv if a != "--profile"]
    counts = [int(a.replace("k", "000")) for a in args] or list(SIZES)
    rows = []
    for count in counts:
        path = ensure(count)
        big = count >= 100_000
        print(f"benchmarking {path.name} ({path.stat().st_size / 1e6:.1f} MB) ...", file=sys.stderr, flush=True)
        open_s = bench_open(path)
        due_s, due_count = bench_due(path)
        save_s = bench_save(path, 5 if big else 10)
        cli_s = bench_cli_due(path, 3 if big else 5)
        rss = bench_peak_rss(path)
        rows.append((count, path.stat().st_size / 1e6, open_s, due_s, due_count, save_s, cli_s, rss))
    stock = None
    if 10_000 in counts:
        print("stock TinyDB JSONStorage at 10k ...", file=sys.stderr, flush=True)
        stock = bench_stock_tinydb(ensure(10_000))

    def mark(count: int, key: str, value: float) -> str:
        if count != 10_000:
            return " "
        return "✓" if value <= TARGETS_10K[key] else "✗"

    print()
    print(f"{'cards':>8} {'file MB':>8} {'open':>10} {'due()':>10} {'due #':>6} {'save':>10} {'cli due':>10} {'peak RSS':>10}")
    for count, mb, open_s, due_s, due_count, save_s, cli_s, rss in rows:
        print(
            f"{count:>8,} {mb:>8.1f} {open_s * 1000:>8.0f}ms{mark(count, 'open', open_s)}"
            f"{due_s * 1000:>8.1f}ms {due_count:>6,} {save_s * 1000:>8.1f}ms{mark(count, 'save', save_s)}"
            f"{cli_s * 1000:>8.0f}ms{mark(count, 'cli due', cli_s)}{rss:>8.0f} MB"
        )
    print("targets at 10k: open ≤ 250 ms, one durable save ≤ 80 ms, `cardbox due` end to end ≤ 600 ms")
    if stock is not None:
        print(f"reference: stock TinyDB JSONStorage, update one card in the 10k box: {stock * 1000:.0f} ms (no fsync, not atomic)")
    if want_profile:
        for count in counts:
            profile(ensure(count))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
