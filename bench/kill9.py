"""kill -9 a writer at random moments, many times over, and check the box after each.

    .venv/bin/python bench/kill9.py                 # 1,000 trials on a 100k-card box
    .venv/bin/python bench/kill9.py --trials 200 --size 10000
    .venv/bin/python bench/kill9.py --trials 300 --max-delay 3   # reach the index writes after folds

Each trial starts a child that opens the box and saves changes as fast as it
can — new cards, outcomes logged (journal lines), and every 25 changes a
fold (the whole box written) — printing each change's id once `Box` has
returned, i.e. once it is on disk. The parent kills it (SIGKILL) at a random
moment, then checks:

* the box file is whole JSON (any TinyDB could read it);
* every change the child reported is on disk: the box file with its journal
  replayed by this script's own reader of the documented journal format;
* the next `Box()` open reads them too, and leaves no temporary file.

Every `--foreign-every` trials (the box's own journal folded in first), another
box's journal is planted beside the box: it must never be applied (no card of its
shows), and its bytes must survive, set aside in box-backups/ or still in place.

Prints the tally (kills that landed mid-fold, with a journal waiting; corrupt
boxes; lost changes; foreign journals applied or lost; leftovers) and asserts
nothing: CI runs the small version in tests/test_storage.py.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec
import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_box import NOW, ensure  # noqa: E402

from cardbox.core.box import Box  # noqa: E402

CHILD = r"""
import sys
from datetime import datetime
from cardbox.core.box import Box
path, trial = sys.argv[1], sys.argv[2]
box = Box(path, clock=lambda: datetime(2026, 11, 22, 10, 0))
ids = box.ids()[:500]
print("ready", flush=True)
i = 0
while True:
    if i % 2:
        card_id = ids[i % len(ids)]
        box.log(card_id, "no-answer", note=f"t{trial}-{i}")
        print(f"log {card_id} t{trial}-{i}", flush=True)
    else:
        card = box.add(f"Kill {trial}-{i}", notes="written before the kill " * 8).after
        print(f"add {card.id} Kill {trial}-{i}", flush=True)
    i += 1
    if i % 25 == 0:
        box.storage.fold()
