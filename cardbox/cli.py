"""The `cardbox` command: the bare command opens the app; subcommands script the box.

Exit codes: 0 success; 2 bad usage or bad input (an unknown card id, an
unparseable date, an unknown outcome); 3 a box that cannot be read or
written (corrupt, locked, full disk, no permission).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from cardbox import __version__
from cardbox.core.text import escape_unsafe, shown
from cardbox.process import bulk_load

EXIT_OK, EXIT_INPUT, EXIT_BOX = 0, 2, 3

EPILOG = """\
environment:
  CARDBOX_BOX   path of the box file (same as --box)
  CARDBOX_NOW   ISO 8601 date-time that stands in for "now", e.g. 2026-11-22T10:00
                (for demos, tests and reproducing a report)
"""


class _Shown(io.TextIOBase):
    """A stream that shows control characters from the box as placeholders instead of sending them."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(shown(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


@contextmanager
def safe_terminal_output() -> Iterator[None]:
    """Everything a command prints goes out with its control characters made visible.

    (`--json` is unchanged by it: JSON escapes control characters.)"""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Shown(out), _Shown(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


class InputError(Exception):
    """Bad input from the command line: exit 2 with this one-line message."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own errors exit 2 too
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"cardbox: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cardbox",
        description="The telemarketer's callback card box. With no command, opens the app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cardbox {__version__}")
    parser.add_argument("--box", metavar="PATH", help="the box file (default: $CARDBOX_BOX or your data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo box (in a throwaway folder; made fresh each day, kept through relaunches)")
    parser.add_argument("--fresh", action="store_true", help="with --demo: start the demo box again from scratch")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    add = sub.add_parser("add", help="capture a new callback card", description="Capture a new callback card.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--company", default="")
    add.add_argument("--phone", action="append", default=[], metavar="P", help="a phone number (repeat for more)")
    add.add_argument("--email", default="")
    add.add_argument("--when", metavar="PHRASE", help='when to call back, as the prospect said it: "late January"')
    add.add_argument("--why", default="", metavar="TEXT", help="why they want the call then")
    add.add_argument("--note", default="", metavar="TEXT")
    add.add_argument("--tag", action="append", default=[], metavar="T")
    add.add_argument("--json", action="store_true", help="print the card as JSON")

    due = sub.add_parser("due", help="cards due on a day plus overdue, in flip order")
    due.add_argument("--on", metavar="YYYY-MM-DD", help="the day (default: today)")
    due.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="one card with its history")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true")

    from cardbox.core.card import CHANNELS, OUTCOMES
    from cardbox.core.refile import nurture_wait

    log = sub.add_parser(
        "log",
        help="log an attempt on a card and re-file it",
        description="Log what happened on a card. Outcomes: " + ", ".join(OUTCOMES) + ".",
    )
    log.add_argument("id", metavar="ID")
    log.add_argument("outcome", metavar="OUTCOME", help=" | ".join(OUTCOMES))
    log.add_argument("--channel", default="call", help=" | ".join(CHANNELS) + " (default: call)")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument("--next", metavar="PHRASE", help='re-file to this window, e.g. "early May"')
    log.add_argument("--opted-in", action="store_true", help=f"with nurture: they asked for information ({nurture_wait(True)}, not {nurture_wait(False)})")
    log.add_argument("--anyway", action="store_true",
                     help="log a call made outside the prospect's calling hours or past the daily limit (recorded as confirmed)")
    log.add_argument("--json", action="store_true")

    find = sub.add_parser("find", help="find cards by name, company, phone digits, email or notes")
    find.add_argument("text", metavar="TEXT", nargs="+")
    find.add_argument("--json", action="store_true")

    when = sub.add_parser("when", help="show the window a callback phrase means")
    when.add_argument("phrase", metavar="PHRASE", nargs="+")
    when.add_argument("--json", action="store_true")

    sub.add_parser("where", help="paths of the box, backups, settings and themes")

    session = sub.add_parser("session", help="start, stop or show today's dialing session")
    session.add_argument("action", choices=("start", "stop", "pause", "resume", "status"), metavar="start|stop|pause|resume|status")
    session.add_argument("--json", action="store_true")

    from cardbox.core.session import TICK_KINDS

    tick = sub.add_parser(
        "tick", help="count a dial, contact, pitch, appointment or sale in today's session (starts one if none runs)"
    )
    tick.add_argument("kind", metavar="KIND", help=" | ".join(TICK_KINDS))
    tick.add_argument("--count", default="1", metavar="N", help="how many (default 1)")
    tick.add_argument("--json", action="store_true")

    from cardbox.core.periods import PERIODS

    stats = sub.add_parser("stats", help="the numbers: cold calls, callbacks, sales, pipeline, sessions")
    stats.add_argument("--period", default="today", metavar="PERIOD", help=" | ".join(PERIODS) + " (default: today)")
    stats.add_argument("--on", metavar="YYYY-MM-DD", help="a day in the period (default: today)")
    stats.add_argument("--json", action="store_true")

    dnc = sub.add_parser("dnc", help="the do-not-call list: add a number, import a file of numbers, list them")
    dnc_sub = dnc.add_subparsers(dest="dnc_action", metavar="add|import|list", parser_class=Parser, required=True)
    dnc_add = dnc_sub.add_parser("add", help="put a number on the list")
    dnc_add.add_argument("number", metavar="NUMBER")
    dnc_add.add_argument("--note", default="", metavar="TEXT", help="how the request was made, by whom")
    dnc_import = dnc_sub.add_parser("import", help="numbers from a file, one a line, any format")
    dnc_import.add_argument("file", metavar="FILE")
    dnc_list = dnc_sub.add_parser("list", help="every number on the list")
    dnc_list.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", help="cards from a CRM or contacts export (CSV, vCard); --undo takes the last import back")
    imp.add_argument("file", metavar="FILE", nargs="?")
    imp.add_argument("--dry-run", action="store_true", help="write nothing; say what would happen")
    imp.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                     help="read a column as a field: name, first, last, company, phone, email, why, notes, tags, time_zone")
    imp.add_argument("--when", metavar="PHRASE", help="give every imported card this window (default: none, on the 'needs a date' pile)")
    imp.add_argument("--tag", action="append", default=[], metavar="T")
    imp.add_argument("--merge", action="store_true", help="add to a card with the same number or email instead of skipping the row")
    imp.add_argument("--undo", action="store_true", help="take the last import back as a whole")
    imp.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="cards out: csv (spreadsheet), json (everything), ics (calendar), vcf (contacts)")
    export.add_argument("--format", required=True, metavar="FORMAT", help="csv | json | ics | vcf")
    export.add_argument("--status", action="append", default=[], metavar="S", help="only cards with this status (repeat for more)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")

    backups = sub.add_parser("backups", help="list the box's daily backups, or restore one")
    backups.add_argument("--restore", metavar="DAY", help="put the backup of that day (YYYY-MM-DD) back as the box")

    # The global options work after the command too: `cardbox show 5 --box PATH`.
    # (SUPPRESS: when not given there, the value given before the command stays.)
    for command in sub.choices.values():
        command.add_argument("--box", metavar="PATH", default=argparse.SUPPRESS, help="the box file")
        command.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="use the demo box")
    return parser


# -- helpers ------------------------------------------------------------------


def _settings():
    from cardbox.core.paths import settings_file
    from cardbox.core.settings import load_settings

    settings, warnings = load_settings(settings_file())
    for warning in warnings:
        print(f"cardbox: {warning}", file=sys.stderr)
    if settings.time_zone and not os.environ.get("CARDBOX_TZ"):
        os.environ["CARDBOX_TZ"] = settings.time_zone  # so the clock runs on the rep's zone too
    if not _REP_ZONE:
        from cardbox.core.zones import rep_zone

        _REP_ZONE.append(rep_zone(settings.time_zone))
    return settings


def _box_path(args: argparse.Namespace) -> Path:
    from cardbox.core.paths import default_box, demo_box

    if args.demo:
        return demo_box()
    if args.box is not None and not args.box.strip():
        raise InputError("--box is empty; give the path of a box file, e.g. --box ~/boxes/box.json (or leave it out for your own box)")
    return Path(args.box).expanduser() if args.box else default_box()


def _open_box(args: argparse.Namespace, clock):
    from cardbox.core.box import Box

    settings = _settings()
    path = _box_path(args)
    if args.box and args.command not in WRITING_COMMANDS and not path.parent.is_dir():
        # Reading a box in a folder that is not there is a typo, not an empty box.
        raise InputError(f"there is no folder {path.parent}, so no box at {path}; check the path")
    if args.box and args.command not in WRITING_COMMANDS and not os.path.lexists(path):
        # Likewise a box file that is not there: "nothing due" would hide a mistyped path.
        raise InputError(f"there is no box at {path}; check the path (cardbox add NAME --box {shlex.quote(str(path))} "
                         "makes a new one there)")
    box = Box(path, clock=clock, region=settings.region, holidays=_holidays(settings), loading=bulk_load)
    _OPENED.append(box)
    if args.command in WRITING_COMMANDS:
        box.check_damage()  # a write into a box with a damaged card says so
    return box, settings


# Boxes opened by the command, so their storage warnings (a failed backup, a
# folder that could not be synced) are printed, not dropped.
_OPENED: list[Any] = []


WRITING_COMMANDS = frozenset({"add", "log", "tick", "session", "dnc", "import"})


def _print_storage_warnings() -> None:
    for box in _OPENED:
        for warning in box.storage.warnings:
            print(f"cardbox: warning: {warning}", file=sys.stderr)
        box.storage.warnings.clear()
        for problem in box.damaged.values():
            print(f"cardbox: warning: {problem}; the other cards work. It is kept as it is: fix it by hand "
                  "or restore a backup (cardbox backups)", file=sys.stderr)
        box.damaged.clear()


# The rep's zone, once the settings are read (phrases with a time are put on the rep's clock).
_REP_ZONE: list[str] = []


def _holidays(settings):
    from cardbox.core.days_off import holidays_for
    from cardbox.core.paths import cache_dir

    holidays, warnings = holidays_for(settings.country, settings.region, cache=cache_dir())
    for warning in warnings:
        print(f"cardbox: {warning}", file=sys.stderr)
    return holidays


def _window(phrase: str, now: datetime, day_first: bool, holidays=(), prospect_zone: str | None = None, speaker: str = "prospect"):
    """A phrase as a window. `speaker`: whose words "my time" are — the prospect's on a card's --when / --next,
    the rep's own in `cardbox when` and an import's --when."""
    from cardbox.core.phrases import PhraseError, parse_when

    if not phrase.strip():
        raise InputError("the phrase is empty; leave the option out for no date, or give one such as 'late January'")
    try:

        return parse_when(phrase, now, day_first=day_first, holidays=holidays, rep_zone=_REP_ZONE[0] if _REP_ZONE else None,
                          prospect_zone=prospect_zone, speaker=speaker)
    except PhraseError as err:
        raise InputError(str(err)) from None


def _ascii_number(text: str) -> int | None:
    """A whole number typed in ASCII digits ('٥' and '²' are digits to str.isdigit, not card ids or counts)."""
    cleaned = text.strip()
    if not cleaned or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return int(cleaned)


def _card_id(text: str) -> int:
    number = _ascii_number(text.strip().lstrip("#"))
    if number is None:
        raise InputError(f"{text!r} is not a card id; ids are numbers like 42 (find one with: cardbox find NAME)")
    return number


def _print_json(value) -> None:
    # JSON escapes C0 controls itself; C1 and the bidi overrides are escaped
    # too (\u009b), so the output is exact data and safe on a terminal.
    import orjson

    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()  # ~10x the stdlib's speed on 1,000s of cards
    except TypeError:  # text orjson will not write (a lone surrogate read from a file): the stdlib escapes it
        text = json.dumps(value, indent=2, ensure_ascii=False)
    print(escape_unsafe(text))


STATUS_WORDS = {"won": "won (a sale)", "not-now": "not now", "nurture": "nurture", "do-not-call": "DO NOT CALL"}


def _print_card_line(card, now: datetime, region: str) -> None:
    from cardbox.core.phone import display
    from cardbox.core.review import describe_due

    phone = shown(display(card.phones[0], region), one_line=True) if card.phones else "no phone"
    # One line each: a name with a line break in it must not break the list.
    who = shown(card.name + (f" · {card.company}" if card.company else ""), one_line=True)
    window = shown(card.due.label or card.due.phrase, one_line=True) if card.due else "no date"
    # A card that is no longer a callback says what it is (won, not now, do not call), not "no date yet".
    state = describe_due(card, now) if card.status == "active" else STATUS_WORDS.get(card.status, card.status)
    if card.status == "nurture" and card.due:
        state = f"nurture · {describe_due(card, now)}"
    print(f"#{card.id:<5} {who[:40]:<40} {phone:<16} {window[:38]:<38} {state}")
    if card.why:
        print(f"       why: {card.why.splitlines()[0][:100]}")


def _print_card(card, now: datetime, region: str, zone: str | None = None, block: str = "") -> None:
    from cardbox.core.phone import display
    from cardbox.core.review import describe_due

    print(f"#{card.id}  " + shown(card.name + (f" · {card.company}" if card.company else ""), one_line=True) + f"   [{card.status}]")
    for number in card.phones:
        print(f"  phone  {display(number, region)}")
    if zone is not None:
        from cardbox.core.calling_hours import when_to_call

        check = when_to_call(card, now, zone, bool(block), _settings().calls_per_day)
        if check.local_times:
            theirs = check.local_times[0]
            others = f" (or {', '.join(f'{t:%-I:%M %p} {z}' for t, z in zip(check.local_times[1:], check.zones[1:], strict=True))})" if len(check.zones) > 1 else ""
            print(f"  clock  {theirs:%-I:%M %p} their time ({check.zones[0]}){others} · {now:%-I:%M %p} yours")
        from cardbox.core.pickup import nudge, picked_up

        if picked_up(card):
            print(f"  habit  {picked_up(card)}")
        if nudge(card):
            print(f"  try    {nudge(card)}")
        if block:
            print(f"  CALL   no — do not call: {block}")
        elif check.callable_now:
            print(f"  call   now: inside calling hours ({check.rule.place}: {check.rule.summary()})")
        else:
            opens = f"; opens {check.opens:%a %-d %b %H:%M} your time" if check.opens else ""
            print(f"  call   not now — {check.why_not}{opens}")
            if check.exemptions_note():
                print(f"         {check.exemptions_note()}")
    if card.email:
        print(f"  email  {card.email}" + (f"  (also {', '.join(card.emails)})" if card.emails else ""))
    if card.address:
        from cardbox.core.card import address_text

        print(f"  where  {address_text(card.address)}")
    if card.due:
        print(f"  when   {card.due.phrase!r} → {card.due.label} ({describe_due(card, now)})")
        if card.agreed is not None and card.agreed_differs:
            passed = " (passed)" if card.agreed.last_day < now.date() else ""
            print(f"         they asked for {card.agreed.phrase!r} → {card.agreed.label}{passed}")
    else:
        print("  when   no date yet")
    print(f"  why    {card.why or ('(a lead: nobody has spoken to them yet)' if card.is_lead else '(no reason given — likely a brush-off)')}")
    if card.notes:
        print("  notes  " + card.notes.replace("\n", "\n         "))
    if card.tags:
        print("  tags   " + ", ".join(card.tags))
    print(f"  history: {len(card.attempts)} attempt{'s' if len(card.attempts) != 1 else ''}")
    for attempt in reversed(card.attempts):
        refiled = f" → {attempt.next.label or attempt.next.phrase}" if attempt.next else ""
        note = f" — {attempt.note}" if attempt.note else ""
        print(f"    {attempt.at:%Y-%m-%d %H:%M}  {attempt.channel:<9} {attempt.outcome}{refiled}{note}")


# -- commands -----------------------------------------------------------------


def cmd_add(args, clock) -> int:
    from cardbox.core.zones import zone_of_numbers

    if any(not number.strip() for number in args.phone):
        raise InputError("--phone is empty; give a number such as 212 555 0100, or leave --phone out")
    box, settings = _open_box(args, clock)
    now = clock()
    # Left out: no date. Given but empty: a mistake to point out, not "no date".
    due = _window(args.when, now, settings.day_first, box.holidays, zone_of_numbers(args.phone, settings.region)) if args.when is not None else None
    change = box.add(
        args.name, company=args.company, phones=args.phone, email=args.email,
        due=due, why=args.why, notes=args.note, tags=args.tag,
    )
    card = change.after
    if args.json:
        _print_json(card.to_dict())
    else:
        print(f"saved card #{card.id}: {card.name}" + (f", due {card.due.label}" if card.due else ", no date yet"))
        if blocked := box.block_reason(card):
            print(f"do not call: {blocked}; the card is kept, and never shown as callable")
    return EXIT_OK


def _warn_rules() -> None:
    """A broken calling-hours file of the rep's own is said, never silently ignored (the shipped rules still apply)."""
    from cardbox.core.calling_hours import rule_book

    for problem in rule_book().problems:
        print(f"cardbox: {problem}", file=sys.stderr)


def cmd_due(args, clock) -> int:
    from cardbox.core.calling_hours import callable_first, when_to_call
    from cardbox.core.window import day_words
    from cardbox.core.zones import rep_zone

    box, settings = _open_box(args, clock)
    now = clock()
    day = _day_option(args.on, now)
    zone = rep_zone(settings.time_zone)
    cards = box.due(day)
    _warn_rules()
    checks = {card.id: when_to_call(card, now, zone, bool(box.block_reason(card)), settings.calls_per_day) for card in cards}
    if day == now.date():
        # Today's flip order: the cards that may be called now first (the same rule as the app's).
        blocked = frozenset(card.id for card in cards if box.block_reason(card))
        cards = callable_first(cards, now, zone, blocked, settings.calls_per_day)
    if args.json:
        _print_json([{**card.to_dict(), **_when_json(checks[card.id], zone)} for card in cards])
        return EXIT_OK
    if not cards:
        print(f"nothing due on {day_words(day)}")
        return EXIT_OK
    print(f"{len(cards)} card{'s' if len(cards) != 1 else ''} due on {day_words(day)} (overdue first)")
    view_now = now if day == now.date() else datetime.combine(day, now.time())
    for card in cards:
        _print_card_line(card, view_now, settings.region)
        check = checks[card.id]
        if not check.callable_now and day == now.date():
            opens = f"; opens {check.opens:%H:%M}" + ("" if check.opens and check.opens.date() == now.date() else f" on {check.opens:%a %-d %b}") if check.opens else ""
            print(f"       not now: {check.why_not}{opens}")
    return EXIT_OK


def _when_json(check, zone: str) -> dict:
    from zoneinfo import ZoneInfo

    # (An opening is a calling hour on the rep's clock, never in a daylight-saving gap.)
    return {
        "zones": list(check.zones),
        "local_time": check.local_times[0].isoformat() if check.local_times else None,
        "callable_now": check.callable_now,
        "callable_from": check.opens.replace(tzinfo=ZoneInfo(zone)).isoformat() if check.opens and not check.callable_now else None,
    }


def cmd_show(args, clock) -> int:
    box, settings = _open_box(args, clock)
    card = box.get(_card_id(args.id))
    if args.json:
        _print_json(card.to_dict())
    else:
        from cardbox.core.zones import rep_zone

        _print_card(card, clock(), settings.region, rep_zone(settings.time_zone), box.block_reason(card))
    return EXIT_OK


def cmd_log(args, clock) -> int:
    from cardbox.core.card import CHANNELS, OUTCOMES

    if args.outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {args.outcome!r}; use one of: {', '.join(OUTCOMES)}")
    if args.channel not in CHANNELS:
        raise InputError(f"unknown channel {args.channel!r}; use one of: {', '.join(CHANNELS)}")
    box, settings = _open_box(args, clock)
    card_id = _card_id(args.id)
    box.get(card_id)  # an unknown id is reported before the phrase is judged
    from cardbox.core.zones import prospect_zones

    card = box.get(card_id)
    zones = prospect_zones(card)
    nxt = _window(args.next, clock(), settings.day_first, box.holidays, zones[0] if zones else None) if args.next is not None else None
    note = args.note
    from cardbox.core.calling_hours import confirmed_note, log_check
    from cardbox.core.zones import rep_zone

    _warn_rules()
    check = None if box.block_reason(card) else log_check(card, clock(), rep_zone(settings.time_zone), args.channel,
                                                          False, settings.calls_per_day, outcome=args.outcome)
    if check is not None and not check.callable_now:
        if not args.anyway:
            exempt = f" ({check.exemptions_note()})" if check.exemptions_note() else ""
            raise InputError(f"#{card.id} is not callable now: {check.why_not}{exempt}. Nothing logged; "
                             "if the call was made, log it with --anyway (the card records that you confirmed it)")
        extra = confirmed_note(check)
        note = f"{note} · {extra}" if note else extra
    change = box.log(card_id, args.outcome, channel=args.channel, note=note, next_window=nxt, opted_in=args.opted_in)
    card = change.after
    if args.json:
        _print_json(card.to_dict())
    else:
        where = card.due.label if card.due else "no date"
        print(f"logged {args.outcome} on #{card.id} {card.name}; status {card.status}, next: {where}")
    return EXIT_OK


def cmd_find(args, clock) -> int:
    box, settings = _open_box(args, clock)
    cards = box.find(" ".join(args.text))
    if args.json:
        _print_json([card.to_dict() for card in cards])
        return EXIT_OK
    if not cards:
        print("no card matches")
    now = clock()
    for card in cards:
        _print_card_line(card, now, settings.region)
    return EXIT_OK


def cmd_when(args, clock) -> int:
    settings = _settings()
    window = _window(" ".join(args.phrase), clock(), settings.day_first, _holidays(settings), speaker="rep")
    if args.json:
        import pendulum

        data = window.to_dict()
        out = {key: data[key] for key in ("phrase", "start", "end", "grain", "label")}
        if window.timed:
            # A time is printed with its offset: on the rep's clock, unambiguous anywhere.
            zone = _REP_ZONE[0] if _REP_ZONE else "UTC"
            out["start"] = pendulum.instance(window.start, tz=zone).isoformat()
            out["end"] = pendulum.instance(window.end, tz=zone).isoformat()
        _print_json(out)
    else:
        print(window.label)
    return EXIT_OK


def cmd_where(args, clock) -> int:
    from cardbox.core.paths import where

    for name, path in where(_box_path(args).absolute()).items():
        print(f"{name + ':':<16}{path}")
    return EXIT_OK


def cmd_backups(args, clock) -> int:
    # Never opens the box: this is what a rep runs when the box cannot be read.
    from cardbox.core.backups import backups_dir_for, list_backups, restore_backup

    path = _box_path(args).expanduser().absolute()
    if args.restore:
        restored = restore_backup(path, args.restore, clock)
        print(f"restored {restored.backup.path.name} as {path}")
        if restored.kept is not None:
            print(f"the box it replaced is kept, untouched, as {restored.kept}")
        return EXIT_OK
    backups = list_backups(path)
    if not backups:
        print(f"no backups yet; cardbox keeps one a day in {backups_dir_for(path)} once the box changes")
    for backup in backups:
        print(f"{backup.day:<32} {backup.size / 1024:>10,.1f} KB  {backup.path}")
    return EXIT_OK


def cmd_dnc(args, clock) -> int:
    from cardbox.core.phone import display

    box, settings = _open_box(args, clock)
    if args.dnc_action == "add":
        added, already = box.dnc_add([args.number], how="added with cardbox dnc add", note=args.note)
        number = (added or already)[0]
        print(f"{display(number, settings.region)} is {'now' if added else 'already'} on the do-not-call list")
        _print_blocked(box, number)
        return EXIT_OK
    if args.dnc_action == "import":
        return _dnc_import(box, Path(args.file), settings.region)
    rows = sorted(box.dnc_numbers().values(), key=lambda row: str(row.get("added", "")))
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print("the do-not-call list is empty; cardbox dnc add NUMBER puts a number on it")
    for row in rows:
        note = f"  {row.get('note')}" if row.get("note") else ""
        print(f"{display(str(row.get('number')), settings.region):<20} since {str(row.get('added', ''))[:10]}  {row.get('how', '')}{note}")
    return EXIT_OK


def _print_blocked(box, number: str) -> None:
    for card in box.cards():
        if number in card.phones:
            print(f"  #{card.id} {shown(card.name, one_line=True)} is blocked: no calls, its record is kept")


def _dnc_import(box, path: Path, region: str) -> int:
    from cardbox.core.card import CardError
    from cardbox.core.phone import normalize

    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err})") from None
    numbers, refused = [], []
    for line_no, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            numbers.append(normalize(text, region))
        except CardError as err:
            refused.append(f"line {line_no}: {err}")
    added, already = box.dnc_add(numbers, how=f"imported from {path.name}") if numbers else ([], [])
    print(f"{len(added)} number{'s' if len(added) != 1 else ''} added to the do-not-call list, {len(already)} already on it")
    for problem in refused:
        print(f"  not imported, {problem}", file=sys.stderr)
    return EXIT_OK if not refused else EXIT_INPUT


