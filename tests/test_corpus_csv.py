"""Every contact row in the CSV corpus other projects wrote (../shared/corpus/csv) becomes a card, with every
e-mail address and phone number in it on that card — checked with a reader of this test's own."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest

from cardbox.core import importing
from cardbox.core.box import Box

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "csv"
# The shared corpus when it sits beside the checkout (it may have grown), else the copy kept in tests/corpus.
CORPUS = SHARED if SHARED.is_dir() else Path(__file__).resolve().parent / "corpus" / "csv"
FILES = sorted(CORPUS.glob("*.csv")) if CORPUS.is_dir() else []
NOW = datetime(2026, 12, 7, 12, 0)
EMAIL = re.compile(r"[^@\s,;\"']+@[^@\s,;\"']+")


def plain_rows(raw: bytes) -> tuple[list[str], list[list[str]]]:
    for codec in ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_row_email_and_number_in_the_corpus_lands_on_a_card(tmp_path, path, capfd):
    raw = path.read_bytes()
    headers, rows = plain_rows(raw)
    box = Box(tmp_path / "box.json", clock=lambda: NOW)
    report = box.import_rows(importing.parse(raw, path.name), source=path.name)
    cards = box.cards()
    # A row that repeats an earlier row's e-mail or number is reported as a duplicate, not lost: count those too.
    duplicates = [why for _, why in report.skipped if "already in the box" in why]
    assert len(cards) + len(duplicates) == len(rows), report.skipped
    held = " ".join(" ".join((c.name, c.company, c.email, *c.emails, c.notes, *c.phones)) for c in cards).casefold()
    digits = re.sub(r"\D", "", held)
    for row in rows:
        for header, cell in zip(headers, row, strict=False):
            for email in EMAIL.findall(cell):
                assert email.casefold() in held or duplicates, (header, email)
            if re.search(r"phone|mobile", header, re.IGNORECASE) and len(re.sub(r"\D", "", cell)) >= 7:
                assert re.sub(r"\D", "", cell)[-7:] in digits or duplicates, (header, cell)
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_a_windows_1252_file_with_western_names_reads_as_windows_1252():
    raw = "First Name,Last Name,Company\nJosé,Gutiérrez,Café Lumière\nFrançois,Müller,Bräu AG\n".encode("cp1252")
    parsed = importing.parse(raw, "leads.csv")
    assert parsed.encoding == "cp1252" and parsed.rows[0].first("company") == "Café Lumière"
    czech = "Jméno,Příjmení,Company\nAntonín,Dvořák,Škoda Auto\nJiří,Nováček,Žlutý kůň\n".encode("cp1250")
    assert importing.decode(czech) == (czech.decode("cp1250"), "cp1250")  # a real Central European file stays so


def test_numbered_labelled_and_json_columns_and_an_unclosed_quote():
    raw = (b"Display Name,Primary Email,Work Phone,Mobile Number,E-mail 3 - Value,Phone 4 - Value,Person - Phone - Work,"
           b"Fax Number,Job Title,Emails\n"
           b'Ann Lee,ann@x.example,212 555 0101,212 555 0102,ann3@x.example,212 555 0104,212 555 0105,212 555 0199,Buyer,'
           b'"[{""label"": ""work"", ""value"": ""ann.json@x.example""}]"\n'
           b'Bad "Row,"oops,212 555 0201,,,,,,,\n'
           b"Cy Dee,cy@x.example,212 555 0301,,,,,,,\n"
           b"Di Eve,di@x.example,212 555 0401,,,,,,,\n")
    parsed = importing.parse(raw, "mixed.csv")
    ann = parsed.rows[0]
    assert ann.first("name") == "Ann Lee"
    assert importing.phones_in(ann) == ["212 555 0101", "212 555 0102", "212 555 0104", "212 555 0105"]
    assert importing.emails_in(ann) == ["ann@x.example", "ann3@x.example", "ann.json@x.example"]
    assert "Fax Number: 212 555 0199" in ann.all("notes") and "Job Title: Buyer" in ann.all("notes")
    names = [row.first("name") for row in parsed.rows]
    assert "Cy Dee" in names and "Di Eve" in names  # the rows after the broken one are still read
    assert any(line == 3 and "never closed" in why for line, why in parsed.skipped)


def test_the_corpus_is_there():
    """The walk above never passes by finding no files."""
    assert len(FILES) >= 10, CORPUS
