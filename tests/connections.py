"""A second connection to the test database, as another PC or window would have."""
from __future__ import annotations

from contextlib import contextmanager

from app.store.db import database, make_database


@contextmanager
def second_connection(url: str):
    """Run the services of the block on a separate connection to ``url`` (then switch back)."""
    first = database.obj
    other = make_database(url)
    other.track_changes = True
    database.initialize(other)
    try:
        yield other
    finally:
        other.close()
        database.initialize(first)