def cmd_import(args, clock) -> int:
    from cardbox.core import importing

    box, settings = _open_box(args, clock)
    if args.undo:
        source, removed, restored = box.undo_import()
        print(f"undid the import of {source}: {removed} card{'s' if removed != 1 else ''} removed, {restored} merged card{'s' if restored != 1 else ''} put back")
        return EXIT_OK
    if not args.file:
        raise InputError("give the file to import (or --undo to take the last import back)")
    mapping = {}
    for item in args.map:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or target.strip() not in importing.FIELDS:
            raise InputError(f"--map {item!r}: write COLUMN=FIELD, the field one of: {', '.join(importing.FIELDS)}")
        mapping[column.strip()] = target.strip()
    path = Path(args.file).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err})") from None
    try:
        parsed = importing.parse(raw, path.name, mapping)
    except importing.ImportError_ as err:
        raise InputError(f"{path.name}: {err}") from None
    window = _window(args.when, clock(), settings.day_first, box.holidays, speaker="rep") if args.when is not None else None
    report = box.import_rows(parsed, source=path.name, when=window, tags=args.tag, merge=args.merge, dry_run=args.dry_run)
    if args.json:
        _print_json(report.to_json())
        return EXIT_OK
    verb = "would import" if args.dry_run else "imported"
    print(f"{path.name}: {parsed.layout}, {parsed.encoding}; {len(parsed.rows)} rows")
    print(f"{verb} {len(report.imported)} card{'s' if len(report.imported) != 1 else ''}"
          + (f", merged into {len(report.merged)}" if report.merged else "") + f", skipped {len(report.skipped)}")
    for line, reason in report.skipped:
        print(f"  line {line}: {reason}")
    for line, note in report.remarks:
        print(f"  line {line}: imported; {note}")
    if report.blocked:
        print(f"{'would put' if args.dry_run else 'put'} {len(report.blocked)} number{'s' if len(report.blocked) != 1 else ''} "
              "on the do-not-call list: the file says they asked not to be called")
    in_notes = [column for column, where, _count in report.not_mapped if where.startswith("notes")]
    left_out = [column for column, where, _count in report.not_mapped if where.startswith("left out")]
    if in_notes:
        print(f"kept in the notes as 'Label: value' (no field of their own): {', '.join(in_notes)}")
    if left_out:
        print(f"left out: {', '.join(left_out)} (--json says why)")
    if report.imported and not args.dry_run:
        print("they have no date yet unless --when gave one: the Box screen's 'needs a date' pile lists them; "
              "cardbox import --undo takes this import back")
    return EXIT_OK


