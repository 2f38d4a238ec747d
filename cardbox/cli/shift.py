"""Commands about the shift: the dialing session, its ticks, and the numbers."""

from __future__ import annotations

from cardbox.cli.common import REP_ZONE, ascii_number, day_option, open_box
from cardbox.cli.output import print_json
from cardbox.cli.parser import EXIT_OK, InputError


def cmd_session(args, clock) -> int:
    from cardbox.core.numbers_text import session_json, session_line

    box, _ = open_box(args, clock)
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
        print_json(session_json(session, now, REP_ZONE[0] if REP_ZONE else ""))
    else:
        print(session_line(session, now))
    return EXIT_OK


def cmd_tick(args, clock) -> int:
    from cardbox.core.numbers_text import session_json, session_line
    from cardbox.core.session import check_count, check_kind

    check_kind(args.kind)
    count = ascii_number(args.count)
    if count is None:
        raise InputError(f"--count {args.count!r} is not a number; give a whole number of 1 or more")
    check_count(count)
    box, _ = open_box(args, clock)
    session = box.sessions.tick(args.kind, count).after
    now = clock()
    if args.json:
        print_json(session_json(session, now, REP_ZONE[0] if REP_ZONE else ""))
    else:
        print(session_line(session, now))
    return EXIT_OK


def cmd_stats(args, clock) -> int:
    from cardbox.core.periods import PERIODS

    if args.period not in PERIODS:
        raise InputError(f"unknown period {args.period!r}; use one of: {', '.join(PERIODS)}")
    now = clock()
    day = day_option(args.on, now)
    box, _ = open_box(args, clock)
    result = box.ledger().figures(args.period, day, now)
    if args.json:
        print_json(result)
    else:
        from cardbox.core.numbers_text import stats_lines

        print("\n".join(stats_lines(result)))
    return EXIT_OK
