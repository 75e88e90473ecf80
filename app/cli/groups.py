"""`contactbox-sync contacts groups|group …`: the contact groups of a local address book
(issue 19) — list them, create, rename and delete one, put contacts into it and take them
out — through app/store/groups.py, so each change is an ordinary edit of the cards the next
sync uploads (written where the group lives, a new group as the book's accounts want it).
Part of the public interface of `contactbox-sync` (app/cli/): the JSON field names stay."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, one_contact, out
from app.store import contacts as cstore
from app.store import groups
from app.store.models import AddressBook

#: GroupInfo.kind in the text output (JSON: the kind itself).
KIND_WORDS = {
    groups.KIND_CATEGORIES: "Kategorie",
    groups.KIND_CARD: "Gruppen-vCard",
    groups.KIND_BOTH: "beides",
    groups.KIND_EMPTY: "leer",
}

#: `contacts group ACTION GROUP …`
GROUP_ACTIONS = ("create", "delete", "rename", "add", "remove")

USAGE = (
    "contacts group create GRUPPE [REF …] | delete GRUPPE | rename GRUPPE NEUER_NAME | "
    "add GRUPPE REF … | remove GRUPPE REF …  --book NAME"
)


def group_data(info: groups.GroupInfo) -> dict[str, Any]:
    """One group in `contacts groups --json` (and the result of a group command)."""
    return {"name": info.name, "members": info.members, "kind": info.kind}


def cmd_groups(args: argparse.Namespace) -> int:
    """`contacts groups --book B`: each group with its member count and where it lives."""
    found = groups.list_groups(cstore.get_book(args.book))
    lines = [f"{g.name}\t{g.members}\t{KIND_WORDS.get(g.kind, g.kind)}" for g in found]
    out(args, [group_data(g) for g in found], "\n".join(lines) if lines else "Keine Gruppen.")
    return EXIT_OK


def check_group_filter(args: argparse.Namespace) -> str:
    """`contacts list|export --group G`: the group's name as stored (exact, else the one name in
    any case); a group the book does not have fails (exit 1). "" without --group."""
    if args.group is None:
        return ""
    return groups.find_group(cstore.get_book(args.book), args.group).name


def _contact_ids(book: AddressBook, refs: list[str]) -> list[int]:
    """The contacts REF… name, every one checked before anything is changed."""
    return list(dict.fromkeys(int(one_contact(book, ref).id) for ref in refs))


def _member_ids(book: AddressBook, name: str) -> set[int]:
    return {r.id for r in cstore.list_contacts(book, group=name)}


def _words(action: str, words: list[str], least: int, most: int | None, what: str) -> None:
    if len(words) < least:
        raise CliError(f"contacts group {action}: {what} (Aufruf: {USAGE}).", EXIT_USAGE)
    if most is not None and len(words) > most:
        extra = " ".join(words[most:])
        raise CliError(f"contacts group {action}: zu viele Angaben: {extra}.", EXIT_USAGE)


def cmd_group(args: argparse.Namespace) -> int:
    """`contacts group ACTION GROUP …`: the action is in `ref`, the rest in `words`."""
    action = args.ref
    if action not in GROUP_ACTIONS:
        said = f"„{action}“ gibt es nicht; " if action else ""
        raise CliError(
            f"contacts group: {said}bitte create, delete, rename, add oder remove angeben "
            f"(Aufruf: {USAGE}).",
            EXIT_USAGE,
        )
    words = list(args.words)
    _words(action, words, 1, None, "bitte die Gruppe angeben")
    book = cstore.get_book(args.book)
    name, rest = words[0], words[1:]
    if action == "create":
        info = groups.create_group(book, name, _contact_ids(book, rest))
        how = f"als {KIND_WORDS[info.kind]}, " if info.kind != groups.KIND_EMPTY else ""
        out(
            args,
            group_data(info),
            f"Gruppe „{info.name}“ in „{book.name}“ angelegt ({how}{info.members} Kontakt(e)).",
        )
        return EXIT_OK
    if action == "delete":
        _words(action, words, 1, 1, "")
        info = groups.find_group(book, name)
        n = groups.delete_group(book, info.name)
        trashed = (
            " Die Gruppen-vCard liegt im Papierkorb."
            if info.kind in (groups.KIND_CARD, groups.KIND_BOTH)
            else ""
        )
        out(
            args,
            {"deleted": info.name, "members": n},
            f"Gruppe „{info.name}“ gelöscht; ihre Kontakte ({n}) bleiben erhalten.{trashed}",
        )
        return EXIT_OK
    if action == "rename":
        _words(action, words, 2, 2, "bitte die Gruppe und ihren neuen Namen angeben")
        old = groups.find_group(book, name).name
        info = groups.rename_group(book, old, rest[0])
        out(
            args,
            {**group_data(info), "old_name": old},
            f"Gruppe „{old}“ heißt jetzt „{info.name}“ ({info.members} Kontakt(e)).",
        )
        return EXIT_OK
    _words(action, words, 2, None, "bitte die Gruppe und die Kontakte (REF …) angeben")
    name = groups.find_group(book, name).name
    ids = _contact_ids(book, rest)
    before = _member_ids(book, name)
    if action == "add":
        groups.add_members(book, name, ids)
    else:
        groups.remove_members(book, name, ids)
    info = groups.find_group(book, name)
    after = _member_ids(book, name)
    if action == "add":
        changed = sorted(after - before)
        text = f"{len(changed)} Kontakt(e) zur Gruppe „{name}“ hinzugefügt"
        if len(ids) > len(changed):
            text += f", {len(ids) - len(changed)} schon darin"
    else:
        changed = sorted(before - after)
        text = f"{len(changed)} Kontakt(e) aus der Gruppe „{name}“ entfernt"
        if len(ids) > len(changed):
            text += f", {len(ids) - len(changed)} nicht darin"
    key = "added" if action == "add" else "removed"
    out(
        args,
        {**group_data(info), key: changed},
        f"{text}. Die Gruppe hat jetzt {info.members} Kontakt(e).",
    )
    return EXIT_OK


def add_group_words(ct: argparse.ArgumentParser) -> None:
    """The words after REF: `contacts group ACTION GROUP …`."""
    ct.add_argument(
        "words",
        nargs="*",
        metavar="WORT",
        help="nur bei group: die Gruppe, dann bei rename der neue Name, bei add/remove "
        "(und wahlweise create) die Kontakte (Nr., UID oder Name)",
    )


def add_group_filter(ct: argparse.ArgumentParser) -> None:
    """`contacts list|export --group G`."""
    ct.add_argument(
        "--group",
        metavar="GRUPPE",
        help="list, export: nur die Kontakte dieser Gruppe (export: mit ihrer Gruppen-vCard; "
        "eine Gruppe, die es im Adressbuch nicht gibt: Fehler, Exit-Code 1)",
    )
