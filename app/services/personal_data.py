"""Passport data (152-ФЗ): shown only to the roles allowed, masked for everybody else, and every
view, change and export written to the audit log (who, when, which deal)."""
from __future__ import annotations

from dataclasses import dataclass

from app.domain.changes import Changes, Done
from app.domain.errors import DEAL_NOT_FOUND, NotFoundError
from app.services import permissions
from app.services.timeline import audit
from app.store import lookup
from app.store.db import database
from app.store.models import Deal, Passport, User

MASKED_SERIES, MASKED_NUMBER = "••••", "••••••"
MASK = f"{MASKED_SERIES} {MASKED_NUMBER}"


@dataclass(frozen=True)
class PassportView:
    series: str
    number: str


def can_see_passport(user: User | None) -> bool:
    """Whether ``user`` may see passport data (others see ``MASK``)."""
    return permissions.allowed(user, permissions.PASSPORT_VIEW)


def masked_passport(deal_id: int) -> PassportView:
    """What other roles see: the mask when a passport is stored, empty when there is none."""
    deal = lookup.by_id(Deal, deal_id)
    stored = deal is not None and deal.contact_id and Passport.select().where(
        Passport.contact == deal.contact_id).exists()
    return PassportView(MASKED_SERIES, MASKED_NUMBER) if stored else PassportView("", "")


def read_passport(deal_id: int, user: User | None) -> Done[PassportView]:
    """The passport of the deal's contact, for an allowed user; the view is written to the audit
    log every time (PermissionDeniedError for the others, who see ``masked_passport``)."""
    permissions.require(user, permissions.PASSPORT_VIEW)
    with database.atomic():
        deal = lookup.by_id(Deal, deal_id)
        if deal is None:
            raise NotFoundError(DEAL_NOT_FOUND)
        passport = Passport.get_or_none(Passport.contact == deal.contact_id) if deal.contact_id else None
        audit(user, "passport_view", deal, f"Просмотр паспортных данных, сделка №{deal.order_no}")
        view = PassportView(passport.series, passport.number) if passport else PassportView("", "")
        return Done(view, Changes(audit=True))


def record_export(user: User | None, deal_ids: list[int], what: str, *, with_passport: bool) -> None:
    """Check the right to export and write the export to the audit log, one row per deal when it
    carries passport data (call inside the exporting service's transaction)."""
    permissions.require(user, permissions.EXPORT)
    if with_passport:
        permissions.require(user, permissions.PASSPORT_VIEW)
        for deal_id in deal_ids:
            audit(user, "passport_export", deal_id, f"Выгрузка с паспортными данными: {what}")
    else:
        audit(user, "export", None, f"Выгрузка: {what} ({len(deal_ids)} сдел.)")
