"""What `contactbox-sync backup list|create|restore|delete [FILE]` does (its parser:
app/cli/backup.py), through app/store/backups.py; works on a damaged database too."""

from __future__ import annotations

import argparse
from typing import Any

from app import i18n
from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, out
from app.i18n import _, ngettext
from app.paths import data_home, database_path
from app.store.backups import MANUAL as MANUAL_BACKUP
from app.store.backups import (
    Backup,
    backup_database,
    delete_backup,
    find_backup,
    list_backups,
    restore_backup,
)
from app.store.db import open_database


def _german(b: Backup) -> str:
    """The reason's German words, in every language: `reason_de` of the JSON says German
    (a stable field); the text of `backup list` shows them in the chosen language."""
    language = i18n.language()
    if language == i18n.DEFAULT:
        return b.reason_de
    i18n.set_language(i18n.DEFAULT)
    try:
        return b.reason_de
    finally:
        i18n.set_language(language)


def _backup_json(b: Backup) -> dict[str, Any]:
    return {
        "file": b.path.name,
        "path": str(b.path),
        "reason": b.reason,
        "reason_de": _german(b),
        "created": b.created.isoformat(timespec="seconds"),
        "size": b.size,
    }


def _line(b: Backup) -> str:
    """One backup in `backup list`: when (local time), how big, why, the file."""
    size = f"{b.size / 1e6:8.1f}"
    if i18n.language() == "de":
        size = size.replace(".", ",")
    # Translators: the date and time of a backup (strftime in the braces).
    when = _("{created:%d.%m.%Y %H:%M}").format(created=b.created.astimezone())
    return f"{when}  {size} MB  {b.reason_de}  {b.path.name}"


def backup(args: argparse.Namespace) -> int:
    """`backup list|create|restore <file>|delete <file>`; works on a damaged database too."""
    path = database_path(data_home(args.home))
    if args.action == "list":
        found = list_backups(path)
        lines = [_line(b) for b in found]
        out(
            args,
            [_backup_json(b) for b in found],
            "\n".join(lines) or _("Keine Sicherungen neben {path}.").format(path=path),
        )
        return EXIT_OK
    if args.action == "create":
        target = backup_database(path, MANUAL_BACKUP)
        out(
            args,
            {"file": target.name, "path": str(target), "size": target.stat().st_size},
            _("Gesichert: {path}").format(path=target),
        )
        return EXIT_OK
    if not args.file:
        raise CliError(_("Bitte die Sicherung angeben (Dateiname aus „backup list“)."), EXIT_USAGE)
    backup = find_backup(path, args.file)
    if args.action == "delete":
        delete_backup(path, backup)
        out(args, {"deleted": backup.name}, _("Gelöscht: {file}").format(file=backup.name))
        return EXIT_OK
    result = restore_backup(path, backup)
    open_database(path)  # migrates a backup of an older version (with its own backup)
    text = [_("Wiederhergestellt aus {file}.").format(file=backup.name)]
    if result.safety_backup:
        text.append(
            _("Der vorige Stand ist gesichert als {file}.").format(file=result.safety_backup.name)
        )
    if result.damaged_kept:
        text.append(
            _("Die beschädigte Datenbank bleibt erhalten als {file}.").format(
                file=result.damaged_kept.name
            )
        )
    if result.recreate_stopped:
        books = ", ".join(_("„{name}“").format(name=n) for n in result.recreate_stopped)
        text.append(
            ngettext(
                "„Neu anlegen“ wird nicht wiederholt: {books} gleicht wieder normal ab "
                "(Synchronisation · Server).",
                "„Neu anlegen“ wird nicht wiederholt: {books} gleichen wieder normal ab "
                "(Synchronisation · Server).",
                len(result.recreate_stopped),
            ).format(books=books)
        )
    out(
        args,
        {
            "restored_from": backup.name,
            "safety_backup": result.safety_backup.name if result.safety_backup else None,
            "damaged_kept": result.damaged_kept.name if result.damaged_kept else None,
            "recreate_stopped": result.recreate_stopped,
        },
        " ".join(text),
    )
    return EXIT_OK
