"""The editable fields of a deal, its contact and passport: read, check, gate, write.

Field keys are those of ``app.domain.labels.LABELS``: ``contact.phones``/``contact.emails``
(lists), ``contact.company``, ``tags``, ``products``, ``kind``, ``assembly_needed``,
``transport_company``, ``waybill_no`` and ``responsible`` (a user id).
"""
from __future__ import annotations

from typing import Any

from app.domain import clock, pipeline, validation
from app.domain.codes import OrderKind
from app.domain.errors import FieldProblem
from app.domain.labels import label
from app.domain.money import format_rub
from app.domain.validation import FieldError
from app.services.timeline import add_entry, audit
from app.store.models import Contact, ContactChannel, Deal, Passport, TimelineEntry, User

DEAL_TEXT = ("name", "tags", "products", "source", "delivery_city", "transport_company", "waybill_no")
DEAL_AMOUNTS = ("budget", "prepayment", "debt")
DEAL_DATES = ("payment_date", "ship_deadline", "planned_delivery_date")
CONTACT_TEXT = ("contact.full_name", "contact.company", "contact.address")
PASSPORT = ("passport.series", "passport.number")
MULTILINE = ("products", "contact.address")


def _clean_one(key: str, value: Any) -> Any:
    if key in DEAL_AMOUNTS:
        amount = validation.clean_amount(value if value != "" else None)
        return 0 if key == "budget" and amount is None else amount  # an emptied budget is «not set»
    if key in DEAL_DATES:
        return validation.clean_date(value)
    if key == "name":
        return validation.clean_text(value, required=True, key=key)
    if key in DEAL_TEXT or key in CONTACT_TEXT:
        return validation.clean_text(value, key=key, multiline=key in MULTILINE)
    if key == "delivery_type":
        text = validation.clean_text(value, key=key)
        if text and text not in pipeline.DELIVERY_TYPES:
            raise FieldError("выберите из списка: " + ", ".join(pipeline.DELIVERY_TYPES))
        return text
    if key == "kind":
        if not isinstance(value, str) or value not in OrderKind.NAMES:
            raise FieldError("выберите из списка: " + ", ".join(OrderKind.NAMES.values()))
        return value
    if key == "assembly_needed":
        if not isinstance(value, (bool, int)) or isinstance(value, int) and value not in (0, 1):
            raise FieldError("да или нет")
        return bool(value)
    if key == "responsible":
        if value is None:
            return None
        user = User.get_or_none(User.id == value) if validation.is_id(value) else None
        if user is None or not user.active:
            raise FieldError("нет такого активного пользователя")
        return user.id
    if key in ("contact.phones", "contact.emails"):
        if not isinstance(value, (list, tuple)):
            raise FieldError("нужен список")
        one = "contact.phone" if key == "contact.phones" else "contact.email"
        return [clean for clean in (_clean_one(one, item) for item in value) if clean]
    text = validation.clean_text(value, key=key)
    if not text:
        return ""
    if key == "contact.phone":
        return validation.clean_phone(text, lenient=True)
    if key == "contact.email":
        return validation.clean_email(text)
    if key == "passport.series":
        return validation.clean_passport_series(text)
    if key == "passport.number":
        return validation.clean_passport_number(text)
    raise FieldError(f"неизвестное поле «{key}»")


def check_field(key: str, value: Any, *, required: bool = False) -> str | None:
    """The Russian message for a typed ``value`` of field ``key`` (None when it can be stored).

    Pure: forms call it on every keystroke to show the message beside the field. ``required``
    marks a field a gate asks for, so an empty value gets «не заполнено».
    """
    try:
        clean = _clean_one(key, value)
    except FieldError as error:
        return str(error)
    if required and _missing(key, clean):
        return "не заполнено"
    return None


