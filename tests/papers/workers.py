"""A second PC issuing invoices (run by the numbering test via multiprocessing, spawn)."""
from __future__ import annotations

from pathlib import Path

INVOICES_EACH = 4


def issue_invoices(url: str, files_dir: str, deal_ids: list[int], together, results) -> None:
    """Issue ``INVOICES_EACH`` invoices on each of ``deal_ids`` in step with the other process;
    report the invoice codes this process got."""
    from app.services import client_papers
    from app.store import files
    from app.store.connection import open_database

    files.set_files_root(Path(files_dir))
    open_database(url, migrate=False)
    together.wait(60)
    codes = []
    for _ in range(INVOICES_EACH):
        for deal_id in deal_ids:
            codes.append(client_papers.issue_invoice(deal_id, None).value.title)
    results.put(codes)
