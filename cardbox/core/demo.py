"""Realistic boxes for the demo and the benchmarks.

The cards read like a working rep's box: windows as prospects say them,
specific reasons (and some vague ones), notes, and histories of 2–9
attempts with cool-downs and re-filings. Everything is drawn from a seeded
random generator, so the same `now` and seed give the same box.
"""

from __future__ import annotations

import os
import random
import stat
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from cardbox.core.box_codec import SCHEMA_VERSION
from cardbox.core.box_errors import BoxError
from cardbox.core.card import Attempt, Card
from cardbox.core.documents import stored
from cardbox.core.files import PRIVATE_FILE, make_private_dirs, write_atomically
from cardbox.core.refile import plan_refile
from cardbox.core.stamps import stamp
from cardbox.core.storage import SafeStorage
from cardbox.core.window import DueWindow
from cardbox.core.zones import phone_facts, rep_zone

FIRST = ["Dana", "Marcus", "Priya", "Tom", "Alicia", "Greg", "Hannah", "Luis", "Megan", "Raj", "Carol", "Derek", "Fatima", "Owen", "Beth", "Jamal", "Nina", "Victor", "Sandra", "Kevin", "Irene", "Paul", "Yuki", "Brenda", "Omar", "Lauren", "Frank", "Gloria", "Andre", "Tessa", "Hector", "Wendy", "Colin", "Mei", "Rosa", "Stan"]
LAST = ["Whitfield", "Okafor", "Patel", "Brennan", "Reyes", "Kowalski", "Lindqvist", "Moreno", "Chen", "Novak", "Haddad", "Fischer", "Dubois", "Kaplan", "Romero", "Sato", "Grant", "Osei", "Murphy", "Vance", "Ibarra", "Holt", "Petrov", "Nguyen", "Shah", "Larsen", "Costa", "Walsh", "Abbott", "Kim", "Ortiz"]
COMPANY_A = ["Acme", "Summit", "Harbor", "Pioneer", "Redwood", "Keystone", "Bluebird", "Granite", "Lakeside", "Northgate", "Ironwood", "Cedar", "Beacon"]
COMPANY_B = (
    "Roofing", "Dental", "Logistics", "Plumbing", "Auto Body", "Landscaping", "Insurance", "Realty",
    "HVAC", "Printing", "Veterinary", "Bakery", "Law Group", "Fitness", "Electric", "Signs",
)
REASONS = (
    "budget for next year opens in January",
    "roof problems, not taking quotes until the new year",
    "current contract with their supplier ends in the spring",
    "owner is back from leave then and signs off on anything over $5k",
    "busy season — they only have time to talk after it ends",
    "moving to the new warehouse; revisit once they are settled",
    "board meets at the end of the quarter to approve vendors",
    "wants to see this year's numbers before committing",
    "waiting on the landlord about the lease renewal",
    "new office manager starts then and will own this",
    "",
    "",
    "said to try again later",
)
NOTES = (
    "Spoke to the front desk first; ask for the owner by name.",
    "Uses a competitor today, unhappy with response times.",
    "Interested in the annual plan; send the one-page overview.",
    "Prefers mornings. Direct line rings through to voicemail after 4pm.",
    "Two locations; the second opens next year.",
    "Mentioned a referral from a neighbour who is already a customer.",
    "Gatekeeper is friendly — Sam at reception.",
    "Asked for pricing by email first.",
)
PHONE_AREAS = ("415", "212", "312", "617", "206", "303", "512", "404", "702", "919")
# What a rep notes after an attempt, by what happened (a "no answer" never says who was talked to).
ATTEMPT_NOTES = {
    "no-answer": ("", "", "rang out", "straight to the switchboard"),
    "voicemail": ("", "left a short message with the reason", "left the callback number"),
    "callback": ("talked to the assistant; owner in meetings", "said to try closer to the date",
                 "sent the overview by email", "asked for a better time"),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def _note(outcome: str, draw: int) -> str:
    # One draw of eight, as the demo has always made (so the same seed gives the same box), read by the outcome.
    notes = ATTEMPT_NOTES[outcome]
    return notes[draw % len(notes)]


def _window_for(rng: random.Random, day: date) -> tuple[str, date]:
    """A window that starts on `day`, as a prospect would say it: (the phrase, the day it was said)."""
    shape = rng.random()
    said = day - timedelta(days=2)  # "Friday at 2" said on the Wednesday before
    if shape < 0.18:
        hour = rng.choice((9, 10, 11, 13, 14, 15, 16))
        minute = rng.choice((0, 0, 30))
        clock = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "") + (" am" if hour < 12 else "")
        return f"{day:%A} at {clock}", said
    if shape < 0.25:
        return f"{day:%A} morning", said
    if shape < 0.55:
        return f"{day:%B} {day.day}", said
    if shape < 0.85:
        # early / mid / late: the third of the month the day falls in.
        third = "early" if day.day <= 10 else "mid" if day.day <= 20 else "late"
        return f"{third} {MONTHS[day.month - 1]}", day.replace(day=1) - timedelta(days=3)
    monday = day - timedelta(days=day.weekday())
    return f"the week of {monday:%B} {monday.day}", monday - timedelta(days=3)


