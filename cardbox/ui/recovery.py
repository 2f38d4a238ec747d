"""When the box cannot be read: the backups, with their dates and card counts, to put one back — or quit.

Nothing is written until the rep chooses. A restore keeps the unreadable
box beside the backups (never deletes it) and says where.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cardbox.core.backups import Backup, Restored, backup_card_count, list_backups, restore_backup
from cardbox.core.box_errors import BoxError
from cardbox.core.text import shown
from cardbox.ui.widgets.footer import CardboxFooter


class RecoveryApp(App[Restored | None]):
    """A small app of its own: the card box app needs a readable box to start."""

    TITLE = "cardbox — the box cannot be read"
    BINDINGS = [
        Binding("enter", "restore", "Restore this backup", id="recovery.restore", priority=True),
        Binding("q,escape", "quit_unchanged", "Quit (change nothing)", id="recovery.quit"),
    ]
    CSS = """
    Screen { align: center middle; }
    #recovery { width: 90%; max-width: 100; height: auto; border: round $error; padding: 1 2; }
    #recovery-problem { color: $error; margin-bottom: 1; }
    #recovery-list { height: auto; max-height: 12; margin: 1 0; }
    #recovery-result { color: $warning; }
    """

    def __init__(self, path: Path, problem: str, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.path = path
        self.problem = problem
        self.clock = clock
        self.backups: list[Backup] = list_backups(path)

    def compose(self) -> ComposeResult:
        with Vertical(id="recovery"):
            yield Static(Content(shown(self.problem)), id="recovery-problem")
            yield Static(Content("Put a backup back as the box (the unreadable one is kept, not deleted), or quit and nothing changes:"))
            options = []
            for backup in self.backups:
                count = backup_card_count(backup)
                cards = f"{count} card{'s' if count != 1 else ''}" if count is not None else "unreadable too"
                options.append(Option(f"{backup.day:<34} {cards:>16}   {backup.size / 1024:,.1f} KB", id=backup.day,
                                      disabled=count is None))
            yield OptionList(*options, id="recovery-list")
            yield Static(id="recovery-result")
        yield CardboxFooter(compact=False, show_command_palette=True)

    def action_restore(self) -> None:
        chosen = self.query_one(OptionList).highlighted_option
        if chosen is None or chosen.disabled or chosen.id is None:
            self.bell()
            return
        try:
            restored = restore_backup(self.path, chosen.id, self.clock)
        except BoxError as err:
            self.query_one("#recovery-result", Static).update(Content(f"✗ {shown(str(err))}"))
            return
        self.exit(restored)

    def action_quit_unchanged(self) -> None:
        self.exit(None)
