"""Cards in: CRM and contact exports read into rows a card can be made from.

Reading only — the box does the writing (`Box.import_rows`), as one change.

* The encoding: UTF-8 with or without a BOM; anything else is worked out by
  `charset-normalizer` (Windows-1252 exports are common), never guessed here.
* The layout: HubSpot contacts, Salesforce leads reports, Pipedrive people,
  Close leads, Zoho leads, Google Contacts, Outlook contacts and cardbox's
  own CSV export are recognised by their headers; anything else through
  `--map COLUMN=FIELD`. vCard files (`.vcf`) are read a record at a time
  (cardbox.core.vcards).
* Messy files are normal: quoted cells with commas and line breaks (the
  stdlib `csv`), CRLF, blank rows, report footers after the data ("Grand
  Totals", "Confidential Information…"), several phones in one cell ("a, b",
  "a ::: b"). Rows that cannot be used are reported with their line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FIELDS: tuple[str, ...] = ("name", "why", "status", "when_phrase", "when_start", "when_end", "first", "middle", "last", "company", "phone", "email", "notes", "time_zone", "street", "city",
                           "region", "postal_code", "country", "tags", "do_not_call")

# Header (lower case, spaces squeezed) → field. Several headers may feed one field (phones, emails).
HEADERS: dict[str, str] = {
    # cardbox's own export
    "name": "name", "company": "company", "phones": "phone", "email": "email", "notes": "notes", "why": "why",
    "tags": "tags", "time_zone": "time_zone", "when": "when_phrase", "when_start": "when_start", "when_end": "when_end",
    "status": "status", "history": "history", "do_not_call": "do_not_call", "emails": "email", "region": "region", "postal_code": "postal_code",
    # HubSpot contacts
    "first name": "first", "last name": "last", "phone number": "phone", "mobile phone number": "phone",
    "company name": "company", "email address": "email", "street address": "street", "state/region": "region",
    "postal code": "postal_code", "country/region": "country", "time zone": "time_zone", "city": "city",
    # Salesforce leads report
    "company / account": "company", "phone": "phone", "mobile": "phone", "mobile phone": "phone",
    "street": "street", "state/province": "region", "zip/postal code": "postal_code", "country": "country",
    "description": "notes", "title": "notes_title",
    # Pipedrive people
    "person - name": "name", "person - phone": "phone", "person - email": "email", "person - organization": "company",
    "person - first name": "first", "person - last name": "last", "person - notes": "notes",
    # Close leads
    "contact name": "name", "contact phones": "phone", "contact emails": "email", "primary_contact_name": "name",
    "primary_contact_primary_phone": "phone", "primary_contact_primary_email": "email", "display_name": "company",
    # Zoho leads
    "state": "region", "zip code": "postal_code",
    # Google Contacts
    "given name": "first", "additional name": "middle", "family name": "last", "organization 1 - name": "company",
    "organization name": "company", "phone 1 - value": "phone", "phone 2 - value": "phone", "phone 3 - value": "phone",
    "e-mail 1 - value": "email", "e-mail 2 - value": "email", "address 1 - street": "street", "address 1 - city": "city",
    "address 1 - region": "region", "address 1 - postal code": "postal_code", "address 1 - country": "country",
    "middle name": "middle",
    # Outlook contacts
    "business phone": "phone", "business phone 2": "phone", "home phone": "phone", "other phone": "phone",
    "e-mail address": "email", "e-mail 2 address": "email", "business street": "street", "business city": "city",
    "business state": "region", "business postal code": "postal_code", "business country/region": "country",
    # Thunderbird address books (and Roundcube's exports of them)
    "display name": "name", "organization": "company", "work address": "street", "work city": "city",
    "work state": "region", "work zipcode": "postal_code", "work country": "country",
    "business zip": "postal_code", "work zip": "postal_code",
}

# Columns no table above names, read by the words in their header: every numbered or labelled e-mail and phone
# column ("E-mail 3 - Value", "Phone 4 - Value", "Person - Phone - Work", "Mobile Number", "Email Home"). A fax or
# a pager is not a number to call: kept in the notes under its header. A "… - Type" column labels its neighbour.
_EMAIL_COLUMN = re.compile(r"\be-?mail\b", re.IGNORECASE)
_PHONE_COLUMN = re.compile(r"\b(phone|mobile|cell|telephone|tel)\b", re.IGNORECASE)
_NOT_CALLABLE_COLUMN = re.compile(r"\b(fax|pager)\b", re.IGNORECASE)
_LABEL_COLUMN = re.compile(r"\b(type|label)$", re.IGNORECASE)
# "Do Not Call", "DoNotCall", "DNC", "Do not call?" (HubSpot, Salesforce, Zoho …): the prospect asked not to be called.
_DNC_COLUMN = re.compile(r"(\bdo[ _-]?not[ _-]?call\b|^dnc\b|\bdnc$)", re.IGNORECASE)
# A do-not-call cell that says no; anything else in the cell (yes, true, x, a date, a reason) says yes.
_NO = frozenset({"no", "n", "false", "f", "0", "-", "off", "none", "unchecked", "not set"})
# A field a column feeds as a note line under its own header ("Job Title: Buyer").
NOTE_LINE = "note-line"
# cardbox's own export: columns it works out from the card (its id, stamps, counts), not data to import.
OWN_DERIVED = frozenset({"id", "created", "updated", "attempts", "last_outcome", "last_attempt"})


def target_of(key: str) -> str:
    """The field a column feeds, by its (lower-cased) header: the tables above, then the words in it; anything
    else goes into the notes as `Header: value` (never dropped)."""
    if key in HEADERS:
        return HEADERS[key]
    if _DNC_COLUMN.search(key):
        return "do_not_call"
    if _LABEL_COLUMN.search(key) or _NOT_CALLABLE_COLUMN.search(key):
        return NOTE_LINE
    if _EMAIL_COLUMN.search(key):
        return "email"
    if _PHONE_COLUMN.search(key):
        return "phone"
    return NOTE_LINE

# Headers only one layout has: how a file says where it came from.
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("cardbox", frozenset({"when_start", "history", "phones"})),
    ("HubSpot contacts", frozenset({"record id", "first name", "last name"})),
    ("Salesforce leads report", frozenset({"company / account"})),
    ("Pipedrive people", frozenset({"person - name"})),
    ("Close leads", frozenset({"primary_contact_name"})),
    ("Close leads", frozenset({"contact name", "contact phones"})),
    ("Zoho leads", frozenset({"lead owner"})),
    ("Google Contacts", frozenset({"phone 1 - value"})),
    ("Outlook contacts", frozenset({"business phone", "e-mail address"})),
    ("Thunderbird address book", frozenset({"primary email", "display name"})),
)

FOOTERS = re.compile(r"^(grand totals?|total|confidential information|generated by|copyright|©|\(c\) )", re.IGNORECASE)
SEVERAL = re.compile(r"\s*(?::::|;|,|\|)\s*")


class ImportError_(ValueError):
    """The file cannot be read at all (the message says why)."""


@dataclass
class Row:
    line: int
    values: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        return next((v for v in self.values.get(name, []) if v), "")

    def all(self, name: str) -> list[str]:
        return [v for v in self.values.get(name, []) if v]


@dataclass
class Parsed:
    layout: str
    rows: list[Row]
    skipped: list[tuple[int, str]]
    encoding: str
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (column, field) as chosen
    remarks: list[tuple[int, str]] = field(default_factory=list)  # imported rows with something left out, and why
    places: list[tuple[str, str, int]] = field(default_factory=list)  # (column or property, where it went, rows with a value)


def not_mapped(places: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The columns or properties with values that have no field of their own: where those values went."""
    return [place for place in places if place[2] and place[1] not in FIELDS and place[1].startswith(("notes", "left out"))]


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (with BOM)"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise ImportError_("the file is not text (no encoding reads it)")
    if best.encoding != "cp1252" and _single_byte(best.encoding):
        # Every byte means something in every single-byte code page, so the detector's pick among them can be a
        # coin toss: "Café Lumière" in Windows-1252 reads as Windows-1250's "Lumičre" just as cleanly. Where
        # Windows-1252 reads the file and its text holds only the accents Western names are full of (é è à ç ü
        # ñ …, none of the ø ù ò ð þ a Central European file read as Windows-1252 turns into), it wins.
        try:
            western = raw.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and _reads_western(western):
            return western, "cp1252"
    return str(best), best.encoding


