"""The `cardbox` command: the bare command opens the app; subcommands script the box.

Exit codes: 0 success; 2 bad usage or bad input (an unknown card id, an
unparseable date, an unknown outcome); 3 a box that cannot be read or
written (corrupt, locked, full disk, no permission).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from cardbox.cli.cards import cmd_add, cmd_due, cmd_find, cmd_log, cmd_show, cmd_when, cmd_where
from cardbox.cli.common import OPENED, REP_ZONE, box_path_of, print_storage_warnings
from cardbox.cli.output import safe_terminal_output
from cardbox.cli.parser import EXIT_BOX, EXIT_INPUT, EXIT_OK, InputError, build_parser
from cardbox.cli.shift import cmd_session, cmd_stats, cmd_tick
from cardbox.cli.transfer import cmd_backups, cmd_dnc, cmd_export, cmd_import
from cardbox.core.text import shown

__all__ = ["build_parser", "main"]


def open_app(args, clock) -> int:
    from cardbox.core.demo import ready_demo_box

    path = box_path_of(args)
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
    REP_ZONE.clear()
    OPENED.clear()
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
                print_storage_warnings()
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
