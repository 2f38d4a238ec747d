"""Themes as data: TOML files turned into Textual themes.

cardbox ships its themes in `themes/`; a rep can drop their own file in
the folder `cardbox where` prints. A broken file is reported and skipped,
never a crash.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from functools import partial
from importlib.resources.abc import Traversable

from textual.color import Color, ColorParseError
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.theme import Theme

COLOR_KEYS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground", "background", "surface", "panel", "boost")

# Colours of cardbox's own that every theme may set; the defaults suit the
# manila card on a dark desk.
VARIABLE_DEFAULTS = {
    "card-background": "#efe0b9",
    "card-foreground": "#2b2418",
    "card-muted": "#6f6250",
    "card-rule": "#c9a96e",
    "card-heading": "#8a3b12",
    "card-overdue": "#b3261e",
    "card-due": "#2f6b2f",
    "card-hot": "#a0522d",
}


class ThemeFileError(ValueError):
    pass


def theme_from_data(data: dict, source: str) -> Theme:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"{source}: a theme needs a name = \"…\"")
    if "primary" not in data:
        raise ThemeFileError(f"{source}: theme {name!r} needs a primary colour")
    colors = {}
    for key in COLOR_KEYS:
        if key in data:
            value = data[key]
            try:
                Color.parse(value)
            except (ColorParseError, TypeError, ValueError):
                raise ThemeFileError(f"{source}: {key} = {value!r} is not a colour (use e.g. \"#c8a060\")") from None
            colors[key] = value
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError(f"{source}: [variables] must be a table of name = \"colour\"")
    clean_vars = {}
    for key, value in variables.items():
        if not isinstance(value, str):
            raise ThemeFileError(f"{source}: variable {key} must be text")
        if key in VARIABLE_DEFAULTS:
            try:
                Color.parse(value)
            except (ColorParseError, ValueError):
                raise ThemeFileError(f"{source}: variable {key} = {value!r} is not a colour") from None
        clean_vars[key] = value
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"{source}: dark must be true or false")
    return Theme(name=name.strip(), dark=dark, variables=clean_vars, **colors)


def load_theme_file(path: Traversable) -> Theme:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ThemeFileError(f"{path}: cannot read it ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ThemeFileError(f"{path}: not valid TOML ({err})") from None
    return theme_from_data(data, str(path))


def load_themes(folders: Iterable[Traversable]) -> tuple[list[Theme], list[str]]:
    """Every theme in `folders` (later folders override earlier ones), and a message per broken file."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted((item for item in folder.iterdir() if item.name.endswith(".toml")), key=lambda item: item.name):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as err:
                problems.append(f"theme file skipped: {err}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


class CardboxThemes(Provider):
    """The theme list of the palette: cardbox's own themes (and the rep's) first, then Textual's."""

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = self.app
        own = list(getattr(app, "own_themes", []))
        others = sorted(name for name in app.available_themes if name not in own and name != "textual-ansi")

        def use(name: str) -> None:
            app.theme = name

        return [(name, "cardbox theme" if name in own else "Textual theme", partial(use, name)) for name in [*own, *others]]

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
