"""What `contactbox-sync contacts groups|group …` does: the contact groups of a local address
book (issue 19) — list them, create, rename and delete one, put contacts into it and take
them out — through app/store/groups.py, so each change is an ordinary edit of the cards the
next sync uploads (written where the group lives, a new group as the book's accounts want
it). Reached from app/cli/contact_commands.py; the options (`WORT …`, `--group`) are part of
the `contacts` parser (app/cli/contacts.py). Part of the public interface of
`contactbox-sync` (app/cli/): the JSON field names stay."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, CliError, one_contact, out
from app.i18n import N_, _, format_number, ngettext
from app.store import contacts as cstore
from app.store import groups
from app.store.models import AddressBook
from app.store.names import book_display_name

#: GroupInfo.kind in the text output (JSON: the kind itself); translated where shown.
KIND_WORDS = {
    groups.KIND_CATEGORIES: N_("Kategorie"),
    groups.KIND_CARD: N_("Gruppen-vCard"),
    groups.KIND_BOTH: N_("beides"),
    groups.KIND_EMPTY: N_("leer"),
}

#: `contacts group ACTION GROUP …`
GROUP_ACTIONS = ("create", "delete", "rename", "add", "remove")


def usage() -> str:
    """How `contacts group` is called (in the error of a call that is not)."""
    return _(
        "contacts group create GRUPPE [REF …] | delete GRUPPE | rename GRUPPE NEUER_NAME | "
        "add GRUPPE REF … | remove GRUPPE REF …  --book NAME"
    )


def kind_word(kind: str) -> str:
    """Where a group lives, in the current language ("Kategorie", "Gruppen-vCard", …)."""
    word = KIND_WORDS.get(kind, kind)
    return _(word)


def contacts_count(n: int) -> str:
    """ "1 Kontakt", "2 Kontakte"."""
    return ngettext("{n} Kontakt", "{n} Kontakte", n).format(n=format_number(n))


def group_data(info: groups.GroupInfo) -> dict[str, Any]:
    """One group in `contacts groups --json` (and the result of a group command)."""
    return {"name": info.name, "members": info.members, "kind": info.kind}


def cmd_groups(args: argparse.Namespace) -> int:
    """`contacts groups --book B`: each group with its member count and where it lives."""
    found = groups.list_groups(cstore.get_book(args.book))
    lines = [f"{g.name}\t{format_number(g.members)}\t{kind_word(g.kind)}" for g in found]
    out(args, [group_data(g) for g in found], "\n".join(lines) if lines else _("Keine Gruppen."))
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
    """At least `least` and at most `most` words; `what` (translated) says what is missing."""
    if len(words) < least:
        raise CliError(
            _("contacts group {action}: {what} (Aufruf: {usage}).").format(
                action=action, what=what, usage=usage()
            ),
            EXIT_USAGE,
        )
    if most is not None and len(words) > most:
        extra = " ".join(words[most:])
        raise CliError(
            _("contacts group {action}: zu viele Angaben: {extra}.").format(
                action=action, extra=extra
            ),
            EXIT_USAGE,
        )


def cmd_group(args: argparse.Namespace) -> int:
    """`contacts group ACTION GROUP …`: the action is in `ref`, the rest in `words`."""
    action = args.ref
    if action not in GROUP_ACTIONS:
        if action:
            said = _(
                "contacts group: „{action}“ gibt es nicht; bitte create, delete, rename, add "
                "oder remove angeben (Aufruf: {usage})."
            )
        else:
            said = _(
                "contacts group: bitte create, delete, rename, add oder remove angeben "
                "(Aufruf: {usage})."
            )
        raise CliError(said.format(action=action, usage=usage()), EXIT_USAGE)
    words = list(args.words)
    _words(action, words, 1, None, _("bitte die Gruppe angeben"))
    book = cstore.get_book(args.book)
    name, rest = words[0], words[1:]
    if action == "create":
        info = groups.create_group(book, name, _contact_ids(book, rest))
        if info.kind != groups.KIND_EMPTY:
            made = _("Gruppe „{name}“ in „{book}“ angelegt (als {kind}, {contacts}).")
        else:
            made = _("Gruppe „{name}“ in „{book}“ angelegt ({contacts}).")
        said = made.format(
            name=info.name,
            book=book_display_name(book.name),
            kind=kind_word(info.kind),
            contacts=contacts_count(info.members),
        )
        out(args, group_data(info), said)
        return EXIT_OK
    if action == "delete":
        _words(action, words, 1, 1, "")
        info = groups.find_group(book, name)
        n = groups.delete_group(book, info.name)
        said = _("Gruppe „{name}“ gelöscht; ihre Kontakte ({n}) bleiben erhalten.").format(
            name=info.name, n=format_number(n)
        )
        if info.kind in (groups.KIND_CARD, groups.KIND_BOTH):
            said += " " + _("Die Gruppen-vCard liegt im Papierkorb.")
        out(args, {"deleted": info.name, "members": n}, said)
        return EXIT_OK
    if action == "rename":
        _words(action, words, 2, 2, _("bitte die Gruppe und ihren neuen Namen angeben"))
        old = groups.find_group(book, name).name
        info = groups.rename_group(book, old, rest[0])
        said = _("Gruppe „{old}“ heißt jetzt „{name}“ ({contacts}).").format(
            old=old, name=info.name, contacts=contacts_count(info.members)
        )
        out(args, {**group_data(info), "old_name": old}, said)
        return EXIT_OK
    _words(action, words, 2, None, _("bitte die Gruppe und die Kontakte (REF …) angeben"))
    name = groups.find_group(book, name).name
    ids = _contact_ids(book, rest)
    before = _member_ids(book, name)
    if action == "add":
        groups.add_members(book, name, ids)
    else:
        groups.remove_members(book, name, ids)
    info = groups.find_group(book, name)
    after = _member_ids(book, name)
    changed = sorted(after - before) if action == "add" else sorted(before - after)
    others = len(ids) - len(changed)
    key = "added" if action == "add" else "removed"
    out(
        args, {**group_data(info), key: changed}, _members_text(action, name, changed, others, info)
    )
    return EXIT_OK


def _members_text(
    action: str, name: str, changed: list[int], others: int, info: groups.GroupInfo
) -> str:
    """ "2 Kontakte zur Gruppe „G“ hinzugefügt, 1 schon darin. Die Gruppe hat jetzt 3
    Kontakte." (add), "… aus der Gruppe „G“ entfernt, 1 nicht darin. …" (remove)."""
    n = len(changed)
    if action == "add":
        text = ngettext(
            "{n} Kontakt zur Gruppe „{name}“ hinzugefügt",
            "{n} Kontakte zur Gruppe „{name}“ hinzugefügt",
            n,
        )
        rest = _("{n} schon darin")
    else:
        text = ngettext(
            "{n} Kontakt aus der Gruppe „{name}“ entfernt",
            "{n} Kontakte aus der Gruppe „{name}“ entfernt",
            n,
        )
        rest = _("{n} nicht darin")
    parts = [text.format(n=format_number(n), name=name)]
    if others > 0:
        parts.append(rest.format(n=format_number(others)))
    now = ngettext(
        "Die Gruppe hat jetzt {n} Kontakt.", "Die Gruppe hat jetzt {n} Kontakte.", info.members
    )
    return f"{', '.join(parts)}. {now.format(n=format_number(info.members))}"
