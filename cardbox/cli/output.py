"""What a command prints: card lines, a card in full, JSON — with the box's control characters made visible."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from cardbox.cli.common import rep_settings
from cardbox.core.text import escape_unsafe, shown


class Shown(io.TextIOBase):
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
    sys.stdout, sys.stderr = Shown(out), Shown(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def print_json(value) -> None:
    # JSON escapes C0 controls itself; C1 and the bidi overrides are escaped
    # too (\u009b), so the output is exact data and safe on a terminal.
    import orjson

    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()  # ~10x the stdlib's speed on 1,000s of cards
    except TypeError:  # text orjson will not write (a lone surrogate read from a file): the stdlib escapes it
        text = json.dumps(value, indent=2, ensure_ascii=False)
    print(escape_unsafe(text))


STATUS_WORDS = {"won": "won (a sale)", "not-now": "not now", "nurture": "nurture", "do-not-call": "DO NOT CALL"}


def print_card_line(card, now: datetime, region: str) -> None:
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


def print_card(card, now: datetime, region: str, zone: str | None = None, block: str = "") -> None:
    from cardbox.core.phone import display
    from cardbox.core.review import describe_due

    print(f"#{card.id}  " + shown(card.name + (f" · {card.company}" if card.company else ""), one_line=True) + f"   [{card.status}]")
    for number in card.phones:
        print(f"  phone  {display(number, region)}")
    if zone is not None:
        from cardbox.core.calling_hours import when_to_call

        check = when_to_call(card, now, zone, bool(block), rep_settings().calls_per_day)
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
