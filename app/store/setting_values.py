"""Shop-wide settings kept as JSON in the ``Setting`` table, one row a key (per-PC ones live in QSettings)."""
from __future__ import annotations

import json
from typing import Any

from app.store.models import Setting


def read(key: str, default: Any = None) -> Any:
    """The value stored under ``key`` (``default`` when absent or unreadable)."""
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return default
    try:
        return json.loads(row.value)
    except ValueError:
        return default


def read_prefixed(prefix: str) -> dict[str, Any]:
    """Every readable value whose key starts with ``prefix``, by the rest of the key (one query)."""
    found = {}
    for row in Setting.select().where(Setting.key.startswith(prefix)):
        try:
            found[row.key[len(prefix):]] = json.loads(row.value)
        except ValueError:
            continue
    return found


def write(key: str, value: Any) -> None:
    """Store ``value`` under ``key`` (insert or replace); call inside the service's transaction."""
    text = json.dumps(value, ensure_ascii=False)
    Setting.insert(key=key, value=text).on_conflict(conflict_target=[Setting.key],
                                                   update={Setting.value: text}).execute()


def forget(key: str) -> None:
    """Remove ``key`` (back to the default)."""
    Setting.delete().where(Setting.key == key).execute()
