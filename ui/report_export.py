"""The run report as HTML and CSV: pure functions (no widgets), so they are testable.

The texts are in the window's language: the status, kind, mode and action labels (German
tables STATUS_DE, KIND_DE, MODE_DE, ACTION_DE, translated where shown: `status_de()`,
`kind_text()`, `mode_de()`, `action_de()`), the notes and the headings, through Qt's
translation (context "ReportExport"; without a translator: German); dates by QLocale.

Both exports list, per book, the figures of SPEC §4 (German labels; an address book's
group cards with their own figures, never counted as contacts), the conflicts and
how they were resolved (a merged contact with the fields the preference decided: HTML
column "Felder" where there is one, the CSV's conflict line "Felder: Telefon – alles Übrige
zusammengeführt" under "Grund"), every failed contact or appointment with its reason, and the
notes — in the words of what the report is about (app.sync.report.ReportWords): the
"Importbericht" of address books and contacts, the "Synchronisationsbericht" of calendars
and appointments. In a report over both, each book is named with its kind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from html import escape

from PySide6.QtCore import QCoreApplication

from app import i18n
from app.i18n import _ as core_text
from app.store.names import book_display_name
from app.sync.report import (
    BOOK_FIGURES,
    MIXED,
    BookReport,
    ConflictNote,
    RunReport,
    figure_names,
)
from ui.locale_format import date_time_text, local

#: Every figure of an address book report, in order (a calendar report's are
#: `RunReport.figure_names()`: no group figures): the contacts', and the group cards'
#: ("Gruppen auf dem Server / in Contactbox", "Gruppen geändert").
ALL_FIGURES: tuple[str, ...] = BOOK_FIGURES

#: The tables' German labels are translated where shown (context CONTEXT; update.sh
#: extracts them from here).
CONTEXT = "ReportExport"


STATUS_DE = {
    "ok": "erfolgreich",
    "errors": "mit Fehlern",
    "failed": "fehlgeschlagen",
    "cancelled": "abgebrochen",
}

KIND_DE = {"check": "Prüfung", "run": "Abgleich"}

MODE_DE = {
    "import/add": "Einmalig importieren · Ergänzen",
    "import/update": "Einmalig importieren · Aktualisieren",
    "import/recreate": "Einmalig importieren · Neu anlegen",
    "oneway/": "OneWay-Synchronisation",
    "oneway": "OneWay-Synchronisation",
    "sync/contactbox": "Synchronisation · Contactbox",
    "sync/server": "Synchronisation · Server",
    "sync/recreate": "Synchronisation · Neu anlegen",
}

ACTION_DE = {
    "read": "Lesen vom Server",
    "add_local": "In Contactbox anlegen",
    "update_local": "In Contactbox aktualisieren",
    "delete_local": "In Contactbox löschen",
    "restore_local": "In Contactbox wiederherstellen",
    "add_server": "Auf dem Server anlegen",
    "update_server": "Auf dem Server aktualisieren",
    "delete_server": "Auf dem Server löschen",
    "link": "Zuordnen",
    "refresh": "Stand aktualisieren",
    "forget": "Stand entfernen",
}

SIDE_DE = {"contactbox": "Contactbox", "server": "Server", "local": "Contactbox"}


def local_time(value: datetime | None) -> str:
    """A naive-UTC store time as local time, German format ("29.11.2026 10:14")."""
    if value is None:
        return ""
    return date_time_text(local(value))


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _translated(table: Mapping[str, str], code: str) -> str:
    """The label of `code` in `table` (German) in the window's language; an unknown code
    as it is."""
    german = table.get(code)
    return code if german is None else QCoreApplication.translate(CONTEXT, german)


def status_de(status: str) -> str:
    """The run's status ("ok", …) as the user reads it ("erfolgreich" / "successful")."""
    return _translated(STATUS_DE, status)


def kind_text(kind: str) -> str:
    """ "check" / "run" as the report history names it ("Prüfung", "Abgleich")."""
    return _translated(KIND_DE, kind)


def action_de(action: str) -> str:
    return _translated(ACTION_DE, action)


