"""Passport data (152-ФЗ): who may see it, reading it with an audit row, the mask for the rest.

The default rule (issue 6 may make it configurable): managers and the administrator see passports;
designers, constructors and the production chief see them masked.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.models import Deal, Passport, Role, User
from app.services.errors import PermissionDeniedError
from app.services.timeline import audit

PASSPORT_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
MASKED_SERIES, MASKED_NUMBER = "••••", "••••••"
MASK = f"{MASKED_SERIES} {MASKED_NUMBER}"


@dataclass(frozen=True)
class PassportView:
    series: str
    number: str


def can_see_passport(user: User | None) -> bool:
    """Whether ``user``'s role may see passport series and number."""
    return user is not None and user.active and user.role in PASSPORT_ROLES


def read_passport(deal_id: int, user: User | None) -> PassportView:
    """The passport of the deal's contact for ``user``; every reading is written to the audit log.

    Raises PermissionDeniedError for roles that see it masked. Empty strings when there is none.
    """
    if not can_see_passport(user):
        raise PermissionDeniedError("Паспортные данные видны только менеджерам и администратору")
    deal = Deal.get_by_id(deal_id)
    passport = Passport.get_or_none(Passport.contact == deal.contact_id) if deal.contact_id else None
    audit(user, "passport_view", deal, f"Просмотр паспортных данных, сделка №{deal.order_no}")
    return PassportView(passport.series, passport.number) if passport else PassportView("", "")


def masked_passport(deal_id: int) -> PassportView:
    """What other roles see: the mask when a passport is stored, empty when there is none."""
    deal = Deal.get_by_id(deal_id)
    stored = deal.contact_id and Passport.select().where(Passport.contact == deal.contact_id).exists()
    return PassportView(MASKED_SERIES, MASKED_NUMBER) if stored else PassportView("", "")
