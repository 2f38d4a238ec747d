"""Commands about cards: add, due, show, log, find, when, where."""

from __future__ import annotations

from datetime import datetime

from cardbox.cli.common import (
    REP_ZONE,
    box_path_of,
    card_id_of,
    day_option,
    holidays_of,
    open_box,
    rep_settings,
    warn_rules,
    window_of,
)
from cardbox.cli.output import print_card, print_card_line, print_json
from cardbox.cli.parser import EXIT_OK, InputError


def cmd_add(args, clock) -> int:
    from cardbox.core.zones import zone_of_numbers

    if any(not number.strip() for number in args.phone):
        raise InputError("--phone is empty; give a number such as 212 555 0100, or leave --phone out")
    box, settings = open_box(args, clock)
    now = clock()
    # Left out: no date. Given but empty: a mistake to point out, not "no date".
    due = window_of(args.when, now, settings.day_first, box.holidays, zone_of_numbers(args.phone, settings.region)) if args.when is not None else None
    change = box.add(
        args.name, company=args.company, phones=args.phone, email=args.email,
        due=due, why=args.why, notes=args.note, tags=args.tag,
    )
    card = change.after
    if args.json:
        print_json(card.to_dict())
    else:
        print(f"saved card #{card.id}: {card.name}" + (f", due {card.due.label}" if card.due else ", no date yet"))
        if blocked := box.block_reason(card):
            print(f"do not call: {blocked}; the card is kept, and never shown as callable")
    return EXIT_OK


def cmd_due(args, clock) -> int:
    from cardbox.core.calling_hours import callable_first, when_to_call
    from cardbox.core.window import day_words
    from cardbox.core.zones import rep_zone

    box, settings = open_box(args, clock)
    now = clock()
    day = day_option(args.on, now)
    zone = rep_zone(settings.time_zone)
    cards = box.due(day)
    warn_rules()
    checks = {card.id: when_to_call(card, now, zone, bool(box.block_reason(card)), settings.calls_per_day) for card in cards}
    if day == now.date():
        # Today's flip order: the cards that may be called now first (the same rule as the app's).
        blocked = frozenset(card.id for card in cards if box.block_reason(card))
        cards = callable_first(cards, now, zone, blocked, settings.calls_per_day)
    if args.json:
        print_json([{**card.to_dict(), **when_json(checks[card.id], zone)} for card in cards])
        return EXIT_OK
    if not cards:
        print(f"nothing due on {day_words(day)}")
        return EXIT_OK
    print(f"{len(cards)} card{'s' if len(cards) != 1 else ''} due on {day_words(day)} (overdue first)")
    view_now = now if day == now.date() else datetime.combine(day, now.time())
    for card in cards:
        print_card_line(card, view_now, settings.region)
        check = checks[card.id]
        if not check.callable_now and day == now.date():
            opens = f"; opens {check.opens:%H:%M}" + ("" if check.opens and check.opens.date() == now.date() else f" on {check.opens:%a %-d %b}") if check.opens else ""
            print(f"       not now: {check.why_not}{opens}")
    return EXIT_OK


def when_json(check, zone: str) -> dict:
    from zoneinfo import ZoneInfo

    # (An opening is a calling hour on the rep's clock, never in a daylight-saving gap.)
    return {
        "zones": list(check.zones),
        "local_time": check.local_times[0].isoformat() if check.local_times else None,
        "callable_now": check.callable_now,
        "callable_from": check.opens.replace(tzinfo=ZoneInfo(zone)).isoformat() if check.opens and not check.callable_now else None,
    }


def cmd_show(args, clock) -> int:
    box, settings = open_box(args, clock)
    card = box.get(card_id_of(args.id))
    if args.json:
        print_json(card.to_dict())
    else:
        from cardbox.core.zones import rep_zone

        print_card(card, clock(), settings.region, rep_zone(settings.time_zone), box.block_reason(card))
    return EXIT_OK


def cmd_log(args, clock) -> int:
    from cardbox.core.card import CHANNELS, OUTCOMES

    if args.outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {args.outcome!r}; use one of: {', '.join(OUTCOMES)}")
    if args.channel not in CHANNELS:
        raise InputError(f"unknown channel {args.channel!r}; use one of: {', '.join(CHANNELS)}")
    box, settings = open_box(args, clock)
    card_id = card_id_of(args.id)
    box.get(card_id)  # an unknown id is reported before the phrase is judged
    from cardbox.core.zones import prospect_zones

    card = box.get(card_id)
    zones = prospect_zones(card)
    nxt = window_of(args.next, clock(), settings.day_first, box.holidays, zones[0] if zones else None) if args.next is not None else None
    note = args.note
    from cardbox.core.calling_hours import confirmed_note, log_check
    from cardbox.core.zones import rep_zone

    warn_rules()
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
        print_json(card.to_dict())
    else:
        where = card.due.label if card.due else "no date"
        print(f"logged {args.outcome} on #{card.id} {card.name}; status {card.status}, next: {where}")
    return EXIT_OK


def cmd_find(args, clock) -> int:
    box, settings = open_box(args, clock)
    cards = box.find(" ".join(args.text))
    if args.json:
        print_json([card.to_dict() for card in cards])
        return EXIT_OK
    if not cards:
        print("no card matches")
    now = clock()
    for card in cards:
        print_card_line(card, now, settings.region)
    return EXIT_OK


def cmd_when(args, clock) -> int:
    settings = rep_settings()
    window = window_of(" ".join(args.phrase), clock(), settings.day_first, holidays_of(settings), speaker="rep")
    if args.json:
        import pendulum

        data = window.to_dict()
        out = {key: data[key] for key in ("phrase", "start", "end", "grain", "label")}
        if window.timed:
            # A time is printed with its offset: on the rep's clock, unambiguous anywhere.
            zone = REP_ZONE[0] if REP_ZONE else "UTC"
            out["start"] = pendulum.instance(window.start, tz=zone).isoformat()
            out["end"] = pendulum.instance(window.end, tz=zone).isoformat()
        print_json(out)
    else:
        print(window.label)
    return EXIT_OK


def cmd_where(args, clock) -> int:
    from cardbox.core.paths import where

    for name, path in where(box_path_of(args).absolute()).items():
        print(f"{name + ':':<16}{path}")
    return EXIT_OK
