"""The rep's settings: a small JSON file, read leniently, written safely.

A broken settings file must never stop a rep from working: it gives a
warning and the defaults.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Settings:
    theme: str = "manila"
    # Read 1/2 as 1 February instead of January 2.
    day_first: bool = False
    # Country for phone numbers typed without a +country code.
    region: str = "US"
    # Whose public holidays business days skip: a two-letter country code,
    # "none", or empty for the locale's country (else the phone region).
    country: str = ""
    # The rep's time zone (IANA name); empty: the system's. CARDBOX_TZ overrides it.
    time_zone: str = ""
    # Daily goals shown while dialing (the seeds' figures: 100 dials,
    # a sale or two, 4–6 good callbacks).
    goal_dials: int = 100
    goal_sales: int = 2
    goal_callbacks: int = 6
    # Calls to one prospect in one day before cardbox asks you to confirm another.
    calls_per_day: int = 3
    # Binding id -> keys, handed to Textual's App.set_keymap.
    keymap: dict[str, str] = field(default_factory=dict)
    # A blinking cursor in text fields; false keeps it steady (easier on some eyes and screen readers).
    cursor_blink: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    warnings: list[str] = []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), warnings
    except (OSError, ValueError) as err:
        return Settings(), [f"settings file {path} could not be read ({err}); using defaults"]
    if not isinstance(raw, dict):
        return Settings(), [f"settings file {path} is not a JSON object; using defaults"]
    settings = Settings()
    types = {f.name: f for f in fields(Settings)}
    for key, value in raw.items():
        if key not in types:
            continue
        default = getattr(settings, key)
        if isinstance(default, bool) and not isinstance(value, bool):
            warnings.append(f"setting {key!r} should be true or false; ignored")
        elif isinstance(default, int) and not isinstance(default, bool) and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 100_000
        ):
            warnings.append(f"setting {key!r} should be a whole number above 0; ignored")
        elif isinstance(default, dict) and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            warnings.append(f"setting {key!r} should map binding ids to keys; ignored")
        elif isinstance(default, str) and not isinstance(value, str):
            warnings.append(f"setting {key!r} should be text; ignored")
        else:
            setattr(settings, key, value)
    return settings, warnings


def save_settings(settings: Settings, path: Path) -> None:
    from cardbox.core.files import write_atomically

    write_atomically(path, json.dumps(settings.to_dict(), indent=2).encode("utf-8"))
