"""What every command shares: the rep's settings, the box it opens, a phrase read as a window, a card id."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cardbox.cli.parser import InputError
from cardbox.process import bulk_load


def rep_settings():
    from cardbox.core.paths import settings_file
    from cardbox.core.settings import load_settings

    settings, warnings = load_settings(settings_file())
    for warning in warnings:
        print(f"cardbox: {warning}", file=sys.stderr)
    if settings.time_zone and not os.environ.get("CARDBOX_TZ"):
        os.environ["CARDBOX_TZ"] = settings.time_zone  # so the clock runs on the rep's zone too
    if not REP_ZONE:
        from cardbox.core.zones import rep_zone

        REP_ZONE.append(rep_zone(settings.time_zone))
    return settings


def box_path_of(args: argparse.Namespace) -> Path:
    from cardbox.core.paths import default_box, demo_box

    if args.demo:
        return demo_box()
    if args.box is not None and not args.box.strip():
        raise InputError("--box is empty; give the path of a box file, e.g. --box ~/boxes/box.json (or leave it out for your own box)")
    return Path(args.box).expanduser() if args.box else default_box()


def open_box(args: argparse.Namespace, clock):
    from cardbox.core.box import Box

    settings = rep_settings()
    path = box_path_of(args)
    if args.box and args.command not in WRITING_COMMANDS and not path.parent.is_dir():
        # Reading a box in a folder that is not there is a typo, not an empty box.
        raise InputError(f"there is no folder {path.parent}, so no box at {path}; check the path")
    if args.box and args.command not in WRITING_COMMANDS and not os.path.lexists(path):
        # Likewise a box file that is not there: "nothing due" would hide a mistyped path.
        raise InputError(f"there is no box at {path}; check the path (cardbox add NAME --box {shlex.quote(str(path))} "
                         "makes a new one there)")
    box = Box(path, clock=clock, region=settings.region, holidays=holidays_of(settings), loading=bulk_load)
    OPENED.append(box)
    if args.command in WRITING_COMMANDS:
        box.check_damage()  # a write into a box with a damaged card says so
    return box, settings


# Boxes opened by the command, so their storage warnings (a failed backup, a
# folder that could not be synced) are printed, not dropped.
OPENED: list[Any] = []


WRITING_COMMANDS = frozenset({"add", "log", "tick", "session", "dnc", "import"})


def print_storage_warnings() -> None:
    for box in OPENED:
        for warning in box.storage.warnings:
            print(f"cardbox: warning: {warning}", file=sys.stderr)
        box.storage.warnings.clear()
        for problem in box.damaged.values():
            print(f"cardbox: warning: {problem}; the other cards work. It is kept as it is: fix it by hand "
                  "or restore a backup (cardbox backups)", file=sys.stderr)
        box.damaged.clear()


# The rep's zone, once the settings are read (phrases with a time are put on the rep's clock).
REP_ZONE: list[str] = []


def holidays_of(settings):
    from cardbox.core.days_off import holidays_for
    from cardbox.core.paths import cache_dir

    holidays, warnings = holidays_for(settings.country, settings.region, cache=cache_dir())
    for warning in warnings:
        print(f"cardbox: {warning}", file=sys.stderr)
    return holidays


def window_of(phrase: str, now: datetime, day_first: bool, holidays=(), prospect_zone: str | None = None, speaker: str = "prospect"):
    """A phrase as a window. `speaker`: whose words "my time" are — the prospect's on a card's --when / --next,
    the rep's own in `cardbox when` and an import's --when."""
    from cardbox.core.phrases import PhraseError, parse_when

    if not phrase.strip():
        raise InputError("the phrase is empty; leave the option out for no date, or give one such as 'late January'")
    try:

        return parse_when(phrase, now, day_first=day_first, holidays=holidays, rep_zone=REP_ZONE[0] if REP_ZONE else None,
                          prospect_zone=prospect_zone, speaker=speaker)
    except PhraseError as err:
        raise InputError(str(err)) from None


def ascii_number(text: str) -> int | None:
    """A whole number typed in ASCII digits ('٥' and '²' are digits to str.isdigit, not card ids or counts)."""
    cleaned = text.strip()
    if not cleaned or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return int(cleaned)


def card_id_of(text: str) -> int:
    number = ascii_number(text.strip().lstrip("#"))
    if number is None:
        raise InputError(f"{text!r} is not a card id; ids are numbers like 42 (find one with: cardbox find NAME)")
    return number


def warn_rules() -> None:
    """A broken calling-hours file of the rep's own is said, never silently ignored (the shipped rules still apply)."""
    from cardbox.core.calling_hours import rule_book

    for problem in rule_book().problems:
        print(f"cardbox: {problem}", file=sys.stderr)


def day_option(text: str | None, now: datetime) -> date:
    if not text:
        return now.date()
    from cardbox.core.clock import ClockError, check_year

    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--on {text!r} is not a date; use YYYY-MM-DD, e.g. {now.date().isoformat()}") from None
    try:
        check_year(day, f"--on {text!r}")
    except ClockError as err:
        raise InputError(str(err)) from None
    return day