"""


def on_disk_cards(path: Path, wanted: set[str]) -> dict[str, dict]:
    """The wanted cards as saved: from the box file, then the journal's lines (header, then {"put": …})."""
    raw = path.read_bytes()
    tables = msgspec.json.decode(raw, type=dict[str, dict[str, msgspec.Raw]])  # whole JSON, or this raises
    cards = {key: orjson.loads(bytes(tables["cards"][key])) for key in wanted if key in tables["cards"]}
    meta = orjson.loads(bytes(tables["meta"]["1"])) if "1" in tables.get("meta", {}) else {}
    journal = path.with_name(path.name + ".journal")
    if not journal.exists():
        return cards
    data = journal.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    folded = meta.get("folded") or {}
    offset, ident = 0, None
    st = path.stat()
    mark = [st.st_mtime_ns, st.st_size, st.st_ino]
    for number, line in enumerate(complete.split(b"\n")[:-1]):
        offset += len(line) + 1
        record = orjson.loads(line)
        if number == 0:
            ident = record["journal"]
            # Paired with this box file, or folded into it (the documented pairing): else not this box's.
            if folded.get("journal") != ident and record.get("box") not in (None, mark):
                return cards
            continue
        if folded.get("journal") == ident and offset <= folded.get("through", 0):
            continue
        for key, doc in record["put"].get("cards", {}).items():
            if key in wanted:
                if doc is None:
                    cards.pop(key, None)
                else:
                    cards[key] = doc
    return cards


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--foreign-every", type=int, default=10, help="plant another box's journal every N trials (0: never)")
    parser.add_argument("--max-delay", type=float, default=0.6,
                        help="kill within this many seconds of the child's start (longer: more kills land while "
                             "the index is written after a fold)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tally = {"trials": 0, "mid_fold": 0, "mid_index": 0, "journal_waiting": 0, "corrupt": 0, "lost": 0, "leftovers": 0, "changes": 0,
             "foreign_planted": 0, "foreign_applied": 0, "foreign_lost": 0}
    added: dict[str, str] = {}  # card id -> name
    logged: dict[str, set[str]] = {}  # card id -> notes of acknowledged outcomes
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cardbox-kill9-") as tmp:
        path = Path(tmp) / "box.json"
        shutil.copy(ensure(args.size), path)
        Box(path, clock=lambda: NOW)  # (reads it once, as a rep's first open would)
        for trial in range(args.trials):
            journal_path = path.with_name("box.json.journal")
            planted = b""
            if args.foreign_every and trial % args.foreign_every == 0:
                if journal_path.exists():
                    Box(path, clock=lambda: NOW).storage.fold()  # the box's own journal in first: never overwritten
                planted = (orjson.dumps({"journal": f"foreign{trial:06d}", "box": [1, 2, 3]}) + b"\n" +
                           orjson.dumps({"put": {"cards": {"1": {"id": 1, "name": "FOREIGN", "created": "2026-01-01T00:00:00",
                                                                 "updated": "2026-01-01T00:00:00"}}}}) + b"\n")
                journal_path.write_bytes(planted)
                tally["foreign_planted"] += 1
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(trial)], stdout=subprocess.PIPE)
            assert child.stdout is not None
            if child.stdout.readline() != b"ready\n":
                raise SystemExit("the child did not start")
            time.sleep(rng.uniform(0.0, args.max_delay))
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate(timeout=60)
            for line in out.decode().split("\n")[:-1]:  # only whole lines were acknowledged
                kind, card_id, rest = line.split(" ", 2)
                tally["changes"] += 1
                if kind == "add":
                    added[card_id] = rest
                else:
                    logged.setdefault(card_id, set()).add(rest)
            tally["trials"] += 1
            tally["mid_fold"] += bool([tmp for tmp in path.parent.glob(".box.json.*.tmp") if not tmp.name.startswith(".box.json.index.")])
            tally["mid_index"] += bool(list(path.parent.glob(".box.json.index.*.tmp")))
            tally["journal_waiting"] += path.with_name("box.json.journal").exists()
            wanted = set(added) | set(logged)
            try:
                cards = on_disk_cards(path, wanted)
            except (msgspec.DecodeError, msgspec.ValidationError, orjson.JSONDecodeError, KeyError) as err:
                tally["corrupt"] += 1
                print(f"trial {trial}: the box does not read: {err}")
                continue
            lost = [key for key, name in added.items() if cards.get(key, {}).get("name") != name]
            for key, notes in logged.items():
                have = {a.get("note") for a in cards.get(key, {}).get("attempts", [])}
                lost += [f"{key}:{note}" for note in notes - have]
            if lost:
                tally["lost"] += len(lost)
                print(f"trial {trial}: {len(lost)} acknowledged changes missing, e.g. {lost[:3]}")
            box = Box(path, clock=lambda: NOW)
            if planted:
                if box.get(1).name == "FOREIGN":
                    tally["foreign_applied"] += 1
                    print(f"trial {trial}: another box's journal was applied")
                kept = [p for p in path.parent.glob("box-backups/*not-this-box*.journal") if p.read_bytes() == planted]
                if not kept and not (journal_path.exists() and journal_path.read_bytes() == planted):
                    tally["foreign_lost"] += 1
                    print(f"trial {trial}: another box's journal was not kept")
            if any(box.get(int(key)).name != name for key, name in list(added.items())[-20:]):
                tally["lost"] += 1
                print(f"trial {trial}: Box() reads an added card differently")
            tally["leftovers"] += len(list(path.parent.glob(".box.json.*.tmp")))
            if (trial + 1) % 50 == 0:
                print(f"  {trial + 1} trials, {time.perf_counter() - started:.0f} s: {tally}", flush=True)
    print(f"\n{args.trials} kill -9 trials on a {args.size:,}-card box in {time.perf_counter() - started:.0f} s")
    print(f"  changes acknowledged before the kills: {tally['changes']:,}")
    print(f"  kills that landed mid-fold (a temporary file on disk): {tally['mid_fold']}")
    print(f"  kills that landed while the index was written:        {tally['mid_index']}")
    print(f"  kills that left a journal waiting:                    {tally['journal_waiting']}")
    print(f"  corrupt boxes:                                        {tally['corrupt']}")
    print(f"  acknowledged changes lost:                            {tally['lost']}")
    print(f"  temporary files left after the next open:             {tally['leftovers']}")
    print(f"  foreign journals planted / applied / not kept:        {tally['foreign_planted']} / "
          f"{tally['foreign_applied']} / {tally['foreign_lost']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
