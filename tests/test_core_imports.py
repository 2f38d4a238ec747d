"""The core never imports Textual: the CLI and scripts stay fast and headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cardbox.core

CORE_MODULES = sorted(f"cardbox.core.{m.name}" for m in pkgutil.iter_modules(cardbox.core.__path__))


def test_core_modules_are_found():
    # a guard against the walk below silently checking nothing
    assert {"cardbox.core.box", "cardbox.core.card", "cardbox.core.storage", "cardbox.core.refile"} <= set(CORE_MODULES)


def test_core_and_cli_do_not_import_textual():
    modules = [*CORE_MODULES, "cardbox.cli"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
        "from cardbox.cli import build_parser\n"
        "build_parser()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'cardbox.ui')))\n"
        "print(len(sys.modules)); print(bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_the_check_above_can_fail():
    proc = subprocess.run([sys.executable, "-c", "import textual, sys; print('textual' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True"
