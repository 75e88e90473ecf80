#!/bin/sh
# Re-extract the UI strings and recompile the translations.
#
#   resources/translations/update.sh        (from anywhere; uses the project's .venv)
#
# 1. pyside6-lupdate scans ui/*.py (self.tr(...), QCoreApplication.translate(...)) and
#    merges new/changed German source strings into contactbox_<lang>.ts; existing
#    translations are kept, strings no longer in the code are dropped (-no-obsolete).
#    Strings that lupdate cannot see are written to a generated helper file (see below),
#    so that they get extracted too:
#      - strings passed to self.tr(variable) at run time (the DYNAMIC table below):
#        app.sync.report.FIGURE_LABELS_DE (contexts "CheckDialog" and "ReportDialog") and
#        its calendar and mixed variants (context "ReportDialog"), and ui.report_export's
#        STATUS_DE, KIND_DE, MODE_DE and ACTION_DE ("ReportExport"); add new ones there.
#        (Texts the core translates itself through app/i18n.py -- e.g. the operation labels
#        of app.store.books and the history's reason and field labels -- are shown by the
#        window as they come and are not in the .ts: one translation per text.)
#      - string literals passed to a module-level helper of the form
#        `def _tr(text): return QCoreApplication.translate("Context", text)` (e.g. _tr in
#        ui/sync_page.py and ui/agenda_common.py, _t in ui/vcf_dialogs.py), found
#        automatically, and QCoreApplication.translate(CONSTANT, "...") calls.
#    A helper called with anything but a literal (an f-string, ...) is reported on stderr.
#
#    Counts use Qt's numerus forms: self.tr("%n Kontakt(e)", "", n), or outside a QObject
#    QCoreApplication.translate(CONSTANT, "%n Kontakt(e)", None, n) -- never with a literal
#    context there: lupdate reads a variable 4th argument as an encoding and would extract
#    the message without its plural forms. The %n message then has one form per plural of
#    the language in each .ts.
#    German is the source language, yet "%n Kontakt(e)" needs German forms too ("1 Kontakt",
#    "2 Kontakte"): contactbox_de.ts holds the numerus messages only (lupdate -pluralonly);
#    everything else falls back to the German source text.
# 2. Translate the new entries (pyside6-linguist contactbox_en.ts, or edit the XML:
#    fill <translation> and remove type="unfinished").
# 3. pyside6-lrelease compiles contactbox_<lang>.ts to contactbox_<lang>.qm, which
#    ui/app.py loads for the QSettings value "language" (contactbox_de.qm for German).
#
# tests/ui/test_translations.py fails while a message is unfinished or the .qm is stale.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/.venv/bin"
[ -x "$bin/pyside6-lupdate" ] || bin=$(dirname "$(command -v pyside6-lupdate)")
python="$bin/python"
[ -x "$python" ] || python=python3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
extra="$tmp/dynamic_strings.py"

cd "$root"
"$python" - "$extra" <<'PY'
"""Write translate() calls for the strings ui/ translates in ways lupdate cannot see."""
import ast
import sys
from pathlib import Path

from ui.report_export import ACTION_DE, KIND_DE, MODE_DE, STATUS_DE
from app.sync.report import (
    CALENDAR_FIGURE_LABELS_DE,
    FIGURE_LABELS_DE,
    MIXED_FIGURE_LABELS_DE,
)

# Strings passed to self.tr(variable) at run time, by context (= the class calling tr()).
DYNAMIC = {
    "CheckDialog": list(FIGURE_LABELS_DE.values()),
    "ReportDialog": [
        *FIGURE_LABELS_DE.values(),
        *CALENDAR_FIGURE_LABELS_DE.values(),
        *MIXED_FIGURE_LABELS_DE.values(),
    ],
    "ReportExport": [
        *STATUS_DE.values(), *KIND_DE.values(), *MODE_DE.values(), *ACTION_DE.values(),
    ],
}


def _is_translate(node):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "translate"
        and len(node.args) >= 2
    )


def module_calls(path):
    """(context, text) of helper calls and translate(CONSTANT, "...") calls in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    consts = {
        t.id: n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
        and isinstance(n.value.value, str)
        for t in n.targets
        if isinstance(t, ast.Name)
    }

    def context_of(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return consts.get(node.id)
        return None

    # def _tr(text): return QCoreApplication.translate("Context", text)
    helpers = {}
    for n in tree.body:
        if isinstance(n, ast.FunctionDef) and len(n.args.args) == 1:
            body = [s for s in n.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if (
                len(body) == 1
                and isinstance(body[0], ast.Return)
                and _is_translate(body[0].value)
                and isinstance(body[0].value.args[1], ast.Name)
                and body[0].value.args[1].id == n.args.args[0].arg
                and context_of(body[0].value.args[0])
            ):
                helpers[n.name] = context_of(body[0].value.args[0])
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        numerus = False
        if isinstance(node.func, ast.Name) and node.func.id in helpers:
            context, text = helpers[node.func.id], node.args[0]
        elif _is_translate(node) and isinstance(node.args[0], ast.Name):
            context, text = context_of(node.args[0]), node.args[1]
            # translate(CONSTANT, "%n ...", None, n): a message with plural forms
            numerus = len(node.args) >= 4 or any(k.arg == "n" for k in node.keywords)
        else:
            continue
        if context is None:
            continue
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            yield context, text.value, numerus
        elif not isinstance(text, ast.Name):
            print(f"update.sh: {path}:{node.lineno}: not a string literal, not extracted",
                  file=sys.stderr)


lines = ["from PySide6.QtCore import QCoreApplication", ""]
seen = set()
pairs = [(c, t, False) for c, texts in DYNAMIC.items() for t in texts]
for path in sorted(Path("ui").glob("*.py")):
    pairs.extend(module_calls(path))
for context, text, numerus in pairs:
    if (context, text) not in seen:
        seen.add((context, text))
        # lupdate takes a message as numerus when the 4th argument is a number literal
        n = ", None, 1" if numerus else ""
        lines.append(f"QCoreApplication.translate({context!r}, {text!r}{n})")
Path(sys.argv[1]).write_text("\n".join(lines) + "\n", encoding="utf-8")
PY

# German (the source language, numerus forms only), English, and any other contactbox_*.ts
set -- "$here/contactbox_de.ts"
for ts in "$here"/contactbox_*.ts; do
    [ "$ts" = "$here/contactbox_de.ts" ] || [ ! -e "$ts" ] || set -- "$@" "$ts"
done
[ $# -gt 1 ] || set -- "$@" "$here/contactbox_en.ts"
for ts in "$@"; do
    case "$ts" in
        # the source language: only the plural forms of the %n messages
        */contactbox_de.ts) only="-pluralonly -source-language de_DE" ;;
        *) only="" ;;
    esac
    # shellcheck disable=SC2086
    "$bin/pyside6-lupdate" -no-obsolete $only ui/*.py "$extra" -ts "$ts"
    # the helper file is temporary: drop its <location> lines
    grep -v "dynamic_strings.py" "$ts" > "$tmp/clean.ts"
    cat "$tmp/clean.ts" > "$ts"
    "$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done

# The core's texts (app/, no Qt): gettext. Extract _(), N_() and ngettext() from app/, merge
# into resources/locale/<lang>/LC_MESSAGES/contactbox.po (sorted, no locations or dates),
# compile the .mo. Translate the new entries there (empty msgstr), then run this again.
# tests/unit/test_i18n.py fails while a message is untranslated or a catalogue is stale.
"$python" "$here/gettext_catalogue.py" update
