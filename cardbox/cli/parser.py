"""The command line's words: every subcommand, its options and its help."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from cardbox import __version__

EXIT_OK, EXIT_INPUT, EXIT_BOX = 0, 2, 3


EPILOG = """\
environment:
  CARDBOX_BOX   path of the box file (same as --box)
  CARDBOX_NOW   ISO 8601 date-time that stands in for "now", e.g. 2026-11-22T10:00
                (for demos, tests and reproducing a report)
"""


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
