"""The constructor's per-order documents at «Раскрой»: parts and hardware specifications and the
production order form; each save is one transaction and writes a line on the deal's timeline."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain import clock
from app.domain.banding import edge_choices
from app.domain.bed_models import detect_model
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, NotFoundError, ServiceError, ValidationError
from app.domain.russian import ROWS, count_text, parts_text
from app.domain.specs import HardwareLine, PartLine, SpecError, clean_hardware, clean_part
from app.services.banding_types import banding_list
from app.services.deals import load_deal
from app.services.notes import attach_file
from app.services.timeline import add_entry
from app.store import lookup
from app.store.db import database
from app.store.models import Attachment, Deal, HardwareSpec, PartSpec, ProductionForm, TimelineEntry, User

FORM_FIELDS = {"bed_model": "Модель кровати", "dimensions": "Размеры", "colour": "Цвет / покраска",
               "options": "Опции"}


def _check_lines(rows: list[dict | PartLine | HardwareLine], clean) -> list:
    lines, problems = [], []
    if not isinstance(rows, (list, tuple)):
        raise ValidationError([FieldProblem("spec", "нет строк таблицы")], "Спецификация не сохранена")
    for number, row in enumerate(rows, start=1):
        values = row.as_dict() if isinstance(row, (PartLine, HardwareLine)) else row
        if not isinstance(values, dict):
            problems.append(FieldProblem(f"Строка {number}", "не строка таблицы"))
            continue
        try:
            lines.append(clean(values))
        except SpecError as error:
            problems.append(FieldProblem(f"Строка {number}", str(error)))
    if problems:
        raise ValidationError(problems, "Спецификация не сохранена, исправьте строки")
    return lines


def part_cleaner():
    """``clean_part`` with the edges naming the shop's banding types (one query)."""
    edges = edge_choices(banding_list())
    return lambda values: clean_part(values, edges)


def parts_of(deal_id: int) -> list[PartLine]:
    """The deal's parts specification in its order."""
    query = PartSpec.select().where(PartSpec.deal == deal_id).order_by(PartSpec.position, PartSpec.id)
    return [PartLine(**{key: getattr(row, key) for key in PartLine.__dataclass_fields__}) for row in query]


def hardware_of(deal_id: int) -> list[HardwareLine]:
    """The deal's hardware specification in its order."""
    query = HardwareSpec.select().where(HardwareSpec.deal == deal_id).order_by(
        HardwareSpec.position, HardwareSpec.id)
    return [HardwareLine(item=row.item, article=row.article, quantity=row.quantity, unit=row.unit)
            for row in query]


def _write_parts(deal: Deal, lines: list[PartLine]) -> None:
    PartSpec.delete().where(PartSpec.deal == deal).execute()
    if lines:
        PartSpec.insert_many([{**line.as_dict(), "deal": deal.id, "position": position}
                              for position, line in enumerate(lines)]).execute()


def save_parts(deal_id: int, actor: User | None, rows: list[dict | PartLine]) -> Done[list[PartLine]]:
    """Replace the deal's parts specification with ``rows``; nothing is stored if a row is wrong."""
    lines = _check_lines(rows, part_cleaner())
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        _write_parts(deal, lines)
        total = sum(line.quantity for line in lines)
        add_entry(deal, TimelineEntry.CHANGE,
                  f"Спецификация деталей: {parts_text(len(lines), total)}", actor)
    return Done(lines, changes_of(deal_id))


def save_hardware(deal_id: int, actor: User | None,
                  rows: list[dict | HardwareLine]) -> Done[list[HardwareLine]]:
    """Replace the deal's hardware specification with ``rows``; nothing is stored if a row is wrong."""
    lines = _check_lines(rows, clean_hardware)
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        HardwareSpec.delete().where(HardwareSpec.deal == deal).execute()
        if lines:
            HardwareSpec.insert_many([{**line.as_dict(), "deal": deal.id, "position": position}
                                      for position, line in enumerate(lines)]).execute()
        add_entry(deal, TimelineEntry.CHANGE, f"Спецификация фурнитуры: {count_text(len(lines), ROWS)}", actor)
    return Done(lines, changes_of(deal_id))


@dataclass
class FormValues:
    """The production order form's own fields (the rest comes from the deal)."""

    bed_model: str = ""
    dimensions: str = ""
    colour: str = ""
    options: str = ""