def cmd_export(args, clock) -> int:
    from cardbox.core import export
    from cardbox.core.card import STATUSES
    from cardbox.core.files import write_export
    from cardbox.core.zones import rep_zone

    if args.format not in export.FORMATS:
        raise InputError(f"unknown format {args.format!r}; use one of: {', '.join(export.FORMATS)}")
    for status in args.status:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    box, settings = _open_box(args, clock)
    cards = box.cards()
    payload = export.export_box(box, args.format, cards, clock(), rep_zone(settings.time_zone), args.status)
    cards = export.chosen_cards(box, args.format, cards, args.status)
    if args.output and args.output != "-":
        target = Path(args.output).expanduser()
        try:
            write_export(target, payload)
        except OSError as err:
            raise InputError(f"cannot write {target} ({err.strerror or err})") from None
        print(f"{len(cards)} card{'s' if len(cards) != 1 else ''} exported as {args.format} to {target}", file=sys.stderr)
    else:
        sys.stdout.flush()
        out = getattr(sys.stdout, "stream", sys.stdout)
        if out.isatty():
            # To a terminal, what came from the box is shown, never acted on (ESC]0; titles, ESC]52 clipboards,
            # ESC[2J); to a file or a pipe the bytes stay exact.
            payload = shown(payload.decode("utf-8", errors="replace")).encode("utf-8")
        out.buffer.write(payload)
    return EXIT_OK


