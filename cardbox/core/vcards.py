"""vCards in: every contact of a .vcf file becomes a row, and one broken record costs that record only.

Phones, Outlook, Thunderbird, Lotus Notes and CardDAV servers write vCard 2.1,
3.0 and 4.0 with all their quirks. A library that parses the whole file stops
at the first record it dislikes and takes every later contact with it, so the
file is read here, a record at a time, by a reader that keeps what it can:

* records are split on BEGIN:VCARD / END:VCARD lines, each remembering the
  line of the file it starts on (for the report);
* lines are unfolded (RFC 6350: a line that starts with a space or a tab
  goes on the one before; quoted-printable "soft" breaks, a line ending in
  "=", too);
* each value is decoded by its own CHARSET (Shift-JIS, Windows-1255 …) or the
  file's encoding, quoted-printable undone, backslash escapes read;
* binary values (a PHOTO in base64) are left out and named in the report.

What lands where: FN (else N, else ORG, NICKNAME, EMAIL or the first number)
is the name; ORG's first part the company (commas and all), its other parts
a note; every TEL a phone with its extension, but fax and pager numbers go
in the notes (they cannot be called); every EMAIL; the first ADR the postal
address, others in the notes; every NOTE; TITLE, ROLE, URL, BDAY and any
other property with a value as a `Label: value` note line; TZ the time zone
when it is an IANA name; CATEGORIES the tags. Nothing with a value is
dropped without a word.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field

# Properties that say nothing about the prospect (or are the record's own frame).
_FRAME = {"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "KIND", "CLIENTPIDMAP", "X-ABUID", "SORT-STRING",
          "X-ABSHOWAS", "NAME", "SOURCE", "X-EVOLUTION-FILE-AS"}
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_LABELS = {"TITLE": "Title", "ROLE": "Role", "URL": "Web", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary",
           "NICKNAME": "Nickname", "GENDER": "Gender", "LANG": "Language", "IMPP": "Chat", "GEO": "Location",
           "LABEL": "Address label", "MAILER": "Mailer", "RELATED": "Related", "MEMBER": "Member", "X-SKYPE": "Skype",
           "X-AIM": "AIM", "X-JABBER": "Jabber", "X-MSN": "MSN", "X-YAHOO": "Yahoo", "X-ICQ": "ICQ"}
_NOT_CALLABLE = {"fax", "pager"}
# Where each property's values go (any other property: the notes, as `Label: value`).
_WHERE = {"FN": "name", "N": "name", "ORG": "company (its units in the notes)", "EMAIL": "email",
          "ADR": "address (the first; others in the notes)", "NOTE": "notes",
          "CATEGORIES": "tags"}
_NAME_LINE = re.compile(rb"^([A-Za-z0-9.\-_]+)((?:;[^:]*)?):(.*)$", re.DOTALL)


@dataclass
class Contact:
    line: int  # where the record starts in the file
    values: dict[str, list[str]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # what was not kept, for the report
    went: dict[str, set[str]] = field(default_factory=dict)  # property → where its values went, for the report

    def put(self, prop: str, where: str) -> None:
        self.went.setdefault(prop, set()).add(where)

    def add(self, key: str, value: str) -> None:
        value = value.strip()
        if value:
            self.values.setdefault(key, []).append(value)


def records(raw: bytes) -> list[tuple[int, list[bytes]]]:
    """(the line the record starts on, its physical lines) for each BEGIN:VCARD … END:VCARD in the file."""
    found: list[tuple[int, list[bytes]]] = []
    current: list[bytes] | None = None
    start = 0
    for number, line in enumerate(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"), 1):
        bare = line.strip().upper()
        if bare == b"BEGIN:VCARD":
            if current is not None and len(current) > 1:
                found.append((start, current))  # a record that never ended: what it has is kept
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if bare == b"END:VCARD":
                found.append((start, current))
                current = None
    if current is not None and len(current) > 1:
        found.append((start, current))
    return found


def _unfold(lines: list[bytes]) -> list[bytes]:
    logical: list[bytes] = []
    for line in lines:
        if logical and line[:1] in (b" ", b"\t"):
            logical[-1] += line[1:]
        elif logical and logical[-1].endswith(b"=") and b"QUOTED-PRINTABLE" in logical[-1].split(b":", 1)[0].upper():
            logical[-1] = logical[-1] + b"\n" + line  # a quoted-printable soft break: undone when decoded
        elif line.strip():
            logical.append(line)
    return logical


def _params(text: str) -> dict[str, list[str]]:
    """`;TYPE=work,voice;CHARSET=UTF-8;PREF` → {"TYPE": ["work", "voice"], "CHARSET": ["UTF-8"], "TYPE": [..., "PREF"]}."""
    params: dict[str, list[str]] = {}
    for part in re.findall(r';((?:[^;"]|"[^"]*")*)', text):
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:  # vCard 2.1's bare types: TEL;WORK;FAX
            key, value = "TYPE", part
        values = [v.strip().strip('"') for v in value.split(",") if v.strip()]
        params.setdefault(key.strip().upper(), []).extend(values)
    return params


def _decode(value: bytes, params: dict[str, list[str]], encoding: str) -> str | None:
    """The value as text (None: binary, left out)."""
    coding = {v.upper() for v in params.get("ENCODING", [])} | {v.upper() for v in params.get("TYPE", [])}
    if coding & {"B", "BASE64"}:
        return None
    if "QUOTED-PRINTABLE" in coding:
        value = quopri.decodestring(value.replace(b"=\n", b""))
    charset = (params.get("CHARSET") or [encoding])[0]
    for candidate in (charset, encoding, "utf-8", "cp1252"):
        try:
            return value.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return value.decode("utf-8", errors="replace")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _parts(text: str) -> list[str]:
    """A structured value (N, ADR, ORG) split on its unescaped semicolons, each part unescaped."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", text)]