def read_values(values: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Normalise typed values; returns (clean values, problems)."""
    clean: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, value in values.items():
        try:
            clean[key] = _clean_one(key, value)
        except FieldError as error:
            problems.append(FieldProblem(key, str(error)))
    return clean, problems


def current_values(deal: Deal) -> dict[str, Any]:
    """The deal's present state under the field keys."""
    state: dict[str, Any] = {key: getattr(deal, key) for key in DEAL_TEXT + DEAL_AMOUNTS + DEAL_DATES}
    state.update(delivery_type=deal.delivery_type, kind=deal.kind,
                 assembly_needed=deal.assembly_needed, responsible=deal.responsible_id,
                 debt_manual=deal.debt_manual)
    contact = deal.contact
    phones: list[str] = []
    emails: list[str] = []
    passport = None
    if contact is not None:
        for channel in contact.channels.order_by(ContactChannel.position, ContactChannel.id):
            (phones if channel.kind == ContactChannel.PHONE else emails).append(channel.value)
        passport = Passport.get_or_none(Passport.contact == contact)
    state.update({
        "contact.full_name": contact.full_name if contact else "",
        "contact.company": contact.company if contact else "",
        "contact.address": contact.address if contact else "",
        "contact.phones": phones,
        "contact.emails": emails,
        "passport.series": passport.series if passport else "",
        "passport.number": passport.number if passport else "",
    })
    state["contact.phone"] = phones[0] if phones else ""
    state["contact.email"] = emails[0] if emails else ""
    return state


def merge(state: dict[str, Any], clean: dict[str, Any], raw_keys: set[str]) -> dict[str, Any]:
    """The state after ``clean`` is applied, with first phone/e-mail and the debt kept consistent."""
    merged = {**state, **clean}
    for single, many in (("contact.phone", "contact.phones"), ("contact.email", "contact.emails")):
        if many in clean:
            merged[single] = clean[many][0] if clean[many] else ""
        elif single in clean:
            rest = state[many][1:]
            merged[many] = ([clean[single]] if clean[single] else []) + rest
    if "debt" in raw_keys:
        merged["debt_manual"] = clean.get("debt") is not None
    if not merged["debt_manual"]:
        prepayment, budget = merged["prepayment"], merged["budget"] or 0
        merged["debt"] = None if prepayment is None else max(budget - prepayment, 0)
    return merged


def consistency_problems(merged: dict[str, Any], touched: set[str]) -> list[FieldProblem]:
    """Rules between fields: prepayment within budget, shipping not before payment."""
    problems = []
    budget, prepayment = merged["budget"] or 0, merged["prepayment"]
    if prepayment is not None and prepayment > budget and touched & {"prepayment", "budget"}:
        problems.append(FieldProblem(
            "prepayment", f"Предоплата {format_rub(prepayment)} больше бюджета {format_rub(budget)}"))
    paid_on, deadline = merged["payment_date"], merged["ship_deadline"]
    if paid_on and deadline and deadline < paid_on and touched & {"payment_date", "ship_deadline"}:
        problems.append(FieldProblem("ship_deadline", "Крайний срок отгрузки раньше даты оплаты"))
    return problems


def check(state: dict[str, Any], values: dict[str, Any],
          gate: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, Any], list[FieldProblem]]:
    """Typed ``values`` over the deal's ``state``: (clean values, merged state, problems).

    Pure (no writes): per-field checks, rules between fields and the ``gate`` fields a move needs
    (``pipeline.gate_of_move``). A gate form calls it while the user types; the services call it
    before every write.
    """
    clean, problems = read_values(values)
    merged = merge(state, clean, set(values))
    problems += consistency_problems(merged, set(values))
    if gate:
        already = {problem.field for problem in problems}
        problems += [p for p in gate_problems(gate, merged) if p.field not in already]
    return clean, merged, problems


def has_no_debt(debt: int | None) -> bool:
    """The «Нет задолженности» flag: the debt is known and zero."""
    return debt == 0


def _missing(key: str, value: Any) -> bool:
    if key == "budget":
        return not value
    return value is None or value == "" or value == []


def gate_problems(gate: tuple[str, ...], merged: dict[str, Any]) -> list[FieldProblem]:
    """Fields of ``gate`` that are still empty."""
    return [FieldProblem(key, "не заполнено") for key in gate if _missing(key, merged[key])]