# Letters a Central or Eastern European file turns into when read as Windows-1252 (ř → ø, ů → ù, ň → ò, đ → ð …),
# and symbols no name holds: rare in Western names, so their presence says the Windows-1252 reading is wrong.
_NOT_WESTERN = set("øùòìðþýØÙÒÌÐÞÝ¹¾¼½±µ¶¸¤¦¨¯´")


def _single_byte(encoding: str) -> bool:
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("cp125", "iso8859", "mac-", "latin", "cp8", "koi8")) or name in ("cp437", "cp850")


def _reads_western(text: str) -> bool:
    """Text with accented letters, none of them the ones a misread Central European file shows."""
    return any(ord(ch) > 127 for ch in text) and not any(ch in _NOT_WESTERN for ch in text)


def _codec(encoding: str) -> str:
    """A codec name Python knows for the encoding `decode` reported ("UTF-8 (with BOM)" → "utf-8")."""
    return "utf-8" if encoding.upper().startswith("UTF-8") else encoding


def _key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def parse(raw: bytes, filename: str = "", mapping: dict[str, str] | None = None) -> Parsed:
    """Rows from a CSV or vCard file; `mapping` (column → field) for layouts not recognised."""
    text, encoding = decode(raw)
    if filename.lower().endswith(".vcf") or text.lstrip().upper().startswith("BEGIN:VCARD"):
        return _parse_vcards(raw.removeprefix(b"\xef\xbb\xbf"), _codec(encoding))
    return _parse_csv(text, encoding, {_key(k): v for k, v in (mapping or {}).items()})


