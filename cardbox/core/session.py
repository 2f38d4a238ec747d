"""The dialing session: the tally sheet beside the phone.

A session runs from *start* until *stop*; a pause (lunch) does not count
towards per-hour rates. Each tick — dial, contact, pitch, appointment,
sale — is one locked, durable save in the box file's ``sessions`` table,
so the app, ``cardbox tick`` and another terminal can tick one box at once
and nothing is lost. A quit, a crash or a restart the same day finds the
session still running; one left open overnight is closed at its last tick
when the next one starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

from cardbox.core.documents import SessionDoc, TickDoc, stored
from cardbox.core.errors import CardError
from cardbox.core.stamps import parse_stamp, stamp
from cardbox.core.storage import SafeStorage

TABLE = "sessions"
TICK_KINDS: tuple[str, ...] = ("dial", "contact", "pitch", "appointment", "sale")
# How the counts are named in figures and in `cardbox stats --json`.
TICK_PLURALS: dict[str, str] = {"dial": "dials", "contact": "contacts", "pitch": "pitches", "appointment": "appointments", "sale": "sales"}
MAX_TICKS_AT_ONCE = 1000


def check_kind(kind: str) -> str:
    if kind not in TICK_KINDS:
        raise CardError(f"unknown tick {kind!r}; use one of: {', '.join(TICK_KINDS)}", field="kind")
    return kind


def check_count(count: int) -> int:
    if count < 1:
        raise CardError(f"a tick count of {count} is not possible; give 1 or more", field="count")
    if count > MAX_TICKS_AT_ONCE:
        raise CardError(f"{count:,} ticks at once is surely a typo; keep it to {MAX_TICKS_AT_ONCE:,} or fewer", field="count")
    return count


@dataclass(frozen=True, slots=True)
class Tick:
    at: datetime
    kind: str
    count: int = 1

    def to_dict(self) -> TickDoc:
        return {"at": stamp(self.at), "kind": self.kind, "count": self.count}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tick:
        count = int(data.get("count", 1))
        if count < 1:
            raise ValueError(f"tick count {count}")
        return cls(parse_stamp(data["at"]), str(data["kind"]), count)


@dataclass(frozen=True, slots=True)
class Pause:
    start: datetime
    end: datetime | None = None

    def seconds(self, now: datetime) -> float:
        return max(((self.end or now) - self.start).total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    started: datetime
    stopped: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    ticks: tuple[Tick, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def running(self) -> bool:
        return self.stopped is None

    @property
    def paused(self) -> bool:
        return self.running and bool(self.pauses) and self.pauses[-1].end is None

    @property
    def day(self) -> date:
        return self.started.date()

    def count(self, kind: str) -> int:
        return sum(tick.count for tick in self.ticks if tick.kind == kind)

    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in TICK_KINDS}

    def seconds(self, now: datetime) -> float:
        """Working time: from start to stop (or now), less the pauses."""
        end = self.stopped or now
        worked = (end - self.started).total_seconds() - sum(p.seconds(end) for p in self.pauses)
        return max(worked, 0.0)

    def last_activity(self) -> datetime:
        moments = [self.started, *(t.at for t in self.ticks), *(p.end or p.start for p in self.pauses)]
        return max(moments)

    def to_dict(self) -> SessionDoc:
        data: SessionDoc = {
            "id": self.id,
            "started": stamp(self.started),
            "stopped": stamp(self.stopped) if self.stopped else None,
            "pauses": [{"start": stamp(p.start), "end": stamp(p.end) if p.end else None} for p in self.pauses],
            "ticks": [tick.to_dict() for tick in self.ticks],
        }
        return cast(SessionDoc, {**self.extra, **data}) if self.extra else data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        known = {"id", "started", "stopped", "pauses", "ticks"}
        return cls(
            id=int(data["id"]),
            started=parse_stamp(data["started"]),
            stopped=parse_stamp(data["stopped"]) if data.get("stopped") else None,
            pauses=tuple(Pause(parse_stamp(p["start"]), parse_stamp(p["end"]) if p.get("end") else None) for p in data.get("pauses") or ()),
            ticks=tuple(Tick.from_dict(t) for t in data.get("ticks") or ()),
            extra={k: v for k, v in data.items() if k not in known},
        )


@dataclass(frozen=True, slots=True)
class TickChange:
    """One tick (or a start/stop/pause), so it can be taken back."""

    kind: str  # "tick", "start", "stop", "pause"
    before: Session | None
    after: Session


class SessionBook:
    """The box's sessions: start, tick, pause, stop — each one durable save."""

    def __init__(self, storage: SafeStorage, clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.clock = clock
        self._parsed: dict[str, tuple[dict[str, Any], Session | None]] = {}

    def _now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    # -- reading --------------------------------------------------------

    def _parse(self, key: str, raw: dict[str, Any]) -> Session | None:
        # Saves replace only the documents they change (copy-on-write), so a
        # session whose raw dict is the one it was parsed from is still right:
        # two years of ticks are parsed once, not on every tick.
        cached = self._parsed.get(key)
        if cached is not None and cached[0] is raw:
            return cached[1]
        try:
            session: Session | None = Session.from_dict(raw)
        except (KeyError, TypeError, ValueError, AttributeError):
            # A damaged session must not hide the others; it is kept in the file as it is.
            session = None
        self._parsed[key] = (raw, session)
        return session

    def _rows(self) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = (self.storage.read() or {}).get(TABLE, {})
        return rows

    def all(self, *, running: bool = False) -> list[Session]:
        """Every readable session, oldest first (only those not stopped, with `running`)."""
        sessions = [
            session
            for key, raw in self._rows().items()
            if not (running and isinstance(raw, dict) and raw.get("stopped"))
            and (session := self._parse(key, raw)) is not None
        ]
        sessions.sort(key=lambda s: (s.started, s.id))
        return sessions

    def current(self, now: datetime | None = None) -> Session | None:
        """The session running today, if any (one left open on an earlier day is not)."""
        today = (now or self.clock()).date()
        running = [s for s in self.all(running=True) if s.day == today]
        return running[-1] if running else None

    # -- changing -------------------------------------------------------

    def _write(self, session: Session | None, *, remove: int | None = None, close: Iterable[Session] = ()) -> None:
        docs: dict[str, dict[str, Any] | None] = {str(s.id): stored(s.to_dict()) for s in close}
        if session is not None:
            docs[str(session.id)] = stored(session.to_dict())
        if remove is not None:
            docs[str(remove)] = None
        self.storage.put({TABLE: docs})

    def _start_locked(self, now: datetime) -> tuple[Session, bool]:
        running = self.all(running=True)
        today = [s for s in running if s.day == now.date()]
        if today:
            return today[-1], False
        # Left running overnight (the rep went home): it ended at its last tick.
        stale = [replace(s, stopped=s.last_activity(), pauses=_close_pause(s.pauses, s.last_activity())) for s in running]
        # From the raw keys: a damaged session (skipped by all()) keeps its id and its data.
        rows = self._rows()
        next_id = max((int(key) for key in rows if str(key).isdigit()), default=0) + 1
        session = Session(id=next_id, started=now)
        self._write(session, close=stale)
        return session, True

    def start(self) -> TickChange:
        now = self._now()
        with self.storage.locked():
            session, new = self._start_locked(now)
        return TickChange("start", None if new else session, session)

    def tick(self, kind: str, count: int = 1, *, start: bool = True) -> TickChange:
        """Count `count` of `kind` in today's session (starting one if `start` and none runs)."""
        check_kind(kind)
        check_count(count)
        now = self._now()
        with self.storage.locked():
            before = self.current(now)
            if before is None:
                if not start:
                    raise CardError("no session is running; start one first (F3, then s)", field="session")
                before, _ = self._start_locked(now)
            # A tick on a paused session is the rep dialing again: it counts, and the session runs on.
            pauses = _close_pause(before.pauses, now) if before.paused else before.pauses
            after = replace(before, ticks=(*before.ticks, Tick(now, kind, count)), pauses=pauses)
            self._write(after)
        return TickChange("tick", before, after)

    def pause(self, pausing: bool | None = None) -> TickChange:
        """Pause the running session (pausing=True), resume it (False), or switch between the two (None: the
        app's space key). Pausing a paused session, or resuming a running one, changes nothing."""
        now = self._now()
        with self.storage.locked():
            before = self._running_or_refuse(now)
            wanted = not before.paused if pausing is None else pausing
            if wanted == before.paused:
                return TickChange("pause", before, before)
            if before.paused:
                after = replace(before, pauses=_close_pause(before.pauses, now))
            else:
                after = replace(before, pauses=(*before.pauses, Pause(now)))
            self._write(after)
        return TickChange("pause", before, after)

    def stop(self) -> TickChange:
        now = self._now()
        with self.storage.locked():
            before = self._running_or_refuse(now)
            after = replace(before, stopped=now, pauses=_close_pause(before.pauses, now))
            self._write(after)
        return TickChange("stop", before, after)

    def _running_or_refuse(self, now: datetime) -> Session:
        session = self.current(now)
        if session is None:
            raise CardError("no session is running today; start one with: cardbox session start", field="session")
        return session

    def undo(self, change: TickChange) -> None:
        """Take back one tick, start, pause or stop — only if nothing was added to that session since."""
        with self.storage.locked():
            raw = self._rows().get(str(change.after.id))
            current = Session.from_dict(raw) if raw else None
            if current != change.after:
                raise CardError("the session was changed again since (another window?); not undone", field="session")
            if change.before is None:
                self._write(None, remove=change.after.id)
            else:
                self._write(change.before)


def _close_pause(pauses: tuple[Pause, ...], at: datetime) -> tuple[Pause, ...]:
    if pauses and pauses[-1].end is None:
        return (*pauses[:-1], Pause(pauses[-1].start, max(at, pauses[-1].start)))
    return pauses
