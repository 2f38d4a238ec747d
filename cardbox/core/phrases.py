"""Read a prospect's callback phrase ("late January", "next Tuesday at 4") as a DueWindow.

Pure: the caller passes ``now``; nothing here reads the clock, does I/O or
imports Textual. The calendar arithmetic is small enough to do with the stdlib
(month addition clamps the day, as pendulum's does), which keeps the import
cost to a few milliseconds and avoids paying for pendulum on the CLI path.

Pipeline: normalise the text into canonical tokens (``jan``, ``tue``,
``15th``, ``@16:00``, ``~4:00``, ``week`` ...), then try small recognisers,
each returning a window or None; the first match wins. Every window is then
checked (past? more than five years away?) and clipped to start now/today.

Decisions where the issue leaves a choice (now = Sun 2026-11-22 10:00):

* A bare weekday is the next one *after* today ("sunday" said on a Sunday is
  a week later); "this friday" is the next Friday on or after today;
  "next X" is X in next Monday-Sunday week (Duckling).
* A bare hour: 1-7 pm, 8-11 am, 12 noon; "at 16"/"16:00"/"09:00" are 24 h.
  A time with no day that has passed today rolls to tomorrow; with a day
  given ("today at 9") a passed time is an error, never silently moved.
* Parts of day: morning 08-12, afternoon 12-17, evening (night, tonight)
  17-20. "first thing" = morning, "after lunch" = afternoon, noon/midday/
  lunch = 12:00, EOD/end of day/COB = 17:00.
* Thirds: early/start = days 1-10, mid = 11-20, late/end = 21-last. These
  ~10-day windows get grain ``week`` (their span is week-like; ``month``
  would claim the whole month). Weeks: start = Mon-Tue, mid = Wed-Thu,
  end (EOW) = Fri-Sun, grain ``week``. Quarters: early/mid/late and start/
  end pick one month (grain ``month``). Years: early/mid/late are Jan-Apr /
  May-Aug / Sep-Dec (grain ``quarter``), while start/end of the year (EOY) is
  January / December (grain ``month``). Season thirds split the days.
* Ranges, "by X", "before X", "within N weeks" get a grain from their length:
  1 day ``day``, <=16 days ``week``, <=62 ``month``, <=124 ``quarter``, else
  ``year``; timed ranges are ``part-of-day``.
* "after X" is the two weeks after X (after the holidays = after New Year's
  Day = Jan 2-15); "after 3" is 15:00-20:00. "before X"/"by X" run from
  today up to (before / including) X. "the holidays" are Dec 24 - Jan 1.
* "next spring" is the next season that has not begun; "spring" / "this
  spring" is the current one (clipped) or the coming one. "winter 2027" is
  the winter starting in December 2027. "next January" likewise skips a
  January we are in.
* "a couple" = 2, "a few" = 3, "several" = 3 (the label shows the number).
* "Jan 10-15" / "between the 10th and the 15th" resolve as one window, so a
  range that has begun is clipped rather than moved to next month/year.
* Numeric dates are month-first (``day_first`` flips it), but a date that
  only reads one way ("25/1") is read that way; ISO dates are always Y-M-D.
* "asap" means today; "now", "later", "sometime", "soon" give no date.
* Anything more than 5 years after today is rejected as a probable typo
  (e.g. "2032", "in 99999 days"); past windows are rejected, never moved.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cardbox.core.calendar import add_months as _add_months
from cardbox.core.calendar import add_years as _add_years
from cardbox.core.calendar import month_length as _month_len
from cardbox.core.calendar import shift_month as _ym
from cardbox.core.calendar import week_start as _week_start
from cardbox.core.window import DueWindow

__all__ = ["PhraseError", "parse_when"]

MAX_LEN = 200
FAR_YEARS = 5

GENERAL_EXAMPLES = ("late January", "next Tuesday at 4", "in 6 weeks")
TIME_EXAMPLES = ("tomorrow at 4", "Thursday 4:30pm", "16:00")
DATE_EXAMPLES = ("Jan 25", "the 15th", "next Friday")
PAST_EXAMPLES = ("tomorrow", "next week", "in 2 weeks")


class PhraseError(ValueError):
    """A phrase that cannot be a callback date; str() is one line: why, then what works."""

    def __init__(self, reason: str, examples: tuple[str, ...] = GENERAL_EXAMPLES) -> None:
        self.reason = reason
        self.examples = tuple(examples)
        tries = ", ".join(f"'{e}'" for e in self.examples[:-1])
        tries = f"{tries} or '{self.examples[-1]}'" if tries else f"'{self.examples[-1]}'"
        super().__init__(f"{reason} — try {tries}")


def _quote(text: str) -> str:
    # The message must stay on one line whatever the user typed.
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if len(clean) > 40:
        clean = clean[:39] + "…"
    return f"'{clean}'"


# --------------------------------------------------------------------------
# Vocabulary

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_WDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SHORT_WD = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_WD = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT_MON = tuple(m.capitalize() for m in _MONTHS)

_WORDS: dict[str, str] = {}


def _alias(canon: str, *words: str) -> None:
    for w in words:
        _WORDS[w] = canon
    _WORDS[canon] = canon


for _i, _m in enumerate(_MONTHS):
    _alias(_m, _MONTH_NAMES[_i].lower())
_alias("sep", "sept")
_alias("feb", "febr")
_alias("mon", "monday", "mondays")
_alias("tue", "tuesday", "tuesdays", "tues")
_alias("wed", "wednesday", "wednesdays", "weds")
_alias("thu", "thursday", "thursdays", "thur", "thurs", "thr")
_alias("fri", "friday", "fridays")
_alias("sat", "saturday", "saturdays")
_alias("sun", "sunday", "sundays")
_alias("today", "tday", "tdy", "asap")
_alias("tomorrow", "tmrw", "tmr", "tmrow", "tomorow", "tommorow", "tommorrow", "tomoro", "2moro")
_alias("yesterday")
_alias("day", "days")
_alias("week", "weeks", "wk", "wks")
_alias("fortnight", "fortnights")
_alias("month", "months", "mo", "mos", "mth", "mths", "mnth", "mnths")
_alias("year", "years", "yr", "yrs")
_alias("hour", "hours", "hr", "hrs")
_alias("minute", "minutes", "min", "mins")
_alias("quarter", "quarters", "qtr", "qtrs")
_alias("weekend", "weekends", "wkend", "wknd")
_alias("spring", "springtime")
_alias("summer", "summertime")
_alias("autumn", "fall", "autumntime")
_alias("winter", "wintertime")
_alias("morning", "mornings", "morn")
_alias("afternoon", "afternoons", "arvo")
_alias("evening", "evenings", "night", "nite")
_alias("early", "earlier")
_alias("mid", "middle", "midst")
_alias("late", "latter")
_alias("start", "beginning", "begin", "starting")
_alias("end", "ending")
_alias("next", "coming", "upcoming", "following")
_alias("this", "current")
_alias("last", "past", "previous", "prior")
_alias("to", "through", "thru", "till", "til", "until", "untill")
_alias("xmas", "christmas", "x-mas", "chrismas", "christmass")
_alias("thanksgiving")
_alias("halloween")
_alias("easter")
_alias("juneteenth")
_alias("valentines", "valentine")
_alias("newyear", "newyears")
_alias("nye")
_alias("holidays", "holiday", "hols")
_alias("eod", "cob", "eob")
for _w in ("by", "before", "after", "between", "and", "from", "of", "within", "ago", "now", "at",
           "oclock", "halfpast", "quarterpast", "quarterto", "am", "pm", "dat", "bday"):
    _WORDS[_w] = _w
# Months and weekdays both own "mar"/"sat"/"sun": the tables above keep them apart.

_EXPAND = {
    "tonight": ("this", "evening"),
    "tonite": ("this", "evening"),
    "eom": ("end", "of", "month"),
    "eow": ("end", "of", "week"),
    "eoy": ("end", "of", "year"),
    "eoq": ("end", "of", "quarter"),
    "midweek": ("mid", "week"),
    "midmonth": ("mid", "month"),
    "noon": ("@12:00",),
    "midday": ("@12:00",),
    "lunch": ("@12:00",),
    "lunchtime": ("@12:00",),
}

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "couple": 2, "few": 3, "several": 3,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

# Longest phrases first; looked up on the raw lower-case words.
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("day", "after", "tomorrow"): ("dat",),
    ("end", "of", "day"): ("eod",),
    ("end", "of", "business"): ("eod",),
    ("close", "of", "business"): ("eod",),
    ("a", "couple", "of"): ("2",),
    ("couple", "of"): ("2",),
    ("a", "couple"): ("2",),
    ("a", "few"): ("3",),
    ("half", "an", "hour"): ("30", "minute"),
    ("half", "a", "hour"): ("30", "minute"),
    ("half", "hour"): ("30", "minute"),
    ("half", "past"): ("halfpast",),
    ("quarter", "past"): ("quarterpast",),
    ("quarter", "after"): ("quarterpast",),
    ("quarter", "to"): ("quarterto",),
    ("quarter", "of"): ("quarterto",),
    ("new", "year", "eve"): ("nye",),
    ("new", "years", "eve"): ("nye",),
    ("new", "year", "day"): ("newyear",),
    ("new", "years", "day"): ("newyear",),
    ("new", "year"): ("newyear",),
    ("new", "years"): ("newyear",),
    ("christmas", "eve"): ("xmaseve",),
    ("xmas", "eve"): ("xmaseve",),
    ("christmas", "day"): ("xmas",),
    ("independence", "day"): ("july4",),
    ("labor", "day"): ("laborday",),
    ("labour", "day"): ("laborday",),
    ("memorial", "day"): ("memorialday",),
    ("martin", "luther", "king", "day"): ("mlkday",),
    ("mlk", "day"): ("mlkday",),
    ("presidents", "day"): ("presidentsday",),
    ("president", "day"): ("presidentsday",),
    ("columbus", "day"): ("columbusday",),
    ("veterans", "day"): ("veteransday",),
    ("veteran", "day"): ("veteransday",),
    ("valentine", "day"): ("valentines",),
    ("valentines", "day"): ("valentines",),
    ("good", "friday"): ("goodfriday",),
    ("easter", "sunday"): ("easter",),
    ("black", "friday"): ("blackfriday",),
    ("cyber", "monday"): ("cybermonday",),
    ("mother", "day"): ("mothersday",),
    ("mothers", "day"): ("mothersday",),
    ("father", "day"): ("fathersday",),
    ("fathers", "day"): ("fathersday",),
    ("thanksgiving", "day"): ("thanksgiving",),
    ("holiday", "season"): ("holidays",),
    ("business", "day"): ("bday",),
    ("business", "days"): ("bday",),
    ("working", "day"): ("bday",),
    ("working", "days"): ("bday",),
    ("work", "days"): ("bday",),
    ("rest", "of", "this"): ("this",),
    ("rest", "of"): ("this",),
    ("remainder", "of"): ("this",),
    ("this", "coming"): ("this",),
    ("no", "later", "than"): ("by",),
    ("not", "later", "than"): ("by",),
    ("at", "latest"): (),
    ("first", "thing"): ("morning",),
    ("after", "lunch"): ("afternoon",),
    ("lunch", "time"): ("@12:00",),
    ("spring", "time"): ("spring",),
    ("summer", "time"): ("summer",),
    ("winter", "time"): ("winter",),
}
_PHRASE_MAX = max(len(k) for k in _PHRASES)

_FILLERS = frozenset(
    """call calls calling me us him her them back try ring give reach contact phone
    around about approximately approx roughly circa ca sometime sometimes some time
    maybe perhaps probably possibly likely ish please pls plz in on the how lets let say
    like just so well um uh umm er erm hmm ok okay yeah yes sure then again later soon
    sooner i im we you it is be are will would could should shall might can do for if
    that thats there its free available prefer better best good works fine great
    thanks thank hi hello towards toward out up once any anytime whenever kind sort
    or else want wants we'll i'll talk speak chat follow followup check touch base
    circle get go see meet catch reconnect am""".split()
)
_NEGATIONS = frozenset("not dont never no nope cant wont cancel stop remove dnc don't".split())
_UNITS = frozenset(("day", "bday", "week", "fortnight", "month", "year", "hour", "minute"))
_PODS = {"morning": (8, 12), "afternoon": (12, 17), "evening": (17, 20)}
_HOLIDAY_NAMES = {
    "xmas": "Christmas", "xmaseve": "Christmas Eve", "newyear": "New Year's Day",
    "nye": "New Year's Eve", "july4": "4th of July", "thanksgiving": "Thanksgiving",
    "laborday": "Labor Day", "memorialday": "Memorial Day", "mlkday": "MLK Day",
    "presidentsday": "Presidents' Day", "columbusday": "Columbus Day",
    "veteransday": "Veterans Day", "valentines": "Valentine's Day", "halloween": "Halloween",
    "easter": "Easter", "goodfriday": "Good Friday", "blackfriday": "Black Friday",
    "cybermonday": "Cyber Monday", "mothersday": "Mother's Day", "fathersday": "Father's Day",
    "juneteenth": "Juneteenth",
}
for _w in _HOLIDAY_NAMES:
    _WORDS[_w] = _w

# A token is either a vocabulary word or one of these shapes.
_SHAPE = re.compile(r"[0-9]+|[0-9]+th|[@~][0-9]{1,2}:[0-9][0-9]|q[1-4]|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,4}(?:[/.][0-9]{1,4}){1,2}")
_TOKEN = re.compile(
    # ASCII digits only: other scripts' digits end up as unknown tokens, never as numbers.
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,4}(?:[/.][0-9]{1,4}){1,2}|[0-9]{1,3}:[0-9][0-9]"
    r"|q[1-4](?![0-9])|[0-9]+|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|-"
)
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"} | {"’": "'", "‘": "'", "`": "'"})


# --------------------------------------------------------------------------
# Normaliser


def _is_num(tok: str) -> bool:
    return tok.isdigit() and tok.isascii()


def _is_time(tok: str) -> bool:
    return tok[:1] in ("@", "~")


def _fmt_time(h: int, m: int, explicit: bool) -> str:
    if h > 23 or m > 59:
        raise PhraseError(f"'{h}:{m:02d}' is not a time of day", TIME_EXAMPLES)
    return f"{'@' if explicit else '~'}{h}:{m:02d}"


def _tokens(text: str) -> list[str]:
    raw = _TOKEN.findall(text.lower().translate(_DASHES).replace("@", " at "))
    words: list[str] = []
    for tok in raw:
        if tok == "m" and words and words[-1] in ("a", "p"):
            words[-1] += "m"  # "4 p.m."
            continue
        if "'" in tok:
            # Possessives carry nothing ("new year's"), other apostrophes are contractions.
            tok = tok[:-2] if tok.endswith("'s") else tok
            tok = tok.replace("'", "")
        if tok.endswith("ish") and len(tok) > 3 and (tok[:-3] in _WORDS or tok[:-3] in _NUMBERS):
            tok = tok[:-3]  # "lateish", "Januaryish"
        if tok == "ish" and words and words[-1] == "-":
            words.pop()
            continue
        if tok != "the":
            words.append(tok)

    # Multi-word phrases, longest first, on the raw words.
    merged: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_PHRASE_MAX, len(words) - i), 1, -1):
            rep = _PHRASES.get(tuple(words[i : i + n]))
            if rep is not None:
                merged.extend(rep)
                i += n
                break
        else:
            merged.append(words[i])
            i += 1

    if any(tok in _NEGATIONS for tok in merged):
        raise PhraseError(f"{_quote(text)} says no date", GENERAL_EXAMPLES)

    # Single words: aliases, number and ordinal words ("twenty one" -> 21).
    out: list[str] = []
    for tok in merged:
        if tok in _EXPAND:
            out.extend(_EXPAND[tok])
        elif tok in _NUMBERS:
            n = _NUMBERS[tok]
            if out and _is_num(out[-1]) and int(out[-1]) % 10 == 0 and int(out[-1]) >= 20 and n < 10:
                out[-1] = str(int(out[-1]) + n)
            else:
                out.append(str(n))
        elif tok in _ORDINALS:
            n = _ORDINALS[tok]
            if out and _is_num(out[-1]) and int(out[-1]) % 10 == 0 and int(out[-1]) >= 20 and n < 10:
                out[-1] = f"{int(out[-1]) + n}th"
            else:
                out.append(f"{n}th")
        elif tok in ("st", "nd", "rd", "th") and out and _is_num(out[-1]):
            out[-1] += "th"
        else:
            out.append(_WORDS.get(tok, tok))

    # Times of day. "@" = exact 24 h time, "~" = bare hour for the business-hours rule.
    timed: list[str] = []
    for tok in out:
        prev = timed[-1] if timed else ""
        if tok in ("am", "pm") and prev and (_is_num(prev) or _is_time(prev)):
            h, _, m = prev.lstrip("@~").partition(":")
            h, m = int(h), int(m or 0)
            if not 1 <= h <= 12 or m > 59:
                raise PhraseError(f"'{prev}{tok}' is not a time of day", TIME_EXAMPLES)
            timed[-1] = _fmt_time(h % 12 + (12 if tok == "pm" else 0), m, True)
        elif tok == "oclock" and prev and _is_num(prev):
            timed[-1] = _fmt_time(int(prev), 0, int(prev) > 12)
        elif ":" in tok and tok[0].isdigit():
            h, m = (int(x) for x in tok.split(":"))
            timed.append(_fmt_time(h, m, h > 12 or h == 0 or tok.startswith("0")))
        elif _is_num(tok) and prev in ("halfpast", "quarterpast", "quarterto"):
            h = int(tok)
            if not 1 <= h <= 12:
                raise PhraseError(f"'{tok}' is not an hour", TIME_EXAMPLES)
            timed[-1] = {
                "halfpast": f"~{h}:30",
                "quarterpast": f"~{h}:15",
                "quarterto": f"~{(h - 2) % 12 + 1}:45",
            }[prev]
        elif tok == "eod":
            timed.append("@17:00")
        else:
            timed.append(tok)

    # "at 4" is an hour; "at" anywhere else ("at the end of") is filler.
    final: list[str] = []
    for i, tok in enumerate(timed):
        prev = final[-1] if final else ""
        if prev == "at" and _is_num(tok) and len(tok) <= 2:
            h = int(tok)
            final[-1] = _fmt_time(h, 0, h > 12 or h == 0)
            continue
        if prev == "at":
            final.pop()
        if tok in ("a", "an"):
            nxt = timed[i + 1] if i + 1 < len(timed) else ""
            if nxt in _UNITS:
                final.append("1")
            continue
        final.append(tok)
    if final and final[-1] == "at":
        final.pop()

    # A dash joins two date/time ends into a range ("Jan 10-15", "3-4pm"); else it is punctuation.
    ranged: list[str] = []
    for i, tok in enumerate(final):
        if tok == "-":
            left = ranged[-1] if ranged else ""
            right = final[i + 1] if i + 1 < len(final) else ""
            if _rangeable(left) and _rangeable(right):
                ranged.append("to")
            continue
        if tok in _FILLERS:
            continue
        ranged.append(tok)
    return ranged


def _rangeable(tok: str) -> bool:
    return bool(tok) and (
        tok[0].isdigit() or _is_time(tok) or tok in _MONTHS or tok in _WDAYS
    )


# --------------------------------------------------------------------------
# Calendar helpers


# Plain slotted classes rather than dataclasses: building a dataclass costs import time.
class _Span:
    __slots__ = ("start", "end", "grain", "head", "pod")

    def __init__(self, start: date | datetime, end: date | datetime, grain: str, head: str = "", pod: str = "") -> None:
        self.start = start
        self.end = end
        self.grain = grain
        self.head = head  # how the phrase was read, shown before the dates in the label
        self.pod = pod  # part-of-day name, for the label


class _Ctx:
    __slots__ = ("now", "today", "day_first", "phrase")

    def __init__(self, now: datetime, today: date, day_first: bool, phrase: str) -> None:
        self.now = now
        self.today = today
        self.day_first = day_first
        self.phrase = phrase

    def at(self, day: date) -> _Ctx:
        """The same question asked on another day (for the second half of a range)."""
        return _Ctx(datetime(day.year, day.month, day.day), day, self.day_first, self.phrase)


def _mkdate(y: int, m: int, d: int) -> date:
    if not 1 <= m <= 12:
        raise PhraseError(f"there is no month {m}", DATE_EXAMPLES)
    if not 1 <= y <= 9998:
        raise PhraseError(f"{y} is not a year I can use", DATE_EXAMPLES)
    last = _month_len(y, m)
    if not 1 <= d <= last:
        if d == 29 and m == 2:
            raise PhraseError(f"{y} has no 29 February", DATE_EXAMPLES)
        raise PhraseError(f"{_MONTH_NAMES[m - 1]} has no day {d}", DATE_EXAMPLES)
    return date(y, m, d)


def _nth_weekday(y: int, m: int, wd: int, n: int) -> date | None:
    """The n-th (1-5, or -1 for last) weekday `wd` of a month, or None if it has none."""
    if n < 0:
        last = date(y, m, _month_len(y, m))
        return last - timedelta((last.weekday() - wd) % 7)
    first = date(y, m, 1) + timedelta((wd - date(y, m, 1).weekday()) % 7)
    d = first + timedelta(7 * (n - 1))
    return d if d.month == m else None


def _easter(y: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(y, month, day + 1)


def _holiday(key: str, y: int) -> date:
    fixed = {"xmas": (12, 25), "xmaseve": (12, 24), "newyear": (1, 1), "nye": (12, 31),
             "july4": (7, 4), "halloween": (10, 31), "valentines": (2, 14),
             "veteransday": (11, 11), "juneteenth": (6, 19)}
    if key in fixed:
        return date(y, *fixed[key])
    nth = {"thanksgiving": (11, 3, 4), "laborday": (9, 0, 1), "memorialday": (5, 0, -1),
           "mlkday": (1, 0, 3), "presidentsday": (2, 0, 3), "columbusday": (10, 0, 2),
           "mothersday": (5, 6, 2), "fathersday": (6, 6, 3)}
    if key in nth:
        m, wd, n = nth[key]
        return _nth_weekday(y, m, wd, n)  # type: ignore[return-value]
    if key == "blackfriday":
        return _holiday("thanksgiving", y) + timedelta(1)
    if key == "cybermonday":
        return _holiday("thanksgiving", y) + timedelta(4)
    if key == "goodfriday":
        return _easter(y) - timedelta(2)
    return _easter(y)


def _season(key: str, y: int) -> tuple[date, date]:
    """The season that starts in year y (winter runs into y+1)."""
    return {
        "spring": (date(y, 3, 20), date(y, 6, 20)),
        "summer": (date(y, 6, 21), date(y, 9, 21)),
        "autumn": (date(y, 9, 22), date(y, 12, 20)),
        "winter": (date(y, 12, 21), date(y + 1, 3, 19)),
    }[key]


def _season_head(key: str, start: date) -> str:
    if key == "winter":
        return f"winter {start.year}/{(start.year + 1) % 100:02d}"
    return f"{key} {start.year}"


def _span_grain(a: date, b: date) -> str:
    n = (b - a).days + 1
    if n <= 1:
        return "day"
    if n <= 16:
        return "week"
    if n <= 62:
        return "month"
    if n <= 124:
        return "quarter"
    return "year"


def _day(d: date, grain: str = "day", head: str = "") -> _Span:
    return _Span(d, d, grain, head)


def _month_third(y: int, m: int, part: str | None) -> tuple[date, date]:
    if part in ("early", "start"):
        return date(y, m, 1), date(y, m, 10)
    if part == "mid":
        return date(y, m, 11), date(y, m, 20)
    if part in ("late", "end"):
        return date(y, m, 21), date(y, m, _month_len(y, m))
    return date(y, m, 1), date(y, m, _month_len(y, m))


def _part_word(part: str) -> str:
    return {"start": "start of ", "end": "end of "}.get(part, part + " ")


def _year_check(y: str | None) -> int | None:
    return int(y) if y else None


# --------------------------------------------------------------------------
# Date recognisers: each takes a regex match on the canonical token string.

# Patterns are compiled on the first parse, not at import: compiling ~40 regexes is most
# of this module's import cost, and the CLI imports it for commands that never parse.
_RULE_SOURCES: list[tuple[str, object]] = []
_RULES: list[tuple[re.Pattern[str], object]] = []

M = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
W = "(mon|tue|wed|thu|fri|sat|sun)"
S = "(spring|summer|autumn|winter)"
P = "(early|mid|late|start|end)"
H = "(" + "|".join(_HOLIDAY_NAMES) + ")"
Y = r"(?: (\d{4}))?"


def _rule(pattern: str):
    def add(fn):
        _RULE_SOURCES.append((pattern, fn))
        return fn

    return add


def _compiled_rules() -> list[tuple[re.Pattern[str], object]]:
    if not _RULES:
        _RULES.extend((re.compile(p), fn) for p, fn in _RULE_SOURCES)
    return _RULES


@_rule("today")
def _r_today(m, c: _Ctx) -> _Span:
    return _day(c.today)


@_rule("tomorrow")
def _r_tomorrow(m, c: _Ctx) -> _Span:
    return _day(c.today + timedelta(1))


@_rule("dat")
def _r_dat(m, c: _Ctx) -> _Span:
    return _day(c.today + timedelta(2))


@_rule("yesterday")
def _r_yesterday(m, c: _Ctx) -> _Span:
    return _day(c.today - timedelta(1))


@_rule(f"(?:(this|next|last) )?{W}")
def _r_weekday(m, c: _Ctx) -> _Span:
    rel, wd, t = m[1], _WDAYS.index(m[2]), c.today
    ahead = (wd - t.weekday()) % 7
    if rel is None:
        return _day(t + timedelta(ahead or 7))
    if rel == "this":
        return _day(t + timedelta(ahead))
    if rel == "next":
        return _day(_week_start(t) + timedelta(7 + wd))
    return _day(t - timedelta(((t.weekday() - wd) % 7) or 7))


@_rule(f"{W} after next")
def _r_weekday_after_next(m, c: _Ctx) -> _Span:
    return _day(_week_start(c.today) + timedelta(14 + _WDAYS.index(m[1])))


def _weekday_checked(wd: int, d: int, month: int | None, year: int | None, c: _Ctx) -> _Span:
    """"Monday the 7th": the first such day from today whose weekday agrees."""
    t = c.today
    if month is None:
        for k in range(0, 28):
            y, mo = _ym(t, k)
            if d <= _month_len(y, mo) and date(y, mo, d) >= t and date(y, mo, d).weekday() == wd:
                return _day(date(y, mo, d))
    else:
        years = [year] if year else range(t.year, t.year + 12)
        for y in years:
            day = _mkdate(y, month, d)
            if (year or day >= t) and day.weekday() == wd:
                return _day(day)
    raise PhraseError(f"{_quote(c.phrase)}: that date is not a {_FULL_WD[wd]}", DATE_EXAMPLES)


@_rule(rf"{W} (\d{{1,2}})th(?: of)?(?: {M})?{Y}")
def _r_weekday_dom(m, c: _Ctx) -> _Span:
    month = _MONTHS.index(m[3]) + 1 if m[3] else None
    return _weekday_checked(_WDAYS.index(m[1]), int(m[2]), month, _year_check(m[4]), c)


@_rule(rf"{W} {M} (\d{{1,2}})(?:th)?{Y}")
def _r_weekday_month_day(m, c: _Ctx) -> _Span:
    return _weekday_checked(_WDAYS.index(m[1]), int(m[3]), _MONTHS.index(m[2]) + 1, _year_check(m[4]), c)


def _next_dom(d: int, t: date) -> date:
    if not 1 <= d <= 31:
        raise PhraseError(f"no month has a day {d}", DATE_EXAMPLES)
    for k in range(0, 13):
        y, mo = _ym(t, k)
        if d <= _month_len(y, mo) and date(y, mo, d) >= t:
            return date(y, mo, d)
    raise PhraseError(f"no month has a day {d}", DATE_EXAMPLES)  # pragma: no cover


@_rule(r"(\d{1,3})th(?: day)?(?: of(?: (this|next) month| month)?)?")
def _r_dom(m, c: _Ctx) -> _Span:
    d = int(m[1])
    if m[2] == "next":
        y, mo = _ym(c.today, 1)
        return _day(_mkdate(y, mo, d))
    return _day(_next_dom(d, c.today))


@_rule(r"last day(?: of)?(?: (this|next))? month")
def _r_last_dom(m, c: _Ctx) -> _Span:
    y, mo = _ym(c.today, 1 if m[1] == "next" else 0)
    return _day(date(y, mo, _month_len(y, mo)))


@_rule(rf"last day(?: of)? {M}{Y}")
def _r_last_day_of_month(m, c: _Ctx) -> _Span:
    mo = _MONTHS.index(m[1]) + 1
    y = _year_check(m[2]) or (c.today.year if (c.today.month <= mo) else c.today.year + 1)
    return _day(date(y, mo, _month_len(y, mo)))


def _month_day(mo: int, d: int, year: int | None, c: _Ctx) -> _Span:
    if year is not None:
        return _day(_mkdate(year, mo, d))
    _mkdate(2000, mo, d)  # 2000 is a leap year: rejects Feb 30 but keeps Feb 29
    for y in range(c.today.year, c.today.year + 9):
        if d <= _month_len(y, mo) and date(y, mo, d) >= c.today:
            return _day(date(y, mo, d))
    raise PhraseError(f"{_quote(c.phrase)} is not a date I can find", DATE_EXAMPLES)  # pragma: no cover


@_rule(rf"{M} (\d{{1,2}})(?:th)?{Y}")
def _r_month_day(m, c: _Ctx) -> _Span:
    return _month_day(_MONTHS.index(m[1]) + 1, int(m[2]), _year_check(m[3]), c)


@_rule(rf"(\d{{1,2}})(?:th)?(?: of)? {M}{Y}")
def _r_day_month(m, c: _Ctx) -> _Span:
    return _month_day(_MONTHS.index(m[2]) + 1, int(m[1]), _year_check(m[3]), c)


@_rule(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
def _r_iso(m, c: _Ctx) -> _Span:
    return _day(_mkdate(int(m[1]), int(m[2]), int(m[3])))


@_rule(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?")
def _r_numeric(m, c: _Ctx) -> _Span:
    a, b = int(m[1]), int(m[2])
    mo, d = (b, a) if c.day_first else (a, b)
    if mo > 12 and d <= 12:
        mo, d = d, mo  # only one reading is a date ("25/1"): take it
    year = None
    if m[3]:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    return _month_day(mo, d, year, c)


@_rule(rf"(\dth|last) {W}(?: of)?(?:(?: (this|next))? month| {M}{Y})?")
def _r_nth_weekday(m, c: _Ctx) -> _Span:
    n = -1 if m[1] == "last" else int(m[1][0])
    if not (n == -1 or 1 <= n <= 5):
        raise PhraseError(f"a month has no {m[1]} {m[2]}", DATE_EXAMPLES)
    wd, t = _WDAYS.index(m[2]), c.today
    if m[4]:
        mo = _MONTHS.index(m[4]) + 1
        years = [int(m[5])] if m[5] else range(t.year, t.year + 6)
        for y in years:
            d = _nth_weekday(y, mo, wd, n)
            if d and (m[5] or d >= t):
                return _day(d)
        raise PhraseError(f"{_quote(c.phrase)} does not fall in that month", DATE_EXAMPLES)
    if m[3] == "next":
        y, mo = _ym(t, 1)
        d = _nth_weekday(y, mo, wd, n)
        if d is None:
            raise PhraseError(f"next month has no {m[1]} {_SHORT_WD[wd]}", DATE_EXAMPLES)
        return _day(d)
    for k in range(0, 14):
        y, mo = _ym(t, k)
        d = _nth_weekday(y, mo, wd, n)
        if d and d >= t:
            return _day(d)
    raise PhraseError(f"{_quote(c.phrase)} does not fall in a month", DATE_EXAMPLES)  # pragma: no cover


@_rule(rf"{H}{Y}")
def _r_holiday(m, c: _Ctx) -> _Span:
    key, name = m[1], _HOLIDAY_NAMES[m[1]]
    if m[2]:
        return _day(_holiday(key, int(m[2])), head=name)
    for y in range(c.today.year, c.today.year + 2):
        d = _holiday(key, y)
        if d >= c.today:
            return _day(d, head=name)
    raise AssertionError  # pragma: no cover


def _holidays_window(y: int) -> tuple[date, date]:
    return date(y, 12, 24), date(y + 1, 1, 1)


@_rule(r"holidays")
def _r_holidays(m, c: _Ctx) -> _Span:
    for y in (c.today.year - 1, c.today.year):
        a, b = _holidays_window(y)
        if b >= c.today:
            return _Span(a, b, "week", "the holidays")
    raise AssertionError  # pragma: no cover


_UNIT_DAYS = {"day": 1, "bday": 1.4, "week": 7, "fortnight": 14, "month": 31, "year": 366,
              "hour": 1 / 24, "minute": 1 / 1440}
_UNIT_NAMES = {"day": "day", "bday": "business day", "week": "week", "fortnight": "fortnight",
               "month": "month", "year": "year", "hour": "hour", "minute": "minute"}


def _after_units(n: int, unit: str, c: _Ctx) -> date | datetime:
    if n * _UNIT_DAYS[unit] > 366 * (FAR_YEARS + 1):
        # Checked before any arithmetic so "in 99999999 days" cannot overflow.
        raise PhraseError(f"{_quote(c.phrase)} is more than {FAR_YEARS} years away", GENERAL_EXAMPLES)
    t = c.today
    if unit == "day":
        return t + timedelta(n)
    if unit == "bday":
        d, left = t, n
        while left:
            d += timedelta(1)
            left -= d.weekday() < 5
        return d
    if unit in ("week", "fortnight"):
        return t + timedelta(n * (7 if unit == "week" else 14))
    if unit in ("month", "year"):
        return _add_months(t, n * (1 if unit == "month" else 12))
    return c.now + timedelta(hours=n) if unit == "hour" else c.now + timedelta(minutes=n)


def _units_head(n: int, unit: str) -> str:
    name = _UNIT_NAMES[unit]
    if n == 1:
        return f"in {'an' if name == 'hour' else 'a'} {name}"
    return f"in {n} {name}s"


@_rule(r"(?:(\d+) )?(day|bday|week|fortnight|month|year|hour|minute)(?: (from now|from today|ago))?")
def _r_duration(m, c: _Ctx) -> _Span | None:
    if m[1] is None:
        if m[2] != "fortnight":
            return None  # bare "week"/"month" are the calendar units, below
        n = 1
    else:
        n = int(m[1])
    if m[3] == "ago":
        return _day(c.today - timedelta(1))  # any past day: the checker says "in the past"
    at = _after_units(n, m[2], c)
    if isinstance(at, datetime):
        return _Span(at, at, "time", _units_head(n, m[2]))
    return _day(at, head=_units_head(n, m[2]))


@_rule(r"(?:(this|next|last) )?week|week after next")
def _r_week(m, c: _Ctx) -> _Span:
    ws = _week_start(c.today)
    rel = m[1] or ("after" if "after" in m[0] else "this")
    shift = {"this": 0, "next": 7, "after": 14, "last": -7}[rel]
    head = {"this": "this week", "next": "next week", "after": "week after next", "last": "last week"}[rel]
    return _Span(ws + timedelta(shift), ws + timedelta(shift + 6), "week", head)


@_rule(r"(?:(this|next|last) )?weekend")
def _r_weekend(m, c: _Ctx) -> _Span:
    shift = {None: 0, "this": 0, "next": 7, "last": -7}[m[1]]
    sat = _week_start(c.today) + timedelta(5 + shift)
    return _Span(sat, sat + timedelta(1), "week", "next weekend" if m[1] == "next" else "weekend")


@_rule(rf"{P}(?: of)?(?: (this|next))? week")
def _r_week_part(m, c: _Ctx) -> _Span:
    lo, hi = {"early": (0, 1), "start": (0, 1), "mid": (2, 3), "late": (4, 6), "end": (4, 6)}[m[1]]
    ws = _week_start(c.today) + timedelta(7 if m[2] == "next" else 0)
    if m[2] is None and ws + timedelta(hi) < c.today:
        ws += timedelta(7)  # "start of the week" said on a Thursday: the coming one
    head = f"{_part_word(m[1])}{'next ' if m[2] == 'next' else ''}week".replace("mid week", "midweek")
    return _Span(ws + timedelta(lo), ws + timedelta(hi), "week", head)


def _resolve_day(tokens: list[str], c: _Ctx) -> date:
    sp = _single(tokens, c)
    if sp is None or isinstance(sp.start, datetime) or sp.start != sp.end:
        raise PhraseError(f"{_quote(' '.join(tokens))} is not a single day", DATE_EXAMPLES)
    return sp.start


@_rule(r"week of (.+)")
def _r_week_of(m, c: _Ctx) -> _Span:
    d = _resolve_day(m[1].split(), c)
    ws = _week_start(d)
    return _Span(ws, ws + timedelta(6), "week", f"week of {d.day} {_SHORT_MON[d.month - 1]}")


@_rule(rf"(\dth|last) week(?: of)?(?: {M}{Y}|(?: (this|next))? month)")
def _r_nth_week(m, c: _Ctx) -> _Span:
    def window(y: int, mo: int) -> tuple[date, date]:
        if m[1] == "last":
            last = _month_len(y, mo)
            return date(y, mo, last - 6), date(y, mo, last)
        k = int(m[1][0])
        if not 1 <= k <= 4:
            raise PhraseError(f"{_quote(c.phrase)}: use first to fourth or last week", DATE_EXAMPLES)
        return date(y, mo, 7 * k - 6), date(y, mo, 7 * k)

    if m[2]:
        mo = _MONTHS.index(m[2]) + 1
        cands = [(int(m[3]), mo)] if m[3] else [(c.today.year, mo), (c.today.year + 1, mo)]
    else:
        cands = [_ym(c.today, 1)] if m[4] == "next" else [_ym(c.today, 0), _ym(c.today, 1)]
    for y, mo in cands:
        a, b = window(y, mo)
        if b >= c.today or len(cands) == 1:
            return _Span(a, b, "week")
    raise AssertionError  # pragma: no cover


def _month_span(y: int, mo: int, part: str | None) -> _Span:
    a, b = _month_third(y, mo, part)
    head = f"{_part_word(part) if part else ''}{_SHORT_MON[mo - 1]} {y}"
    return _Span(a, b, "week" if part else "month", head)


@_rule(rf"(?:(this|next|last) )?{M}{Y}")
def _r_month(m, c: _Ctx) -> _Span:
    return _named_month(m[1], None, _MONTHS.index(m[2]) + 1, _year_check(m[3]), c)


@_rule(rf"{P}(?: of)?(?: (this|next))? {M}{Y}")
def _r_month_part(m, c: _Ctx) -> _Span:
    return _named_month(m[2], m[1], _MONTHS.index(m[3]) + 1, _year_check(m[4]), c)


def _named_month(rel: str | None, part: str | None, mo: int, year: int | None, c: _Ctx) -> _Span:
    if year is not None:
        return _month_span(year, mo, part)
    t = c.today
    for y in range(t.year - 1, t.year + 2):
        sp = _month_span(y, mo, part)
        if rel == "last":
            if sp.end < t and _month_span(y + 1, mo, part).end >= t:
                return sp
        elif rel == "next":
            if sp.start > t:
                return sp
        elif sp.end >= t:
            return sp
    raise AssertionError  # pragma: no cover


@_rule(r"(?:(this|next|last) )?month|month after next")
def _r_rel_month(m, c: _Ctx) -> _Span:
    rel = m[1] or ("after" if "after" in m[0] else "this")
    y, mo = _ym(c.today, {"this": 0, "next": 1, "after": 2, "last": -1}[rel])
    return _month_span(y, mo, None)


@_rule(rf"{P}(?: of)?(?: (this|next|last))? month")
def _r_rel_month_part(m, c: _Ctx) -> _Span:
    shift = {None: 0, "this": 0, "next": 1, "last": -1}[m[2]]
    y, mo = _ym(c.today, shift)
    sp = _month_span(y, mo, m[1])
    if m[2] is None and sp.end < c.today:
        sp = _month_span(*_ym(c.today, 1), m[1])  # "beginning of the month" on the 22nd
    return sp


def _quarter_span(y: int, q: int, part: str | None) -> _Span:
    if part is None:
        a = date(y, 3 * q - 2, 1)
        b = date(y, 3 * q, _month_len(y, 3 * q))
        return _Span(a, b, "quarter", f"Q{q} {y}")
    mo = 3 * q - 2 + {"early": 0, "start": 0, "mid": 1, "late": 2, "end": 2}[part]
    return _Span(date(y, mo, 1), date(y, mo, _month_len(y, mo)), "month", f"{_part_word(part)}Q{q} {y}")


def _this_quarter(t: date) -> tuple[int, int]:
    return t.year, (t.month - 1) // 3 + 1


def _shift_quarter(y: int, q: int, n: int) -> tuple[int, int]:
    k = y * 4 + q - 1 + n
    return k // 4, k % 4 + 1


@_rule(r"(?:(this|next|last) )?quarter")
def _r_rel_quarter(m, c: _Ctx) -> _Span:
    y, q = _shift_quarter(*_this_quarter(c.today), {None: 0, "this": 0, "next": 1, "last": -1}[m[1]])
    return _quarter_span(y, q, None)


@_rule(rf"(?:{P}(?: of)? )?(?:q([1-4])|([1-4])th quarter(?: of)?){Y}")
def _r_quarter(m, c: _Ctx) -> _Span:
    q = int(m[2] or m[3])
    if m[4]:
        return _quarter_span(int(m[4]), q, m[1])
    for y in (c.today.year, c.today.year + 1):
        sp = _quarter_span(y, q, m[1])
        if sp.end >= c.today:
            return sp
    raise AssertionError  # pragma: no cover


@_rule(rf"{P}(?: of)?(?: (this|next))? quarter")
def _r_rel_quarter_part(m, c: _Ctx) -> _Span:
    y, q = _shift_quarter(*_this_quarter(c.today), 1 if m[2] == "next" else 0)
    sp = _quarter_span(y, q, m[1])
    if m[2] is None and sp.end < c.today:
        sp = _quarter_span(*_shift_quarter(y, q, 1), m[1])
    return sp


def _season_span(key: str, y: int, part: str | None) -> _Span:
    a, b = _season(key, y)
    head = _season_head(key, a)
    if part is None:
        return _Span(a, b, "season", head)
    third = ((b - a).days + 1) // 3
    k = {"early": 0, "start": 0, "mid": 1, "late": 2, "end": 2}[part]
    lo = a + timedelta(third * k)
    hi = b if k == 2 else lo + timedelta(third - 1)
    return _Span(lo, hi, "month", f"{_part_word(part)}{head}")


@_rule(rf"(?:(this|next|last) )?(?:{P}(?: of)? )?{S}{Y}")
def _r_season(m, c: _Ctx) -> _Span:
    rel, part, key = m[1], m[2], m[3]
    if m[4]:
        return _season_span(key, int(m[4]), part)
    t = c.today
    cands = [_season_span(key, y, part) for y in range(t.year - 2, t.year + 2)]
    if rel == "last":
        return [sp for sp in cands if sp.end < t][-1]
    for sp in cands:
        if (sp.start > t) if rel == "next" else (sp.end >= t):
            return sp
    raise AssertionError  # pragma: no cover


@_rule(rf"{P}(?: of)?(?: (this|next))? {S}{Y}")
def _r_season_part(m, c: _Ctx) -> _Span:
    return _r_season(re.fullmatch(rf"(?:(this|next|last) )?(?:{P} )?{S}{Y}",
                                  " ".join(x for x in (m[2], m[1], m[3], m[4]) if x)), c)


def _year_span(y: int, part: str | None) -> _Span:
    if part is None:
        return _Span(date(y, 1, 1), date(y, 12, 31), "year", str(y))
    if part in ("start", "end"):
        mo = 1 if part == "start" else 12
        return _Span(date(y, mo, 1), date(y, mo, 31), "month", f"{_part_word(part)}{y}")
    lo = {"early": 1, "mid": 5, "late": 9}[part]
    return _Span(date(y, lo, 1), date(y, lo + 3, _month_len(y, lo + 3)), "quarter", f"{part} {y}")


@_rule(r"(?:(this|next|last) )?year|year after next")
def _r_rel_year(m, c: _Ctx) -> _Span:
    rel = m[1] or ("after" if "after" in m[0] else "this")
    return _year_span(c.today.year + {"this": 0, "next": 1, "after": 2, "last": -1}[rel], None)


@_rule(r"(\d{4})")
def _r_year(m, c: _Ctx) -> _Span:
    return _year_span(int(m[1]), None)


@_rule(rf"{P}(?: of)? (?:(this|next) year|(\d{{4}}))|{P}(?: of)? year")
def _r_year_part(m, c: _Ctx) -> _Span:
    part = m[1] or m[4]
    if m[3]:
        return _year_span(int(m[3]), part)
    y = c.today.year + (1 if m[2] == "next" else 0)
    sp = _year_span(y, part)
    if m[2] is None and sp.end < c.today:
        sp = _year_span(y + 1, part)
    return sp


# --------------------------------------------------------------------------
# Times of day


_REL_DAY = rf"today|tomorrow|dat|(?:(?:this|next) )?{W}"


def _hour(tok: str, pod: str | None) -> tuple[int, int]:
    h, m = (int(x) for x in tok[1:].split(":"))
    if tok[0] == "~":
        if pod in ("afternoon", "evening") and h < 12:
            h += 12
        elif pod == "morning":
            h %= 12
        elif pod is None and 1 <= h <= 7:
            h += 12  # business hours: nobody asks for a 4 a.m. callback
    return h, m


def _at(d: date, hm: tuple[int, int]) -> datetime:
    return datetime(d.year, d.month, d.day, hm[0], hm[1])


def _timed(tokens: list[str], c: _Ctx) -> _Span | None:
    # "tomorrow 4" / "4 tomorrow": a bare hour next to a day word is a time ("Jan 4" is not).
    if len(tokens) >= 2 and _is_num(tokens[-1]) and int(tokens[-1]) <= 12 and re.fullmatch(_REL_DAY, " ".join(tokens[:-1])):
        tokens = tokens[:-1] + [f"~{int(tokens[-1])}:00"]
    elif len(tokens) >= 2 and _is_num(tokens[0]) and int(tokens[0]) <= 12 and re.fullmatch(_REL_DAY, " ".join(tokens[1:])):
        tokens = [f"~{int(tokens[0])}:00"] + tokens[1:]
    pods = [i for i, t in enumerate(tokens) if t in _PODS]
    if (
        len(pods) == 1
        and pods[0]
        and _is_num(tokens[pods[0] - 1])
        and int(tokens[pods[0] - 1]) <= 12
        and (pods[0] < 2 or tokens[pods[0] - 2] not in _MONTHS)  # "Dec 3 morning" is a day
    ):
        p = pods[0]  # "4 in the afternoon"
        tokens = tokens[: p - 1] + [f"~{int(tokens[p - 1])}:00"] + tokens[p:]
    times = [i for i, t in enumerate(tokens) if _is_time(t)]
    if not times and not pods:
        return None
    if len(times) > 1 or len(pods) > 1:
        raise PhraseError(f"{_quote(c.phrase)} has more than one time in it", TIME_EXAMPLES)
    pod = tokens[pods[0]] if pods else None
    if times:
        i = times[0]
        if pods and pods[0] != i + 1:
            raise PhraseError(f"{_quote(c.phrase)} mixes a time and a part of the day", TIME_EXAMPLES)
        j = i + (2 if pods else 1)
        if i and j < len(tokens):
            raise PhraseError(f"can't read {_quote(c.phrase)} around the time", TIME_EXAMPLES)
        day_toks = tokens[:i] + tokens[j:]
    else:
        i = pods[0]
        if i and i + 1 < len(tokens):
            raise PhraseError(f"can't read {_quote(c.phrase)} around '{pod}'", TIME_EXAMPLES)
        day_toks = tokens[:i] + tokens[i + 1 :]
    day: date | None = None
    if day_toks == ["this"]:
        day = c.today
    elif day_toks:
        day = _resolve_day(day_toks, c)

    if times:
        hm = _hour(tokens[times[0]], pod)
        d = day or c.today
        at = _at(d, hm)
        if day is None and at < c.now:
            at = _at(d + timedelta(1), hm)  # "at 9" said at 10:00 means tomorrow
        return _Span(at, at, "time")
    lo, hi = _PODS[pod]
    d = day or c.today
    if day is None and _at(d, (hi, 0)) <= c.now:
        d += timedelta(1)
    return _Span(_at(d, (lo, 0)), _at(d, (hi, 0)), "part-of-day", pod=pod)


def _time_range(left: list[str], right: list[str], c: _Ctx) -> _Span | None:
    a, b = left[-1], right[0]
    if not (_is_time(a) or _is_num(a)) or not (_is_time(b) or _is_num(b)):
        return None
    day_toks = left[:-1] + right[1:]
    if left[:-1] and right[1:]:
        return None
    if not (_is_time(a) or _is_time(b)):
        if int(a) > 12 or int(b) > 12 or any(
            t in _MONTHS or t[0].isdigit() for t in day_toks
        ):
            return None  # "Jan 10-12", "between 10 and 15": days, not hours
    pod = None
    if day_toks and day_toks[-1] in _PODS:
        pod = day_toks.pop()
    ta = a if _is_time(a) else f"~{int(a)}:00"
    tb = b if _is_time(b) else f"~{int(b)}:00"
    for tok in (ta, tb):
        h = int(tok[1:].split(":")[0])
        if h > 23:
            raise PhraseError(f"'{h}' is not an hour", TIME_EXAMPLES)
    end = _hour(tb, pod)
    if ta[0] == "~" and tb[0] == "@" and pod is None:
        # "3-4pm", "9-11am": the first hour takes the second's half of the day.
        h, mi = (int(x) for x in ta[1:].split(":"))
        options = [(x, mi) for x in (h % 12, h % 12 + 12) if (x, mi) < end]
        if not options:
            raise PhraseError(f"{_quote(c.phrase)} ends before it starts", TIME_EXAMPLES)
        start = options[-1]
    else:
        start = _hour(ta, pod)
    if start >= end:
        raise PhraseError(f"{_quote(c.phrase)} ends before it starts", TIME_EXAMPLES)
    day = _resolve_day(day_toks, c) if day_toks else None
    d = day or c.today
    if day is None and _at(d, end) < c.now:
        d += timedelta(1)
    return _Span(_at(d, start), _at(d, end), "part-of-day")


# --------------------------------------------------------------------------
# Combinators: ranges, before / after / by / within


def _single(tokens: list[str], c: _Ctx) -> _Span | None:
    if not tokens:
        return None
    sp = _timed(tokens, c)
    if sp is not None:
        return sp
    s = " ".join(tokens)
    for rx, fn in _compiled_rules():
        m = rx.fullmatch(s)
        if m:
            sp = fn(m, c)  # type: ignore[operator]
            if sp is not None:
                return sp
    return None


def _need(tokens: list[str], c: _Ctx) -> _Span:
    sp = _single(tokens, c)
    if sp is None:
        raise _unreadable(tokens, c)
    return sp


def _ordinal(n: str) -> str:
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _unreadable(tokens: list[str], c: _Ctx) -> PhraseError:
    if len(tokens) == 1 and _is_num(tokens[0]):
        n = tokens[0][:6]
        if int(n) <= 12:
            tries: tuple[str, ...] = (f"at {n}", f"the {_ordinal(n)}", f"in {n} days")
        elif int(n) <= 31:
            tries = (f"the {_ordinal(n)}", f"Jan {int(n)}", f"in {n} days")
        else:
            tries = (f"in {n} days", "next week", "in 6 weeks")
        return PhraseError(f"{_quote(c.phrase)} is just a number", tries)
    return PhraseError(f"can't read {_quote(c.phrase)} as a date", GENERAL_EXAMPLES)


_DAY_RANGE = (  # compiled lazily through re's cache, like the rules
    rf"{M} (\d{{1,2}})(?:th)? to (\d{{1,2}})(?:th)?{Y}",
    rf"(\d{{1,2}})(?:th)? to (\d{{1,2}})(?:th)?(?: of)? {M}{Y}",
    r"(\d{1,2})(?:th)? to (\d{1,2})(?:th)?(?: of(?: (this|next))? month)?",
)


def _day_range(s: str, c: _Ctx) -> _Span | None:
    """"Jan 10-15", "between the 10th and the 15th": one window, rolled forward as a whole."""
    for k, rx in enumerate(_DAY_RANGE):
        m = re.fullmatch(rx, s)
        if not m:
            continue
        if k == 0:
            mo, d1, d2, year, rel = _MONTHS.index(m[1]) + 1, int(m[2]), int(m[3]), m[4], None
        elif k == 1:
            mo, d1, d2, year, rel = _MONTHS.index(m[3]) + 1, int(m[1]), int(m[2]), m[4], None
        else:
            mo, d1, d2, year, rel = None, int(m[1]), int(m[2]), None, m[3]
        if d1 < 1 or d2 > 31:
            raise PhraseError(f"no month has days {d1} to {d2}", DATE_EXAMPLES)
        if d2 < d1:
            raise PhraseError(f"{_quote(c.phrase)} ends before it starts", DATE_EXAMPLES)
        t = c.today
        if mo is not None:
            cands = [(int(year), mo)] if year else [(t.year, mo), (t.year + 1, mo)]
        elif rel == "next":
            cands = [_ym(t, 1)]
        else:
            cands = [_ym(t, i) for i in range(0, 13)]
        for y, mo_ in cands:
            if d2 > _month_len(y, mo_):
                if mo is not None or len(cands) == 1:
                    _mkdate(y, mo_, d2)  # "Feb 10-30": say which day does not exist
                continue
            a, b = date(y, mo_, d1), date(y, mo_, d2)
            if b >= t or len(cands) == 1:
                return _Span(a, b, _span_grain(a, b))
        raise PhraseError(f"no month has days {d1} to {d2}", DATE_EXAMPLES)
    return None


def _range(left: list[str], right: list[str], c: _Ctx) -> _Span:
    if not left or not right:
        raise PhraseError(f"{_quote(c.phrase)} needs a start and an end", ("Jan 10-15", "3-4pm tomorrow", "Monday to Wednesday"))
    sp = _time_range(left, right, c) or _day_range(" ".join(left + ["to"] + right), c)
    if sp is not None:
        return sp
    x = _need(left, c)
    y = _need(right, c)
    if isinstance(x.start, datetime) != isinstance(y.start, datetime):
        raise PhraseError(f"{_quote(c.phrase)} mixes a day and a time", ("Monday to Wednesday", "3-4pm tomorrow"))
    if y.end < x.start and not isinstance(x.start, datetime):
        y = _need(right, c.at(x.start))  # "friday to monday": the Monday after that Friday
    if y.end < x.start:
        raise PhraseError(f"{_quote(c.phrase)} ends before it starts", ("Monday to Wednesday", "Jan 10-15"))
    if isinstance(x.start, datetime):
        return _Span(x.start, y.end, "part-of-day")
    return _Span(x.start, y.end, _span_grain(x.start, y.end))


def _short(sp: _Span) -> str:
    if sp.head:
        return sp.head
    d = sp.start if not isinstance(sp.start, datetime) else sp.start.date()
    return f"{_SHORT_WD[d.weekday()]} {d.day} {_SHORT_MON[d.month - 1]}"


def _after(rest: list[str], c: _Ctx) -> _Span:
    if len(rest) == 1 and _is_num(rest[0]) and int(rest[0]) <= 23:
        rest = [f"~{int(rest[0])}:00" if int(rest[0]) <= 12 else f"@{int(rest[0])}:00"]
    if len(rest) <= 2 and rest[0] in _HOLIDAY_NAMES or rest == ["holidays"]:
        # Look back two weeks so "after Christmas" said on 28 Dec is this one, clipped.
        sp = _need(rest, c.at(c.today - timedelta(14)))
    else:
        sp = _need(rest, c)
    if isinstance(sp.start, datetime):
        start = sp.end
        if len(rest) == 1 and _is_time(rest[0]):
            # "after 3" said at 16:00 is still today: it is after 3 now.
            start = _at(c.today, _hour(rest[0], None))
        eve = max(start, start.replace(hour=20, minute=0))
        if eve < c.now:  # "after 3" said at 21:00
            start, eve = start + timedelta(1), eve + timedelta(1)
        return _Span(start, eve, "part-of-day" if eve > start else "time")
    a, b = sp.end + timedelta(1), sp.end + timedelta(14)
    return _Span(a, b, "week", f"after {_short(sp)}")


def _before(rest: list[str], by: bool, c: _Ctx) -> _Span:
    if len(rest) == 1 and _is_num(rest[0]) and int(rest[0]) <= 23:
        rest = [f"~{int(rest[0])}:00" if int(rest[0]) <= 12 else f"@{int(rest[0])}:00"]
    sp = _need(rest, c)
    word = "by" if by else "before"
    if isinstance(sp.start, datetime):
        end = sp.end if by else sp.start
        start = max(c.now, end.replace(hour=8, minute=0)) if end.date() == c.today else end.replace(hour=8, minute=0)
        if start > end:
            start = end
        return _Span(start, end, "part-of-day" if end > start else "time")
    end = sp.end if by else sp.start - timedelta(1)
    if end < c.today:
        raise PhraseError(f"{_quote(c.phrase)} leaves no days before it", PAST_EXAMPLES)
    return _Span(c.today, end, _span_grain(c.today, end), f"{word} {sp.head}" if sp.head else "")


def _within(rest: list[str], c: _Ctx) -> _Span:
    m = re.fullmatch(r"(\d+) (day|bday|week|fortnight|month|year|hour|minute)", " ".join(rest))
    if not m:
        raise PhraseError(f"{_quote(c.phrase)}: 'within' needs an amount of time", ("within 2 weeks", "within a month", "in 6 weeks"))
    n = int(m[1])
    end = _after_units(n, m[2], c)
    head = _units_head(n, m[2]).replace("in ", "within ", 1)
    if isinstance(end, datetime):
        return _Span(c.now, end, "part-of-day", head)
    return _Span(c.today, end, _span_grain(c.today, end), head)


_HEAD_EXAMPLES = {
    "after": ("after Christmas", "after the 15th", "after 3"),
    "before": ("before Christmas", "before Friday", "before 3"),
    "by": ("by Friday", "by the 15th", "by 5pm"),
    "within": ("within 2 weeks", "within a month", "in 6 weeks"),
}


def _resolve(tokens: list[str], c: _Ctx) -> _Span:
    # "between X and Y" and "from X to Y" are the same range as "X to Y".
    if "between" in tokens:
        i = tokens.index("between")
        if "and" not in tokens[i:]:
            raise PhraseError(f"{_quote(c.phrase)} needs 'between … and …'", ("between the 10th and the 15th", "between 3 and 4"))
        j = tokens.index("and", i)
        tokens = tokens[:i] + tokens[i + 1 : j] + ["to"] + tokens[j + 1 :]
    if tokens and tokens[0] == "from" and "to" in tokens:
        tokens = tokens[1:]
    if tokens and tokens[0] == "to":
        tokens = ["by"] + tokens[1:]  # "until Friday"
    if tokens.count("to") == 1 and tokens[0] not in ("by", "before", "after", "within"):
        i = tokens.index("to")
        return _range(tokens[:i], tokens[i + 1 :], c)
    if tokens and tokens[0] == "from":
        tokens = tokens[1:]
    if not tokens:
        raise PhraseError(f"{_quote(c.phrase)} has no date in it", GENERAL_EXAMPLES)
    head, rest = tokens[0], tokens[1:]
    if head in ("after", "before", "by", "within"):
        if not rest:
            raise PhraseError(f"{_quote(c.phrase)} needs a date after '{head}'", _HEAD_EXAMPLES[head])
        if head == "after":
            return _after(rest, c)
        if head == "within":
            return _within(rest, c)
        return _before(rest, head == "by", c)
    return _need(tokens, c)


# --------------------------------------------------------------------------
# Checking and labelling


def _dmy(d: date, year: bool = True) -> str:
    s = f"{_SHORT_WD[d.weekday()]} {d.day} {_SHORT_MON[d.month - 1]}"
    return f"{s} {d.year}" if year else s


def _date_range(a: date, b: date, year: bool) -> str:
    if a == b:
        return _dmy(a, year)
    if a.year != b.year:
        return f"{_dmy(a, year)} – {_dmy(b, year)}"
    if a.month == b.month:
        return f"{_SHORT_WD[a.weekday()]} {a.day} – {_dmy(b, year)}"
    return f"{_dmy(a, False)} – {_dmy(b, year)}"


def _label(sp: _Span, start: date | datetime, now: datetime) -> str:
    end = sp.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        d = start.date()
        if sp.pod:
            return f"{_dmy(d, d.year != now.year)} {sp.pod} ({start:%H:%M}–{end:%H:%M})"
        if start == end:
            body = f"{_dmy(d)} {start:%H:%M}"
        elif end.date() == d:
            body = f"{_dmy(d)} {start:%H:%M}–{end:%H:%M}"
        else:
            body = f"{_dmy(d, False)} {start:%H:%M} – {_dmy(end.date())} {end:%H:%M}"
        return f"{sp.head} ({body})" if sp.head else body
    assert isinstance(start, date) and not isinstance(end, datetime)
    if not sp.head:
        return _date_range(start, end, True)
    head_has_year = bool(re.search(r"\d{4}", sp.head))
    return f"{sp.head} ({_date_range(start, end, not head_has_year)})"


def _finish(sp: _Span, c: _Ctx) -> DueWindow:
    if isinstance(sp.start, datetime):
        if sp.end < c.now:
            raise PhraseError(f"{_quote(c.phrase)} is in the past ({_dmy(sp.end.date())} {sp.end:%H:%M})", PAST_EXAMPLES)
        start: date | datetime = max(sp.start, c.now)
        first = start.date()  # type: ignore[union-attr]
    else:
        if sp.end < c.today:
            raise PhraseError(f"{_quote(c.phrase)} is in the past ({_date_range(sp.start, sp.end, True)})", PAST_EXAMPLES)
        start = max(sp.start, c.today)
        first = start
    if first > _add_years(c.today, FAR_YEARS):
        raise PhraseError(
            f"{_quote(c.phrase)} is more than {FAR_YEARS} years away ({_dmy(first)}), probably a typo",
            GENERAL_EXAMPLES,
        )
    return DueWindow(start=start, end=sp.end, grain=sp.grain, phrase=c.phrase, label=_label(sp, start, c.now))


def _check_years(tokens: list[str], c: _Ctx) -> None:
    """Reject a written year beyond the five-year horizon before any arithmetic runs on it.

    Doing it here, once, keeps year 9999 from overflowing in every recogniser.
    """
    for i, tok in enumerate(tokens):
        year = None
        if re.fullmatch(r"[0-9]{4}", tok) and (i + 1 == len(tokens) or tokens[i + 1] not in _UNITS):
            year = int(tok)
        elif "-" in tok or tok.count("/") == 2 or tok.count(".") == 2:
            parts = re.split(r"[-/.]", tok)
            y = parts[0] if len(parts[0]) == 4 else parts[-1]
            year = int(y) + (2000 if len(y) == 2 else 0)
        if year is not None and year < 1:
            raise PhraseError(f"{_quote(c.phrase)}: {tok} is not a year I can use", DATE_EXAMPLES)
        if year is not None and year > c.today.year + FAR_YEARS:
            raise PhraseError(f"{_quote(c.phrase)}: {year} is more than {FAR_YEARS} years away, probably a typo", DATE_EXAMPLES)


def _naive(now: datetime | date) -> datetime:
    # A pendulum DateTime is a datetime subclass; rebuild it as plain naive local time.
    if isinstance(now, datetime):
        return datetime(now.year, now.month, now.day, now.hour, now.minute)
    if isinstance(now, date):
        return datetime(now.year, now.month, now.day)
    raise TypeError(f"now must be a datetime, not {type(now).__name__}")


def parse_when(phrase: str, now: datetime, *, day_first: bool = False) -> DueWindow:
    """Read a callback phrase said at `now` (naive local time) as a DueWindow.

    Raises PhraseError for anything that is not a future date: unreadable text,
    no date ("sometime"), a past date or one more than five years ahead.
    """
    if not isinstance(phrase, str):
        raise PhraseError("the phrase must be text", GENERAL_EXAMPLES)
    text = phrase.strip()
    if len(text) > MAX_LEN:
        raise PhraseError(f"the phrase is too long ({len(text)} characters, at most {MAX_LEN})", GENERAL_EXAMPLES)
    if not text:
        raise PhraseError("an empty phrase has no date in it", GENERAL_EXAMPLES)
    c = _Ctx(_naive(now), _naive(now).date(), day_first, text)
    tokens = _tokens(text)
    if not tokens:
        raise PhraseError(f"{_quote(text)} has no date in it", GENERAL_EXAMPLES)
    for tok in tokens:
        if tok not in _WORDS and not _SHAPE.fullmatch(tok):
            raise PhraseError(f"can't read {_quote(text)}: {_quote(tok)} is not a date word", GENERAL_EXAMPLES)
    _check_years(tokens, c)
    if tokens == ["now"]:
        raise PhraseError(f"{_quote(text)} is not a callback date", ("today at 4", "tomorrow morning", "in 2 hours"))
    try:
        sp = _resolve(tokens, c)
    except PhraseError as err:
        if _quote(text) in err.reason:
            raise
        # Deep helpers know what is wrong ("February has no day 30") but not what was said.
        raise PhraseError(f"{_quote(text)}: {err.reason}", err.examples) from None
    except (ValueError, OverflowError, IndexError, KeyError, TypeError, AssertionError) as exc:
        # A calendar corner a recogniser did not foresee must still read as a phrase problem.
        raise PhraseError(f"{_quote(text)} is not a date I can use", GENERAL_EXAMPLES) from exc
    return _finish(sp, c)