def _parse_csv(text: str, encoding: str, mapping: dict[str, str]) -> Parsed:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportError_("the file is empty") from None
    except csv.Error as err:
        raise ImportError_(f"its first line, the column names, cannot be read ({err})") from None
    keys = [_key(h) for h in headers]
    for column in mapping:
        if column not in keys:
            raise ImportError_(f"--map names a column {column!r} that the file does not have; it has: {', '.join(h for h in headers if h)}")
    layout = next((name for name, needed in SIGNATURES if needed <= set(keys)), "a CSV of its own")
    own = layout == "cardbox"
    targets = [mapping.get(k) or ("ignore" if own and k in OWN_DERIVED else target_of(k)) for k in keys]
    if not own:  # only cardbox's own "history" column is its summary of the attempts; anyone else's is a note
        targets = [NOTE_LINE if t == "history" and not mapping.get(k) else t for t, k in zip(targets, keys, strict=True)]
    # A column with no header still has values: they go to the notes under the column's number.
    labels = [h.strip() or f"Column {i + 1}" for i, h in enumerate(headers)]
    filled = [0] * len(headers)
    again: Parsed | None = None
    if not any(t in ("name", "first", "last", "company", "email") for t in targets):
        raise ImportError_(
            "no column reads as a name, company or email; say which with --map, e.g. --map 'Full Name=name' --map 'Tel=phone'"
            f" (the file's columns: {', '.join(h for h in headers if h)})")
    if mapping:
        layout += " (with --map)"
    rows: list[Row] = []
    skipped: list[tuple[int, str]] = []
    for start, cells in _rows_of(reader, skipped):
        if not any(cell.strip() for cell in cells):
            continue  # blank rows are normal
        if FOOTERS.match(cells[0].strip()) and not any(c.strip() for c in cells[1:3]):
            break  # a report's footer: the data is over
        row = Row(start)
        for index, (header, target, cell) in enumerate(zip(labels, targets, cells, strict=False)):
            if own and cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                cell = cell[1:]  # cardbox's export kept a formula-like cell as text: the apostrophe is not the value
            if not cell.strip():
                continue
            filled[index] += 1
            if target in ("ignore", "history"):
                continue
            if target == NOTE_LINE:
                row.values.setdefault("notes", []).append(f"{header}: {cell.strip()}")
                continue
            for value in _cell_values(cell.strip(), target):
                row.values.setdefault(target, []).append(value)
        extra = [cell.strip() for cell in cells[len(headers):] if cell.strip()]
        if extra:  # more cells than headers: kept, not dropped
            row.values.setdefault("notes", []).append("More cells: " + " · ".join(extra))
        rows.append(row)
        if unclosed_quote(cells, start, reader.line_num, len(headers)):
            # An opening quote never closed swallows the rest of the file into one cell: say so at its line and
            # read the lines after it on their own, so the rows after it are imported all the same.
            rows.pop()
            skipped.append((start, "a quote opened in this row is never closed; the row is not imported"))
            rest = "\n".join(text.replace("\r\n", "\n").split("\n")[start:])
            again = _parse_csv(",".join(_quote_header(h) for h in headers) + "\n" + rest, encoding, mapping)
            for row in again.rows:
                row.line += start - 1
            rows.extend(again.rows)
            skipped.extend((line + start - 1, why) for line, why in again.skipped)
            break
    chosen = [(header, target) for header, target in zip(labels, targets, strict=False) if target != "ignore"]
    places = [(header, _where(header, target), count) for header, target, count in zip(labels, targets, filled, strict=False)]
    if again is not None:  # the rows read again after an unclosed quote count too
        places = [(h, w, n + m) for (h, w, n), (_, _, m) in zip(places, again.places, strict=False)]
    return Parsed(layout, rows, skipped, encoding, chosen, places=places)


