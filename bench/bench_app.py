"""Benchmark the cardbox *app* (Textual UI) at 10k and 100k cards.

    .venv/bin/python bench/bench_app.py                      # 10k and 100k
    .venv/bin/python bench/bench_app.py --sizes 10000        # one size
    .venv/bin/python bench/bench_app.py --runs 5 --profile   # more launch runs, + cProfile dumps

Prints figures, asserts nothing. Every measurement runs in a fresh child
process (bench/app_probe.py), headless at 120x40:

launch     spawn of `python bench/app_probe.py launch-cardbox BOX` -> the
           first frame that shows Today's first card, measured by this
           process's wall clock (so it includes interpreter start-up and
           every import, as a rep sees it). The probe runs the real
           `cardbox.ui.launch.run_app` (settings, Box open, due(),
           make_app, App.run) with App.run forced headless. The same for a
           bare Textual app that shows one Label: the floor. Median of --runs.
next       TodayScreen.action_next() (the synchronous part), and action ->
           the frame that shows the next card; also the "right" key sent the
           way the terminal driver sends it -> that frame.
outcome    keys "1"/"2" alternately (the same key within 0.4 s is ignored
           on purpose): key -> next card put up (sync), key -> frame showing
           it, key -> background save finished (saver.drain()), and the UI
           thread's work when the save's done-callback lands (merge_card).
switch     F3, F4, F5, F2 twice round: key → the frame that shows the screen
           (first round mounts each; the second is a switch between mounted screens).
find       "/" then "kowalski" and "555 01" typed key by key: key ->
           results set on the CardList, key -> frame, and box.find alone.
           The first key at a size builds the search index: shown apart.

"Frame" = the compositor update produced *and* rendered to the escape
sequence a terminal would get (the headless driver skips that; the probe
does it), i.e. a real frame minus the write(2). Textual paces frames at
60 fps, so action -> frame includes up to ~17 ms of waiting for the next
frame slot; "frame work" is the frame's own cost.

Boxes: cardbox.core.demo.box_data(count, NOW, due_today=40), NOW =
2026-11-22 10:00 (CARDBOX_NOW is set for the children), written once to
bench/out/app/ (git-ignored); the outcome run works on a scratch copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "app"
PROBE = HERE / "app_probe.py"
NOW = datetime(2026, 11, 22, 10, 0)
DUE_TODAY = 40

TARGET_NEXT_MS = 16.0
TARGET_OUTCOME_MS = 50.0


def targets(count: int) -> tuple[float, float, float]:
    """Issue 13's (launch s, peak memory MB, find ms) for a box of `count` cards: the 10k column up to 10k."""
    return (0.6, 120.0, 30.0) if count <= 10_000 else (1.0, 600.0, 50.0)


# -- boxes --------------------------------------------------------------------


def box_path(count: int) -> Path:
    return OUT / f"box-{count}-due{DUE_TODAY}.json"


