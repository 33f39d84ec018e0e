"""«Файл → Импорт из amoCRM…» and «Файл → Выгрузить…» in the main window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction

from app.integrations.amocrm_files import write_rows
from app.services import personal_data
from app.services.data_export import DEALS_SHEET, export_tables
from ui.amocrm.import_dialog import ImportDialog
from ui.common import msgbox


def export_data(window) -> Path | None:
    """Ask where to (and, for a user who may see them, whether with passports), export, say where."""
    target = msgbox.save_file(window, "Выгрузить данные", str(Path.home() / "выгрузка CRM.xlsx"),
                              "Excel (*.xlsx);;CSV (*.csv)")
    if target is None:
        return None
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_suffix(".xlsx")
    with_passport = personal_data.can_see_passport(window.user) and msgbox.ask(
        window, "Выгрузить данные", "Включить паспортные данные клиентов? Выгрузка будет записана в журнал.")
    written: list[Path] = []
    done = window.action_runner.run(window, "Выгрузить данные", lambda: export_tables(
        window.user, with_passport=with_passport, write=lambda sheets: written.extend(write_rows(target, sheets))))
    if done is None:
        return None
    msgbox.info(window, "Выгрузить данные", f"Выгружено сделок: {len(done.value[DEALS_SHEET]) - 1}.\n"
                + "\n".join(str(path) for path in written))
    return target


def show_import_dialog(window, what: str) -> ImportDialog:
    """``--show amocrm-import[:LEADS_FILE]``: the wizard, with that file already checked."""
    dialog = ImportDialog(window, threaded=False)
    path = what.split(":", 1)[1] if ":" in what else ""
    if path:
        dialog.leads_edit.setText(path)
        dialog.start(dry_run=True)
    dialog.show()
    return dialog


def install_data_exchange(window) -> None:
    """Put the import wizard and the export into «Файл», before «Выход»."""
    import_action = QAction("Импорт из amoCRM…", window, objectName="amocrmImportAction")
    import_action.triggered.connect(lambda: ImportDialog(window).exec())
    export_action = QAction("Выгрузить…", window, objectName="exportAction")
    export_action.triggered.connect(lambda: export_data(window))
    last = window.file_menu.actions()[-1] if window.file_menu.actions() else None
    window.file_menu.insertActions(last, [import_action, export_action])
    window.file_menu.insertSeparator(last)
