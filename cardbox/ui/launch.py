"""Open the app on a box file: what `cardbox` with no command runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cardbox.core.backups import list_backups
from cardbox.core.box import Box
from cardbox.core.box_errors import BoxCorrupt, BoxError
from cardbox.core.clock import clock_from_env
from cardbox.core.days_off import holidays_for
from cardbox.core.paths import bundled_themes_dir, cache_dir, settings_file, user_themes_dir
from cardbox.core.settings import load_settings
from cardbox.core.text import shown
from cardbox.process import bulk_load


def recover(path: Path, problem: str, clock: Callable[[], datetime], reopen: Callable[[], Box], notes: list[str]) -> Box | None:
    """The box cannot be read: offer its backups (nothing is written unless the rep picks one)."""
    if not list_backups(path):
        print(f"cardbox: {shown(problem)}", file=sys.stderr)
        return None
    from cardbox.ui.recovery import RecoveryApp

    restored = RecoveryApp(path, problem, clock).run()
    if restored is None:
        print(f"cardbox: {shown(problem)}\nNothing was changed.", file=sys.stderr)
        return None
    kept = f"; the unreadable box is kept as {restored.kept}" if restored.kept else ""
    notes.append(f"Restored the backup of {restored.backup.day}{kept}")
    try:
        return reopen()
    except BoxError as err:
        print(f"cardbox: {shown(str(err))}", file=sys.stderr)
        return None


def run_app(path: Path, *, demo: bool = False) -> int:
    if demo:
        # The demo box is a US east-coast rep's: their clock, unless one is set.
        os.environ.setdefault("CARDBOX_TZ", "America/New_York")
    clock = clock_from_env(ticking=True)
    settings_path = settings_file()
    settings, warnings = load_settings(settings_path)
    if settings.time_zone and not os.environ.get("CARDBOX_TZ"):
        os.environ["CARDBOX_TZ"] = settings.time_zone  # the clock below reads the rep's zone from here
    holidays, holiday_warnings = holidays_for(settings.country, settings.region, cache=cache_dir())
    warnings += holiday_warnings
    try:
        # Opened before the screen takes over, so a box that cannot be read
        # is reported on the plain terminal with its path and what to do.
        box = Box(path, clock=clock, region=settings.region, holidays=holidays, loading=bulk_load)
        box.due(clock().date())
    except BoxCorrupt as err:
        box_or_none = recover(path, str(err), clock, lambda: Box(path, clock=clock, region=settings.region, holidays=holidays, loading=bulk_load), warnings)
        if box_or_none is None:
            return 3
        box = box_or_none
    except BoxError as err:
        print(f"cardbox: {shown(str(err))}", file=sys.stderr)
        return 3
    from cardbox.ui.app import make_app

    app = make_app(
        box,
        clock=clock,
        settings=settings,
        settings_path=settings_path,
        theme_dirs=[bundled_themes_dir(), user_themes_dir()],
        demo=demo,
        warnings=warnings,
    )
    app.run()
    return app.return_code or 0
