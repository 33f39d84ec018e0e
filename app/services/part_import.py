"""Importing a parts list into an order's specification from a CSV or XLSX file: reading the file
(every way it can fail gets a Russian message, nothing is added), and the columns the user picked
for a spreadsheet layout, remembered in the shop's settings by the header's signature so the next
file with the same headers imports without asking. The lines go to the editor, which saves them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain import part_import
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ServiceError, ValidationError
from app.domain.part_import import PartsTable
from app.domain.specs import MAX_ROWS, PasteResult, SpecError, too_many_rows
from app.services import permissions
from app.services.banding_types import banding_list
from app.store import setting_values
from app.store.db import database
from app.store.models import User

KEY_PREFIX = "part_import.columns."
MAX_FILE_BYTES = 20 * 1024 * 1024  # 10 000 rows of MaxCut's 39 columns are about 4 MB
MAX_COLUMNS = 200
EMPTY_RUN = 1000  # this many empty rows in a row end an XLSX sheet (a sheet formatted to its last row)
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


class PartFileError(ServiceError):
    """A parts file that cannot be imported (the Russian reason names the file)."""


@dataclass
class PartsFile:
    """A file read: its table, and the columns to import it by — the program's or the remembered
    ones; None when the user has to pick them (``table.columns`` then holds the guesses)."""

    table: PartsTable
    columns: dict[str, int] | None
    remembered: bool = False


def _refuse(path: Path, reason: str) -> PartFileError:
    return PartFileError(f"Файл «{path.name}» не импортирован: {reason}. Ничего не добавлено.")


def _sheet_rows(path: Path, sheet) -> list[list]:
    """The sheet's rows up to its last filled one (a run of ``EMPTY_RUN`` empty rows ends it)."""
    rows, filled, empty_run, last = [], 0, 0, 0
    for cells in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        if any(cell is not None and str(cell).strip() for cell in cells):
            filled, empty_run = filled + 1, 0
            last = len(rows) + 1
        else:
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                break
        rows.append(list(cells))
        if filled > MAX_ROWS + part_import.HEADER_SEARCH:
            raise _refuse(path, too_many_rows())
    return rows[:last]


def _xlsx_rows(path: Path) -> list[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zipfile, xml and openpyxl errors alike
        raise _refuse(path, "это не таблица XLSX (файл повреждён или другого формата)") from None
    try:
        for sheet in book.worksheets:  # the first sheet with anything in it
            rows = _sheet_rows(path, sheet)
            if rows:
                return rows
        return []
    except PartFileError:
        raise
    except Exception:  # noqa: BLE001 - a broken sheet inside a readable zip
        raise _refuse(path, "лист XLSX не читается (файл повреждён)") from None
    finally:
        book.close()


def _file_rows(path: Path) -> list[list]:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _refuse(path, "это папка, а не файл")
        if size == 0:
            raise _refuse(path, "файл пуст")
        if size > MAX_FILE_BYTES:
            raise _refuse(path, f"файл слишком большой ({size // (1024 * 1024)} МБ, можно до "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} МБ)")
        with path.open("rb") as handle:
            head = handle.read(8)
            data = None if head.startswith(ZIP_MAGIC) else head + handle.read()
    except FileNotFoundError:
        raise _refuse(path, "файл не найден") from None
    except PermissionError:
        raise _refuse(path, "нет доступа к файлу — он открыт в другой программе (закройте его в Excel) "
                            "или нет прав на чтение") from None
    except OSError as error:
        raise _refuse(path, f"файл не читается ({error.strerror or error})") from None
    if data is None:
        return _xlsx_rows(path)
    if data.startswith(OLE_MAGIC):
        raise _refuse(path, "это файл XLS (Excel 97–2003) — сохраните его как XLSX или CSV")
    if b"\x00" in data[:65536] or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise _refuse(path, "это не таблица (CSV или XLSX)")
    try:
        return part_import.text_rows(part_import.decode_text(data))
    except SpecError as error:
        raise _refuse(path, str(error)) from None


def read_parts_file(path: Path | str) -> PartsTable:
    """Read a parts file (CSV or XLSX) into its table and find a cutting program's format; no
    database (a worker thread may call it). PartFileError when it cannot be read."""
    if not isinstance(path, (str, Path)) or not str(path).strip() or "\x00" in str(path):
        raise PartFileError("Файл деталей не выбран. Ничего не добавлено.")
    path = Path(path)
    rows = _file_rows(path)
    try:
        return part_import.table_of(path.name, rows)
    except SpecError as error:
        raise _refuse(path, str(error)) from None


def columns_for(table: PartsTable) -> Done[PartsFile]:
    """The columns to import the table by: remembered for its header, a program's, the shop's column
    names — or None when the user has to pick them."""
    if not isinstance(table, PartsTable):
        raise PartFileError("Файл деталей не прочитан. Ничего не добавлено.")
    stored = remembered_columns(table)
    if stored is not None:
        return Done(PartsFile(table, stored, remembered=True), Changes())
    return Done(PartsFile(table, dict(table.columns) if table.complete() else None), Changes())


def open_parts_file(path: Path | str) -> Done[PartsFile]:
    """Read a parts file (CSV or XLSX) and find its columns: a cutting program's format, the columns
    remembered for its header, or the shop's column names; PartFileError when it cannot be read."""
    return columns_for(read_parts_file(path))


def remembered_columns(table: PartsTable) -> dict[str, int] | None:
    """The columns stored for the table's header signature, if they still fit the header."""
    stored = setting_values.read(KEY_PREFIX + table.signature)
    if not isinstance(stored, dict) or stored.get("header") != table.header:
        return None
    columns = stored.get("columns")
    if not isinstance(columns, dict) or part_import.check_columns(table, columns):
        return None
    return dict(columns)


def may_remember(actor: User | None) -> bool:
    """Whether ``actor`` may store a choice of columns for the whole shop."""
    return permissions.allowed(actor, permissions.CUT_SHEETS)


def remember_columns(actor: User | None, table: PartsTable, columns: dict[str, int]) -> Done[dict[str, int]]:
    """Store the columns picked for the table's header layout (the next file with these headers
    imports by them); ValidationError naming the field when a choice is missing or taken twice."""
    permissions.require(actor, permissions.CUT_SHEETS)
    check(table, columns)
    columns = {key: n for key, n in columns.items() if key in part_import.FIELD_LABELS}
    with database.atomic():
        setting_values.write(KEY_PREFIX + table.signature, {"header": table.header, "columns": dict(columns)})
    return Done(dict(columns), Changes(settings=True))


def check(table: PartsTable, columns: dict[str, int]) -> None:
    """ValidationError when ``columns`` cannot import the table."""
    if not isinstance(table, PartsTable):
        raise PartFileError("Файл деталей не прочитан. Ничего не добавлено.")
    if not isinstance(columns, dict):
        raise ValidationError([FieldProblem("columns", "нет сопоставления столбцов")], "Столбцы не выбраны")
    problems = part_import.check_columns(table, columns)
    if problems:
        raise ValidationError([FieldProblem(f"columns.{key}" if key in part_import.FIELD_LABELS else "columns", message)
                               for key, message in problems], "Столбцы не выбраны")


def read_parts(table: PartsTable, columns: dict[str, int]) -> PasteResult:
    """The part lines of the table by ``columns``, their edges naming the shop's banding types in use
    («Настройки → Кромка…»), with the row-by-row report (nothing is stored)."""
    check(table, columns)
    return part_import.read_parts(table, columns, banding_list())
