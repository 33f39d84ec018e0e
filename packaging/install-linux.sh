#!/usr/bin/env bash
# Install the unpacked bundle for this user: the program into ~/.local/opt/workshop-crm, a command
# ~/.local/bin/workshop-crm, and the menu entry with the icon. Run it from the unpacked folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${PREFIX:-$HOME/.local}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$target/opt" "$target/bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
if [ "$here" != "$target/opt/workshop-crm" ]; then
  rm -rf "$target/opt/workshop-crm"
  cp -a "$here" "$target/opt/workshop-crm"
fi
ln -sf "$target/opt/workshop-crm/workshop-crm" "$target/bin/workshop-crm"
cp "$here/workshop-crm.png" "$data/icons/hicolor/256x256/apps/workshop-crm.png"
cat > "$data/applications/workshop-crm.desktop" <<ENTRY
[Desktop Entry]
Type=Application
Name=CRM «Детские кровати Маня»
Comment=Сделки, задачи и производство мастерской
Exec="$target/opt/workshop-crm/workshop-crm"
Icon=workshop-crm
Terminal=false
Categories=Office;
ENTRY
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Установлено: $target/opt/workshop-crm; в меню — «CRM «Детские кровати Маня»»."
echo "Запуск при входе в систему включается в программе: «Настройки → Запускать при входе в систему»."
