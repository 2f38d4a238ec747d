"""When a card may be called: calling hours in the prospect's clock, caps, and the do-not-call block.

The rules are data (`cardbox/data/calling_hours.toml`, and the rep's own
`calling_hours.toml` in the config folder, which can only add or tighten):
the US federal rule everywhere, and each stricter state's hours per weekday,
days with no calls (Sundays, the state's legal holidays) and caps per 24
hours, each with its source. With several candidate zones (a number that
maps to more than one), a card is callable only when it is callable in every
one. `now` is naive, on the rep's clock (`rep_zone`).

Every cache here is keyed on exactly what decides its answer: the rep's wall
clock with its fold, the rep's zone name, the prospect's zone names and the
rule. (Aware datetimes are no key: two that are the same instant compare and
hash equal whatever their zone, which once let a Los Angeles card take a New
York card's answer.)
"""

from __future__ import annotations

import stat
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cardbox.core.card import Card
from cardbox.core.zones import card_state, prospect_zones

DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
# Attempts that reach the prospect's phone: calling hours and a state's cap apply to them (the TCPA
# and the state laws treat a text message as a call). Emails, mail and visits are not calls.
HOURS_CHANNELS = frozenset({"call", "voicemail", "text"})
# Attempts that ring the phone, counted towards the rep's own `calls_per_day` limit.
PHONE_CHANNELS = frozenset({"call", "voicemail"})
# How far ahead the next opening is looked for (past a long weekend of holidays and Sundays).
LOOK_AHEAD_DAYS = 15
FEDERAL = "US federal rule"
NO_PHONE = "no phone number on the card"
UNKNOWN_ZONE = "their time zone is not known (give the card an address or a time zone)"
DO_NOT_CALL = "do not call"


@dataclass(frozen=True, slots=True)
class Hours:
    start: time
    end: time  # the first minute no call may start

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class Rule:
    """The calling rule for one place: the federal rule, tightened by a state's own where it has one."""

    place: str  # "US federal rule", "KY"
    days: tuple[Hours | None, ...]  # Monday … Sunday; None: no calls that weekday
    holidays_of: tuple[str, ...]  # US states whose legal holidays have no calls
    max_calls_24h: int | None
    sources: tuple[str, ...]
    checked: str
    exemptions: tuple[str, ...]

    def hours_on(self, day: date) -> Hours | None:
        """The hours calls may start on `day` (the prospect's date), None when that day has no calls."""
        for state in self.holidays_of:
            if day in state_holidays(state, day.year):
                return None
        return self.days[day.weekday()]

    def closed_because(self, day: date) -> str:
        """Why `day` has no calls at all ("" when it has some)."""
        for state in self.holidays_of:
            name = state_holidays(state, day.year).get(day)
            if name:
                return f"no calls on {name}, a legal holiday there"
        if self.days[day.weekday()] is None:
            return f"no calls on {DAY_NAMES[day.weekday()]}"
        return ""

    @property
    def source(self) -> str:
        return "; ".join(self.sources)

    def summary(self) -> str:
        """The hours of the week in a line: "Mon–Sat 09:00–21:00, Sun 12:00–21:00; none on legal holidays"."""
        groups: list[tuple[str, str]] = []
        short = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        for index, hours in enumerate(self.days):
            text = str(hours) if hours else "none"
            if groups and groups[-1][1] == text:
                groups[-1] = (f"{groups[-1][0].split('–')[0]}–{short[index]}", text)
            else:
                groups.append((short[index], text))
        line = groups[0][1] if len(groups) == 1 else ", ".join(f"{days} {text}" for days, text in groups)
        return line + ("; none on legal holidays" if self.holidays_of else "")


def _hours(text: str, where: str) -> Hours | None:
    if text.strip().lower() == "none":
        return None
    try:
        start, end = (part.strip() for part in text.split("-"))
        first, last = time.fromisoformat(start), time.fromisoformat(end)
    except ValueError:
        raise ValueError(f"{where}: hours {text!r} are not \"HH:MM-HH:MM\" or \"none\"") from None
    if first >= last:
        raise ValueError(f"{where}: hours {text!r} end before they start")
    return Hours(first, last)