def _write_channels(contact: Contact, kind: str, values: list[str]) -> None:
    ContactChannel.delete().where(ContactChannel.contact == contact, ContactChannel.kind == kind).execute()
    for position, value in enumerate(values):
        ContactChannel.create(contact=contact, kind=kind, value=value, position=position)


def format_value(key: str, value: Any) -> str:
    """A field value as the timeline and the conflict dialog show it."""
    if key in DEAL_AMOUNTS:
        return format_rub(value) if value is not None else "—"
    if key in DEAL_DATES:
        return value.strftime("%d.%m.%Y") if value else "—"
    if key == "responsible":
        return User.get_by_id(value).full_name if value else "—"
    if key == "kind":
        return OrderKind.NAMES[value]
    if key == "assembly_needed":
        return "да" if value else "нет"
    if isinstance(value, list):
        return ", ".join(validation.format_phone(v) if v.startswith("+") else v for v in value) or "—"
    return value or "—"


def write_values(deal: Deal, state: dict[str, Any], merged: dict[str, Any], user: User | None,
                 *, log: bool = True) -> list[str]:
    """Store what differs between ``state`` and ``merged``; returns the changed keys."""
    changed = [key for key in merged if key not in ("contact.phone", "contact.email")
               and merged[key] != state.get(key)]
    if not changed:
        return []
    now = clock.now()
    contact = deal.contact
    touches_contact = any(key.startswith(("contact.", "passport.")) for key in changed)
    if touches_contact and contact is None:
        contact = Contact.create(full_name=merged["contact.full_name"] or deal.name, created_at=now)
        deal.contact = contact
        add_entry(deal, TimelineEntry.CONTACT_CREATED, f"Контакт создан: {contact.full_name}", user)
    if touches_contact:
        for key in CONTACT_TEXT:
            setattr(contact, key.split(".", 1)[1], merged[key])
        contact.updated_at = now
        contact.version += 1
        contact.save()
        if "contact.phones" in changed:
            _write_channels(contact, ContactChannel.PHONE, merged["contact.phones"])
        if "contact.emails" in changed:
            _write_channels(contact, ContactChannel.EMAIL, merged["contact.emails"])
    if any(key.startswith("passport.") for key in changed):
        Passport.insert(contact=contact, series=merged["passport.series"],
                        number=merged["passport.number"], updated_at=now).on_conflict(
            conflict_target=[Passport.contact],
            update={Passport.series: merged["passport.series"], Passport.number: merged["passport.number"],
                    Passport.updated_at: now}).execute()
        audit(user, "passport_change", deal, "Изменены паспортные данные контакта")
    for key in DEAL_TEXT + DEAL_AMOUNTS + DEAL_DATES + ("delivery_type", "kind", "assembly_needed",
                                                         "debt_manual"):
        setattr(deal, key, merged[key])
    deal.responsible = merged["responsible"]
    if log:
        shown = [key for key in changed if key != "debt_manual"]
        details = "; ".join(
            f"{label(key)}: {'изменено' if key.startswith('passport.') else format_value(key, merged[key])}"
            for key in shown)
        if details:
            add_entry(deal, TimelineEntry.CHANGE, f"Изменено — {details}", user)
    return changed


def search_text(deal: Deal) -> str:
    """Everything a board search may match for ``deal``, lower-cased."""
    parts = [str(deal.order_no), deal.name, deal.tags, deal.products]
    if deal.contact_id:
        contact = deal.contact
        parts += [contact.full_name, contact.company]
        for channel in contact.channels:
            parts.append(channel.value.lstrip("+") if channel.kind == ContactChannel.PHONE else channel.value)
    return " ".join(part for part in parts if part).lower()


def refresh_search(deal: Deal) -> None:
    """Recompute the search text of ``deal`` and of its contact's other deals."""
    if deal.contact_id:
        for other in Deal.select().where(Deal.contact == deal.contact_id, Deal.id != deal.id):
            Deal.update(search_text=search_text(other)).where(Deal.id == other.id).execute()
    deal.search_text = search_text(deal)

