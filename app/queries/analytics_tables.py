"""The analytics report as tables: what the screen, the PDF and the XLSX all show, cell for cell.

A ``Table`` holds typed values (counts, ``Money`` in kopecks, ``Days``, ``Share``), their shop text
(``cell_text``), an optional chart (which columns are drawn as bars over which row labels) and,
per row, what the deals behind it are (``Drill``: the screen lists them on a click of the bar).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.codes import OrderKind
from app.domain.money import format_rub
from app.queries import analytics
from app.queries.analytics import AnalyticsFilter, DealRow, Report

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")


class Money(int):
    """An amount in kopecks (shown «475 470 руб»)."""


class Days(float):
    """A number of days (shown «4,5 дн»)."""


class Share(float):
    """A share of 1 (shown «25 %»)."""


def cell_text(value) -> str:
    """The shop text of one cell."""
    if value is None:
        return "—"
    if isinstance(value, Money):
        return format_rub(int(value))
    if isinstance(value, Days):
        return f"{float(value):.1f}".replace(".", ",") + " дн"
    if isinstance(value, Share):
        return f"{round(float(value) * 100)} %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def bar_length(value, money_unit: int = 100) -> float:
    """A cell as a bar's length: money in ``money_unit`` kopecks (roubles by default), an empty or
    text cell 0."""
    if value is None or isinstance(value, str):
        return 0.0
    return int(value) / money_unit if isinstance(value, Money) else float(value)


@dataclass(frozen=True)
class Drill:
    """The deals behind one row: a function of ``analytics`` and its arguments after the filter."""

    function: str
    args: tuple = ()

    def deals(self, flt: AnalyticsFilter) -> list[DealRow]:
        return getattr(analytics, self.function)(flt, *self.args)


@dataclass(frozen=True)
class Chart:
    series: tuple[int, ...]  # the columns drawn as bars (their headers name the series)
    label: int = 0  # the column whose texts label the bars
    over_time: bool = False  # the labels are weeks or months (bars stand up, in time order)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: Chart | None = None
    drills: list[Drill | None] = field(default_factory=list)
    deal_ids: list[int | None] = field(default_factory=list)  # a row that is one deal
    note: str = ""

    def texts(self) -> list[list[str]]:
        return [[cell_text(value) for value in row] for row in self.rows]


def period_text(flt: AnalyticsFilter) -> str:
    return f"{flt.date_from:%d.%m.%Y} — {flt.date_to:%d.%m.%Y}"


def month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _share(part: int, whole: int) -> Share | None:
    return Share(part / whole) if whole else None


def _days(value: float | None) -> Days | None:
    return None if value is None else Days(value)


def _funnel(report: Report) -> Table:
    kinds = (OrderKind.STANDARD, OrderKind.INDIVIDUAL)
    table = Table("funnel", "Воронка продаж",
                  ["Этап", "Вошли", "Перешли дальше", "Конверсия",
                   *[f"{OrderKind.NAMES[k]}: вошли / дальше" for k in kinds]], chart=Chart((1, 2)))
    for row in report.funnel:
        per_kind = [" / ".join(cell_text(n) for n in row.by_kind.get(k, (0, 0))) for k in kinds]
        table.rows.append([row.name, row.entered, row.moved_on, _share(row.moved_on, row.entered), *per_kind])
        table.drills.append(Drill("entered_deals", (row.stage,)))
    return table


def _lost(report: Report) -> Table:
    table = Table("lost", "Потерянные сделки по этапу, с которого ушли",
                  ["Этап", "Потеряно", *[OrderKind.NAMES[k] for k in OrderKind.NAMES]], chart=Chart((1,)))
    for row in report.lost:
        table.rows.append([row.name, row.lost, *[row.by_kind.get(k, 0) for k in OrderKind.NAMES]])
        table.drills.append(Drill("entered_deals", (analytics.LOST, None, None, row.stage)))
    return table


def _stage_times(report: Report) -> Table:
    table = Table("stage_times", "Время на этапах",
                  ["Этап", "Медиана", "90 %", "Пребываний", "Норма", "Сейчас дольше нормы"], chart=Chart((1, 2)),
                  note="Пребывания на этапе, закончившиеся в периоде; «90 %» — 9 из 10 уложились в это время.")
    for row in report.stage_times:
        table.rows.append([row.name, _days(row.median_days), _days(row.p90_days), row.stays,
                           Days(row.normal_days), row.over_now])
        table.drills.append(Drill("stay_deals", (row.stage,)))
    return table


def _deal_list(key: str, title: str, deals: list[DealRow], value_header: str, value) -> Table:
    table = Table(key, title, ["№", "Сделка", "Этап", value_header])
    for deal in deals:
        table.rows.append([deal.order_no, deal.name, deal.stage_name, value(deal)])
        table.deal_ids.append(deal.deal_id)
        table.drills.append(None)
    return table


def _throughput(report: Report) -> Table:
    table = Table("throughput", "Выпуск по неделям",
                  ["Неделя с", "Вошли в «Производство»", "Отгружено"], chart=Chart((1, 2), over_time=True))
    for row in report.throughput:
        table.rows.append([f"{row.week:%d.%m}", row.entered_production, row.shipped])
        start, end = analytics.week_bounds(row.week)
        table.drills.append(Drill("entered_deals", ((analytics.PRODUCTION, analytics.SHIPPED), start, end)))
    return table


def _lead_time(report: Report) -> Table:
    lead = report.lead_time
    table = Table("lead_time", "Срок «Оплачено» → «Отгружено»", ["Показатель", "Значение"])
    table.rows = [["Отгружено заказов", lead.shipped], ["Медиана срока", _days(lead.median_days)],
                  ["90 % заказов уложились в", _days(lead.p90_days)],
                  ["Со сроком отгрузки", lead.with_deadline], ["Отгружено позже срока", lead.late],
                  ["Доля отгруженных позже срока", None if lead.late_share is None else Share(lead.late_share)]]
    table.drills = [None, None, None, None, Drill("late_deals"), Drill("late_deals")]
    return table


def _money_months(report: Report) -> Table:
    money = report.money
    table = Table("money", "Деньги по месяцам",
                  ["Месяц", "Реализовано сделок", "Бюджет реализованных", "Оплат", "Предоплаты"],
                  chart=Chart((2, 4), over_time=True))
    for row in money.months:
        table.rows.append([month_name(row.month), row.won, Money(row.won_budget), row.paid, Money(row.prepayments)])
        start, end = analytics.month_bounds(row.month)
        table.drills.append(Drill("entered_deals", (analytics.WON, start, end)))
    table.rows.append(["Итого", money.won, Money(money.won_budget), sum(m.paid for m in money.months),
                       Money(money.prepayments)])
    table.drills.append(None)
    average = money.average_order
    table.note = f"Средний чек реализованных: {cell_text(None if average is None else Money(average))}"
    return table


def _debts(report: Report) -> Table:
    money = report.money
    table = _deal_list("debts", "Контроль задолженности", money.debts, "Задолженность",
                       lambda deal: Money(deal.amount or 0))
    table.note = (f"Сделок с задолженностью: {cell_text(money.debt_deals)}, "
                  f"всего {cell_text(Money(money.debt_total))}")
    return table


def _people(report: Report) -> Table:
    table = Table("people", "Задачи сотрудников",
                  ["Сотрудник", "Выполнено", "Из них с опозданием", "Просрочено сейчас"], chart=Chart((1, 3)))
    for row in report.people:
        table.rows.append([row.name, row.done, row.done_late, row.overdue_now])
        table.drills.append(None)
    return table


def _sources(report: Report, money: bool) -> Table:
    headers = ["Источник", "Заявок", "Реализовано", "Конверсия"] + (["Бюджет реализованных"] if money else [])
    table = Table("sources", "Источники заявок", headers, chart=Chart((1, 2)))
    for row in report.sources:
        table.rows.append([row.name, row.leads, row.won, _share(row.won, row.leads)]
                          + ([Money(row.won_budget)] if money else []))
        table.drills.append(Drill("source_deals", (row.source,)))
    return table


def tables(report: Report) -> list[Table]:
    """The report's tables in the order of the screen and the documents (sections it lacks left out)."""
    result: list[Table] = []
    if report.funnel is not None:
        result += [_funnel(report), _lost(report)]
    if report.stage_times is not None:
        result += [_stage_times(report),
                   _deal_list("over_now", "Заказы дольше нормы на этапе сейчас", report.over_now,
                              "Дней на этапе", lambda deal: _days(deal.days)),
                   _throughput(report), _lead_time(report)]
    if report.money is not None:
        result += [_money_months(report), _debts(report)]
    if report.people is not None:
        result += [_people(report), _sources(report, report.money is not None)]
    return result


def filter_text(flt: AnalyticsFilter, responsible_name: str | None = None) -> str:
    """«Период: 01.06.2025 — 30.06.2025; вид заказа: Индивидуальный»."""
    parts = [f"Период: {period_text(flt)}"]
    if flt.responsible_id is not None:
        parts.append(f"ответственный: {responsible_name or flt.responsible_id}")
    if flt.kind:
        parts.append(f"вид заказа: {OrderKind.NAMES.get(flt.kind, flt.kind)}")
    if flt.source is not None:
        parts.append(f"источник: {flt.source or analytics.NO_SOURCE}")
    return "; ".join(parts)

