"""Import at size: a 10k-row HubSpot-style CSV into an empty box and into a box of 10k cards. Prints its figures; not run by CI.

    .venv/bin/python bench/bench_import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cardbox.core import importing  # noqa: E402
from cardbox.core.box import Box  # noqa: E402
from cardbox.core.demo import box_data, write_box  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0)


def make_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Record ID", "First Name", "Last Name", "Company Name", "Phone Number", "Email", "City", "State/Region"])
    for n in range(rows):
        area = 200 + n % 700
        writer.writerow([n, f"First{n}", f"Last{n}", f"Company {n % 500}", f"({area}) 555-{n % 10000:04d}", f"p{n}@example.com",
                         "Springfield", "IL"])
    return "\ufeff".encode() + out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    raw = make_csv(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        for existing in (0, 10_000):
            path = Path(folder) / f"box-{existing}.json"
            if existing:
                write_box(path, box_data(existing, NOW))
            box = Box(path, clock=lambda: NOW)
            start = time.perf_counter()
            parsed = importing.parse(raw, "contacts.csv")
            read = time.perf_counter() - start
            report = box.import_rows(parsed, source="contacts.csv")
            total = time.perf_counter() - start
            print(f"import {args.rows:,} rows into a box of {existing:,} cards: {total:.2f} s (reading the file {read:.2f} s); "
                  f"{len(report.imported):,} imported, {len(report.skipped):,} skipped (target ≤ 5 s)")


if __name__ == "__main__":
    main()