def _phone(value: str) -> str:
    """A TEL value as a number to read: a tel: URI's extension kept ("tel:+1-555-0100;ext=102" → "+1-555-0100 x102")."""
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    number, _, rest = text.partition(";")
    ext = re.search(r"(?:^|;)ext=([0-9]+)", rest, re.IGNORECASE)
    return f"{number} x{ext.group(1)}" if ext else number


def contact_of(line: int, lines: list[bytes], encoding: str) -> Contact:
    contact = Contact(line)
    own: dict[str, str] = {}  # cardbox's own export: X-CARDBOX-* fields, the card as it was
    notes: list[str] = []
    note_texts: set[str] = set()
    names: dict[str, str] = {}
    addresses: list[tuple[list[str], list[str]]] = []
    for logical in _unfold(lines):
        match = _NAME_LINE.match(logical.strip(b"\r"))
        if not match:
            continue  # not a property line (junk between properties): nothing to keep
        name = match.group(1).decode("ascii", "replace").split(".")[-1].upper()  # "item1.TEL" → TEL
        params = _params(match.group(2).decode("ascii", "replace"))
        if name in _FRAME:
            continue
        if name in _BINARY:
            contact.left_out.append(name.lower())
            contact.put(name, "left out (a picture, sound or key)")
            continue
        text = _decode(match.group(3), params, encoding)
        if text is None:
            contact.left_out.append(name.lower())
            contact.put(name, "left out (could not be decoded)")
            continue
        types = {t.lower() for t in params.get("TYPE", [])}
        if name.startswith("X-CARDBOX-"):
            own[name.removeprefix("X-CARDBOX-").lower()] = _unescape(text)
            contact.put(name, "cardbox's own field")
            continue
        if name in _WHERE:
            contact.put(name, _WHERE[name])
        if name == "FN":
            names.setdefault("fn", _unescape(text))
        elif name == "N":
            family, given, additional, prefix, suffix = (_parts(text) + [""] * 5)[:5]
            names.setdefault("n", " ".join(p for p in (prefix, given, additional, family, suffix) if p.strip()))
        elif name == "ORG":
            parts = [p for p in _parts(text) if p.strip()]
            if parts:
                contact.add("company", parts[0])
                if len(parts) > 1:
                    notes.append("Department: " + " · ".join(parts[1:]))
        elif name == "TEL":
            number = _phone(_unescape(text))
            if types & _NOT_CALLABLE:
                notes.append(f"{'Fax' if 'fax' in types else 'Pager'}: {number}")
                contact.put(name, "notes (fax and pager numbers are not called)")
            else:
                contact.add("phone", number)
                contact.put(name, "phone")
        elif name == "EMAIL":
            contact.add("email", _unescape(text).removeprefix("mailto:"))
        elif name == "ADR":
            addresses.append((_parts(text), sorted(types - {"pref"})))
        elif name == "NOTE":
            notes.append(_unescape(text))
            note_texts.add(notes[-1])
        elif name == "TZ":
            zone = _unescape(text).strip()
            if re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+", zone):
                contact.add("time_zone", zone)
                contact.put(name, "time zone")
            else:
                notes.append(f"Time zone: {zone}")
                contact.put(name, "notes, as 'Time zone: …' (not a zone name)")
        elif name == "CATEGORIES":
            for tag in re.split(r"(?<!\\),", text):
                contact.add("tags", _unescape(tag))
        else:
            label = _LABELS.get(name) or name.removeprefix("X-").replace("-", " ").title()
            value = " ".join(_unescape(p) for p in re.split(r"(?<!\\);", text) if p.strip())
            if value.strip():
                notes.append(f"{label}: {value}")
                contact.put(name, f"notes, as '{label}: …'")
    for index, (parts, kinds) in enumerate(addresses):
        box, extended, street, city, region, code, country = (parts + [""] * 7)[:7]
        if index == 0:
            contact.add("street", ", ".join(p for p in (street, extended, box) if p.strip()))
            for key, value in (("city", city), ("region", region), ("postal_code", code), ("country", country)):
                contact.add(key, value)
        else:
            where = ", ".join(p for p in (street, extended, box, city, region, code, country) if p.strip())
            if where:
                notes.append(f"Address{' (' + ', '.join(kinds) + ')' if kinds else ''}: {where}")
    if any(tag.casefold() in ("do-not-call", "do not call", "dnc") for tag in contact.values.get("tags", [])):
        contact.add("do_not_call", "yes")  # the prospect asked not to be called: their numbers go on the list
    if own:
        # cardbox's own vCard: its fields as they were, instead of the readable NOTE and the marked FN.
        names = {"fn": own.get("name", names.get("fn", ""))}
        notes = [n for n in notes if n not in note_texts]  # its NOTE is the why and notes, for reading on a phone
        if own.get("notes"):
            notes.append(own["notes"])
        for key, field_name in (("status", "status"), ("why", "why"), ("tz", "time_zone"), ("when", "when_phrase"),
                                ("when-start", "when_start"), ("when-end", "when_end")):
            if own.get(key):
                contact.add(field_name, own[key])
        contact.values["tags"] = [t for t in contact.values.get("tags", []) if t != "do-not-call"]
    name = names.get("fn") or names.get("n")
    if name and name.strip():
        contact.add("name", name)
    elif not contact.values.get("company") and not contact.values.get("email"):
        # Filed under something rather than lost: a nickname, else the number.
        nickname = next((n.split(": ", 1)[1] for n in notes if n.startswith("Nickname: ")), "")
        contact.add("name", nickname or (contact.values.get("phone") or [""])[0])
    if notes:
        contact.add("notes", "\n".join(notes))
    return contact


def places(contacts: list[Contact]) -> list[tuple[str, str, int]]:
    """(property, where its values went, in how many contacts) across the file, for the import report."""
    counts: dict[tuple[str, str], int] = {}
    for contact in contacts:
        for prop, wheres in contact.went.items():
            for where in wheres:
                counts[prop, where] = counts.get((prop, where), 0) + 1
    return [(prop, where, n) for (prop, where), n in sorted(counts.items())]


def read(raw: bytes, encoding: str) -> tuple[list[Contact], list[tuple[int, str]]]:
    """Every contact in the file, and what was left out of which (by the line its record starts on)."""
    contacts: list[Contact] = []
    notes: list[tuple[int, str]] = []
    for line, lines in records(raw):
        try:
            contact = contact_of(line, lines, encoding)
        except Exception as err:  # one record's surprise never costs the records after it
            notes.append((line, f"this vCard could not be read ({type(err).__name__}: {err}); the others were"))
            continue
        if not contact.values:
            notes.append((line, "this vCard holds nothing to file (no name, number, email or note)"))
            continue
        if contact.left_out:
            notes.append((line, f"imported; left out: {', '.join(sorted(set(contact.left_out)))} (pictures and keys are not kept)"))
        contacts.append(contact)
    return contacts, notes