def _rule(entry: dict[str, Any], place: str, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: not a table of hours")
    weekdays = _hours(str(entry.get("hours", "00:00-23:59")), where)
    saturday = _hours(str(entry["saturday"]), where) if "saturday" in entry else weekdays
    sunday = _hours(str(entry["sunday"]), where) if "sunday" in entry else weekdays
    holidays = entry.get("holidays", "none")
    if holidays not in ("all", "none"):
        raise ValueError(f"{where}: holidays is \"all\" or \"none\", not {holidays!r}")
    cap = entry.get("max_calls_24h")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        raise ValueError(f"{where}: max_calls_24h is a whole number of calls, not {cap!r}")
    exemptions = entry.get("exemptions", [])
    if not isinstance(exemptions, list):
        raise ValueError(f"{where}: exemptions is a list of words")
    return Rule(place, (weekdays,) * 5 + (saturday, sunday), (place,) if holidays == "all" else (), cap,
                (str(entry.get("source", "")),) if entry.get("source") else (), str(entry.get("checked", "")),
                tuple(str(item) for item in exemptions))


def tighten(base: Rule, stricter: Rule) -> Rule:
    """Both rules at once: the later start, the earlier end, the smaller cap, every day off of either."""
    days: list[Hours | None] = []
    for one, two in zip(base.days, stricter.days, strict=True):
        if one is None or two is None:
            days.append(None)
            continue
        start, end = max(one.start, two.start), min(one.end, two.end)
        days.append(Hours(start, end) if start < end else None)
    caps = [cap for cap in (base.max_calls_24h, stricter.max_calls_24h) if cap]
    place = stricter.place if stricter.place != FEDERAL else base.place
    return Rule(place, tuple(days), tuple(dict.fromkeys(base.holidays_of + stricter.holidays_of)), min(caps) if caps else None,
                tuple(dict.fromkeys(base.sources + stricter.sources)), stricter.checked or base.checked,
                tuple(dict.fromkeys(base.exemptions + stricter.exemptions)))


@dataclass(frozen=True, slots=True)
class RuleBook:
    default: Rule
    states: dict[str, Rule]  # each already tightened by the federal rule
    problems: tuple[str, ...] = ()  # what was wrong with the rep's own file (skipped)

    def for_state(self, state: str | None) -> Rule:
        return self.states.get(state, self.default) if state else self.default


def _read_entries(raw: dict[str, Any], where: str) -> tuple[Rule | None, dict[str, Rule]]:
    default = _rule(raw["default"], FEDERAL, f"{where} [default]") if "default" in raw else None
    states = raw.get("states", {})
    if not isinstance(states, dict):
        raise ValueError(f"{where}: [states] is not a table")
    return default, {str(code).upper(): _rule(entry, str(code).upper(), f"{where} [states.{code}]") for code, entry in states.items()}


@lru_cache(maxsize=8)
def _book(user_file: str, stamp: tuple[int, int]) -> RuleBook:
    shipped = tomllib.loads(resources.files("cardbox.data").joinpath("calling_hours.toml").read_text(encoding="utf-8"))
    default, states = _read_entries(shipped, "calling_hours.toml")
    assert default is not None
    problems: list[str] = []
    if user_file:
        try:
            mine = _read_entries(tomllib.loads(Path(user_file).read_text(encoding="utf-8")), user_file)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, KeyError) as err:
            problems.append(f"your calling hours file was skipped: {err}")
        else:
            if mine[0] is not None:
                default = tighten(default, mine[0])
            for code, rule in mine[1].items():
                states[code] = tighten(states[code], rule) if code in states else rule
    return RuleBook(default, {code: tighten(default, rule) for code, rule in states.items()}, tuple(problems))


def user_rules_file() -> Path:
    from cardbox.core.paths import config_dir

    return config_dir() / "calling_hours.toml"


def rule_book(user_file: Path | None = None) -> RuleBook:
    """The shipped rules tightened by the rep's own file (read again whenever that file changes)."""
    path = user_rules_file() if user_file is None else user_file
    try:
        info = path.stat()
    except OSError:
        return _book("", (0, 0))
    if not stat.S_ISREG(info.st_mode) or info.st_size > 1_000_000:
        # A FIFO or a device would block the read (a huge file is no rules file): said, never read.
        shipped = _book("", (0, 0))
        return RuleBook(shipped.default, shipped.states, (f"your calling hours file {path} was skipped: not a rules file "
                                                          "(not a regular file, or over 1 MB)",))
    return _book(str(path), (info.st_mtime_ns, info.st_size))