def mode_de(mode: str) -> str:
    """A book's mode ("import/add") as the user reads it."""
    return _translated(MODE_DE, mode)


def report_title(report: RunReport) -> str:
    kind = _tr("Prüfung") if report.kind == "check" else core_text(report.words.report)
    return _tr("{kind} – Account „{account}“").format(kind=kind, account=report.account)


def book_name(report: RunReport, book: BookReport) -> str:
    """The book as the report names it: its name, and in a report over address books and
    calendars its kind too ("Kalender „Arbeit“")."""
    if report.words_kind == MIXED:
        return f"{core_text(book.words.collection)} „{book.book}“"
    return book.book


def book_notes(book: BookReport) -> list[str]:
    """Everything worth a line besides figures, conflicts and item errors (German)."""
    out: list[str] = []
    if book.error:
        out.append(_tr("Fehler: {0}").format(book.error))
    if book.not_started:
        out.append(_tr("Nicht gestartet: {0}").format(book.not_started))
    if book.unchanged:
        out.append(_tr("Keine Änderungen seit dem letzten Abgleich."))
    if book.guarded:
        sides = ", ".join(SIDE_DE.get(s, s) for s in book.guarded)
        out.append(
            _tr(
                "Zurückgehalten: {n} Löschungen – auf einer Seite ({sides}) fehlt mehr als die "
                "Hälfte der abgeglichenen {items}. Gelöscht wird erst nach ausdrücklicher "
                "Bestätigung."
            ).format(n=book.held_back, sides=sides, items=core_text(book.words.items))
        )
    out.extend(book.notes)
    return out


def _html_table(
    title: str, header: Sequence[str], rows: Iterable[Sequence[str]], row_class: str = ""
) -> list[str]:
    """The lines of an <h2> and a table under it, every cell escaped."""
    tr = f'<tr class="{row_class}">' if row_class else "<tr>"
    lines = [
        f"<h2>{title}</h2><table>",
        "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>",
    ]
    lines += [tr + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows]
    lines.append("</table>")
    return lines


