"""Commands that move cards and numbers in and out: import, export, do-not-call, backups."""

from __future__ import annotations

import sys
from pathlib import Path

from cardbox.cli.common import box_path_of, open_box, window_of
from cardbox.cli.output import print_json
from cardbox.cli.parser import EXIT_INPUT, EXIT_OK, InputError
from cardbox.core.text import shown


def cmd_backups(args, clock) -> int:
    # Never opens the box: this is what a rep runs when the box cannot be read.
    from cardbox.core.backups import backups_dir_for, list_backups, restore_backup

    path = box_path_of(args).expanduser().absolute()
    if args.restore:
        restored = restore_backup(path, args.restore, clock)
        print(f"restored {restored.backup.path.name} as {path}")
        if restored.kept is not None:
            print(f"the box it replaced is kept, untouched, as {restored.kept}")
        return EXIT_OK
    backups = list_backups(path)
    if not backups:
        print(f"no backups yet; cardbox keeps one a day in {backups_dir_for(path)} once the box changes")
    for backup in backups:
        print(f"{backup.day:<32} {backup.size / 1024:>10,.1f} KB  {backup.path}")
    return EXIT_OK


def cmd_dnc(args, clock) -> int:
    from cardbox.core.phone import display

    box, settings = open_box(args, clock)
    if args.dnc_action == "add":
        added, already = box.dnc_add([args.number], how="added with cardbox dnc add", note=args.note)
        number = (added or already)[0]
        print(f"{display(number, settings.region)} is {'now' if added else 'already'} on the do-not-call list")
        print_blocked(box, number)
        return EXIT_OK
    if args.dnc_action == "import":
        return import_dnc_file(box, Path(args.file), settings.region)
    rows = sorted(box.dnc_numbers().values(), key=lambda row: str(row.get("added", "")))
    if args.json:
        print_json(rows)
        return EXIT_OK
    if not rows:
        print("the do-not-call list is empty; cardbox dnc add NUMBER puts a number on it")
    for row in rows:
        note = f"  {row.get('note')}" if row.get("note") else ""
        print(f"{display(str(row.get('number')), settings.region):<20} since {str(row.get('added', ''))[:10]}  {row.get('how', '')}{note}")
    return EXIT_OK


def print_blocked(box, number: str) -> None:
    for card in box.cards():
        if number in card.phones:
            print(f"  #{card.id} {shown(card.name, one_line=True)} is blocked: no calls, its record is kept")


def import_dnc_file(box, path: Path, region: str) -> int:
    from cardbox.core.card import CardError
    from cardbox.core.phone import normalize

    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err})") from None
    numbers, refused = [], []
    for line_no, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            numbers.append(normalize(text, region))
        except CardError as err:
            refused.append(f"line {line_no}: {err}")
    added, already = box.dnc_add(numbers, how=f"imported from {path.name}") if numbers else ([], [])
    print(f"{len(added)} number{'s' if len(added) != 1 else ''} added to the do-not-call list, {len(already)} already on it")
    for problem in refused:
        print(f"  not imported, {problem}", file=sys.stderr)
    return EXIT_OK if not refused else EXIT_INPUT


def cmd_import(args, clock) -> int:
    from cardbox.core import importing

    box, settings = open_box(args, clock)
    if args.undo:
        source, removed, restored = box.undo_import()
        print(f"undid the import of {source}: {removed} card{'s' if removed != 1 else ''} removed, {restored} merged card{'s' if restored != 1 else ''} put back")
        return EXIT_OK
    if not args.file:
        raise InputError("give the file to import (or --undo to take the last import back)")
    mapping = {}
    for item in args.map:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip() or target.strip() not in importing.FIELDS:
            raise InputError(f"--map {item!r}: write COLUMN=FIELD, the field one of: {', '.join(importing.FIELDS)}")
        mapping[column.strip()] = target.strip()
    path = Path(args.file).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror or err})") from None
    try:
        parsed = importing.parse(raw, path.name, mapping)
    except importing.ImportError_ as err:
        raise InputError(f"{path.name}: {err}") from None
    window = window_of(args.when, clock(), settings.day_first, box.holidays, speaker="rep") if args.when is not None else None
    report = box.import_rows(parsed, source=path.name, when=window, tags=args.tag, merge=args.merge, dry_run=args.dry_run)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    verb = "would import" if args.dry_run else "imported"
    print(f"{path.name}: {parsed.layout}, {parsed.encoding}; {len(parsed.rows)} rows")
    print(f"{verb} {len(report.imported)} card{'s' if len(report.imported) != 1 else ''}"
          + (f", merged into {len(report.merged)}" if report.merged else "") + f", skipped {len(report.skipped)}")
    for line, reason in report.skipped:
        print(f"  line {line}: {reason}")
    for line, note in report.remarks:
        print(f"  line {line}: imported; {note}")
    if report.blocked:
        print(f"{'would put' if args.dry_run else 'put'} {len(report.blocked)} number{'s' if len(report.blocked) != 1 else ''} "
              "on the do-not-call list: the file says they asked not to be called")
    in_notes = [column for column, where, _count in report.not_mapped if where.startswith("notes")]
    left_out = [column for column, where, _count in report.not_mapped if where.startswith("left out")]
    if in_notes:
        print(f"kept in the notes as 'Label: value' (no field of their own): {', '.join(in_notes)}")
    if left_out:
        print(f"left out: {', '.join(left_out)} (--json says why)")
    if report.imported and not args.dry_run:
        print("they have no date yet unless --when gave one: the Box screen's 'needs a date' pile lists them; "
              "cardbox import --undo takes this import back")
    return EXIT_OK


def cmd_export(args, clock) -> int:
    from cardbox.core import export
    from cardbox.core.card import STATUSES
    from cardbox.core.files import write_export
    from cardbox.core.zones import rep_zone

    if args.format not in export.FORMATS:
        raise InputError(f"unknown format {args.format!r}; use one of: {', '.join(export.FORMATS)}")
    for status in args.status:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    box, settings = open_box(args, clock)
    cards = box.cards()
    payload = export.export_box(box, args.format, cards, clock(), rep_zone(settings.time_zone), args.status)
    cards = export.chosen_cards(box, args.format, cards, args.status)
    if args.output and args.output != "-":
        target = Path(args.output).expanduser()
        try:
            write_export(target, payload)
        except OSError as err:
            raise InputError(f"cannot write {target} ({err.strerror or err})") from None
        print(f"{len(cards)} card{'s' if len(cards) != 1 else ''} exported as {args.format} to {target}", file=sys.stderr)
    else:
        sys.stdout.flush()
        out = getattr(sys.stdout, "stream", sys.stdout)
        if out.isatty():
            # To a terminal, what came from the box is shown, never acted on (ESC]0; titles, ESC]52 clipboards,
            # ESC[2J); to a file or a pipe the bytes stay exact.
            payload = shown(payload.decode("utf-8", errors="replace")).encode("utf-8")
        out.buffer.write(payload)
    return EXIT_OK
