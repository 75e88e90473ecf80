#!/bin/sh
# Install the built Contactbox Sync folder for one user (no root needed), or remove it.
#
#   ./install.sh [--prefix DIR] [--from DIR]      install (default prefix: ~/.local)
#   ./install.sh [--prefix DIR] --uninstall       remove the program (not your data)
#
# With prefix P it writes:
#   P/opt/contactbox/                                   the program folder (a copy)
#   P/bin/contactbox, P/bin/contactbox-sync              symlinks into it
#   P/share/applications/contactbox.desktop              the menu entry
#   P/share/icons/hicolor/{scalable,NxN}/apps/contactbox.{svg,png}
#
# --from: the built folder (dist/contactbox). Default: the folder this script lies in when it
# is the built folder (build_installer.spec copies it there), else ../../dist/contactbox.
set -eu

prefix="${HOME}/.local"
from=""
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
              prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --from) [ $# -ge 2 ] || { echo "install.sh: --from needs a folder" >&2; exit 2; }
            from="$2"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
opt="$prefix/opt/contactbox"
bin="$prefix/bin"
apps="$prefix/share/applications"
icons="$prefix/share/icons/hicolor"

refresh_caches() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
}

if [ "$uninstall" = 1 ]; then
  for cmd in contactbox contactbox-sync; do
    if [ -L "$bin/$cmd" ]; then rm -f "$bin/$cmd"; fi
  done
  rm -f "$apps/contactbox.desktop"
  find "$icons" -path '*/apps/contactbox.*' -type f -exec rm -f {} + 2>/dev/null || true
  rm -rf "$opt"
  refresh_caches
  echo "Contactbox Sync entfernt aus $prefix (Ihre Daten und Passwörter bleiben erhalten)."
  exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "$from" ]; then
  if [ -x "$here/contactbox" ] && [ -d "$here/_internal" ]; then
    from="$here"
  else
    from="$here/../../dist/contactbox"
  fi
fi
if [ ! -x "$from/contactbox" ] || [ ! -x "$from/contactbox-sync" ]; then
  echo "install.sh: no built Contactbox Sync in $from (run 'make build' first)" >&2
  exit 1
fi
from="$(cd "$from" && pwd)"
if [ "$from" = "$opt" ]; then
  echo "install.sh: $from is already the installed copy" >&2
  exit 1
fi

# Copy to a new folder first, then swap: a failed copy leaves the old installation intact.
mkdir -p "$prefix/opt"
rm -rf "$opt.new"
cp -a "$from" "$opt.new"
rm -rf "$opt"
mv "$opt.new" "$opt"

mkdir -p "$bin" "$apps"
ln -sfn "$opt/contactbox" "$bin/contactbox"
ln -sfn "$opt/contactbox-sync" "$bin/contactbox-sync"

# Menu entry: the absolute path, since a desktop session's PATH often lacks ~/.local/bin.
desktop="$from/share/applications/contactbox.desktop"
[ -f "$desktop" ] || desktop="$here/contactbox.desktop"
sed -e "s|^Exec=contactbox\$|Exec=$opt/contactbox|" \
    -e "s|^TryExec=contactbox\$|TryExec=$opt/contactbox|" "$desktop" > "$apps/contactbox.desktop"
chmod 644 "$apps/contactbox.desktop"

# Icons: the SVG (scalable) and the PNGs rendered at build time.
if [ -d "$from/share/icons/hicolor" ]; then
  (cd "$from/share/icons/hicolor" && find . -path '*/apps/contactbox.*' -type f) |
    while read -r icon; do
      mkdir -p "$icons/$(dirname "$icon")"
      cp "$from/share/icons/hicolor/$icon" "$icons/$icon"
    done
else
  svg="$(find "$from" -path '*/resources/icons/app.svg' | head -n 1)"
  mkdir -p "$icons/scalable/apps"
  cp "$svg" "$icons/scalable/apps/contactbox.svg"
fi
refresh_caches

version="$(cat "$opt/VERSION" 2>/dev/null || echo "?")"
echo "Contactbox Sync $version installiert in $opt"
echo "Befehle: $bin/contactbox, $bin/contactbox-sync"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "Hinweis: $bin ist nicht im PATH; im Menü finden Sie Contactbox Sync trotzdem." ;;
esac
