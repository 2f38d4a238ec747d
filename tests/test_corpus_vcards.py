"""Every contact in the vCard corpus other projects wrote (../shared/corpus/vcf) becomes a card with every
e-mail and phone number of it — checked with a reader of this test's own, not cardbox's."""

from __future__ import annotations

import quopri
import re
from datetime import datetime
from pathlib import Path

import pytest

from cardbox.core import importing
from cardbox.core.box import Box

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "vcf"
# The shared corpus when it sits beside the checkout (it may have grown), else the copy kept in tests/corpus.
CORPUS = SHARED if SHARED.is_dir() else Path(__file__).resolve().parent / "corpus" / "vcf"
FILES = sorted(CORPUS.glob("*.vcf")) if CORPUS.is_dir() else []
NOW = datetime(2026, 12, 7, 12, 0)


def expected(raw: bytes) -> tuple[int, list[str], list[str]]:
    """(records, e-mails, phone digits) by the plainest reading: unfold, then match the property names."""
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    text = re.sub(r"\n[ \t]", "", text)
    records = len(re.findall(r"(?im)^BEGIN:VCARD\s*$", text))
    emails = []
    for params, value in re.findall(r"(?im)^(?:[\w-]+\.)?EMAIL([^:\n]*):(.+)$", text):
        if "QUOTED-PRINTABLE" in params.upper():
            value = quopri.decodestring(value.encode()).decode("utf-8", errors="replace")
        if value.strip():
            emails.append(value.strip().removeprefix("mailto:"))
    phones = []
    for value in re.findall(r"(?im)^(?:[\w-]+\.)?TEL[^:\n]*:(.+)$", text):
        digits = re.sub(r"\D", "", value.split(";ext=")[0])
        if len(digits) >= 7:
            phones.append(digits)
    return records, emails, phones


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_contact_email_and_number_in_the_corpus_lands_on_a_card(tmp_path, path, capfd):
    raw = path.read_bytes()
    records, emails, phones = expected(raw)
    box = Box(tmp_path / "box.json", clock=lambda: NOW)
    report = box.import_rows(importing.parse(raw, path.name), source=path.name)
    cards = box.cards()
    assert len(cards) == records and not report.skipped, report.skipped
    held = " ".join(" ".join((c.email, *c.emails, c.notes)) for c in cards).casefold()
    for email in emails:
        assert email.casefold() in held, email
    digits = " ".join(re.sub(r"\D", "", " ".join(c.phones)) + " " + re.sub(r"\D", "", c.notes) for c in cards)
    for number in phones:
        assert number[-7:] in digits, number
    out, err = capfd.readouterr()
    assert err == "" and out == ""  # no library noise on the rep's terminal


def test_one_broken_record_costs_that_record_only_and_is_named_by_its_line():
    raw = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First Fine\r\nTEL:212 555 0100\r\nEND:VCARD\r\n"
           b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=\r\n=BCrgen\r\n"
           b"ORG:Company, The;Sales\r\nTEL;WORK;FAX:212 555 0199\r\nTEL;VALUE=uri:tel:+1-212-555-0142;ext=102\r\n"
           b"ADR;TYPE=work:;;1 Main St;Springfield;IL;62701;USA\r\nNOTE:first\r\nNOTE:second\r\n"
           b"PHOTO;ENCODING=b;TYPE=JPEG:!!!not base64!!!\r\nEND:VCARD\r\n"
           b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=SHIFT_JIS:" + "山田".encode("shift_jis") + b"\r\nEND:VCARD\r\n")
    parsed = importing.parse(raw, "mixed.vcf")
    assert [row.line for row in parsed.rows] == [1, 6, 18]
    second = parsed.rows[1]
    assert second.first("name") == "Jürgen Müller" and second.first("company") == "Company, The"
    assert second.all("phone") == ["+1-212-555-0142 x102"]  # the fax is not a callable phone
    notes = second.first("notes")
    assert "Fax: 212 555 0199" in notes and "Department: Sales" in notes and "first" in notes and "second" in notes
    assert (second.first("street"), second.first("city"), second.first("region")) == ("1 Main St", "Springfield", "IL")
    assert parsed.rows[2].first("name") == "山田"
    assert parsed.remarks == [(6, "left out: photo (pictures and keys are not kept)")]


def test_the_corpus_is_there():
    """The walk above never passes by finding no files."""
    assert len(FILES) >= 50, CORPUS