@lru_cache(maxsize=65536)
def _read(phrase: str, said: date, prospect_zone: str | None, rep: str) -> DueWindow:
    """The window the phrase reader makes of it, on the day it was said: the demo's windows are read as a rep's
    captures are, on the prospect's clock (a Denver "Friday at 2" is 4 p.m. on a New York rep's)."""
    from cardbox.core.phrases import parse_when

    return parse_when(phrase, datetime.combine(said, time(10)), rep_zone=rep, prospect_zone=prospect_zone)


def _read_said(said: tuple[str, date], zone: str | None, rep: str) -> DueWindow:
    phrase, day = said
    timed = " at " in phrase or phrase.endswith("morning")
    return _read(phrase, day, zone if timed else None, rep)  # a day or a month is the same day on every clock


def _zone_of(phone: str) -> str | None:
    zones, _ = phone_facts(phone)
    return zones[0] if zones else None


def _phone(rng: random.Random) -> str:
    # 555-01xx numbers are reserved for fiction; phonenumbers accepts them.
    return f"+1{rng.choice(PHONE_AREAS)}5550{rng.randint(100, 199)}"


def make_card(rng: random.Random, card_id: int, now: datetime, *, due_offset: int | None = None, attempts: int | None = None) -> Card:
    today = now.date()
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company = f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)}"
    n_attempts = attempts if attempts is not None else rng.randint(2, 9)
    offset = due_offset if due_offset is not None else rng.randint(1, 180)
    window_said = _window_for(rng, today + timedelta(days=offset))
    # Attempts, newest first going back: the last one happened before the
    # card came due (it re-filed the card to then), each one on the day the
    # one before it had re-filed the card to.
    # (Yesterday at the latest: the rep has not worked today's cards yet.)
    first_day = today + timedelta(days=offset)  # a window said to start then (a week's starts on its Monday)
    # The last call was some days or weeks ago ("call me in March" was said in a call last month), not yesterday
    # for every card: a rep works a few dozen callbacks a day. (Its own generator: the draws above stay as they were.)
    back = 1 if due_offset is not None else random.Random(card_id * 7 + 3).randint(1, 42)
    latest = min(datetime.combine(today - timedelta(days=back), time(17)),
                 datetime.combine(first_day - timedelta(days=rng.randint(2, 20)), time(17)))
    moments = []
    moment = latest
    for _ in range(n_attempts):
        while moment.weekday() >= 5:
            moment -= timedelta(days=1)
        moments.append(moment.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59), second=0, microsecond=0))
        moment -= timedelta(days=rng.randint(3, 30))
    moments.reverse()
    created = moments[0] - timedelta(days=rng.randint(0, 3)) if moments else latest
    drawn = []
    for index, at in enumerate(moments):
        outcome = rng.choices(("no-answer", "voicemail", "callback"), weights=(4, 3, 3))[0]
        next_said = _window_for(rng, moments[index + 1].date()) if index + 1 < len(moments) else None
        drawn.append((at, rng.choices(("call", "voicemail", "email", "text"), weights=(8, 2, 2, 1))[0], outcome,
                      _note(outcome, rng.randrange(8)), next_said))
    status = rng.choices(("active", "nurture", "not-now", "won", "do-not-call"), weights=(76, 8, 7, 8, 1))[0]
    phones = [_phone(rng)] + ([_phone(rng)] if rng.random() < 0.2 else [])
    zone, rep = _zone_of(phones[0]), rep_zone()
    due: DueWindow | None = _read_said(window_said, zone, rep)
    history = []
    streak = 0
    for number, (at, channel, outcome, note, said) in enumerate(drawn):
        if channel in ("email", "text") and outcome == "voicemail":
            outcome = "no-answer"  # an email or a text unanswered: no reply, not a voicemail
        if channel == "voicemail" and outcome == "callback":
            channel = "call"  # a talk is on a call
        if number + 1 == len(drawn):
            nxt = due  # the last attempt put the card where it is now
        elif outcome == "callback":
            nxt = _read_said(said, zone, rep) if said else due  # the prospect said when
        else:
            # No answer: the card is re-filed as the app would re-file it (the cool-down), not to a window nobody said.
            nxt = plan_refile(outcome, streak_before=streak, today=at.date()).due
        streak = streak + 1 if outcome in ("no-answer", "voicemail") else 0
        history.append(Attempt(at=at, channel=channel, outcome=outcome, note=note, next=nxt))
    if due_offset is not None:
        status = "active"
    elif status in ("not-now", "won", "do-not-call"):
        due = None
    if status != "active" and history:
        # The last attempt is what put the card on its pile.
        final = {"won": "sale", "not-now": "not-interested", "nurture": "nurture", "do-not-call": "do-not-call"}[status]
        newest = history[-1]
        history[-1] = Attempt(newest.at, "call", final, newest.note, due)
    # Its own generator, so the cards drawn above stay as they always were.
    captured = _read_said(_window_for(random.Random(card_id), moments[0].date()), zone, rep) if moments else due
    return Card(
        id=card_id,
        name=f"{first} {last}",
        company=company,
        phones=tuple(phones),
        email=f"{first.lower()}.{last.lower()}@{company.split()[0].lower()}{company.split()[1].lower()}.example" if rng.random() < 0.6 else "",
        due=due,
        why=rng.choice(REASONS),
        notes=" ".join(rng.sample(NOTES, k=rng.randint(1, 3))),
        tags=tuple(rng.sample(("hot", "referral", "multi-site", "owner", "price-shopper", "q1"), k=rng.randint(0, 2))),
        status=status,
        attempts=tuple(history),
        captured=captured,
        created=created.replace(microsecond=0),
        updated=(history[-1].at if history else created).replace(microsecond=0),
    )


