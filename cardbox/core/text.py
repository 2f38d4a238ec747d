"""Text from the box shown safely: what is read from a file is as untrusted as what is typed.

A box written by hand, by plain TinyDB, by a sync tool or an older version
can hold control characters. Sent to a terminal as they are, `ESC]0;…BEL`
retitles the window, `ESC[2J` clears the screen and `ESC]52;…` writes the
clipboard. Everything cardbox prints or draws goes through `shown`: control
characters become visible placeholders (␛ for ESC, ␇ for BEL, …), and
one-line fields (names, companies) keep to one line. `--json` output does
not need this: JSON escapes them.
"""

from __future__ import annotations

import re

# C0 (but tab and newline), DEL, C1, and the bidirectional overrides that can
# make text read differently from what it is (U+202A–U+202E, U+2066–U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ ␇ ␀ …
    if code == 0x7F:
        return "␡"
    return "�"


def shown(text: object, *, one_line: bool = False) -> str:
    """`text` as it is safe to print: control characters made visible; with `one_line`, line breaks as spaces."""
    value = str(text)
    if one_line:
        value = _LINE_BREAKS.sub(" ", value).replace("\t", " ")
    else:
        value = value.replace("\r\n", "\n")
        value = re.sub(r"[\r\u2028\u2029\x85]", "\n", value)
    if _CONTROL.search(value) is None:
        return value
    return _CONTROL.sub(_placeholder, value)


# What no rep types on purpose: C0 (but tab and newline), DEL, C1, the bidi overrides, lone surrogates
# (undecodable bytes from a shell argument, which cannot even be written as UTF-8).
_UNTYPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """`text` without what no rep types on purpose: what is saved from a field, and what an edit form shows."""
    return _UNTYPED.sub("", text)


def escape_unsafe(json_text: str) -> str:
    """JSON text with every control character left in it written as a \\u escape (same data, nothing raw)."""
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