def report_to_html(report: RunReport) -> str:
    """A complete, self-contained HTML page of the report."""
    e = escape
    title = report_title(report)
    words = report.words
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{e(i18n.language())}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left}"
        "td.n{text-align:right}th{background:#eee}"
        ".error{color:#a00}</style>",
        "</head><body>",
        f"<h1>{e(title)}</h1>",
        "<p>",
        f"{e(_tr('Status:'))} <b>{e(status_de(report.status))}</b><br>",
        f"{e(_tr('Begonnen:'))} {e(local_time(report.started))}<br>",
        f"{e(_tr('Beendet:'))} {e(local_time(report.finished))}",
        "</p>",
    ]
    if report.message:
        parts.append(f'<p class="error">{e(report.message)}</p>')

    # Figures: one column per book, plus the total.
    parts.append(f"<h2>{e(_tr('Übersicht'))}</h2><table><tr><th>{e(_tr('Kennzahl'))}</th>")
    for b in report.books:
        parts.append(f"<th>{e(book_name(report, b))}<br><small>{e(mode_de(b.mode))}</small></th>")
    parts.append(f"<th>{e(_tr('Gesamt'))}</th></tr>")
    totals = report.totals()
    for name in report.figure_names():
        parts.append(f"<tr><td>{e(core_text(words.labels[name]))}</td>")
        for b in report.books:
            parts.append(f'<td class="n">{int(getattr(b, name))}</td>')
        parts.append(f'<td class="n"><b>{totals[name]}</b></td></tr>')
    parts.append("</table>")

    decided = [(b, c) for b in report.books for c in b.conflict_notes]
    if decided:
        # "Felder" only where the preference decided fields of a merged contact
        with_fields = any(c.fields for _b, c in decided)
        header = [core_text(words.collection), core_text(words.item)]
        header += [_tr("Felder")] if with_fields else []
        conflicts = [
            [book_name(report, b), c.name or c.uid]
            + ([decided_fields(c) or "–"] if with_fields else [])
            + [kept_text(c)]
            for b, c in decided
        ]
        parts += _html_table(e(_tr("Konflikte")), [*header, _tr("Übernommen")], conflicts)

    errors = [
        (book_name(report, b), x.name or x.uid, action_de(x.action), x.message)
        for b in report.books
        for x in b.errors
    ]
    if errors:
        parts += _html_table(
            e(_tr("Fehler")),
            (core_text(words.collection), core_text(words.item), _tr("Vorgang"), _tr("Grund")),
            errors,
            "error",
        )

    notes = [(b, n) for b in report.books for n in book_notes(b)]
    if notes:
        parts.append(f"<h2>{e(_tr('Hinweise'))}</h2><ul>")
        for b, n in notes:
            parts.append(f"<li><b>{e(book_name(report, b))}:</b> {e(n)}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def csv_header(report: RunReport) -> tuple[str, ...]:
    """The CSV's column names (German: Bereich;Adressbuch;Bezeichnung;Wert;Grund) with the
    report's word for its books ("Kalender" for calendars), in the window's language."""
    return (
        _tr("Bereich"),
        core_text(report.words.collection),
        _tr("Bezeichnung"),
        _tr("Wert"),
        _tr("Grund"),
    )


def version_of(winner: str) -> str:
    """Which side's version a conflict kept: "Version von Server"."""
    return _tr("Version von {0}").format(SIDE_DE.get(winner, winner))


def decided_fields(note: ConflictNote) -> str:
    """The fields of a merged contact the preference decided ("Telefon, E-Mail", in the
    window's language); "" for a conflict over the whole item."""
    return ", ".join(core_text(f) for f in note.fields)


def kept_text(note: ConflictNote) -> str:
    """What a conflict kept: "Version von Server", for a merged contact "Version von
    Server für diese Felder, alles Übrige zusammengeführt"."""
    if not note.fields:
        return version_of(note.winner)
    return _tr("Version von {0} für diese Felder, alles Übrige zusammengeführt").format(
        SIDE_DE.get(note.winner, note.winner)
    )


def conflict_reason(note: ConflictNote) -> str:
    """The CSV's "Grund" of a conflict: for a merged contact the fields decided."""
    if not note.fields:
        return ""
    return _tr("Felder: {0} – alles Übrige zusammengeführt").format(decided_fields(note))


def report_to_csv(report: RunReport) -> str:
    """The report as CSV (semicolon-separated, as German spreadsheets expect)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    labels = report.words.labels
    part = {
        "report": _tr("Bericht"), "run": _tr("Vorgang"), "figure": _tr("Kennzahl"),
        "total": _tr("Gesamt"), "conflict": _tr("Konflikt"), "error": _tr("Fehler"),
        "note": _tr("Hinweis"),
    }  # fmt: skip
    w.writerow(csv_header(report))
    w.writerow((part["report"], "", report_title(report), status_de(report.status), report.message))
    w.writerow((part["report"], "", _tr("Begonnen"), local_time(report.started), ""))
    w.writerow((part["report"], "", _tr("Beendet"), local_time(report.finished), ""))
    for b in report.books:
        name_b = book_name(report, b)
        w.writerow((part["run"], name_b, mode_de(b.mode), book_display_name(b.local_book), ""))
        for name in figure_names(b.collection):
            w.writerow(
                (part["figure"], name_b, core_text(b.words.labels[name]), int(getattr(b, name)), "")
            )
    totals = report.totals()
    for name in report.figure_names():
        w.writerow((part["total"], "", core_text(labels[name]), totals[name], ""))
    for b in report.books:
        name_b = book_name(report, b)
        for c in b.conflict_notes:
            w.writerow(
                (
                    part["conflict"],
                    name_b,
                    c.name or c.uid,
                    version_of(c.winner),
                    conflict_reason(c),
                )
            )
        for x in b.errors:
            w.writerow((part["error"], name_b, x.name or x.uid, action_de(x.action), x.message))
        for n in book_notes(b):
            w.writerow((part["note"], name_b, "", "", n))
    return buf.getvalue()
