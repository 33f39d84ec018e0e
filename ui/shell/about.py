"""«Справка → О программе»: the version, the database in use, the folders, the licences."""
from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.domain.version import DISTRIBUTION, program_version
from app.store import migrations
from app.store.connection_settings import ConnectionSettings
from app.store.db import database
from app.store.session import Opened
from ui.common.dialog_buttons import Button
from ui.shell.logs import log_dir

# libraries whose package metadata declares no licence (read off their repositories)
UNDECLARED_LICENCES = {"peewee": "MIT"}
FONT_LICENCE = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "LICENSE-DejaVu.txt"


def database_text(opened: Opened) -> str:
    """Where the data is: «Демо-база (временная)», the SQLite file or the server (never a password)."""
    place = ConnectionSettings.from_url(opened.url).describe()
    return f"Демо-база (временная): {place}" if opened.demo else place


def licence_of(name: str) -> str:
    """The licence an installed library declares (its metadata), or «см. сайт проекта»."""
    try:
        info = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return "не установлена"
    declared = info.get("License-Expression") or ""
    if not declared or len(declared) > 60:
        declared = info.get("License") or ""
    if not declared or len(declared) > 60:  # some put the whole licence text there
        classifiers = [c.rsplit("::", 1)[-1].strip() for c in info.get_all("Classifier") or []
                       if c.startswith("License ::")]
        declared = ", ".join(classifiers)
    return declared or UNDECLARED_LICENCES.get(name, "см. сайт проекта")


def libraries() -> list[tuple[str, str, str]]:
    """(name, version, licence) of every library the program needs (its own requirements)."""
    rows = []
    for line in metadata.requires(DISTRIBUTION) or []:
        name = re.match(r"[A-Za-z0-9._-]+", line)
        if name is None or "extra ==" in line:  # the test extras are not part of the program
            continue
        try:
            version = metadata.version(name.group())
        except metadata.PackageNotFoundError:
            version = "—"
        rows.append((name.group(), version, licence_of(name.group())))
    return rows


def licences_text() -> str:
    """The libraries' and fonts' licences, for the dialog."""
    lines = ["Библиотеки:"] + [f"  {name} {version} — {licence}" for name, version, licence in libraries()]
    lines += ["", "Qt 6 (через PySide6) — LGPL v3.", "",
              "Шрифт DejaVu Sans (в печатных документах):"]
    try:
        lines.append(FONT_LICENCE.read_text(encoding="utf-8"))
    except OSError:
        lines.append("  файл лицензии не найден")
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget, opened: Opened) -> None:
        super().__init__(parent, objectName="aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("О программе")
        recorded = migrations.recorded_program(database.obj) if database.obj is not None else None
        facts = [("Версия программы", program_version()),
                 ("База данных", database_text(opened)),
                 ("Схема базы", f"{migrations.current_version(database.obj)}"
                                + (f", записана версией {recorded}" if recorded else "")),
                 ("Папка журнала", str(log_dir()))]
        self.facts = QLabel("<br>".join(f"<b>{title}:</b> {value}" for title, value in facts),
                            objectName="aboutFacts")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licences = QPlainTextEdit(licences_text(), objectName="aboutLicences", readOnly=True)
        buttons = QDialogButtonBox(Button.Close)
        buttons.button(Button.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel("<h3>CRM мастерской «Детские кровати Маня»</h3>")
        for widget in (title, self.facts, QLabel("Лицензии:"), self.licences, buttons):
            layout.addWidget(widget)
        self.resize(640, 480)


def install(window, opened: Opened) -> None:
    """Put «О программе» into the window's «Справка» menu."""
    action = QAction("О программе…", window, objectName="aboutAction")
    action.triggered.connect(lambda: AboutDialog(window, opened).open())
    window.add_menu_action(window.help_menu, action)