def rules() -> tuple[Rule, dict[str, Rule]]:
    book = rule_book()
    return book.default, book.states


@lru_cache(maxsize=64)
def state_holidays(state: str, year: int) -> dict[date, str]:
    """A US state's legal holidays in `year` (observed days included), by the `holidays` package."""
    import holidays

    try:
        return dict(holidays.country_holidays("US", subdiv=state, years=year, observed=True).items())
    except NotImplementedError:
        return dict(holidays.country_holidays("US", years=year, observed=True).items())


def rule_for(card: Card, book: RuleBook | None = None) -> Rule:
    return (book or rule_book()).for_state(card_state(card))


@dataclass(frozen=True, slots=True)
class WhenToCall:
    """Whether the card may be called now, and if not, from when (in the rep's clock)."""

    zones: tuple[str, ...]
    local_times: tuple[datetime, ...]  # now in each of the prospect's zones (aware)
    callable_now: bool
    opens: datetime | None  # rep's naive clock; None when callable now or when nothing opens within two weeks
    why_not: str  # "" when callable
    rule: Rule

    def exemptions_note(self) -> str:
        """What the law exempts, said beside a refusal: cardbox never applies an exemption on its own."""
        if self.callable_now or not self.rule.exemptions or self.why_not in (NO_PHONE, UNKNOWN_ZONE, DO_NOT_CALL):
            return ""
        return f"the law exempts {', '.join(self.rule.exemptions)}; cardbox applies none of them — that is yours to judge"


def _instant(now: datetime, rep_zone: str) -> datetime:
    return now.replace(tzinfo=ZoneInfo(rep_zone))


def _inside(instant: datetime, zone: str, rule: Rule) -> bool:
    local = instant.astimezone(ZoneInfo(zone))
    hours = rule.hours_on(local.date())
    return hours is not None and hours.start <= local.time() < hours.end


def _naive_on(instant: datetime, rep_zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(rep_zone)).replace(tzinfo=None)


@lru_cache(maxsize=4096)
def _opening(earliest: datetime, fold: int, rep_zone: str, zones: tuple[str, ...], rule: Rule) -> datetime | None:
    """The first moment from `earliest` (the rep's naive clock) inside the hours in every zone, on the rep's clock.

    The intersection of the zones' hours starts at `earliest` or at one zone's opening on some day: those are the candidates."""
    start = _instant(earliest.replace(fold=fold), rep_zone)
    candidates = {start}
    for zone in zones:
        tz = ZoneInfo(zone)
        local_day = start.astimezone(tz).date()
        for offset in range(LOOK_AHEAD_DAYS):
            day = local_day + timedelta(days=offset)
            hours = rule.hours_on(day)
            if hours is not None:
                candidates.add(datetime.combine(day, hours.start, tzinfo=tz))
    for candidate in sorted(moment for moment in candidates if moment >= start):
        if all(_inside(candidate, zone, rule) for zone in zones):
            return _naive_on(candidate, rep_zone)
    return None


@lru_cache(maxsize=4096)
def _verdict(now: datetime, fold: int, rep_zone: str, zones: tuple[str, ...], rule: Rule) -> tuple[bool, datetime | None, str]:
    """(inside the hours in every zone now, the next opening when not, why not) — for `now` on the rep's wall clock."""
    instant = _instant(now.replace(fold=fold), rep_zone)
    for zone in zones:
        if not _inside(instant, zone, rule):
            local = instant.astimezone(ZoneInfo(zone))
            closed = rule.closed_because(local.date())
            why = closed or f"outside calling hours {rule.hours_on(local.date())} their time"
            return False, _opening(now, fold, rep_zone, zones, rule), f"{why} ({rule.place})"
    return True, None, ""


@lru_cache(maxsize=1024)
def _clocks(now: datetime, fold: int, rep_zone: str, zones: tuple[str, ...]) -> tuple[datetime, ...]:
    """Now on each zone's clock: Today asks it of 1,000s of cards that share a few zones."""
    instant = _instant(now.replace(fold=fold), rep_zone)
    return tuple(instant.astimezone(ZoneInfo(zone)) for zone in zones)


