"""Applying a journal's changes to a box, and whether a journal belongs to the box beside it."""

from __future__ import annotations

from typing import Any

from cardbox.core import journal
from cardbox.core.box_codec import META_TABLE
from cardbox.core.cardtable import CardTable

# A process that opens a box whose journal has grown past this folds it in first
# (a smaller one is read as it is: replaying it is cheaper than rewriting the box).
FOLD_AT_OPEN = 4 << 20


def folded_mark(data: dict[str, Any] | None) -> dict[str, Any]:
    folded = ((data or {}).get(META_TABLE, {}).get("1") or {}).get("folded")
    return folded if isinstance(folded, dict) else {}


def pairs(found: journal.Read, data: dict[str, Any] | None, file_mark: tuple[int, int, int] | None) -> bool:
    """Does this journal belong to this box file? It does when the box says it folded this very journal (a fold
    killed before the journal went), or when the journal was begun on this very file. A journal older than the
    pairing (no box in its header) is taken as the box's own, as it always was — unless there is no box."""
    if data is None:
        return False
    if folded_mark(data).get("journal") == found.ident:
        return True
    if found.box is None:
        return True
    return found.box == file_mark


def replayed(data: dict[str, Any], found: journal.Read) -> dict[str, Any]:
    """The box with the journal's lines applied, less those its meta says it already holds (a fold killed midway)."""
    folded = (data.get(META_TABLE, {}).get("1") or {}).get("folded") or {}
    through = folded.get("through", 0) if folded.get("journal") == found.ident else 0
    return applied(data, [change for end, change in found.changes if end > through])


def applied(data: dict[str, Any], changes: list[dict[str, dict[str, dict[str, Any] | None]]]) -> dict[str, Any]:
    """`data` with these changes applied in order, on new tables (the old ones are left as they were)."""
    out = dict(data)
    touched: dict[str, dict[str, Any]] = {}
    cards: dict[str, dict[str, Any] | None] = {}  # the last of each card's changes: one copy of a big table, not one a line
    for change in changes:
        for table, docs in change.items():
            if table == "cards":
                cards.update(docs)
                continue
            if table not in touched:
                touched[table] = dict(out.get(table) or {})
                out[table] = touched[table]
            rows = touched[table]
            for key, doc in docs.items():
                if doc is None:
                    rows.pop(key, None)
                else:
                    rows[key] = doc
    if cards:
        current = out.get("cards")
        if not isinstance(current, CardTable):
            current = CardTable(dict(current or {}))
        out["cards"] = current.with_docs(cards)
    return out

