"""When a card may be called: calling hours in the prospect's clock, and the do-not-call block.

The rules are data (`cardbox/data/calling_hours.toml`): the US federal
default (8 a.m. to 9 p.m. in the called party's local time) and state
overrides with their sources. With several candidate zones (a number that
maps to more than one), a card is callable only when it is callable in
every one. Times are worked out with pendulum; the box keeps naive times in
the rep's zone, so `now` is read in the rep's zone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from cardbox.core.card import Card
from cardbox.core.zones import card_state, prospect_zones


@dataclass(frozen=True, slots=True)
class Rule:
    start: time
    end: time
    max_calls_24h: int | None
    source: str
    place: str  # "US federal rule", "FL"


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, dict[str, Rule]]:
    raw = tomllib.loads(resources.files("cardbox.data").joinpath("calling_hours.toml").read_text(encoding="utf-8"))

    def rule(entry: dict[str, Any], place: str) -> Rule:
        return Rule(_clock(entry["start"]), _clock(entry["end"]), entry.get("max_calls_24h"), entry.get("source", ""), place)

    default = rule(raw["default"], "US federal rule")
    states = {code: rule({**raw["default"], **entry}, code) for code, entry in raw.get("states", {}).items()}
    return default, states


def rule_for(card: Card) -> Rule:
    default, states = rules()
    state = card_state(card)
    return states.get(state, default) if state else default


@dataclass(frozen=True, slots=True)
class WhenToCall:
    """Whether the card may be called now, and if not, from when (in the rep's clock)."""

    zones: tuple[str, ...]
    local_times: tuple[datetime, ...]  # now in each of the prospect's zones (aware)
    callable_now: bool
    opens: datetime | None  # rep's naive clock; None when callable now or when nothing opens within a week
    why_not: str  # "" when callable
    rule: Rule


def _inside(moment: Any, rule: Rule) -> bool:
    clock = time(moment.hour, moment.minute, moment.second)
    return rule.start <= clock < rule.end


# Attempts on these channels ring the prospect's phone, so they count towards the daily limit.
PHONE_CHANNELS = frozenset({"call", "voicemail"})


def calls_today(card: Card, now: datetime) -> int:
    """Phone attempts on the card so far on the rep's day of `now`."""
    midnight = datetime.combine(now.date(), time.min)
    return sum(1 for a in card.attempts if a.channel in PHONE_CHANNELS and midnight <= a.at <= now)


def when_to_call(card: Card, now: datetime, rep_zone: str, blocked: bool = False, calls_per_day: int | None = None) -> WhenToCall:
    """May `card` be called at `now` (the rep's naive clock)? All its candidate zones must agree.

    `calls_per_day` is the rep's own limit of calls to one prospect in a day
    (the `calls_per_day` setting); a state's cap in 24 hours applies as well."""

    rule = rule_for(card)
    zones = tuple(prospect_zones(card))
    instant, local_times = _clocks(now, rep_zone, zones)
    if blocked or card.status == "do-not-call":
        return WhenToCall(zones, local_times, False, None, "do not call", rule)
    # Calls already made in the last 24 hours, where a state caps them.
    capped_until = None
    capped_why = ""
    if rule.max_calls_24h:
        recent = sorted(a.at for a in card.attempts if now - timedelta(hours=24) < a.at <= now)
        if len(recent) >= rule.max_calls_24h:
            capped_until = recent[-rule.max_calls_24h] + timedelta(hours=24)
            capped_why = f"{rule.max_calls_24h} calls in 24 hours already ({rule.place})"
    if calls_per_day:
        made = calls_today(card, now)
        if made >= calls_per_day:
            tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min)
            if capped_until is None or tomorrow > capped_until:
                capped_until = tomorrow
                capped_why = f"{made} call{'s' if made != 1 else ''} to them today already (your limit is {calls_per_day} a day)"
    if not zones and capped_until is None:
        return WhenToCall(zones, local_times, True, None, "", rule)
    inside_now = _inside_all(local_times, rule)
    if inside_now and capped_until is None:
        return WhenToCall(zones, local_times, True, None, "", rule)
    opens = _next_opening(zones, rule, instant, capped_until, rep_zone)
    if capped_until is not None and capped_until > now:
        why = capped_why
    else:
        why = f"outside calling hours {rule.start:%H:%M}–{rule.end:%H:%M} their time ({rule.place})"
    return WhenToCall(zones, local_times, False, opens, why, rule)


@lru_cache(maxsize=256)
def _clocks(now: datetime, rep_zone: str, zones: tuple[str, ...]) -> tuple[Any, tuple[Any, ...]]:
    """Now as an instant on the rep's clock and on each zone's: Today asks it of 1,000s of cards that share a few zones."""
    import pendulum

    instant = pendulum.instance(now, tz=rep_zone)
    return instant, tuple(instant.in_tz(zone) for zone in zones)


@lru_cache(maxsize=256)
def _inside_all(local_times: tuple[Any, ...], rule: Rule) -> bool:
    return all(_inside(local, rule) for local in local_times)


def _next_opening(zones: tuple[str, ...], rule: Rule, instant: Any, capped_until: datetime | None, rep_zone: str) -> datetime | None:
    """The first moment, from `instant`, inside the hours in every zone (and past any cap), as the rep's naive clock."""
    import pendulum

    earliest = instant
    if capped_until is not None:
        earliest = max(earliest, pendulum.instance(capped_until, tz=rep_zone))
    if not zones:
        return _naive(earliest.in_tz(rep_zone))
    # Candidates: the moment itself, and each zone's opening on the next days.
    candidates = [earliest]
    for zone in zones:
        local = earliest.in_tz(zone)
        for offset in range(0, 8):
            day = local.date().add(days=offset)
            candidates.append(pendulum.datetime(day.year, day.month, day.day, rule.start.hour, rule.start.minute, tz=zone))
    for candidate in sorted(c for c in candidates if c >= earliest):
        if all(_inside(candidate.in_tz(zone), rule) for zone in zones):
            return _naive(candidate.in_tz(rep_zone))
    return None


def _naive(moment: Any) -> datetime:
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def callable_first(cards: list[Card], now: datetime, rep_zone: str, blocked_ids: frozenset[int] = frozenset(),
                   calls_per_day: int | None = None) -> list[Card]:
    """The same cards, the ones that may be called now first (each group keeps its flip order)."""
    checks = [when_to_call(card, now, rep_zone, card.id in blocked_ids, calls_per_day).callable_now for card in cards]
    return [card for card, ok in zip(cards, checks, strict=True) if ok] + [card for card, ok in zip(cards, checks, strict=True) if not ok]
