"""«Запускать при входе в систему»: this PC starts the program when the user logs in, so reminders
work from the morning. Linux: an XDG autostart entry; Windows: the user's «Run» registry key."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from ui.common import msgbox

ENTRY_NAME = "workshop-crm"
WINDOWS_RUN_KEY = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run"
MAIN_SCRIPT = Path(__file__).resolve().parents[2] / "main.py"


def command() -> list[str]:
    """How this program is started: the bundle's executable, or Python with main.py."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, str(MAIN_SCRIPT)]


def _quoted(args: list[str]) -> str:
    return " ".join(f'"{arg}"' if any(c in arg for c in ' \t"\\') else arg for arg in args)


def desktop_entry(args: list[str]) -> str:
    """The freedesktop.org entry that starts ``args`` (also used by the bundle's install step)."""
    return ("[Desktop Entry]\nType=Application\nName=CRM «Детские кровати Маня»\n"
            "Comment=Сделки, задачи и производство мастерской\n"
            f"Exec={_quoted(args)}\nIcon={ENTRY_NAME}\nTerminal=false\nCategories=Office;\n"
            "X-GNOME-Autostart-enabled=true\n")


def linux_entry_file() -> Path:
    """~/.config/autostart/workshop-crm.desktop (XDG_CONFIG_HOME respected)."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "autostart" / f"{ENTRY_NAME}.desktop"


def is_enabled() -> bool:
    """Whether the program starts at log-in on this PC for this user."""
    if sys.platform == "win32":
        return QSettings(WINDOWS_RUN_KEY, QSettings.Format.NativeFormat).contains(ENTRY_NAME)
    return linux_entry_file().exists()


def set_enabled(enabled: bool) -> None:
    """Turn starting at log-in on or off (raises OSError when the entry cannot be written)."""
    if sys.platform == "win32":
        settings = QSettings(WINDOWS_RUN_KEY, QSettings.Format.NativeFormat)
        if enabled:
            settings.setValue(ENTRY_NAME, _quoted(command()))
        else:
            settings.remove(ENTRY_NAME)
        settings.sync()
        return
    entry = linux_entry_file()
    if enabled:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(desktop_entry(command()), encoding="utf-8")
    else:
        entry.unlink(missing_ok=True)


def install(window) -> None:
    """A checkable «Запускать при входе в систему» in the window's «Настройки» menu."""
    action = QAction("Запускать при входе в систему", window, objectName="autostartAction", checkable=True)
    action.setChecked(is_enabled())

    def toggled(enabled: bool) -> None:
        try:
            set_enabled(enabled)
        except OSError as error:
            msgbox.error(window, "Запуск при входе", f"Не удалось изменить автозапуск: {error.strerror or error}")
        action.setChecked(is_enabled())

    action.toggled.connect(toggled)
    window.add_menu_action(window.settings_menu, action)
