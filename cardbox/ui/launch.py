"""Open the app on a box file: what `cardbox` with no command runs."""

from __future__ import annotations

import sys
from pathlib import Path

from cardbox.core.box import Box
from cardbox.core.clock import clock_from_env
from cardbox.core.days_off import holidays_for
from cardbox.core.paths import bundled_themes_dir, settings_file, user_themes_dir
from cardbox.core.settings import load_settings
from cardbox.core.storage import BoxError


def run_app(path: Path, *, demo: bool = False) -> int:
    clock = clock_from_env(ticking=True)
    settings_path = settings_file()
    settings, warnings = load_settings(settings_path)
    holidays, holiday_warnings = holidays_for(settings.country, settings.region)
    warnings += holiday_warnings
    try:
        # Opened before the screen takes over, so a box that cannot be read
        # is reported on the plain terminal with its path and what to do.
        box = Box(path, clock=clock, region=settings.region, holidays=holidays)
        box.due(clock().date())
    except BoxError as err:
        print(f"cardbox: {err}", file=sys.stderr)
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
