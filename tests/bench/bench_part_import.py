"""Benchmark: importing a parts file of N rows (default 10,000, the cap) — MaxCut's CSV (39 columns as
MaxCut writes them: quoted, «795 mm», edging names) and the same rows as XLSX: reading the file, finding
the columns and checking every row (``open_parts_file`` + ``read_parts``), and the mapping dialog's
re-count on a changed choice (``read_parts`` alone). Baselines: ``csv.reader`` over the same text and
openpyxl's read-only ``iter_rows`` over the same workbook (reading only). Wall and CPU seconds,
medians of ``--repeat`` runs. Run by hand: ``nice python tests/bench/bench_part_import.py [--rows N]``.
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain import part_import as domain  # noqa: E402
from app.services import part_import  # noqa: E402
from app.store.connection import open_database  # noqa: E402

HEADER = ["Type", "Name", "Length", "Width", "Quantity", "Notes", "Can Rotate", "Material", "Edging Length 1",
          "Edging Length 2", "Edging Width 1", "Edging Width 2", "Include Edging Thickness", "Note 1", "Note 2",
          "Note 3", "Note 4", "Group", "Report Tags", "Import ID", "Parent ID", "Library Item Name",
          *[f"Holes {side}" for side in ("Length 1", "Length 2", "Width 1", "Width 2")],
          *[f"Grooving {side}" for side in ("Length 1", "Length 2", "Width 1", "Width 2")],
          "Material Tag", *[f"Edging {side} Tag" for side in ("Length 1", "Length 2", "Width 1", "Width 2")],
          "Apply Machining Charge", "Long Expansion", "Short Expansion", "Include in Optimization"]


def _rows(count: int) -> list[list[str]]:
    rows = []
    for n in range(count):
        row = ["Input Panel", f"Деталь {n}", f"{300 + n % 2400} mm", f"{100 + n % 1100} mm", str(1 + n % 12),
               "", ("NoRotation", "AllowRotation")[n % 2], ("Фанера 18", "ЛДСП 16")[n % 2],
               "ПВХ 2 мм" if n % 3 else "", "", "ПВХ 0,4" if n % 4 else "", "", "True"]
        rows.append(row + [""] * 6 + [str(n + 1), str(n + 1)] + [""] * 14 + ["0", "0", "True"])
    return rows


def _timed(action, repeat: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_s": round(statistics.median(walls), 4), "cpu_s": round(statistics.median(cpus), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=domain.MAX_ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import openpyxl

    folder = Path(tempfile.mkdtemp(prefix="bench-parts-"))
    open_database(f"sqlite:///{folder / 'shop.sqlite3'}")
    rows = _rows(args.rows)
    text = "Sep=,\n" + "\n".join(",".join(f'"{cell}"' for cell in row) for row in [HEADER, *rows]) + "\n"
    csv_path = folder / "maxcut.csv"
    csv_path.write_text(text, encoding="utf-8")
    xlsx_path = folder / "maxcut.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(xlsx_path)

    def imported(path: Path) -> int:
        opened = part_import.open_parts_file(path).value
        result = part_import.read_parts(opened.table, opened.columns)
        assert len(result.lines) == args.rows and not result.problems, result.problems[:3]
        return len(result.lines)

    def raw_xlsx() -> None:
        book = openpyxl.load_workbook(xlsx_path, read_only=True, data_only=True)
        sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()

    table = part_import.open_parts_file(csv_path).value.table
    figures = {
        "rows": args.rows, "csv_bytes": csv_path.stat().st_size, "xlsx_bytes": xlsx_path.stat().st_size,
        "csv_import": _timed(lambda: imported(csv_path), args.repeat),
        "csv_baseline_reader": _timed(lambda: list(csv.reader(io.StringIO(csv_path.read_text("utf-8")))), args.repeat),
        "xlsx_import": _timed(lambda: imported(xlsx_path), args.repeat),
        "xlsx_baseline_iter_rows": _timed(raw_xlsx, args.repeat),
        "mapping_recount": _timed(lambda: domain.read_parts(table, table.columns), args.repeat),
    }
    for kind, base in (("csv_import", "csv_baseline_reader"), ("xlsx_import", "xlsx_baseline_iter_rows")):
        figures[f"{kind}_ratio_wall"] = round(figures[kind]["wall_s"] / figures[base]["wall_s"], 2)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
