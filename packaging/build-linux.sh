#!/usr/bin/env bash
# Build the program as a one-folder bundle (no Python needed on the target PC):
#   packaging/build-linux.sh            → dist/workshop-crm/ and dist/workshop-crm-VERSION-linux-ARCH.tar.gz
#   packaging/build-linux.sh install    … and install it for this user (menu entry with the icon)
# PYTHON may name the interpreter of an existing venv (CI reuses the test venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
if [ ! -x "$PYTHON" ]; then
  python3 -m venv .venv
  PYTHON=.venv/bin/python
fi
"$PYTHON" -m pip install -q -e ".[bundle]"
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/make_icon.py build/icons
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/workshop-crm.spec
cp packaging/install-linux.sh dist/workshop-crm/install.sh
cp build/icons/workshop-crm.png dist/workshop-crm/workshop-crm.png
version=$("$PYTHON" -c "from app.domain.version import program_version; print(program_version())")
archive="dist/workshop-crm-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" workshop-crm
echo "Готово: dist/workshop-crm/ и $archive"
if [ "${1:-}" = install ]; then
  dist/workshop-crm/install.sh
fi