def ensure_box(count: int) -> Path:
    path = box_path(count)
    if path.exists():
        return path
    from cardbox.core.demo import box_data, write_box

    started = time.perf_counter()
    write_box(path, box_data(count, NOW, due_today=DUE_TODAY))
    print(f"  wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return path


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # 2 p.m. on an east-coast rep's clock: every US prospect is inside calling hours, so outcome
    # keys log at once (no "call outside the hours?" question in the middle of the measurements).
    env["CARDBOX_NOW"] = NOW.replace(hour=14).isoformat(timespec="minutes")
    env["CARDBOX_TZ"] = "America/New_York"
    # Keep the rep's own settings and themes out of it (and never write them).
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env.pop("TEXTUAL", None)
    env.pop("TEXTUAL_FPS", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# -- launch -------------------------------------------------------------------


def launch_once(args: list[str], env: dict[str, str]) -> dict:
    """Spawn the probe; wall time from Popen to its FIRST_PAINT line, and to exit."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(PROBE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=HERE.parent)
    first = None
    inner = None
    stamps: dict = {}
    assert proc.stdout is not None
    for raw in proc.stdout:
        line = raw.decode(errors="replace").strip()
        if line.startswith("FIRST_PAINT") and first is None:
            first = time.perf_counter() - t0
            inner = float(line.split()[1])
        elif line.startswith("STAMPS "):
            stamps = json.loads(line[7:])
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = proc.wait()
    total = time.perf_counter() - t0
    if first is None or code != 0:
        raise RuntimeError(f"probe {args} failed (exit {code}):\n{err[-3000:]}")
    return {"wall": first, "inner": inner, "startup": first - inner, "exit": total, "stamps": stamps}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    if len(values) < 3:
        return values[-1]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def launch_figures(runs: int, box: Path | None, env: dict[str, str], profile: Path | None = None) -> dict:
    args = ["launch-cardbox", str(box)] if box is not None else ["launch-bare"]
    launch_once(args, env)  # warm the OS page cache and .pyc files; not counted
    results = [launch_once(args, env) for _ in range(runs)]
    if profile is not None:
        launch_once([*args, "--profile", str(profile)], env)
    stamp_names = results[0]["stamps"].keys()
    return {
        "wall": median([r["wall"] for r in results]),
        "all": [r["wall"] for r in results],
        "inner": median([r["inner"] for r in results]),
        "startup": median([r["startup"] for r in results]),
        "exit": median([r["exit"] for r in results]),
        "stamps": {name: median([r["stamps"].get(name) for r in results]) for name in stamp_names},
    }


# -- interaction --------------------------------------------------------------


def opened_once(box: Path, env: dict[str, str]) -> None:
    """Open the box once first, as the rep's last session would have: that open reads the box whole and
    writes its index (bench_scale.py times it); the figures are of launches with the index there."""
    subprocess.run([sys.executable, "-c", "import sys; from datetime import datetime; from cardbox.core.box import Box; "
                    "Box(sys.argv[1], clock=datetime.now)", str(box)], env=env, check=True)


def interact(box: Path, env: dict[str, str], scratch: Path, profile_dir: Path | None) -> dict:
    copy = scratch / box.name
    shutil.copyfile(box, copy)
    opened_once(copy, env)
    result_path = scratch / f"result-{box.stem}.json"
    args = [sys.executable, str(PROBE), "interact", str(copy), str(result_path)]
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        args += ["--profile-dir", str(profile_dir)]
    proc = subprocess.run(args, env=env, cwd=HERE.parent, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"interact probe failed:\n{proc.stderr[-5000:]}")
    return json.loads(result_path.read_text())


# -- report -------------------------------------------------------------------


def fmt_ms(value: float | None, width: int = 8) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:>{width}.1f}"


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "?"
    return "ok" if value <= target else "MISS"


def row(name: str, med: float | None, hi: float | None, target: float | None, unit: str = "ms", judge: float | None = None) -> str:
    judged = med if judge is None else judge
    tgt = f"≤ {target:g} {unit}" if target is not None else ""
    mark = verdict(judged, target) if target is not None else ""
    return f"  {name:<52} {fmt_ms(med)} {fmt_ms(hi)}   {tgt:<10} {mark}"


def print_size(count: int, launch: dict, bare: dict, inter: dict) -> None:
    target_launch, target_memory, target_find = targets(count)
    print()
    print(f"=== {count:,} cards (deck today: {inter.get('deck')}; headless 120x40; medians of {len(launch['all'])} launches) ===")
    print(f"  {'':<52} {'median':>8} {'p95/max':>8}   target")
    print("  launch → first card painted (wall clock from spawn, s)")
    print(f"  {'cardbox':<52} {launch['wall']:>8.3f} {max(launch['all']):>8.3f}   {f'≤ {target_launch:g} s':<10} {verdict(launch['wall'], target_launch)}")
    print(f"  {'bare Textual app, one Label (floor)':<52} {bare['wall']:>8.3f} {max(bare['all']):>8.3f}")
    print(f"  {'cardbox − floor':<52} {launch['wall'] - bare['wall']:>8.3f}")
    print(f"  {'  of which interpreter start (spawn → probe line 1)':<52} {launch['startup']:>8.3f}   (bare {bare['startup']:.3f})")
    stamps = launch["stamps"]
    order = sorted((v, k) for k, v in stamps.items() if v is not None)
    prev = 0.0
    for value, name in order:
        print(f"  {'    t=' + f'{value:.3f}':<16}{name:<36} (+{value - prev:.3f})")
        prev = value
    print(f"  {'  process exit (after first paint; shutdown)':<52} {launch['exit']:>8.3f}")

    nxt = inter["next"]
    print("  next card (ms)")
    print(row("action_next() alone (synchronous)", median(nxt["action_sync_ms"]), p95(nxt["action_sync_ms"]), None))
    print(row("action_next() → next card painted", median(nxt["action_to_paint_ms"]), p95(nxt["action_to_paint_ms"]), TARGET_NEXT_MS))
    print(row("'right' key → next card painted", median(nxt["key_to_paint_ms"]), p95(nxt["key_to_paint_ms"]), TARGET_NEXT_MS))
    print(row("  the painting frame's own work", median(nxt["frame_work_ms"]), p95(nxt["frame_work_ms"]), None))
    print(row("  after the paint: widget recompose (Footer) per press", median(nxt["recompose_ms"]), p95(nxt["recompose_ms"]), None))

    out = inter["outcome"]
    print("  outcome logged + next card shown (ms)")
    print(row("key '1'/'2' → next card put up (sync)", median(out["key_to_sync_ms"]), p95(out["key_to_sync_ms"]), None))
    print(row("key '1'/'2' → next card painted", median(out["key_to_paint_ms"]), p95(out["key_to_paint_ms"]), TARGET_OUTCOME_MS))
    print(row("key → background save finished (saver.drain)", median(out["key_to_saved_ms"]), p95(out["key_to_saved_ms"]), None))
    print(row("UI thread after the save (BoxChanged→merge_card)", median(out["after_save_ui_ms"]), p95(out["after_save_ui_ms"]), None))
    print(row("widget recompose (Footer) per press, UI thread", median(out["recompose_ms"]), p95(out["recompose_ms"]), None))

    peak = inter.get("peak_rss_mb", 0)
    print(f"  {'peak memory of the app (launch, review, outcomes, find), MB':<52} {peak:>8.0f} {'':>8}   "
          f"{f'≤ {target_memory:g} MB':<10} {verdict(peak, target_memory)}")
    switch = inter.get("switch")
    if switch:
        print("  switching screens: key → the screen painted (ms)")
        for round_name, label in (("first", "first time (mounts the screen)"), ("again", "again (mounted: a rep's switch)")):
            cells = " · ".join(f"{s['key']} {fmt_ms(s['key_to_paint_ms'], 0)}" for s in switch[round_name])
            print(f"  {'  ' + label:<52} {cells}")
    print(f"  find per keystroke (ms)   [open find: '/' → painted {fmt_ms(inter.get('find_open_ms'), 0)} ms]")
    for label, rows in inter["find"].items():
        first, rest = rows[0], rows[1:]
        print(row(f"{label} '{rows[-1]['typed']}' 1st key '{first['typed']}' → painted ({first['hits']} hits)",
                  first["key_to_paint_ms"], None, target_find))
        print(row("    1st key: box.find alone", first["box_find_ms"], None, None))
        print(row(f"  {label}: keys 2..{len(rows)} → painted", median([r["key_to_paint_ms"] for r in rest]),
                  max(r["key_to_paint_ms"] or 0 for r in rest), target_find))
        print(row(f"  {label}: keys 2..{len(rows)} → results set (sync)", median([r["key_to_results_set_ms"] for r in rest]),
                  max(r["key_to_results_set_ms"] or 0 for r in rest), None))
        print(row(f"  {label}: keys 2..{len(rows)}: box.find alone", median([r["box_find_ms"] for r in rest]),
                  max(r["box_find_ms"] or 0 for r in rest), None))
        per_key = "  ".join(f"{r['typed']!r}:{r['key_to_paint_ms']:.0f}/{r['box_find_ms']:.0f}({r['hits']})" for r in rows)
        print(f"      per key, painted/find ms(hits): {per_key}")
    print(f"  box.find alone on a cold box: first query {inter['find_cold_first_ms']:.1f} ms (builds the search index), "
          f"next {inter['find_cold_second_ms']:.1f} ms; index build alone {inter['search_index_build_ms']:.1f} ms; "
          f"warm: " + ", ".join(f"{q!r} {v:.1f}" for q, v in inter["find_warm_alone_ms"].items()))


def print_profile_hint(prof_dir: Path) -> None:
    import pstats

    for prof in sorted(prof_dir.glob("*.prof")):
        print(f"\n--- cProfile {prof.relative_to(HERE.parent)} (top 18 by cumulative time) ---")
        stats = pstats.Stats(str(prof))
        stats.sort_stats("cumulative").print_stats(18)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="launch runs per size (median)")
    parser.add_argument("--profile", action="store_true", help="also write cProfile dumps to bench/out/app/prof-SIZE/ and print them")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    print(f"cardbox app benchmark — python {sys.version.split()[0]}, CARDBOX_NOW={NOW:%Y-%m-%dT%H:%M}, boxes in {OUT.relative_to(HERE.parent)}")
    boxes = {count: ensure_box(count) for count in args.sizes}
    from bench_scale import compile_bytecode

    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="cardbox-bench-app-") as tmp:
        scratch = Path(tmp)
        env = child_env(scratch)
        bare = launch_figures(args.runs, None, env)
        for count, box in boxes.items():
            prof_dir = OUT / f"prof-{count}" if args.profile else None
            if prof_dir is not None:
                prof_dir.mkdir(parents=True, exist_ok=True)
            launch_copy = scratch / f"launch-{box.name}"  # never touch the generated box
            shutil.copyfile(box, launch_copy)
            opened_once(launch_copy, env)
            launch = launch_figures(args.runs, launch_copy, env, prof_dir / "launch.prof" if prof_dir else None)
            launch_copy.unlink()
            inter = interact(box, env, scratch, None)
            if prof_dir is not None:
                interact(box, env, scratch, prof_dir)  # a second run under cProfile; its figures are not used
            print_size(count, launch, bare, inter)
            (OUT / f"result-{count}.json").write_text(json.dumps({"launch": launch, "bare": bare, "interact": inter}, indent=1))
            if prof_dir is not None:
                print_profile_hint(prof_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
