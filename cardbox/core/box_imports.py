"""Cards in from other programs' files: one undoable change, duplicates merged, nothing lost."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cardbox.core import importing
from cardbox.core import phone as phones_mod
from cardbox.core.box_base import ImportReport, label_for, meta_count, same_person
from cardbox.core.box_codec import META_TABLE
from cardbox.core.box_lists import BoxLists
from cardbox.core.card import ADDRESS_PARTS, Card, clean_email, clean_fields, clean_text
from cardbox.core.documents import stored
from cardbox.core.errors import CardError
from cardbox.core.importing import Parsed
from cardbox.core.outcomes import STATUSES
from cardbox.core.stamps import stamp
from cardbox.core.window import DueWindow
from cardbox.core.zones import check_zone


class BoxImports(BoxLists):
    # -- imports ---------------------------------------------------------------

    def import_rows(
        self,
        parsed: Parsed,
        *,
        source: str,
        when: DueWindow | None = None,
        tags: Iterable[str] = (),
        merge: bool = False,
        dry_run: bool = False,
    ) -> ImportReport:
        """Make cards of the rows, as one change (undone as a whole with `undo_import`).

        A row whose number or email is already on a card (or on an earlier row)
        is skipped and reported, or with `merge` fills that card's empty
        fields and adds its numbers and notes, overwriting nothing."""
        report = ImportReport(layout=parsed.layout, rows=len(parsed.rows), skipped=list(parsed.skipped), remarks=list(parsed.remarks),
                              places=list(parsed.places))
        now = self._now()
        with self.storage.locked():
            data = self.storage.data()
            seen_phones: dict[str, list[int]] = {}
            seen_emails: dict[str, int] = {}
            seen_names: dict[int, str] = {}
            for key, head in self._heads().items():
                if head is None or not key.isdigit():
                    continue
                seen_names[int(key)] = head.name
                for number in head.phones:
                    seen_phones.setdefault(number, []).append(int(key))
                if head.email:
                    seen_emails.setdefault(head.email.casefold(), int(key))
            next_id = self._next_id()
            new_cards: dict[int, Card] = {}
            merged: dict[int, tuple[Card, Card]] = {}  # id → (before, after)
            blocked: list[str] = []  # numbers of rows that say the prospect asked not to be called
            for row in parsed.rows:
                name = importing.name_of(row) or row.first("company") or (importing.emails_in(row) or [""])[0]
                phones, unreadable = [], []
                for typed in importing.phones_in(row):
                    try:
                        phones.append(phones_mod.normalize(typed, self.region))
                    except CardError:
                        unreadable.append(typed)
                emails = importing.emails_in(row)
                notes = row.all("notes")
                if unreadable:
                    notes.append("Numbers kept as typed (not readable as phone numbers): " + ", ".join(unreadable))
                odd_emails = importing.not_emails_in(row)
                if odd_emails:
                    notes.append("E-mail kept as typed (not an address): " + ", ".join(odd_emails))
                address = {part: clean_text(row.first(part), "the address", 500) for part in ADDRESS_PARTS if row.first(part)}
                address = {part: text for part, text in address.items() if text}
                zone = row.first("time_zone")
                given = row.first("status")
                asked_not = importing.asks_not_to_call(row)
                status = given if given in STATUSES else ("do-not-call" if asked_not else "active")
                if given and given not in STATUSES:
                    notes.append(f"Status: {given}")  # a CRM's own status ("Open - Not Contacted"), kept as it was
                window = when
                if window is None and row.first("when_start"):
                    # cardbox's own export: the window it had, as it had it.
                    try:
                        window = DueWindow.from_dict({"start": row.first("when_start"), "end": row.first("when_end") or row.first("when_start"),
                                                      "grain": "day", "phrase": row.first("when_phrase"), "label": ""})
                        window = DueWindow(window.start, window.end, window.grain, window.phrase,
                                           label_for(window))
                    except (ValueError, KeyError):
                        report.skipped.append((row.line, f"the window {row.first('when_start')!r} is not a date; imported without one"))
                        window = None
                if not name:
                    report.skipped.append((row.line, "no name, company or email to file it under"))
                    continue
                # The same person: the same e-mail, or the same number under a similar name. Colleagues share a
                # switchboard number; two people at one number are two cards.
                match = next((seen_emails[e.casefold()] for e in emails if e.casefold() in seen_emails), None)
                if match is None:
                    match = next((card_id for p in phones for card_id in seen_phones.get(p, ())
                                  if same_person(seen_names.get(card_id, ""), name)), None)
                if match is not None:
                    if not merge:
                        report.skipped.append((row.line, f"already in the box as #{match} (the same e-mail, or the same number "
                                                         "and name); --merge adds to it"))
                        continue
                    before = merged[match][1] if match in merged else (new_cards.get(match) or self.get(match))
                    extra_emails = [e for e in emails if e not in (before.email, *before.emails)]
                    after = before.with_changes(
                        company=before.company or row.first("company"),
                        email=before.email or (extra_emails.pop(0) if extra_emails else ""),
                        emails=(*before.emails, *extra_emails),
                        address=before.address or address,
                        why=before.why or row.first("why"),
                        phones=tuple(dict.fromkeys((*before.phones, *phones))),
                        notes="\n".join(part for part in (before.notes, *[n for n in notes if n not in before.notes]) if part),
                        updated=now,
                    )
                    if match in new_cards:
                        new_cards[match] = after
                    else:
                        merged[match] = (merged[match][0] if match in merged else before, after)
                    if asked_not:
                        blocked.extend(phones)
                    continue
                try:
                    fields = clean_fields(name, company=row.first("company"), phones=phones, email=emails[0] if emails else "",
                                          why=row.first("why"), notes="\n".join(notes), tags=[*tags, *importing.tags_in(row)], region=self.region)
                    if zone:
                        zone = check_zone(zone)
                    more_emails = tuple(clean_email(e) for e in emails[1:] if e != fields["email"])
                except CardError as err:
                    report.skipped.append((row.line, str(err)))
                    continue
                # captured stays empty: the window is the file's (or --when's), not one a prospect agreed to.
                card = Card(id=next_id, created=now, updated=now, due=window, captured=None, time_zone=zone, status=status,
                            emails=more_emails, address=address, **fields)
                new_cards[card.id] = card
                next_id += 1
                if asked_not:
                    blocked.extend(card.phones)
                seen_names[card.id] = card.name
                for number in card.phones:
                    seen_phones.setdefault(number, []).append(card.id)
                if card.email:
                    seen_emails.setdefault(card.email.casefold(), card.id)
            report.imported = sorted(new_cards)
            report.merged = sorted(merged)
            listed = self.dnc_numbers()
            report.blocked = [number for number in dict.fromkeys(blocked) if number not in listed]
            if dry_run or not (new_cards or merged):
                return report
            record_key = str(max((int(k) for k in data.get("imports", {}) if k.isdigit()), default=0) + 1)
            cards_changed: dict[str, dict[str, Any] | None] = {str(i): stored(c.to_dict()) for i, c in new_cards.items()}
            cards_changed.update({str(i): stored(after.to_dict()) for i, (_, after) in merged.items()})
            meta = dict(data[META_TABLE].get("1") or {})
            meta["next_id"] = max(meta_count(meta, "next_id"), next_id)
            record = {"at": stamp(now), "source": source, "created": sorted(new_cards),
                      "merged": {str(i): before.to_dict() for i, (before, _) in merged.items()}}
            changes: dict[str, Any] = {"cards": cards_changed, META_TABLE: {"1": meta}}
            # A request not to be called is about the number, whichever file it came in: on the list, in this change.
            _added, _already, rows = self._dnc_put(report.blocked, how=f"imported from {source}", note="", now=now,
                                                   changes=changes)
            record["dnc"] = [list(row) for row in rows]
            changes["imports"] = {record_key: record}
            self.storage.put(changes)
            self._generation = self.storage.loads
            report.record = record_key
        return report

    def undo_import(self) -> tuple[str, int, int]:
        """Take the last import back: its new cards go, merged cards return to what they were. (source, removed, restored)."""
        with self.storage.locked():
            records = self.storage.data().get("imports", {})
            undone = [k for k, r in records.items() if not r.get("undone")]
            if not undone:
                raise CardError("no import to undo", field="import")
            key = max(undone, key=lambda k: int(k) if k.isdigit() else 0)
            record = dict(records[key])
            cards: dict[str, dict[str, Any] | None] = {str(card_id): None for card_id in record.get("created", [])}
            cards.update(dict(record.get("merged", {})))
            record["undone"] = stamp(self._now())
            changes: dict[str, Any] = {"cards": cards, "imports": {key: record}}
            # Off the list again, the numbers this import put there (a row added since by other means stays).
            current_rows = self._dnc_rows()
            taken = {str(row[0]): None for row in record.get("dnc") or [] if isinstance(row, list) and len(row) == 2
                     and isinstance(current_rows.get(str(row[0])), dict) and current_rows[str(row[0])].get("number") == row[1]}
            if taken:
                changes["dnc"] = taken
            self.storage.put(changes)
            self._generation = self.storage.loads
        return str(record.get("source", "")), len(record.get("created", [])), len(record.get("merged", {}))