def form_of(deal: Deal) -> FormValues:
    """The deal's production form; the bed model defaults to the one named in its products or name."""
    row = ProductionForm.get_or_none(ProductionForm.deal == deal.id)
    values = FormValues(row.bed_model, row.dimensions, row.colour, row.options) if row else FormValues()
    if not values.bed_model:
        values.bed_model = detect_model(deal.products, deal.name)
    return values


def save_form(deal_id: int, actor: User | None, values: FormValues) -> Done[FormValues]:
    """Store the production form's fields (trimmed)."""
    clean = FormValues(**{key: " ".join(str(getattr(values, key) or "").split()) if key != "options"
                          else str(values.options or "").strip() for key in FORM_FIELDS})
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        row, _ = ProductionForm.get_or_create(deal=deal)
        for key in FORM_FIELDS:
            setattr(row, key, getattr(clean, key))
        row.updated_at = clock.now()
        row.save()
        add_entry(deal, TimelineEntry.CHANGE, f"Бланк заказа для производства: {clean.bed_model or '—'}, "
                                              f"{clean.dimensions or '—'}, {clean.colour or '—'}", actor)
    return Done(clean, changes_of(deal_id))


def bed_model_of(deal: Deal) -> str:
    return form_of(deal).bed_model


def same_model_orders(deal_id: int) -> list[Deal]:
    """Other orders of the deal's bed model that have a parts specification (newest first)."""
    deal = load_deal(deal_id)
    model = bed_model_of(deal)
    if not model:
        return []
    with_parts = PartSpec.select(PartSpec.deal).distinct()
    candidates = Deal.select().where(Deal.id.in_(with_parts), Deal.id != deal.id).order_by(Deal.order_no.desc())
    return [other for other in candidates if bed_model_of(other) == model]


def copy_parts_from(deal_id: int, source_deal_id: int, actor: User | None) -> Done[list[PartLine]]:
    """Replace the deal's parts with those of another order of the same bed model."""
    deal, source = load_deal(deal_id), lookup.by_id(Deal, source_deal_id)
    if source is None:
        raise NotFoundError("Заказ, из которого копируем, не найден")
    model, source_model = bed_model_of(deal), bed_model_of(source)
    if not model or model != source_model:
        raise ServiceError(f"Копировать можно только из заказа той же модели: у заказа №{deal.order_no} "
                           f"«{model or 'модель не указана'}», у №{source.order_no} «{source_model or '—'}»")
    lines = parts_of(source.id)
    if not lines:
        raise ServiceError(f"У заказа №{source.order_no} нет спецификации деталей")
    with database.atomic():
        deal = load_deal(deal_id, lock=True)
        _write_parts(deal, lines)
        add_entry(deal, TimelineEntry.CHANGE,
                  f"Спецификация деталей скопирована из заказа №{source.order_no} "
                  f"({count_text(len(lines), ROWS)})", actor)
    return Done(lines, changes_of(deal_id))


def save_all(deal_id: int, actor: User | None, form: FormValues, parts: list[dict],
             hardware: list[dict]) -> Changes:
    """«Сохранить» of the order's documents: form, parts and hardware in one transaction (all or nothing)."""
    _check_lines(parts, part_cleaner())
    _check_lines(hardware, clean_hardware)
    with database.atomic():
        save_form(deal_id, actor, form)
        save_parts(deal_id, actor, parts)
        save_hardware(deal_id, actor, hardware)
    return changes_of(deal_id)


DRAWING_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def attach_drawing(deal_id: int, actor: User | None, path: Path | str,
                   kind: str = "drawing") -> Done[Attachment]:
    """Attach a drawing or assembly drawing (JPG, PNG or PDF only) to the order."""
    if kind not in ("drawing", "assembly_drawing"):
        raise ServiceError("Неизвестный вид чертежа")
    if Path(path).suffix.lower() not in DRAWING_TYPES:
        raise ServiceError(f"Чертеж должен быть JPG, PNG или PDF, а не «{Path(path).name}»")
    attached = attach_file(deal_id, actor, path, kind)
    return Done(attached.value, attached.changes | changes_of(deal_id))


def changes_of(deal_id: int) -> Changes:
    """What editing an order's documents changes (for the screens to refresh)."""
    return Changes(frozenset({deal_id}), timeline=True, specs=True)
