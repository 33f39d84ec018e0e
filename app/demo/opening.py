"""A throw-away demo database in a temporary folder, filled with the shop's sample deals."""
from __future__ import annotations

import tempfile
from pathlib import Path

from app.demo import template
from app.demo.sms import use_demo_key
from app.store import files
from app.store.connection import open_database
from app.store.session import Opened


def open_demo() -> Opened:
    """Open a fresh demo database (its files in the same temporary folder): a copy of today's
    demo template, which is built first when there is none."""
    folder = Path(tempfile.mkdtemp(prefix="workshop-crm-demo-"))
    path = template.copy_template(folder)
    files.set_files_root(folder / template.FILES_NAME)
    db = open_database(f"sqlite:///{path}")
    use_demo_key()  # the demo's SMS.ru test key lives in memory only, never in a keyring
    return Opened(db, f"sqlite:///{path}", True)
