"""A second PC issuing invoices (run by the numbering test via multiprocessing, spawn)."""
from __future__ import annotations

from pathlib import Path

INVOICES_EACH = 3


def issue_invoices(deal_ids: list[int], together) -> list[str]:
    """Issue ``INVOICES_EACH`` invoices on each of ``deal_ids`` once the other PC is ready too;
    returns the invoice titles got."""
    from app.services import client_papers

    together.wait(60)
    return [client_papers.issue_invoice(deal_id, None).value.title
            for _ in range(INVOICES_EACH) for deal_id in deal_ids]


def second_pc(url: str, files_dir: str, now, deal_ids: list[int], together, results) -> None:
    """The other PC: its own process and connection, issuing invoices at the same time (on the same
    day as the test: ``now``)."""
    from app.domain import clock
    from app.store import files
    from app.store.connection import open_database

    clock.set_clock(clock.FrozenClock(now))
    files.set_files_root(Path(files_dir))
    open_database(url, migrate=False)
    results.put(issue_invoices(deal_ids, together))
