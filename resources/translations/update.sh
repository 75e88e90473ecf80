#!/bin/sh
# Re-extract the UI strings and recompile the translations.
#
#   resources/translations/update.sh        (from anywhere; uses the project's .venv)
#
# 1. pyside6-lupdate scans ui/*.py (self.tr(...), QCoreApplication.translate(...)) and
#    merges new/changed German source strings into contactbox_<lang>.ts; existing
#    translations are kept, strings no longer in the code are dropped (-no-obsolete).
#    Strings that are translated at run time from a variable are not visible to lupdate;
#    they are listed in a generated helper file (see below) so that they get extracted too:
#      - app.sync.report.FIGURE_LABELS_DE, passed to self.tr() by CheckDialog and
#        ReportDialog (contexts "CheckDialog" and "ReportDialog"),
#      - the _tr("...") helper of ui/sync_page.py (context "AddressBookSyncPage").
# 2. Translate the new entries (pyside6-linguist contactbox_en.ts, or edit the XML:
#    fill <translation> and remove type="unfinished").
# 3. pyside6-lrelease compiles contactbox_<lang>.ts to contactbox_<lang>.qm, which
#    ui/app.py loads when the QSettings value "language" is not "de".
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
"""Write translate() calls for the strings ui/ translates from variables at run time."""
import re
import sys
from pathlib import Path

from app.sync.report import FIGURE_LABELS_DE

lines = ["from PySide6.QtCore import QCoreApplication", ""]
for context in ("CheckDialog", "ReportDialog"):
    for text in FIGURE_LABELS_DE.values():
        lines.append(f"QCoreApplication.translate({context!r}, {text!r})")
source = Path("ui/sync_page.py").read_text(encoding="utf-8")
for match in re.finditer(r'\b_tr\(\s*("(?:[^"\\]|\\.)*")\s*\)', source):
    lines.append(f'QCoreApplication.translate("AddressBookSyncPage", {match.group(1)})')
Path(sys.argv[1]).write_text("\n".join(lines) + "\n", encoding="utf-8")
PY

for ts in "$here"/contactbox_*.ts; do
    [ -e "$ts" ] || ts="$here/contactbox_en.ts"
    "$bin/pyside6-lupdate" -no-obsolete ui/*.py "$extra" -ts "$ts"
    # the helper file is temporary: drop its <location> lines
    grep -v "dynamic_strings.py" "$ts" > "$tmp/clean.ts"
    cat "$tmp/clean.ts" > "$ts"
    "$bin/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done
