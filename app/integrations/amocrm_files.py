"""Reading amoCRM's export files: XLSX (openpyxl, read-only) and CSV (UTF-8 with or without BOM, or
cp1251; delimiter «,», «;» or tab, sniffed). Rows come out as lists of cells with their line number."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from app.domain.amocrm import Table
from app.domain.errors import ServiceError

CONTACTS_SHEET = "Контакты"


class FileReadError(ServiceError):
    """A file the import cannot read (with the Russian reason)."""


class FileWriteError(ServiceError):
    """A file the export or the report cannot write (with the Russian reason)."""


def _path(path: object, error: type[ServiceError]) -> Path:
    """A file name the user chose; a refusal names it (not text, empty, a NUL inside)."""
    if not isinstance(path, (str, Path)) or not str(path).strip() or "\x00" in str(path):
        raise error(f"Файл: «{path}» — не имя файла, выберите файл снова")
    return Path(path)


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM dropped) or else cp1251 (amoCRM's Windows export)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def sniff_delimiter(text: str) -> str:
    """«,», «;» or tab: the one csv's sniffer finds in the first lines, else the most frequent in the header."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(",;\t", key=first.count)


def _table(name: str, rows: list[list[object]]) -> Table:
    if not rows:
        raise FileReadError(f"Файл «{name}» пуст: нет строки заголовков")
    return Table(name, rows[0], [(number, cells) for number, cells in enumerate(rows[1:], start=2)])


def read_csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    return _table(path.name, [list(row) for row in reader])


def read_xlsx(path: Path, sheet: str | None = None) -> Table | None:
    """The first sheet (or the sheet called ``sheet``, None when there is none)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - zipfile, xml and openpyxl errors alike
        raise FileReadError(f"Файл «{path.name}» не читается как XLSX: {error}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            return None
        data = book[sheet] if sheet is not None else book.worksheets[0]
        return _table(path.name, [list(row) for row in data.iter_rows(values_only=True)])
    finally:
        book.close()


def read_table(path: Path | str) -> Table:
    """The table of an amoCRM export file (XLSX or CSV)."""
    path = _path(path, FileReadError)
    try:
        if not path.is_file():
            raise FileReadError(f"Файл не найден: {path}")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return read_xlsx(path)
        return read_csv(path)
    except OSError as error:
        raise FileReadError(f"Файл «{path.name}» не читается: {error.strerror or error}") from None


def contacts_sheet(path: Path | str) -> Table | None:
    """The contacts that come with a leads file from our own export: its «Контакты» sheet (XLSX) or
    the ``<stem>-Контакты.csv`` beside it (CSV); None when there are none."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, CONTACTS_SHEET)
    beside = path.with_name(f"{path.stem}-{CONTACTS_SHEET}{path.suffix}")
    return read_csv(beside) if beside.is_file() else None


REPORT_HEADER = ("Файл", "Строка", "Итог", "Причина")


def write_rows(path: Path | str, sheets: dict[str, list[list[object]]]) -> list[Path]:
    """Write tables: XLSX one sheet each; CSV (UTF-8 with BOM, «;», as Excel opens it) the first table
    into ``path`` and each further one beside it as ``<stem>-<sheet>.csv``. Returns the files written;
    FileWriteError says why a file could not be written."""
    path = _path(path, FileWriteError)
    try:
        return _write_rows(path, sheets)
    except OSError as error:
        raise FileWriteError(f"Не удалось записать «{path}»: {error.strerror or error}") from None


def _write_rows(path: Path, sheets: dict[str, list[list[object]]]) -> list[Path]:
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name[:31])
            for row in rows:
                sheet.append(row)
        book.save(path)
        return [path]
    written = []
    for number, (name, rows) in enumerate(sheets.items()):
        target = path if number == 0 else path.with_name(f"{path.stem}-{name}{path.suffix or '.csv'}")
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
        written.append(target)
    return written


def write_report(lines, path: Path | str) -> Path:
    """The per-row report of an import (file, line, outcome, reason) as CSV or XLSX."""
    rows = [list(REPORT_HEADER)] + [[line.file, line.line, line.outcome, line.reason] for line in lines]
    return write_rows(path, {"Отчёт": rows})[0]
