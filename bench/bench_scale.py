"""Issue 13's figures at 10k and 100k cards: a change on disk, the stall it causes, the CLI, and taskwarrior beside it.

    .venv/bin/python bench/bench_scale.py              # 10k and 100k
    .venv/bin/python bench/bench_scale.py 10k          # one size
    .venv/bin/python bench/bench_scale.py --runs 9     # more runs per figure (median shown)

Prints figures, asserts nothing. Boxes come from bench/make_box.py (bench/out/,
git-ignored) and are copied to a scratch folder for every run.

core      one change durable on disk: Box.log (journal line written + fsynced),
          median of 30; a fold (the whole box written, fsynced, renamed) for reference;
          open (Box() on the box file).
stall     the longest time a 1 ms ticker thread (standing in for the screen's
          event loop) waited while another thread saved 30 changes, and while it
          folded the journal in: the interpreter lock held by the saving thread.
cli       `cardbox due --json`, `cardbox add`, `cardbox log`, `cardbox tick`,
          end to end through the console script, median of --runs; peak memory of
          `due --json`.
task      when taskwarrior is installed (apt install taskwarrior), the same 10k
          cards as tasks with one annotation per attempt, and `task … export`
          of the due ones and `task add` timed the same way. Skipped, with a
          line saying so, when `task` is not on the PATH (and at 100k: importing
          100k tasks takes taskwarrior longer than this benchmark should).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_box import NOW, ensure  # noqa: E402

from cardbox.core.box import Box  # noqa: E402

CARDBOX = Path(sys.executable).parent / "cardbox"
SIZES = {"10k": 10_000, "100k": 100_000}


def compile_bytecode() -> None:
    """Compile cardbox to bytecode first, as `pip install` does: with PYTHONDONTWRITEBYTECODE set
    (as on the machine these figures were taken on) every run would otherwise compile every module (~40 ms)."""
    import cardbox

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(cardbox.__file__).parent)], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, capture_output=True)
    print("(cardbox compiled to bytecode first, as pip install does)")


def median(values: list[float]) -> float:
    return statistics.median(values)


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(CARDBOX_NOW="2026-11-22T14:00", CARDBOX_TZ="America/New_York",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    env.pop("CARDBOX_BOX", None)
    return env


def timed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, peak RSS MB of the child, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, done


def measure_rss(cmd: list[str], env: dict[str, str]) -> float:
    """Peak RSS of one run, measured by a fresh helper so earlier children do not mask it."""
    code = ("import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], capture_output=True)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, env=env)
    return float(out.stdout.strip() or 0)


class Ticker:
    """A thread that wakes every millisecond and records the longest gap between wake-ups."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.001)
            last = now

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def core(count: int, scratch: Path) -> dict[str, float]:
    path = scratch / "core.json"
    shutil.copy(ensure(count), path)
    clock = lambda: NOW  # noqa: E731
    opens = []
    for _ in range(4):  # the first reads the box whole and writes its index; the rest open from the index
        started = time.perf_counter()
        box = Box(path, clock=clock)
        opens.append(time.perf_counter() - started)
    ids = box.ids()[:60]
    box.log(ids[0], "no-answer")  # the day's first change writes the box whole (and the backup)
    changes = []
    for card_id in ids[1:31]:
        started = time.perf_counter()
        box.log(card_id, "voicemail")
        changes.append(time.perf_counter() - started)
    # The stall: the same kind of saves on another thread while this one ticks.
    stall_box = Box(path, clock=clock)
    worker = threading.Thread(target=lambda: [stall_box.log(card_id, "no-answer") for card_id in ids[31:61]])
    with Ticker() as ticker:
        worker.start()
        worker.join()
    change_stall = ticker.longest
    fold_wall = 0.0
    with Ticker() as ticker:
        started = time.perf_counter()
        folder = threading.Thread(target=stall_box.storage.fold)
        folder.start()
        folder.join()
        fold_wall = time.perf_counter() - started
    return {"first_open_s": opens[0], "open_s": median(opens[1:]), "change_ms": median(changes) * 1000, "change_max_ms": max(changes) * 1000,
            "stall_change_ms": change_stall * 1000, "fold_s": fold_wall, "stall_fold_ms": ticker.longest * 1000}


def cli(count: int, scratch: Path, runs: int) -> dict[str, float]:
    path = scratch / "cli.json"
    shutil.copy(ensure(count), path)
    env = child_env(scratch)
    base = [str(CARDBOX), "--box", str(path)]
    timed_run([*base, "add", "Warm Up", "--when", "next week"], env)  # the day's first change: backup + whole write
    out: dict[str, float] = {}
    out["due_json_s"] = median([timed_run([*base, "due", "--json"], env)[0] for _ in range(runs)])
    out["due_json_rss_mb"] = measure_rss([*base, "due", "--json"], env)
    out["add_s"] = median([timed_run([*base, "add", f"Bench {i}", "--phone", "212 555 0100", "--when", "next week"], env)[0]
                           for i in range(runs)])
    out["log_s"] = median([timed_run([*base, "log", str(i + 1), "no-answer"], env)[0] for i in range(runs)])
    out["tick_s"] = median([timed_run([*base, "tick", "dial"], env)[0] for _ in range(runs)])
    out["journal_kb"] = (path.with_name(path.name + ".journal").stat().st_size / 1024
                         if path.with_name(path.name + ".journal").exists() else 0.0)
    return out


