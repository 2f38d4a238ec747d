"""The tokeniser: a phrase as said, turned into canonical tokens (jan, tue, 15th, @16:00, ~4:00 …)."""

from __future__ import annotations

from cardbox.core.phrases.errors import (
    GENERAL_EXAMPLES,
    TIME_EXAMPLES,
    PhraseError,
    _quote,
)
from cardbox.core.phrases.words import (
    _DASHES,
    _EXPAND,
    _FILLERS,
    _MONTHS,
    _NEGATIONS,
    _NUMBERS,
    _ORDINALS,
    _PHRASE_MAX,
    _PHRASES,
    _TOKEN,
    _UNITS,
    _WDAYS,
    _WORDS,
)

# --------------------------------------------------------------------------
# Normaliser


def _is_num(tok: str) -> bool:
    return tok.isdigit() and tok.isascii()


def _is_time(tok: str) -> bool:
    return tok[:1] in ("@", "~")


def _fmt_time(hour: int, minute: int, explicit: bool) -> str:
    if hour > 23 or minute > 59:
        raise PhraseError(f"'{hour}:{minute:02d}' is not a time of day", TIME_EXAMPLES)
    return f"{'@' if explicit else '~'}{hour}:{minute:02d}"


def _tokens(text: str) -> list[str]:
    raw = _TOKEN.findall(text.lower().translate(_DASHES).replace("@", " at "))
    words: list[str] = []
    for tok in raw:
        if tok == "m" and words and words[-1] in ("a", "p"):
            words[-1] += "m"  # "4 p.m."
            continue
        if "'" in tok:
            # Possessives carry nothing ("new year's"), other apostrophes are contractions.
            tok = tok.removesuffix("'s")
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
    index = 0
    while index < len(words):
        for count in range(min(_PHRASE_MAX, len(words) - index), 1, -1):
            rep = _PHRASES.get(tuple(words[index : index + count]))
            if rep is not None:
                merged.extend(rep)
                index += count
                break
        else:
            merged.append(words[index])
            index += 1

    if any(tok in _NEGATIONS for tok in merged):
        raise PhraseError(f"{_quote(text)} says no date", GENERAL_EXAMPLES)

    # Single words: aliases, number and ordinal words ("twenty one" -> 21).
    out: list[str] = []
    for tok in merged:
        if tok in _EXPAND:
            out.extend(_EXPAND[tok])
        elif tok in _NUMBERS:
            count = _NUMBERS[tok]
            if out and _is_num(out[-1]) and int(out[-1]) % 10 == 0 and int(out[-1]) >= 20 and count < 10:
                out[-1] = str(int(out[-1]) + count)
            else:
                out.append(str(count))
        elif tok in _ORDINALS:
            count = _ORDINALS[tok]
            if out and _is_num(out[-1]) and int(out[-1]) % 10 == 0 and int(out[-1]) >= 20 and count < 10:
                out[-1] = f"{int(out[-1]) + count}th"
            else:
                out.append(f"{count}th")
        elif tok in ("st", "nd", "rd", "th") and out and _is_num(out[-1]):
            out[-1] += "th"
        else:
            out.append(_WORDS.get(tok, tok))

    # Times of day. "@" = exact 24 h time, "~" = bare hour for the business-hours rule.
    timed: list[str] = []
    for tok in out:
        prev = timed[-1] if timed else ""
        if tok in ("am", "pm") and prev and (_is_num(prev) or _is_time(prev)):
            hour_text, _, minute_text = prev.lstrip("@~").partition(":")
            hour, minute = int(hour_text), int(minute_text or 0)
            if not 1 <= hour <= 12 or minute > 59:
                raise PhraseError(f"'{prev}{tok}' is not a time of day", TIME_EXAMPLES)
            timed[-1] = _fmt_time(hour % 12 + (12 if tok == "pm" else 0), minute, True)
        elif tok == "oclock" and prev and _is_num(prev):
            timed[-1] = _fmt_time(int(prev), 0, int(prev) > 12)
        elif ":" in tok and tok[0].isdigit():
            hour, minute = (int(part) for part in tok.split(":"))
            timed.append(_fmt_time(hour, minute, hour > 12 or hour == 0 or tok.startswith("0")))
        elif _is_num(tok) and prev in ("halfpast", "quarterpast", "quarterto"):
            hour = int(tok)
            if not 1 <= hour <= 12:
                raise PhraseError(f"'{tok}' is not an hour", TIME_EXAMPLES)
            timed[-1] = {
                "halfpast": f"~{hour}:30",
                "quarterpast": f"~{hour}:15",
                "quarterto": f"~{(hour - 2) % 12 + 1}:45",
            }[prev]
        elif tok == "eod":
            timed.append("@17:00")
        else:
            timed.append(tok)

    # "at 4" is an hour; "at" anywhere else ("at the end of") is filler.
    final: list[str] = []
    for index, tok in enumerate(timed):
        prev = final[-1] if final else ""
        if prev == "at" and _is_num(tok) and len(tok) <= 2:
            hour = int(tok)
            final[-1] = _fmt_time(hour, 0, hour > 12 or hour == 0)
            continue
        if prev == "at" and _is_num(tok) and len(tok) in (3, 4) and int(tok[-2:]) <= 59 and int(tok[:-2]) <= 23:
            # "at 730", "at 1930": a clock time written without its colon.
            hour, minute = int(tok[:-2]), int(tok[-2:])
            final[-1] = _fmt_time(hour, minute, hour > 12 or hour == 0 or tok.startswith("0"))
            continue
        nxt = timed[index + 1] if index + 1 < len(timed) else ""
        if _is_num(tok) and 1 <= int(tok) <= 31 and nxt == "of" and index + 2 < len(timed) and (
                timed[index + 2] in _MONTHS or timed[index + 2] in ("next", "this", "month")):
            tok = f"{int(tok)}th"  # "20 of next month", "4 of July": a day of the month
        if prev == "at":
            final.pop()
        if tok in ("a", "an"):
            nxt = timed[index + 1] if index + 1 < len(timed) else ""
            if nxt in _UNITS:
                final.append("1")
            continue
        final.append(tok)
    if final and final[-1] == "at":
        final.pop()

    # A dash joins two date/time ends into a range ("Jan 10-15", "3-4pm"); else it is punctuation.
    ranged: list[str] = []
    for index, tok in enumerate(final):
        if tok == "-":
            left = ranged[-1] if ranged else ""
            right = final[index + 1] if index + 1 < len(final) else ""
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