def calls_today(card: Card, now: datetime) -> int:
    """Phone attempts on the card so far on the rep's day of `now`."""
    midnight = datetime.combine(now.date(), time.min)
    return sum(1 for a in card.attempts if a.channel in PHONE_CHANNELS and midnight <= a.at <= now)


def _capped(card: Card, now: datetime, rule: Rule, calls_per_day: int | None) -> tuple[datetime | None, str]:
    """Until when the card may not be called again because of a cap (the rep's naive clock), and why."""
    until: datetime | None = None
    why = ""
    if rule.max_calls_24h:
        recent = sorted(a.at for a in card.attempts if a.channel in HOURS_CHANNELS and now - timedelta(hours=24) < a.at <= now)
        if len(recent) >= rule.max_calls_24h:
            until = recent[-rule.max_calls_24h] + timedelta(hours=24)
            why = f"{rule.max_calls_24h} calls in 24 hours already ({rule.place})"
    if calls_per_day:
        made = calls_today(card, now)
        if made >= calls_per_day:
            tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min)
            if until is None or tomorrow > until:
                until = tomorrow
                why = f"{made} call{'s' if made != 1 else ''} to them today already (your limit is {calls_per_day} a day)"
    return until, why


def when_to_call(card: Card, now: datetime, rep_zone: str, blocked: bool = False, calls_per_day: int | None = None,
                 book: RuleBook | None = None) -> WhenToCall:
    """May `card` be called at `now` (the rep's naive clock)? All its candidate zones must agree.

    `calls_per_day` is the rep's own limit of calls to one prospect in a day
    (the `calls_per_day` setting); a state's cap in 24 hours applies as well."""

    rule = rule_for(card, book)
    zones = tuple(prospect_zones(card))
    local_times = _clocks(now, now.fold, rep_zone, zones)
    if blocked or card.status == "do-not-call":
        return WhenToCall(zones, local_times, False, None, DO_NOT_CALL, rule)
    if not card.phones:
        return WhenToCall(zones, local_times, False, None, NO_PHONE, rule)
    if not zones:
        # Their clock is unknown: no verdict is better than a guess.
        return WhenToCall(zones, local_times, False, None, UNKNOWN_ZONE, rule)
    inside, opens, why = _verdict(now, now.fold, rep_zone, zones, rule)
    until, capped_why = _capped(card, now, rule, calls_per_day)
    if until is None:
        return WhenToCall(zones, local_times, inside, opens, why, rule)
    return WhenToCall(zones, local_times, False, _opening(until, until.fold, rep_zone, zones, rule), capped_why, rule)


def log_check(card: Card, now: datetime, rep_zone: str, channel: str, blocked: bool = False,
              calls_per_day: int | None = None, book: RuleBook | None = None, outcome: str = "") -> WhenToCall | None:
    """The one rule for logging an attempt: on a channel that reaches their phone, the calling hours and caps
    apply (None: nothing to check). The app and the CLI both ask it."""
    if channel not in HOURS_CHANNELS or not card.phones or outcome == "do-not-call":
        # Not a call, no number on the card to have called, or a request not to be called (recording it
        # is never the call the hours forbid): nothing to check.
        return None
    return when_to_call(card, now, rep_zone, blocked, calls_per_day, book)


def confirmed_note(check: WhenToCall) -> str:
    """What the card keeps when a call outside the rules is logged anyway: the app and the CLI write the same."""
    return f"called although not callable ({check.why_not}), confirmed"


def callable_first(cards: list[Card], now: datetime, rep_zone: str, blocked_ids: frozenset[int] = frozenset(),
                   calls_per_day: int | None = None, book: RuleBook | None = None) -> list[Card]:
    """The same cards, the ones that may be called now first (each group keeps its flip order)."""
    book = book or rule_book()
    checks = [when_to_call(card, now, rep_zone, card.id in blocked_ids, calls_per_day, book).callable_now for card in cards]
    return [card for card, ok in zip(cards, checks, strict=True) if ok] + [card for card, ok in zip(cards, checks, strict=True) if not ok]