def demo_sessions(now: datetime, *, days: int = 120, seed: int = 11) -> dict[str, dict[str, Any]]:
    """A dialing session on each working day of the last `days` days, at a working rep's rates.

    About 100 dials a day; a person picks up on ~12% of them, the pitch is
    heard by most of those, and about 5% of the people reached buy (the
    seeds' figures for cold calls)."""
    from cardbox.core.session import Pause, Session, Tick

    rng = random.Random(seed)
    sessions: dict[str, dict[str, Any]] = {}
    for back in range(days, 0, -1):
        day = now.date() - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, time(9, rng.randint(0, 20)))
        ticks: list[Tick] = []
        moment = start
        for _ in range(rng.randint(80, 125)):
            moment += timedelta(seconds=rng.randint(45, 110))
            if time(12, 30) <= moment.time() < time(13, 15):
                moment = datetime.combine(day, time(13, 15))
            ticks.append(Tick(moment, "dial"))
            # Mornings answer better than afternoons.
            if rng.random() < (0.16 if moment.hour < 12 else 0.09):
                ticks.append(Tick(moment + timedelta(seconds=20), "contact"))
                if rng.random() < 0.6:
                    ticks.append(Tick(moment + timedelta(seconds=60), "pitch"))
                    roll = rng.random()
                    if roll < 0.08:
                        ticks.append(Tick(moment + timedelta(seconds=240), "sale"))
                    elif roll < 0.2:
                        ticks.append(Tick(moment + timedelta(seconds=200), "appointment"))
        session_id = len(sessions) + 1
        lunch = Pause(datetime.combine(day, time(12, 30)), datetime.combine(day, time(13, 15)))
        sessions[str(session_id)] = stored(Session(
            id=session_id, started=start, stopped=moment + timedelta(minutes=2), pauses=(lunch,), ticks=tuple(ticks)
        ).to_dict())
    return sessions


