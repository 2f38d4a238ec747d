"""Where a rep's box, backups, settings and themes live.

Nothing is created on import: folders are made when something is first
written there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path

from cardbox.core.backups import backups_dir_for

APP = "cardbox"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Derived files cardbox can always make again (the public holidays of the rep's country)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def default_box(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    chosen = env.get("CARDBOX_BOX", "").strip()
    return Path(chosen).expanduser() if chosen else data_dir() / "box.json"


def demo_box() -> Path:
    """A throwaway box, never the rep's real one."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    return Path(tempfile.gettempdir()) / f"cardbox-demo-{user}" / "demo-box.json"


def settings_file() -> Path:
    return config_dir() / "settings.json"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def bundled_themes_dir() -> Traversable:
    """The themes shipped inside the package (package data, wherever it is installed)."""
    from importlib.resources import files

    return files("cardbox") / "themes"


def where(box: Path) -> dict[str, Path | Traversable]:
    return {
        "box": box,
        "backups": backups_dir_for(box.absolute()),
        "settings": settings_file(),
        "themes": user_themes_dir(),
        "bundled themes": bundled_themes_dir(),
        "cache": cache_dir(),
    }
