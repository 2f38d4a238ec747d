"""Shared fixtures: a fixed clock, a temporary box, and the app built by the real factory.

No test touches the user's real box, settings or themes: the data, config
and cache folders point into the test's tmp_path.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from helpers import NOW


def pytest_configure(config) -> None:
    # Many tests run cardbox as a command, and each run imports it again. Where PYTHONDONTWRITEBYTECODE is set
    # (as on CI's machine) nothing is ever cached, so every run compiled every module: about a third of each
    # command's time. Compiled once here, before the workers start, every run reads the cache.
    if not hasattr(config, "workerinput"):
        import compileall

        import cardbox

        compileall.compile_dir(Path(cardbox.__file__).parent, quiet=1)


def pytest_xdist_auto_num_workers(config) -> int:
    # `-n auto`: one worker more than there are cores. A Pilot or tmux test spends much of its time waiting for
    # the screen to go idle, and a worker waiting leaves its core idle: on two cores, three workers ran the suite
    # in 60 s where two took 75 s.
    return (os.cpu_count() or 1) + 1


@pytest.fixture(autouse=True)
def _keep_real_folders_out(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("CARDBOX_BOX", raising=False)
    monkeypatch.delenv("CARDBOX_NOW", raising=False)
    # The rep of these tests works on the US west coast, whatever the machine's
    # zone: at the fixtures' 10:00 every US prospect is inside calling hours.
    # Tests about zones set their own.
    monkeypatch.setenv("CARDBOX_TZ", "America/Los_Angeles")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def clock():
    return lambda: NOW


@pytest.fixture
def box_path(tmp_path) -> Path:
    return tmp_path / "box.json"


@pytest.fixture
def demo_path(tmp_path) -> Path:
    from cardbox.core.demo import write_demo_box

    path = tmp_path / "demo" / "box.json"
    write_demo_box(path, now=NOW, count=60, due_today=6)
    return path
