"""The numbers in words: one wording for `cardbox stats` and the Numbers screen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cardbox.core.session import TICK_PLURALS, Session


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def one(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:.1f}{unit}"


def section_rows(result: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section title, [(label, figure, a benchmark or a note)]) for each block of figures."""
    cold, cb, sales, pipe, sess, fc = (result[k] for k in ("cold", "callbacks", "sales", "pipeline", "sessions", "forecast"))
    return [
        ("Cold calls", [
            ("dials", f"{cold['dials']:,}", ""),
            ("contacts", f"{cold['contacts']:,}", f"contact rate {pct(cold['contact_rate'])}"),
            ("pitches", f"{cold['pitches']:,}", f"pitch rate {pct(cold['pitch_rate'])}"),
            ("appointments", f"{cold['appointments']:,}", ""),
            ("sales", f"{cold['sales']:,}", f"close rate {pct(cold['close_rate'])} (benchmark ~5%)"),
            ("calls per conversation", one(cold["calls_per_conversation"]), "dialer benchmark 10–15"),
        ]),
        ("Callbacks", [
            ("set", f"{cb['set']:,}", "goal 4–6 a day"),
            ("worked", f"{cb['worked']:,}", ""),
            ("answered", f"{cb['answered']:,}", ""),
            ("answer rate on agreed", pct(cb["answer_rate"]),
             f"{cb['agreed_answered']} of {cb['agreed_worked']} · cold contact rate {pct(cold['contact_rate'])}"),
            ("sales", f"{cb['sales']:,}", f"conversion {pct(cb['conversion'])} (benchmark 20–30%)"),
            ("attempts to a sale", one(cb["attempts_to_sale"]), "on average"),
            ("days to a sale", one(cb["days_to_sale"]), "from capture"),
        ]),
        ("Sales", [
            ("total", f"{sales['total']:,}", ""),
            ("from callbacks", f"{sales['from_callbacks']:,}", f"{pct(sales['share_from_callbacks'])} of sales (a third is typical)"),
            ("cold", f"{sales['cold']:,}", ""),
        ]),
        ("Pipeline", [
            ("active cards", f"{pipe['active']:,}", ""),
            ("due this week", f"{pipe['due_this_week']:,}", f"next week {pipe['due_next_week']:,}"),
            ("nurture · not now", f"{pipe['nurture']:,} · {pipe['not_now']:,}", ""),
            ("no reason recorded", f"{pipe['no_reason']:,}", "probably brush-offs: ask why"),
            ("4+ unanswered in a row", f"{pipe['cooling']:,}", "candidates for the not-now pile"),
        ]),
        ("Sessions", [
            ("sessions", f"{sess['count']:,}", ""),
            ("time dialing", f"{sess['minutes'] / 60:.1f} h", "less pauses"),
            ("dials per hour", one(sess["dials_per_hour"]), ""),
        ]),
        ("Forecast", [
            ("callback sales, next 30 days", f"{fc['expected_sales']:.1f}", fc["how"]),
        ]),
    ]


def stats_lines(result: dict[str, Any]) -> list[str]:
    lines = [f"{result['period']}: {result['from']} to {result['to']}"]
    for title, rows in section_rows(result):
        lines.append("")
        lines.append(title)
        for label, figure, note in rows:
            lines.append(f"  {label:<28} {figure:>9}  {note}".rstrip())
    return lines


def session_json(session: Session | None, now: datetime, zone: str = "") -> dict[str, Any]:
    """What `cardbox session status --json` prints: times with their offset on the rep's clock (`zone`)."""
    if session is None:
        return {"running": False, "started": None, "paused": False, "minutes": 0.0, "counts": {}, "id": None}

    def stamp(moment: datetime) -> str:
        if not zone:
            return moment.isoformat()
        from zoneinfo import ZoneInfo

        return moment.replace(tzinfo=ZoneInfo(zone)).isoformat()

    return {
        "running": session.running,
        "id": session.id,
        "started": stamp(session.started),
        "stopped": stamp(session.stopped) if session.stopped else None,
        "paused": session.paused,
        "minutes": round(session.seconds(now) / 60, 1),
        "counts": session.counts(),
    }


def session_line(session: Session | None, now: datetime) -> str:
    if session is None:
        return "no session running today; start one with: cardbox session start"
    counts = ", ".join(f"{n} {TICK_PLURALS[kind] if n != 1 else kind}" for kind, n in session.counts().items())
    state = "paused" if session.paused else "running" if session.running else f"stopped {session.stopped:%H:%M}"
    minutes = session.seconds(now) / 60
    return f"session #{session.id} {state}, started {session.started:%H:%M}, {minutes:.0f} min worked: {counts}"