def cmd_session(args, clock) -> int:
    from cardbox.core.numbers_text import session_json, session_line

    box, _ = _open_box(args, clock)
    book = box.sessions
    if args.action == "start":
        session = book.start().after
    elif args.action == "stop":
        session = book.stop().after
    elif args.action in ("pause", "resume"):
        change = book.pause(args.action == "pause")
        session = change.after
        if change.before == change.after and not args.json:
            print(f"already {'paused' if args.action == 'pause' else 'running'}")
    else:
        session = book.current()
    now = clock()
    if args.json:
        _print_json(session_json(session, now, _REP_ZONE[0] if _REP_ZONE else ""))
    else:
        print(session_line(session, now))
    return EXIT_OK


def cmd_tick(args, clock) -> int:
    from cardbox.core.numbers_text import session_json, session_line
    from cardbox.core.session import check_count, check_kind

    check_kind(args.kind)
    count = _ascii_number(args.count)
    if count is None:
        raise InputError(f"--count {args.count!r} is not a number; give a whole number of 1 or more")
    check_count(count)
    box, _ = _open_box(args, clock)
    session = box.sessions.tick(args.kind, count).after
    now = clock()
    if args.json:
        _print_json(session_json(session, now, _REP_ZONE[0] if _REP_ZONE else ""))
    else:
        print(session_line(session, now))
    return EXIT_OK