def taskwarrior(count: int, scratch: Path, runs: int) -> dict[str, float] | str:
    task = shutil.which("task")
    if task is None:
        return "taskwarrior is not installed (apt install taskwarrior): no comparison"
    if count > 10_000:
        return "taskwarrior at 100k: not run (importing 100k tasks takes it longer than this benchmark should)"
    data = json.loads(ensure(count).read_text())
    home = scratch / "task"
    (home / "data").mkdir(parents=True)
    rc = home / "taskrc"
    rc.write_text(f"data.location={home / 'data'}\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(home / "data"))

    def when(value: str) -> str:
        moment = datetime.fromisoformat(value[:16] if "T" in value else value + "T00:00")
        return moment.strftime("%Y%m%dT%H%M%SZ")

    tasks = []
    for card in data["cards"].values():
        task_ = {"description": card["name"], "status": "pending", "entry": when(card["created"]),
                 "annotations": [{"entry": when(a["at"]), "description": f"{a['outcome']}: {a.get('note', '')}"}
                                 for a in card.get("attempts", [])]}
        if card.get("due"):
            task_["due"] = when(card["due"]["start"])
        tasks.append(task_)
    source = home / "tasks.json"
    source.write_text(json.dumps(tasks))
    started = time.perf_counter()
    subprocess.run([task, "import", str(source)], env=env, capture_output=True, check=True)
    imported = time.perf_counter() - started
    tomorrow = (NOW + timedelta(days=1)).strftime("%Y-%m-%d")
    out: dict[str, float] = {"import_s": imported}
    out["export_due_s"] = median([timed_run([task, "status:pending", f"due.before:{tomorrow}", "export"], env)[0]
                                  for _ in range(runs)])
    out["export_due_rss_mb"] = measure_rss([task, "status:pending", f"due.before:{tomorrow}", "export"], env)
    out["add_s"] = median([timed_run([task, "add", f"Bench {i}", "due:tomorrow"], env)[0] for i in range(runs)])
    return out


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    sizes = [SIZES[a] for a in argv if a in SIZES] or list(SIZES.values())
    print(f"cardbox at scale — python {sys.version.split()[0]}, {os.cpu_count()} CPUs, medians of {runs} runs")
    compile_bytecode()
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="cardbox-scale-") as tmp:
            scratch = Path(tmp)
            c = core(count, scratch)
            line = cli(count, scratch, runs)
            tw = taskwarrior(count, scratch, runs)
        print(f"\n=== {count:,} cards ({ensure(count).stat().st_size / 1e6:.0f} MB box) ===")
        print(f"  open (Box()), no index yet: read whole, index made {c['first_open_s'] * 1000:4.0f} ms")
        print(f"  open (Box()) from the index                    {c['open_s'] * 1000:8.0f} ms")
        print(f"  one change durable on disk (journal + fsync)   {c['change_ms']:8.2f} ms   (max {c['change_max_ms']:.2f})   target ≤ 5 ms")
        print(f"  longest stall of a ticking thread, 30 saves    {c['stall_change_ms']:8.2f} ms   target ≤ 16 ms")
        print(f"  fold (whole box written)                       {c['fold_s'] * 1000:8.0f} ms")
        print(f"  longest stall of a ticking thread, the fold    {c['stall_fold_ms']:8.2f} ms   target ≤ 16 ms")
        print(f"  cardbox due --json                             {line['due_json_s'] * 1000:8.0f} ms   peak {line['due_json_rss_mb']:.0f} MB")
        print(f"  cardbox add                                    {line['add_s'] * 1000:8.0f} ms")
        print(f"  cardbox log                                    {line['log_s'] * 1000:8.0f} ms")
        print(f"  cardbox tick                                   {line['tick_s'] * 1000:8.0f} ms")
        print(f"  (journal after the runs: {line['journal_kb']:.1f} KB)")
        if isinstance(tw, str):
            print(f"  taskwarrior: {tw}")
        else:
            print(f"  task … export (the due ones)                   {tw['export_due_s'] * 1000:8.0f} ms   peak {tw['export_due_rss_mb']:.0f} MB"
                  f"   → cardbox due --json is {tw['export_due_s'] / line['due_json_s']:.2f}× as fast")
            print(f"  task add                                       {tw['add_s'] * 1000:8.0f} ms"
                  f"   → cardbox add {tw['add_s'] / line['add_s']:.2f}×, log {tw['add_s'] / line['log_s']:.2f}×,"
                  f" tick {tw['add_s'] / line['tick_s']:.2f}× as fast")
            print(f"  (taskwarrior import of {count:,} tasks with annotations: {tw['import_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
