"""A list of cards that stays fast at 100k: only the visible rows are drawn.

Textual's DataTable and ListView build a widget or a row object per item
and take seconds at this size; this list keeps just the card ids and
renders a row when it scrolls into view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CardList(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="list.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open card", id="list.open"),
    ]

    COMPONENT_CLASSES = {"card-list--cursor", "card-list--empty"}

    DEFAULT_CSS = """
    CardList { height: 1fr; }
    CardList > .card-list--cursor { background: $primary 35%; text-style: bold; }
    CardList:focus > .card-list--cursor { background: $primary 60%; }
    CardList > .card-list--empty { color: $text-muted; text-style: italic; }
    """

    cursor = reactive(0, always_update=True)

    @dataclass
    class Selected(Message):
        card_list: CardList
        card_id: int

    @dataclass
    class Highlighted(Message):
        card_list: CardList
        card_id: int | None

    def __init__(self, render_row: Callable[[int, int], str | Text], *, empty: str = "no cards", **kwargs) -> None:
        super().__init__(**kwargs)
        self._render_row = render_row
        self._ids: Sequence[int] = []
        self._cache: dict[int, Strip] = {}
        self.empty_text = empty
        self._styles: tuple[Style, Style] | None = None  # (base, cursor) while a frame is drawn

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def highlighted(self) -> int | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(self, ids: Sequence[int], *, keep: int | None = None) -> None:
        """Show these cards; keep the cursor on card `keep` if it is still there."""
        self._ids = ids
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(ids))
        index = 0
        if keep is not None:
            try:
                index = ids.index(keep)
            except ValueError:
                index = min(self.cursor, max(len(ids) - 1, 0))
        self.cursor = index
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self._ids))

    def watch_cursor(self, old: int, new: int) -> None:
        if self._ids:
            clamped = max(0, min(new, len(self._ids) - 1))
            if clamped != new:
                self.cursor = clamped
                return
        self._cache.pop(old, None)
        self._cache.pop(new, None)
        self.scroll_to_region_y(new)
        self.refresh()
        self.post_message(self.Highlighted(self, self.highlighted))

    def scroll_to_region_y(self, row: int) -> None:
        top = int(self.scroll_y)
        height = max(self.scrollable_content_region.height, 1)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.cursor = self.cursor + step

    def action_page(self, direction: int) -> None:
        self.cursor = self.cursor + direction * max(self.scrollable_content_region.height - 1, 1)

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else max(len(self._ids) - 1, 0)

    def action_select(self) -> None:
        card_id = self.highlighted
        if card_id is not None:
            self.post_message(self.Selected(self, card_id))

    def on_click(self, event) -> None:
        row = int(self.scroll_y) + event.y
        if 0 <= row < len(self._ids):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = row

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are worked out once a frame, not once a line: each walks the widget's
        # ancestors (~0.1 ms), a third of the list's drawing when every row is new.
        self._styles = (self.rich_style, self.get_component_rich_style("card-list--cursor"))
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = int(self.scroll_y) + y
        base, cursor_style = self._styles or (self.rich_style, self.get_component_rich_style("card-list--cursor"))
        if not self._ids:
            if y == 0:
                text = Text(self.empty_text, style=self.get_component_rich_style("card-list--empty"))
                return Strip(text.render(self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if row >= len(self._ids):
            return Strip.blank(width, base)
        cached = self._cache.get(row)
        if cached is not None and cached.cell_length == width:
            return cached
        content = self._render_row(self._ids[row], width)
        text = content if isinstance(content, Text) else Text(content)
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        # The list's own colours under every row (else a light theme shows the terminal's background).
        text.stylize_before(base, 0, len(text))
        if row == self.cursor:
            text.stylize(cursor_style)
        strip = Strip(text.render(self.app.console), cell_len(text.plain)).crop_extend(0, width, base)
        self._cache[row] = strip
        return strip