def box_data(count: int, now: datetime, *, seed: int = 7, due_today: int = 0, sessions: bool = False) -> dict[str, Any]:
    """A whole box as TinyDB tables. The first `due_today` cards are due today or overdue."""
    rng = random.Random(seed)
    cards = {}
    dnc: dict[str, dict[str, Any]] = {}
    for card_id in range(1, count + 1):
        offset = None
        if card_id <= due_today:
            offset = rng.choice((-6, -3, -2, -1, 0, 0, 0, 0))
        card = make_card(rng, card_id, now, due_offset=offset)
        cards[str(card_id)] = stored(card.to_dict())
        if card.status == "do-not-call" and card.attempts:
            # As key 9 does: the prospect's request is about the number, so it goes on the list with the card.
            asked = card.attempts[-1]
            for number in card.phones:
                if all(row["number"] != number for row in dnc.values()):
                    dnc[str(len(dnc) + 1)] = {"number": number, "added": stamp(asked.at), "note": "",
                                              "how": f"asked on the {asked.channel} (card #{card.id} {card.name})"}
    return {
        "cards": cards,
        "sessions": demo_sessions(now) if sessions else {},
        "dnc": dnc,
        "meta": {"1": {"schema": SCHEMA_VERSION, "next_id": count + 1, "next_dnc": len(dnc) + 1}},
    }


def write_box(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(data))


def _made_on(path: Path) -> Path:
    return path.with_name(path.name + ".made-on")


def demo_is_current(path: Path, now: datetime) -> bool:
    """The demo box at `path` was made today (its dates fit today) and is still there. The day mark is read
    only from a small plain file of our own: the demo folder sits in the shared temporary folder."""
    mark = _made_on(path)
    try:
        st = mark.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > 64 or st.st_uid != os.geteuid() or not path.is_file():
            return False
        return mark.read_bytes().decode("ascii").strip() == now.date().isoformat()
    except (OSError, UnicodeDecodeError):
        return False


def _check_demo_folder(folder: Path) -> None:
    """The demo folder is ours alone: in a shared /tmp another user could have made it first."""
    make_private_dirs(folder)
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        raise BoxError(f"the demo folder {folder} is not yours (another user or a link made it); "
                       "remove it, or set TMPDIR to a folder of your own")
    if st.st_mode & 0o077:
        os.chmod(folder, 0o700)  # made by an older cardbox with the umask's mode: ours, so made private


def ready_demo_box(path: Path, now: datetime, *, fresh: bool = False) -> bool:
    """The demo box for `cardbox --demo`: one a day, so a relaunch (or a second window) keeps what was done in
    it; made again on a new day (its dates are today's) or when `fresh`. True when it was (re)made."""
    if not fresh and demo_is_current(path, now):
        return False
    write_demo_box(path, now=now)
    return True


def write_demo_box(path: Path, *, now: datetime, count: int = 300, due_today: int = 14) -> Path:
    """A fresh demo box with a full day of due cards (it replaces any earlier demo box)."""
    data = box_data(count, now, due_today=due_today, sessions=True)
    _check_demo_folder(path.parent)
    storage = SafeStorage(path, clock=lambda: now)
    with storage.locked():
        storage.commit(data)
    # Written beside the box atomically (a link planted in its place is replaced, never followed).
    write_atomically(_made_on(path), (now.date().isoformat() + "\n").encode("ascii"), PRIVATE_FILE)
    return path
