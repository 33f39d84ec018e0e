"""The option lists of the deal forms (delivery types, order kinds, people), from the domain."""
from __future__ import annotations

from typing import Any

from app.domain import pipeline
from app.domain.codes import OrderKind
from app.services import tasks


def field_choices() -> dict[str, list[tuple[Any, str]]]:
    """Options of every choice field of the card and the gate forms."""
    return {
        "delivery_type": [("", "— не выбран —")] + [(name, name) for name in pipeline.DELIVERY_TYPES],
        "kind": [(code, name) for code, name in OrderKind.NAMES.items()],
        "responsible": [(None, "— никто —")] + [(a.user_id, a.label) for a in tasks.addressees() if a.user_id],
    }
