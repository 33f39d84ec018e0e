"""A card saved on top of someone else's change: what they changed, what I changed, field by field.

The card keeps the values it loaded (``deal_fields.current_values`` at open time, plus ``stage``)
and the user's edits. When the save raises ConflictError, ``describe_deal_conflict`` compares the
three versions; the user then reloads theirs or re-applies their own fields (``reapply_mine``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain import clock, pipeline
from app.domain.changes import Done
from app.services import deal_fields, deals
from app.store.models import Deal, TimelineEntry, User

DERIVED = {"contact.phone", "contact.email", "debt_manual"}  # follow from other keys
HIDDEN = ("passport.",)  # personal data: the dialog says «изменено», never the value


@dataclass(frozen=True)
class FieldVersions:
    key: str
    label: str
    loaded: str  # when the card was opened
    theirs: str  # in the database now
    mine: str  # in the card now
    they_changed: bool
    i_changed: bool

    @property
    def clash(self) -> bool:
        """Both changed it, to different values."""
        return self.they_changed and self.i_changed and self.theirs != self.mine


@dataclass(frozen=True)
class Conflict:
    deal_id: int
    order_no: int
    version: int  # the version now in the database (re-applying saves on top of it)
    changed_by: str
    changed_at: str
    fields: tuple[FieldVersions, ...]

    @property
    def message(self) -> str:
        return (f"Пока вы редактировали сделку №{self.order_no}, её изменил(а) {self.changed_by} "
                f"({self.changed_at}). Сравните версии и выберите, что оставить.")


def _shown(key: str, value: Any) -> str:
    if key == "stage":
        return pipeline.stage(value).name if value else "—"
    if key.startswith(HIDDEN):
        return "••••" if value else "—"
    return deal_fields.format_value(key, value)


def _last_change(deal: Deal) -> tuple[str, str]:
    entry = (TimelineEntry.select().where(TimelineEntry.deal == deal, TimelineEntry.user.is_null(False))
             .order_by(TimelineEntry.id.desc()).first())
    if entry is None:
        return "другой пользователь", ""
    return User.get_by_id(entry.user_id).full_name, clock.to_local(entry.at).strftime("%d.%m.%Y %H:%M")


def describe_deal_conflict(deal_id: int, loaded: dict[str, Any], mine: dict[str, Any]) -> Conflict:
    """Compare what the card loaded, what is stored now and the user's edits (``mine``, as typed)."""
    deal = deals.load_deal(deal_id)
    theirs = {**deal_fields.current_values(deal), "stage": deal.stage}
    clean, _ = deal_fields.read_values(mine)
    mine_clean = {key: clean.get(key, value) for key, value in mine.items()}
    keys = [key for key in loaded if key not in DERIVED and theirs.get(key) != loaded[key]]
    keys += [key for key in mine_clean if key not in keys and mine_clean[key] != loaded.get(key)]
    rows = []
    for key in keys:
        they_changed = key in loaded and theirs.get(key) != loaded[key]
        i_changed = key in mine_clean and mine_clean[key] != loaded.get(key)
        rows.append(FieldVersions(
            key, "Этап" if key == "stage" else deal_fields.label(key), _shown(key, loaded.get(key)),
            _shown(key, theirs.get(key)), _shown(key, mine_clean[key] if i_changed else theirs.get(key)),
            they_changed, i_changed))
    who, when = _last_change(deal)
    return Conflict(deal.id, deal.order_no, deal.version, who, when, tuple(rows))


def reapply_mine(conflict: Conflict, actor: User | None, mine: dict[str, Any]) -> Done[Deal]:
    """Save the user's fields on top of the version shown in the conflict (another ConflictError if
    it changed yet again meanwhile)."""
    return deals.update_deal(conflict.deal_id, actor, mine, expected_version=conflict.version)