def cmd_stats(args, clock) -> int:
    from cardbox.core.periods import PERIODS

    if args.period not in PERIODS:
        raise InputError(f"unknown period {args.period!r}; use one of: {', '.join(PERIODS)}")
    now = clock()
    day = _day_option(args.on, now)
    box, _ = _open_box(args, clock)
    result = box.ledger().figures(args.period, day, now)
    if args.json:
        _print_json(result)
    else:
        from cardbox.core.numbers_text import stats_lines

        print("\n".join(stats_lines(result)))
    return EXIT_OK


def _day_option(text: str | None, now: datetime) -> date:
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


def open_app(args, clock) -> int:
    from cardbox.core.demo import ready_demo_box

    path = _box_path(args)
    if args.fresh and not args.demo:
        raise InputError("--fresh starts the demo box again: use it with --demo (your own box is never replaced)")
    if args.demo:
        ready_demo_box(path, clock(), fresh=args.fresh)
    from cardbox.ui.launch import run_app

    return run_app(path, demo=args.demo)


COMMANDS = {
    "add": cmd_add, "due": cmd_due, "show": cmd_show, "log": cmd_log, "find": cmd_find,
    "when": cmd_when, "where": cmd_where, "backups": cmd_backups,
    "session": cmd_session, "tick": cmd_tick, "stats": cmd_stats, "dnc": cmd_dnc, "export": cmd_export, "import": cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    from cardbox.core.box import CardNotFound
    from cardbox.core.box_errors import BackupNotFound, BoxError, BoxNotAFile
    from cardbox.core.card import CardError
    from cardbox.core.clock import ClockError, clock_from_env

    # What one run learns (the rep's zone, the boxes it opened) is that run's: main called again in the same
    # process (a test, a program using cardbox) starts from nothing.
    _REP_ZONE.clear()
    _OPENED.clear()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "demo", False):
        os.environ.setdefault("CARDBOX_TZ", "America/New_York")  # the demo box is an east-coast rep's
    try:
        clock = clock_from_env(ticking=args.command is None)
        if args.command is None:
            return open_app(args, clock)
        with safe_terminal_output():
            try:
                return COMMANDS[args.command](args, clock)
            finally:
                _print_storage_warnings()
    except (InputError, CardNotFound, CardError, ClockError, BackupNotFound, BoxNotAFile) as err:
        print(f"cardbox: {shown(str(err))}", file=sys.stderr)
        return EXIT_INPUT
    except BoxError as err:
        print(f"cardbox: {shown(str(err))}", file=sys.stderr)
        return EXIT_BOX
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `cardbox due | head` closing the pipe early is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
