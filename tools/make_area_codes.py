"""Write cardbox/data/area_codes.json: the US state of each North American area code.

    .venv/bin/python tools/make_area_codes.py

The states come from libphonenumber's geocoder (the `phonenumbers` package),
whose data takes ~0.3 s to import: too slow for every `cardbox add`. Where an
area code's prefixes name more than one state (201), the state most of them
name is kept. Run it again after upgrading phonenumbers.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA

from cardbox.core.zones import US_STATES

TARGET = Path(__file__).resolve().parent.parent / "cardbox" / "data" / "area_codes.json"


def main() -> None:
    codes = set(US_STATES.values())
    seen: dict[str, Counter[str]] = {}
    for prefix, names in GEOCODE_DATA.items():
        description = names.get("en")
        if not prefix.startswith("1") or len(prefix) < 4 or not description:
            continue
        tail = description.rsplit(",", 1)[-1].strip()
        state = tail if tail in codes else US_STATES.get(description.strip())
        if state is not None:
            seen.setdefault(prefix[1:4], Counter())[state] += 1
    table = {area: counts.most_common(1)[0][0] for area, counts in sorted(seen.items())}
    TARGET.write_text(json.dumps({"phonenumbers": phonenumbers.__version__, "states": table}, indent=0) + "\n")
    print(f"{len(table)} area codes → {TARGET}")


if __name__ == "__main__":
    main()
