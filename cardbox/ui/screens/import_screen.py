"""Import a CRM or contacts export from the app: a preview first, then one change (ctrl+z takes it back).

The file is read and checked off the screen's thread (a dry run: nothing is
written); the preview shows the layout recognised, the encoding, the first
rows as cards, and the rows that will be skipped and why. `ctrl+s` imports.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, ProgressBar, Static

from cardbox.core import importing
from cardbox.core.box import ImportReport
from cardbox.core.box_errors import BoxError
from cardbox.core.text import shown
from cardbox.ui.base import CardboxModal
from cardbox.ui.widgets.footer import CardboxFooter

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class ImportDone:
    source: str
    report: ImportReport


class ImportScreen(CardboxModal[ImportDone | None]):
    BINDINGS = [
        Binding("ctrl+s", "run_import", "Import", id="import.run", priority=True),
        Binding("escape", "close", "Close", id="import.close"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.parsed: importing.Parsed | None = None
        self.path: Path | None = None
        self._asked = 0  # files asked for: only the last one's preview is shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import"):
            yield Static(Content.styled("Import cards from a file", "bold"), classes="dialog-title")
            yield Label("File (CSV from a CRM or contacts, or a .vcf): Enter shows what it holds")
            yield Input(placeholder="~/Downloads/hubspot-contacts.csv", id="import-path")
            yield Static(id="import-preview")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("enter previews · ctrl+s imports (one change: ctrl+z takes it back) · esc closes", classes="dialog-keys")
        yield CardboxFooter()

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.set_focus(self.query_one("#import-path", Input))

    @on(Input.Submitted, "#import-path")
    def _preview(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        self.parsed = None
        self.query_one("#import-preview", Static).update(Content.styled("reading…", "$text-muted"))
        self._asked += 1
        self.read(self._asked, path)

    @work(thread=True, group="import-read")
    def read(self, asked: int, path: Path) -> None:
        # The file is read and parsed beside the screen: a big one never holds up a save on the disk thread.
        try:
            if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
                raise OSError("not a plain file (a FIFO or a device): give a CSV or vCard file")  # never waits on one
            parsed = importing.parse(path.read_bytes(), path.name)
        except (OSError, importing.ImportError_) as err:
            message = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            self.app.call_from_thread(self._problem_for, asked, f"{path}: {message}")
            return
        self.app.call_from_thread(self._dry_run, asked, path, parsed)

    def _still_asked(self, asked: int) -> bool:
        return asked == self._asked and self.is_attached  # no other file asked for since, and the screen is up

    def _dry_run(self, asked: int, path: Path, parsed: importing.Parsed) -> None:
        if not self._still_asked(asked):
            return
        # The dry run takes the box's lock and reads the box anew: on the disk thread, behind any change still
        # being saved, never beside one on another thread.
        future = self.app.saver.submit(self.app.box.import_rows, parsed, source=path.name, dry_run=True)
        future.add_done_callback(lambda done: self._dry_run_done(asked, path, parsed, done))

    def _problem_for(self, asked: int, message: str) -> None:
        if self._still_asked(asked):
            self.show_problem(message)

    def _dry_run_done(self, asked: int, path: Path, parsed: importing.Parsed, done) -> None:
        if not self._still_asked(asked):
            return
        error = done.exception()
        if error is not None:
            self.show_problem(f"{path}: {error if isinstance(error, BoxError) else f'could not be read ({error})'}")
            return
        self.show_preview(path, parsed, done.result())

    def show_problem(self, message: str) -> None:
        self.query_one("#import-preview", Static).update(Content.styled(f"✗ {shown(message)}", "$error"))

    def show_preview(self, path: Path, parsed: importing.Parsed, report: ImportReport) -> None:
        self.path, self.parsed = path, parsed
        lines = [
            Content.assemble(("Layout  ", "$text-muted"), (parsed.layout, "bold"), f" · {parsed.encoding} · {len(parsed.rows)} rows"),
            Content.assemble(("Would   ", "$text-muted"), (f"import {len(report.imported)}", "bold"),
                             f", skip {len(report.skipped)}" + (" (merging is on the command line: --merge)" if report.skipped else "")),
        ]
        if parsed.mapping:
            columns = ", ".join(f"{column} → {target}" for column, target in parsed.mapping)
            lines.append(Content.assemble(("Columns ", "$text-muted"), shown(columns, one_line=True)))
        lines.append(Content(""))
        for row in parsed.rows[:PREVIEW_ROWS]:
            name = importing.name_of(row) or row.first("company")
            phones = ", ".join(importing.phones_in(row)) or "no phone"
            lines.append(Content(shown(f"  line {row.line}: {name} · {row.first('company') or '—'} · {phones}", one_line=True)))
        for line, reason in report.skipped[:PREVIEW_ROWS]:
            lines.append(Content.styled(shown(f"  skip line {line}: {reason}", one_line=True), "$warning"))
        self.query_one("#import-preview", Static).update(Content("\n").join(lines))

    def action_run_import(self) -> None:
        if self.parsed is None or self.path is None:
            self.app.bell()
            self.show_problem("press Enter on a file first: the preview comes before the import")
            return
        progress = self.query_one("#import-progress", ProgressBar)
        progress.display = True
        progress.update(total=None)
        parsed, source = self.parsed, self.path.name

        def imported(report: ImportReport) -> None:
            progress.display = False
            self.dismiss(ImportDone(source, report))

        def failed(_error: BaseException) -> None:
            progress.display = False

        self.app._save_change(f"the import of {source}", imported, failed, self.app.box.import_rows, parsed, source=source)

    def action_close(self) -> None:
        self.dismiss(None)
