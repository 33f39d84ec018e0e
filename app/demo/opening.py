"""A throw-away demo database in a temporary folder, filled with the shop's sample deals."""
from __future__ import annotations

import tempfile
from pathlib import Path

from app.demo.shop import build_demo
from app.demo.sms import use_demo_key
from app.store import files
from app.store.connection import open_database
from app.store.session import Opened


def open_demo() -> Opened:
    """Open a fresh demo database (its files in the same temporary folder) and fill it."""
    folder = Path(tempfile.mkdtemp(prefix="workshop-crm-demo-"))
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    files.set_files_root(folder / "files")
    db = open_database(url)
    build_demo()
    use_demo_key()
    return Opened(db, url, True)
