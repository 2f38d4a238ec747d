"""Bringing an older box up to this schema, on its first write.

Each step takes the box's tables and returns new ones (never changing the
ones it was given: a failed write keeps the box in memory as it was).
Storage calls `upgrade` after taking the before-schema backup.
"""

from __future__ import annotations

from typing import Any

from cardbox.core.card import card_damage
from cardbox.core.session import Session
from cardbox.core.stamps import with_offset

Tables = dict[str, dict[str, Any]]


def _window(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    return {**raw, "start": with_offset(raw.get("start"), minutes=True), "end": with_offset(raw.get("end"), minutes=True)}


def _card(raw: Any) -> Any:
    if card_damage(raw) is not None:
        return raw  # damaged: kept exactly as found (cardbox never rewrites what it cannot read)
    assert isinstance(raw, dict)
    card = dict(raw)
    for key in ("created", "updated"):
        if key in card:
            card[key] = with_offset(card[key])
    for key in ("due", "captured"):
        if card.get(key):
            card[key] = _window(card[key])
    attempts = card.get("attempts")
    if isinstance(attempts, list):
        card["attempts"] = [
            {**a, "at": with_offset(a.get("at")), "next": _window(a.get("next"))} if isinstance(a, dict) else a
            for a in attempts
        ]
    return card


def _session(raw: Any) -> Any:
    try:
        Session.from_dict(raw)
    except Exception:  # damaged: kept exactly as found, like a damaged card
        return raw
    session = dict(raw)
    for key in ("started", "stopped"):
        if session.get(key):
            session[key] = with_offset(session[key])
    if isinstance(session.get("pauses"), list):
        session["pauses"] = [
            {**p, "start": with_offset(p.get("start")), "end": with_offset(p.get("end"))} if isinstance(p, dict) else p
            for p in session["pauses"]
        ]
    if isinstance(session.get("ticks"), list):
        session["ticks"] = [{**t, "at": with_offset(t.get("at"))} if isinstance(t, dict) else t for t in session["ticks"]]
    return session


def _stamped(raw: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(raw, dict):
        return raw
    return {**raw, **{k: with_offset(raw[k]) for k in keys if k in raw}}


def to_schema_3(data: Tables) -> Tables:
    """Schema 3: every stored moment carries its offset. Naive stamps were the rep's clock."""
    out = dict(data)
    if "cards" in data:
        out["cards"] = {key: _card(raw) for key, raw in data["cards"].items()}
    if "sessions" in data:
        out["sessions"] = {key: _session(raw) for key, raw in data["sessions"].items()}
    if "imports" in data:
        out["imports"] = {key: _stamped(raw, ("at", "undone")) for key, raw in data["imports"].items()}
    if "dnc" in data:
        out["dnc"] = {key: _stamped(raw, ("added",)) for key, raw in data["dnc"].items()}
    return out


# (schema reached, step): applied in order to a box older than each.
STEPS = ((3, to_schema_3),)


def upgrade(data: Tables, from_schema: int) -> Tables:
    for reached, step in STEPS:
        if from_schema < reached:
            data = step(data)
    return data
