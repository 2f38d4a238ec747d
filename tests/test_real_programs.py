"""Exports read by the programs a rep opens them in: LibreOffice Calc for the CSV, calcurse for the calendar.

Both come from Debian's packages (.ci/run installs them); without them these tests are skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CARDBOX = str(Path(sys.executable).parent / "cardbox")


def cli(folder: Path, *args: str, now: str = "2026-12-04T10:00") -> subprocess.CompletedProcess:
    env = dict(os.environ, CARDBOX_NOW=now, CARDBOX_TZ="America/New_York", XDG_CONFIG_HOME=str(folder / "config"),
               HOME=str(folder))
    env.pop("CARDBOX_BOX", None)
    done = subprocess.run([CARDBOX, "--box", str(folder / "box.json"), *args], capture_output=True, text=True, env=env,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    return done


def _cells(content: str) -> list[list[tuple[str, str]]]:
    """The rows of the first sheet of an .ods content.xml: (value type, text) per cell, repeats spelled out."""
    rows = []
    for row in re.findall(r"<table:table-row[^>]*>(.*?)</table:table-row>", content, re.DOTALL):
        cells: list[tuple[str, str]] = []
        for attrs, body in re.findall(r"<table:table-cell([^>]*?)(?:/>|>(.*?)</table:table-cell>)", row, re.DOTALL):
            typed_as = re.search(r'office:value-type="([^"]+)"', attrs)
            kind = typed_as[1] if typed_as else ""
            text = re.sub(r"<[^>]+>", "", body).replace("&apos;", "'").replace("&quot;", '"').replace("&amp;", "&")
            found = re.search(r'table:number-columns-repeated="(\d+)"', attrs)
            repeat = int(found[1]) if found else 1
            cells += [(kind, text)] * min(repeat, 64)
        rows.append(cells)
    return rows


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (Debian's libreoffice-calc-nogui) is not installed")
def test_libreoffice_reads_formula_like_cells_and_phones_as_text(tmp_path):
    cli(tmp_path, "add", "=1+1", "--phone", "+1 312 555 0137", "--company", '=HYPERLINK("http://x.example","y")',
        "--why", "@SUM(A1:A2)", "--note", "+cmd|' /C calc'!A0", "--when", "tomorrow at 4")
    cli(tmp_path, "export", "--format", "csv", "-o", str(tmp_path / "out.csv"))
    profile = tmp_path / "lo-profile"  # its own profile: two runs at once never share LibreOffice's lock
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(tmp_path / "out.csv")], capture_output=True, timeout=180, check=True)
    with zipfile.ZipFile(tmp_path / "out.ods") as ods:
        header, row = _cells(ods.read("content.xml").decode("utf-8"))[:2]
    names = [text.lstrip("\ufeff") for _kind, text in header]
    cell = {name: row[i] for i, name in enumerate(names) if i < len(row)}
    # Text, shown as written: never run as a formula, never turned into a number.
    assert cell["name"] == ("string", "'=1+1")
    assert cell["company"] == ("string", "'=HYPERLINK(\"http://x.example\",\"y\")")
    assert cell["why"] == ("string", "'@SUM(A1:A2)")
    assert cell["notes"] == ("string", "'+cmd|' /C calc'!A0")
    assert cell["phones"] == ("string", "'+13125550137")


@pytest.mark.skipif(not shutil.which("calcurse"), reason="calcurse (Debian's calcurse) is not installed")
def test_calcurse_imports_the_calendar_at_the_right_hours_and_days(tmp_path):
    cli(tmp_path, "add", "Ann East", "--phone", "212 555 0101", "--when", "tomorrow at 4")
    cli(tmp_path, "add", "Dana West", "--phone", "415 555 0134", "--when", "tomorrow at 4 my time")  # 4 p.m. Pacific
    cli(tmp_path, "add", "Win Dow", "--phone", "312 555 0139", "--when", "late january")
    cli(tmp_path, "export", "--format", "ics", "-o", str(tmp_path / "out.ics"))
    data = tmp_path / "calcurse"
    data.mkdir()
    env = dict(os.environ, TZ="America/Los_Angeles", HOME=str(tmp_path))  # a calendar on the west coast
    imported = subprocess.run(["calcurse", "-D", str(data), "-i", str(tmp_path / "out.ics")], capture_output=True,
                              text=True, env=env, timeout=60)
    assert "0 skipped" in imported.stdout, imported.stdout + imported.stderr

    def day(mmddyyyy: str) -> str:
        return subprocess.run(["calcurse", "-D", str(data), "-Q", "--from", mmddyyyy, "--days", "1"], capture_output=True,
                              text=True, env=env, timeout=60, check=True).stdout

    tomorrow = day("12/05/2026")
    # 4 p.m. Eastern is 1 p.m. on a west-coast calendar; the prospect's own 4 p.m. Pacific stays 4 p.m.
    assert re.search(r"13:00 -> 13:15\s+Call back: Ann East", tomorrow), tomorrow
    assert re.search(r"16:00 -> 16:15\s+Call back: Dana West", tomorrow), tomorrow
    assert "Win Dow" in day("01/21/2027") and "Win Dow" in day("01/31/2027")
    assert "Win Dow" not in day("01/20/2027") and "Win Dow" not in day("02/01/2027")