def _rows_of(reader: Any, skipped: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """(the line it starts on, its cells) for each row; one the reader cannot read (a cell of over 128 KB) is
    reported, and the rows after it still come."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            skipped.append((start, f"this row could not be read ({err}); the rows after it were"))
            continue
        yield start, cells


def _where(header: str, target: str) -> str:
    if target == NOTE_LINE:
        return f"notes, as '{header}: …'"
    if target == "ignore":
        return "worked out again from the card"
    if target == "history":
        return "left out (a card's history comes back whole only from a JSON export)"
    if target == "do_not_call":
        return "do_not_call (its numbers go on the do-not-call list)"
    return target


def asks_not_to_call(row: Row) -> bool:
    """The row says the prospect asked not to be called: its status, or a do-not-call column that does not say no."""
    return row.first("status") == "do-not-call" or any(v.strip().casefold() not in _NO for v in row.all("do_not_call"))


def _quote_header(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def unclosed_quote(cells: list[str], start: int, end: int, columns: int) -> bool:
    """A row that ran many lines on and holds, inside one cell, lines shaped like rows of this file."""
    if end - start < 2:
        return False
    for cell in cells:
        lines = cell.split("\n")
        if len(lines) >= 3 and sum(1 for line in lines[1:] if line.count(",") >= max(1, columns - 1)) >= 2:
            return True
    return False


def _cell_values(cell: str, target: str) -> list[str]:
    """A cell as values: a JSON list (some CRMs export [{"label": "work", "value": …}]) read as its items."""
    if target in ("phone", "email", "tags") and cell.startswith("[") and cell.endswith("]"):
        import json

        try:
            items = json.loads(cell)
        except ValueError:
            return [cell]
        if isinstance(items, list):
            values = []
            for item in items:
                if isinstance(item, dict):
                    item = next((item[k] for k in ("value", "email", "phone", "number", "address") if isinstance(item.get(k), str)), "")
                if isinstance(item, str | int) and str(item).strip():
                    values.append(str(item).strip())
            return values
    return [cell]


def _parse_vcards(raw: bytes, encoding: str) -> Parsed:
    """Every contact of a vCard file, a record at a time (cardbox.core.vcards): one broken record costs that one."""
    from cardbox.core import vcards

    contacts, remarks = vcards.read(raw, encoding)
    rows = [Row(contact.line, contact.values) for contact in contacts]
    skipped = [(line, why) for line, why in remarks if not why.startswith("imported;")]
    kept = [(line, why.removeprefix("imported; ")) for line, why in remarks if why.startswith("imported;")]
    return Parsed("vCard", rows, skipped, encoding, remarks=kept, places=vcards.places(contacts))


_EXTENSION = re.compile(r"\s*;\s*ext=", re.IGNORECASE)


def tags_in(row: Row) -> list[str]:
    """Every tag in the row's tag cells, several to a cell ("price-shopper ; referral", "a, b")."""
    found: list[str] = []
    for cell in row.all("tags"):
        for part in SEVERAL.split(cell):
            if part.strip() and part.strip() not in found:
                found.append(part.strip())
    return found


def phones_in(row: Row) -> list[str]:
    """Every number in the row's phone cells, several to a cell allowed ("a, b", "a ::: b")."""
    found: list[str] = []
    for cell in row.all("phone"):
        cell = _EXTENSION.sub(" x", cell)  # "+12125550100;ext=102" (RFC 3966, cardbox's export): one number
        for part in SEVERAL.split(cell):
            if part.strip() and part.strip() not in found:
                found.append(part.strip())
    return found


def emails_in(row: Row) -> list[str]:
    found: list[str] = []
    for cell in row.all("email"):
        for part in SEVERAL.split(cell):
            if "@" in part and part.strip() not in found:
                found.append(part.strip())
    return found


def not_emails_in(row: Row) -> list[str]:
    """What the e-mail cells hold that is not an address: kept in the notes as typed, never dropped."""
    kept: list[str] = []
    for cell in row.all("email"):
        for part in SEVERAL.split(cell):
            if part.strip() and "@" not in part and part.strip() not in kept:
                kept.append(part.strip())
    return kept


def name_of(row: Row) -> str:
    name = row.first("name")
    if name:
        return name
    return " ".join(part for part in (row.first("first"), row.first("middle"), row.first("last")) if part)
