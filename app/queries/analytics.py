"""The figures of «Аналитика» and of the printed report, every one counted by the database.

A figure is an aggregate query over the stage history, the deals and the tasks; Python only
names the rows. Definitions (a period is a range of shop-local days, both ends included):

- **funnel**: a deal *entered* a sales stage when the history has a move into it within the period
  (counted once per deal); it *moved on* when, at that move or after it, it reached a later stage of
  the board other than «Закрыто и не реализовано»; conversion = moved on / entered. *Lost* are the
  moves into «Закрыто и не реализовано» within the period, by the stage they left;
- **time in stage**: every stay in a stage that ended within the period (from the move into the
  stage to the next move of the deal), its median and 90th percentile in days (as PostgreSQL's
  ``percentile_cont``); *over* are the open deals sitting now longer than their stage's normal time
  (``app.services.stale``);
- **throughput**: deals entering «Производство» and «Отгружено» per shop-local week (Monday);
  **lead time** of the deals shipped within the period: from their first «Оплачено» to the
  shipment, and *late* when shipped after the day of «Крайний срок отгрузки»;
- **money**: deals that entered «Успешно реализовано» within the period, their budgets per month
  and the average order; prepayments by «Дата оплаты» within the period; debts outstanding now
  (every deal with a debt that is not «Закрыто и не реализовано»);
- **people**: tasks completed within the period by who completed them and how many of those were
  completed after their due (an all-day task: after its day); open tasks overdue now, by addressee;
- **sources**: deals created within the period by «Источник», and how many of them are won.

The filters (responsible — the responsible or the manager —, kind of order, source) narrow the deals;
the figures of moves and tasks read them on the rows' own copies of their deal's columns
(``app.store.deal_copies``), as the indexes end with them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import peewee as pw
from peewee import fn

from app.domain import clock, pipeline, validation
from app.domain.codes import OrderKind
from app.domain.errors import FieldProblem, ValidationError
from app.queries.analytics_sql import Dialect, as_date, dialect, fetch, near_percentile, percentile, stamp
from app.queries.board import overdue_condition
from app.services import permissions, stale
from app.store import deal_copies
from app.store.models import Group, Task, User

SALES_STAGES: tuple[str, ...] = tuple(s.code for s in pipeline.STAGES if s.group == pipeline.SALES)
OPEN_STAGES: tuple[str, ...] = tuple(s.code for s in pipeline.STAGES if not s.is_closed)
WORKSHOP_PART: tuple[str, ...] = tuple(s.code for s in pipeline.STAGES if s.group == pipeline.PRODUCTION)
WON = next(s.code for s in pipeline.STAGES if s.won)
LOST = next(s.code for s in pipeline.STAGES if s.lost)
PAID, PRODUCTION, SHIPPED = "paid", "production", "shipped"
LIST_LIMIT = 500  # rows of a deal list (debts, orders over their time) read at most
NO_SOURCE = "не указан"


def _refuse(key: str, message: str) -> None:
    raise ValidationError([FieldProblem(key, message)], "Аналитика не построена")


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)  # what a period may span (no overflow at its ends)


def _check_day(value: object, key: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime) or not FIRST_DAY <= value <= LAST_DAY:
        _refuse(key, "нужна дата, например 01.06.2025")


def _check_moment(value: object, key: str) -> None:
    if value is not None and (not isinstance(value, datetime) or not FIRST_DAY <= value.date() <= LAST_DAY):
        _refuse(key, "нужны дата и время")


def _stage_codes(stages: object) -> tuple[str, ...]:
    """A stage code or several, each one the board has."""
    codes = (stages,) if isinstance(stages, str) else stages
    if not isinstance(codes, (tuple, list)) or not codes or not all(
            isinstance(code, str) and code in pipeline.STAGE_BY_CODE for code in codes):
        _refuse("stage", "выберите этап из списка")
    return tuple(codes)


def _stage_code(stage: object) -> str:
    """One stage code the board has."""
    return _stage_codes(stage if isinstance(stage, str) else None)[0]


@dataclass(frozen=True)
class AnalyticsFilter:
    """The period (shop-local days, both included) and the filters above the screen."""

    date_from: date
    date_to: date
    responsible_id: int | None = None
    kind: str | None = None
    source: str | None = None  # "" — deals without a source

    def __post_init__(self) -> None:
        """Refuse a filter the screen or ``report`` could not have meant (ValidationError, field named)."""
        for key in ("date_from", "date_to"):
            _check_day(getattr(self, key), f"analytics.{key}")
        if self.responsible_id is not None and not validation.is_id(self.responsible_id):
            _refuse("responsible", "выберите ответственного из списка")
        if self.kind is not None and (not isinstance(self.kind, str) or self.kind not in OrderKind.NAMES):
            _refuse("kind", "выберите тип заказа из списка")
        if self.source is not None:
            validation.checked_text(self.source, "source", multiline=False)

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as naive UTC [start, end)."""
        start = clock.from_local(datetime.combine(self.date_from, time()))
        return start, clock.from_local(datetime.combine(self.date_to + timedelta(days=1), time()))


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    entered: int
    moved_on: int
    by_kind: dict[str, tuple[int, int]]  # kind → (entered, moved on)

    @property
    def name(self) -> str:
        return pipeline.stage(self.stage).name

    @property
    def conversion(self) -> float | None:
        return self.moved_on / self.entered if self.entered else None


@dataclass(frozen=True)
class LostRow:
    stage: str  # the stage the deals were lost from
    lost: int
    by_kind: dict[str, int]

    @property
    def name(self) -> str:
        return pipeline.stage(self.stage).name if self.stage else "—"


@dataclass(frozen=True)
class StageTime:
    stage: str
    stays: int  # stays that ended within the period
    median_days: float | None
    p90_days: float | None
    normal_days: int
    over_now: int  # open deals in the stage now longer than normal_days

    @property
    def name(self) -> str:
        return pipeline.stage(self.stage).name


@dataclass(frozen=True)
class DealRow:
    """One deal of a list behind a figure (double click opens its card)."""

    deal_id: int
    order_no: int
    name: str
    stage: str
    budget: int  # kopecks
    days: float | None = None  # the figure's own days (in the stage, lead time, over the deadline)
    amount: int | None = None  # the figure's own money (the debt)

    @property
    def stage_name(self) -> str:
        return pipeline.stage(self.stage).name


@dataclass(frozen=True)
class WeekRow:
    week: date  # Monday
    entered_production: int
    shipped: int


@dataclass(frozen=True)
class LeadTime:
    shipped: int
    with_deadline: int
    late: int
    median_days: float | None
    p90_days: float | None

    @property
    def late_share(self) -> float | None:
        return self.late / self.with_deadline if self.with_deadline else None


@dataclass(frozen=True)
class MonthMoney:
    month: str  # «2025-06»
    won: int
    won_budget: int
    paid: int  # deals with «Дата оплаты» in the month
    prepayments: int


@dataclass(frozen=True)
class Money:
    months: list[MonthMoney]
    debts: list[DealRow]  # the largest first, at most LIST_LIMIT
    debt_deals: int
    debt_total: int

    @property
    def won(self) -> int:
        return sum(m.won for m in self.months)

    @property
    def won_budget(self) -> int:
        return sum(m.won_budget for m in self.months)

    @property
    def prepayments(self) -> int:
        return sum(m.prepayments for m in self.months)

    @property
    def average_order(self) -> int | None:
        return self.won_budget // self.won if self.won else None


@dataclass(frozen=True)
class PersonRow:
    name: str
    done: int
    done_late: int  # completed after their due
    overdue_now: int


@dataclass(frozen=True)
class SourceRow:
    source: str  # "" — not given
    leads: int
    won: int
    won_budget: int

    @property
    def name(self) -> str:
        return self.source or NO_SOURCE


# ---- the SQL shared by the figures ----------------------------------------------------------

def _stage_order(column: str) -> str:
    cases = " ".join(f"WHEN '{s.code}' THEN {s.order}" for s in pipeline.STAGES)
    return f"CASE {column} {cases} END"


def _in(codes) -> str:
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"


# the deal's columns the filters read, and their copies on each of its moves (``app.store.deal_copies``)
COPY_OF = {column: copy for copy, column in deal_copies.COLUMNS.items()}


class _Sql:
    """The period, the filter's conditions on ``d`` (the deal) or ``h`` (a move: the copies of its
    deal's columns) and the dialect, for one report."""

    def __init__(self, flt: AnalyticsFilter) -> None:
        self.flt = flt
        self.start, self.end = flt.bounds()
        self.dialect: Dialect = dialect(self.start)
        self.p = self.dialect.param

    def deals(self, on_history: bool = False) -> tuple[str, list]:
        """`` AND …`` conditions on ``d`` for the filters (with ``on_history`` on the move ``h``'s
        copies of its deal's columns), and their parameters."""
        def column(name: str) -> str:
            if on_history:
                return f"h.{COPY_OF[name]}"
            # SQLite (no statistics) would take a person's index over the period's or the stage's,
            # visiting half the deals for one of two managers: «+» keeps it off that index
            return f"+d.{name}" if name.endswith("_id") and not self.dialect.postgres else f"d.{name}"

        parts, params = [], []
        if self.flt.responsible_id is not None:
            parts.append(f"({column('responsible_id')} = {self.p} OR {column('manager_id')} = {self.p})")
            params += [self.flt.responsible_id, self.flt.responsible_id]
        if self.flt.kind:
            parts.append(f"{column('kind')} = {self.p}")
            params.append(self.flt.kind)
        if self.flt.source is not None:
            parts.append(f"{column('source')} = {self.p}")
            params.append(self.flt.source)
        return "".join(f" AND {part}" for part in parts), params

    def moves(self, stages, start: datetime | None = None, end: datetime | None = None,
              need_deal: bool = False) -> tuple[str, list]:
        """FROM … WHERE of the moves into ``stages`` within the period (or within [start, end)
        inside it) of the filtered deals: ``h`` the history row (``d`` the deal with ``need_deal``)."""
        start, end = max(start or self.start, self.start), min(end or self.end, self.end)
        where, params = self.deals(on_history=True)  # the history's indexes answer alone
        history = "stage_history h JOIN deal d ON d.id = h.deal_id" if need_deal else "stage_history h"
        return (f'FROM {history} WHERE h.to_stage IN {_in(stages)} '
                f'AND h."at" >= {self.p} AND h."at" < {self.p}{where}', [stamp(start), stamp(end), *params])

    def entered(self, stages, start: datetime | None = None, end: datetime | None = None) -> tuple[str, list]:
        """A CTE body: each deal's first move into each of ``stages`` (deal_id, stage, at)."""
        moves, params = self.moves(stages, start, end)
        return (f'SELECT h.deal_id, h.to_stage AS stage, MIN(h."at") AS at {moves} '
                f"GROUP BY h.deal_id, h.to_stage"), params


MEDIAN = percentile("v", "n", "rk", 1, 2)
P90 = percentile("v", "n", "rk", 9, 10)
NEAR = f'({near_percentile("n", "rk", 1, 2)} OR {near_percentile("n", "rk", 9, 10)})'


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _by_kind(rows, key_count: int) -> dict:
    """Rows (keys…, kind, counts…) summed per key, with the counts per kind beside."""
    result: dict = {}
    for row in rows:
        key, kind, counts = row[:key_count], row[key_count], tuple(int(c or 0) for c in row[key_count + 1:])
        total, kinds = result.get(key, ((0,) * len(counts), {}))
        kinds[kind] = counts
        result[key] = (tuple(a + b for a, b in zip(total, counts)), kinds)
    return result


# ---- funnel ---------------------------------------------------------------------------------

def _went_on(stage: str) -> tuple[str, ...]:
    """The stages a deal at ``stage`` moves on to: the later ones of the board but «Закрыто и не реализовано»."""
    order = pipeline.stage(stage).order
    return tuple(s.code for s in pipeline.STAGES if s.order > order and s.code != LOST)


def funnel(flt: AnalyticsFilter) -> list[FunnelRow]:
    """Entered and moved on per sales stage (in board order), per kind of order.

    A deal moved on from a stage it entered (first) at E when one of its moves at E or later went to
    a later stage: most show it on a move into the stage within the period, whose next move
    (``next_stage``) went on; only for the others are the deal's moves looked up from E on."""
    q = _Sql(flt)
    parts, params = [], []
    for code in SALES_STAGES:
        moves, stage_params = q.moves((code,))
        on = _in(_went_on(code))
        later = (f'EXISTS (SELECT 1 FROM stage_history l WHERE l.deal_id = e.deal_id AND l."at" >= e.at '
                 f"AND l.to_stage || '' IN {on})")  # the deal's own moves (its index), not the stage's
        parts.append(f"SELECT '{code}' AS stage, e.deal_id, CASE WHEN e.next_on = 1 THEN 1 WHEN {later} THEN 1 "
                     f'ELSE 0 END AS moved FROM (SELECT h.deal_id, MIN(h."at") AS at, '
                     f"MAX(CASE WHEN h.next_stage IN {on} THEN 1 ELSE 0 END) AS next_on {moves} "
                     f"GROUP BY h.deal_id) e")
        params += stage_params
    rows = fetch(f"SELECT x.stage, d.kind, COUNT(*), SUM(x.moved) FROM ({' UNION ALL '.join(parts)}) x "
                 f"JOIN deal d ON d.id = x.deal_id GROUP BY x.stage, d.kind", params)
    found = _by_kind(rows, 1)
    result = []
    for code in SALES_STAGES:
        (entered_n, moved), kinds = found.get((code,), ((0, 0), {}))
        result.append(FunnelRow(code, entered_n, moved, kinds))
    return result


def lost(flt: AnalyticsFilter) -> list[LostRow]:
    """Deals lost within the period by the stage they were lost from (board order)."""
    q = _Sql(flt)
    moves, params = q.moves((LOST,), need_deal=True)
    rows = fetch(f"SELECT h.from_stage, d.kind, COUNT(DISTINCT h.deal_id) {moves} GROUP BY h.from_stage, d.kind",
                 params)
    found = _by_kind(rows, 1)
    order = {code: i for i, code in enumerate(pipeline.STAGE_CODES)}
    return [LostRow(key[0], counts[0], {kind: c[0] for kind, c in kinds.items()})
            for key, (counts, kinds) in sorted(found.items(), key=lambda item: order.get(item[0][0], -1))]


# ---- time in stage --------------------------------------------------------------------------

def _stays(q: _Sql) -> tuple[str, list]:
    """A CTE body of the stays that ended within the period: (stage, deal_id, v = days). Each move
    within the period ends a stay in the stage it left, begun at the deal's move before it; the
    move keeps the stay's length in days (``stay_days``, ``app.store.stage_stays``), so a stay is
    one row of the period's range of the (time, …) index."""
    where, params = q.deals(on_history=True)
    sql = (f"SELECT h.from_stage AS stage, h.deal_id, h.stay_days AS v FROM stage_history h "
           f'WHERE h."at" >= {q.p} AND h."at" < {q.p} AND h.from_stage IN {_in(OPEN_STAGES)}{where}')
    return sql, [stamp(q.start), stamp(q.end), *params]


def _rank_runs(n: int) -> list[tuple[int, int]]:
    """The ranks ``near_percentile`` names for a group of ``n`` rows (the median's and the 90th
    percentile's two each, those below ``n``), as runs (first rank, how many) of consecutive ranks."""
    ranks = sorted({rank for numerator, denominator in ((1, 2), (9, 10))
                    for low in [(n - 1) * numerator // denominator] for rank in (low, low + 1) if rank < n})
    runs: list[list[int]] = []
    for rank in ranks:
        if runs and runs[-1][0] + runs[-1][1] == rank:
            runs[-1][1] += 1
        else:
            runs.append([rank, 1])
    return [(first, count) for first, count in runs]


def _walked(q: _Sql, sql: str, params: list) -> list[tuple]:
    """Rows of ``sql``, on SQLite as they are (``INDEXED BY`` names the walk), on PostgreSQL planned
    with sorting discouraged for it alone (SET LOCAL in a transaction or savepoint of its own): with
    the filters' copies in the indexes the planner took the (stage, time, …) index for the medians and
    sorted the period's stays, 0.44-0.48 s a year against 0.26-0.28 s walking the length index."""
    if not q.dialect.postgres:
        return fetch(sql, params)
    from app.store.db import database

    with database.atomic():
        fetch("SELECT set_config('enable_sort', 'off', true)", [])
        rows = fetch(sql, params)
        fetch("SELECT set_config('enable_sort', 'on', true)", [])
    return rows


def _stay_percentiles(q: _Sql, stages) -> dict:
    """{stage: (stays, median, 90th percentile)} of the filtered deals' stays that ended within the
    period, the same numbers as ranking every such stay (``stay_deals``' rows, by PostgreSQL's
    ``percentile_cont`` formula), without ranking them: each stage's stays are counted on the
    (stage, time, …) index, and the few values the percentiles read — the rows at the ranks
    ``near_percentile`` names — are read by their rank on the (stage, length, time, …) index, walked
    from its nearer end; both indexes end with the moves' copies of the filter's columns, so a filter
    is checked on the index entries walked. The walk passes the stage's stays of every period (and of
    every deal the filter leaves out), and still costs less than ranking the period's own: on 100,000
    orders (four years), 0.14 s of CPU against 0.29 s for 90 days, 0.15 s against 0.48 s for a year."""
    where, deal_params = q.deals(on_history=True)
    period = [stamp(q.start), stamp(q.end), *deal_params]
    sizes = {stage: int(n) for stage, n in fetch(
        f'SELECT h.from_stage, COUNT(*) FROM stage_history h WHERE h.from_stage IN {_in(stages)} '
        f'AND h."at" >= {q.p} AND h."at" < {q.p}{where} GROUP BY h.from_stage', period) if n}
    if not sizes:
        return {}
    by_length = "" if q.dialect.postgres else " INDEXED BY stage_history_stays_by_length"
    parts, params = [], []
    for stage, n in sizes.items():
        for first, count in _rank_runs(n):
            last = first + count - 1
            # ranks first…last in ascending order of length are the ones at n-1-last… from the longest
            order, offset = ("", first) if first <= n - 1 - last else (" DESC", n - 1 - last)
            parts.append(f"SELECT y.grp, {first} + ROW_NUMBER() OVER (ORDER BY y.v) - 1 AS rk, y.v FROM "
                         f"(SELECT {q.p} AS grp, h.stay_days AS v FROM stage_history h{by_length} "
                         f'WHERE h.from_stage = {q.p} AND h."at" >= {q.p} AND h."at" < {q.p}{where} '
                         f"ORDER BY h.stay_days{order} LIMIT {count} OFFSET {offset}) y")
            params += [stage, stage, *period]
    n = "CASE x.grp " + " ".join(f"WHEN {q.p} THEN {count}" for count in sizes.values()) + " END"
    rows = _walked(q, f"SELECT grp, {MEDIAN}, {P90} FROM (SELECT x.grp AS grp, x.v AS v, {n} AS n, x.rk AS rk "
                   f"FROM ({' UNION ALL '.join(f'SELECT * FROM ({part}) z' for part in parts)}) x) r "
                   f"WHERE {NEAR} GROUP BY grp", [*sizes, *params])
    return {grp: (sizes[grp], _rounded(median), _rounded(p90)) for grp, median, p90 in rows}


def _over_condition(q: _Sql, now: datetime, stages) -> tuple[str, list]:
    """Deals ``d`` at one of ``stages`` now longer than the stage's normal time."""
    limits = stale.thresholds()
    parts, params = [], []
    for code in stages:
        if limits[code] > 0:
            parts.append(f"(d.stage = '{code}' AND d.stage_entered_at < {q.p})")
            params.append(stamp(now - timedelta(days=limits[code])))
    return "(" + (" OR ".join(parts) or "1 = 0") + ")", params


def stage_times(flt: AnalyticsFilter, stages=OPEN_STAGES) -> list[StageTime]:
    """Median and 90th percentile of the stays in each of ``stages`` that ended within the period,
    and how many open deals exceed the stage's normal time now."""
    stages = _stage_codes(stages)
    q = _Sql(flt)
    found = _stay_percentiles(q, stages)
    over, over_params = _over_condition(q, clock.now(), stages)
    where, deal_params = q.deals()
    counts = dict(fetch(f"SELECT d.stage, COUNT(*) FROM deal d WHERE {over}{where} GROUP BY d.stage",
                        [*over_params, *deal_params]))
    limits = stale.thresholds()
    return [StageTime(code, *found.get(code, (0, None, None)), limits[code], int(counts.get(code, 0)))
            for code in stages]


def _deal_rows(sql: str, params: list) -> list[DealRow]:
    """DealRows from (id, order_no, name, stage, budget[, days[, amount]]) rows."""
    rows = []
    for row in fetch(sql, params):
        days = _rounded(row[5]) if len(row) > 5 else None
        amount = int(row[6]) if len(row) > 6 and row[6] is not None else None
        rows.append(DealRow(int(row[0]), int(row[1]), row[2], row[3], int(row[4] or 0), days, amount))
    return rows


DEAL_COLUMNS = "d.id, d.order_no, d.name, d.stage, d.budget"


def over_now(flt: AnalyticsFilter, stages=OPEN_STAGES) -> list[DealRow]:
    """The open deals sitting in their stage longer than its normal time, longest over first
    (``days``: days in the stage)."""
    stages = _stage_codes(stages)
    q = _Sql(flt)
    now = clock.now()
    over, params = _over_condition(q, now, stages)
    where, deal_params = q.deals()
    days = q.dialect.days("d.stage_entered_at", q.p)
    limits = stale.thresholds()
    excess = f"{days} - CASE d.stage " + " ".join(f"WHEN '{c}' THEN {limits[c]}" for c in stages) + " END"
    return _deal_rows(f"SELECT {DEAL_COLUMNS}, {days} FROM deal d WHERE {over}{where} "
                      f"ORDER BY {excess} DESC, d.order_no LIMIT {LIST_LIMIT}",
                      [stamp(now), *params, *deal_params, stamp(now)])


def stay_deals(flt: AnalyticsFilter, stage: str) -> list[DealRow]:
    """The deals whose stay in ``stage`` ended within the period, longest first."""
    stage = _stage_code(stage)
    q = _Sql(flt)
    stays, params = _stays(q)
    return _deal_rows(f"WITH s AS ({stays}) SELECT {DEAL_COLUMNS}, s.v FROM s JOIN deal d ON d.id = s.deal_id "
                      f"WHERE s.stage = '{pipeline.stage(stage).code}' ORDER BY s.v DESC, d.order_no "
                      f"LIMIT {LIST_LIMIT}", params)


# ---- throughput and lead time ---------------------------------------------------------------

def weeks_of(flt: AnalyticsFilter) -> list[date]:
    """The Mondays of the weeks the period touches."""
    monday = flt.date_from - timedelta(days=flt.date_from.weekday())
    return [monday + timedelta(weeks=i) for i in range((flt.date_to - monday).days // 7 + 1)]


def throughput(flt: AnalyticsFilter) -> list[WeekRow]:
    """Deals entering «Производство» and «Отгружено» per week of the period (every week listed)."""
    q = _Sql(flt)
    moves, params = q.moves((PRODUCTION, SHIPPED))
    week = q.dialect.local_week('h."at"')
    rows = fetch(f"SELECT {week}, h.to_stage, COUNT(DISTINCT h.deal_id) {moves} GROUP BY {week}, h.to_stage",
                 params)
    counts = {(as_date(wk), stage): int(n) for wk, stage, n in rows}
    return [WeekRow(wk, counts.get((wk, PRODUCTION), 0), counts.get((wk, SHIPPED), 0)) for wk in weeks_of(flt)]


def _shipments(q: _Sql) -> tuple[str, list]:
    """A CTE body of the deals shipped within the period: deal_id, v (days from «Оплачено», None
    without it), late (1/0), dated (1 when the deal has a shipping deadline), over (days late)."""
    first, params = q.entered((SHIPPED,))
    # the deal's first «Оплачено», one step on the (stage, deal, time) index
    paid = (f'(SELECT MIN(p."at") FROM stage_history p WHERE p.to_stage = \'{PAID}\' AND p.deal_id = f.deal_id '
            f'AND p."at" <= f.at)')
    shipped_day = q.dialect.local_date("f.at")
    late = f"d.ship_deadline IS NOT NULL AND {shipped_day} > d.ship_deadline"
    over = q.dialect.date_days("d.ship_deadline", shipped_day)
    return (f"SELECT f.deal_id, {q.dialect.days(paid, 'f.at')} AS v, CASE WHEN {late} THEN 1 ELSE 0 END AS late, "
            f"CASE WHEN d.ship_deadline IS NULL THEN 0 ELSE 1 END AS dated, {over} AS over "
            f"FROM ({first}) f JOIN deal d ON d.id = f.deal_id"), params


def lead_time(flt: AnalyticsFilter) -> LeadTime:
    """Lead time «Оплачено» → «Отгружено» of the deals shipped within the period, and lateness."""
    q = _Sql(flt)
    shipments, params = _shipments(q)
    # the shipments found once (materialized), counted, and their lead times ranked for the percentiles
    shipped, dated, late_n, median, p90 = fetch(
        f"WITH s AS MATERIALIZED ({shipments}), "
        f"c AS (SELECT COUNT(*) AS shipped, SUM(s.dated) AS dated, SUM(s.late) AS late, COUNT(s.v) AS n FROM s), "
        f"r AS (SELECT s.v AS v, ROW_NUMBER() OVER (ORDER BY s.v) - 1 AS rk FROM s WHERE s.v IS NOT NULL) "
        f"SELECT c.shipped, c.dated, c.late, p.median, p.p90 FROM c CROSS JOIN "
        f"(SELECT {MEDIAN} AS median, {P90} AS p90 FROM (SELECT r.v AS v, c.n AS n, r.rk AS rk FROM r CROSS JOIN c) x "
        f"WHERE {NEAR}) p", params)[0]
    return LeadTime(int(shipped), int(dated or 0), int(late_n or 0), _rounded(median), _rounded(p90))


def late_deals(flt: AnalyticsFilter) -> list[DealRow]:
    """The deals shipped late within the period, latest first (``days``: days over the deadline)."""
    q = _Sql(flt)
    shipments, params = _shipments(q)
    return _deal_rows(f"WITH s AS ({shipments}) SELECT {DEAL_COLUMNS}, s.over FROM s JOIN deal d ON d.id = s.deal_id "
                      f"WHERE s.late = 1 ORDER BY s.over DESC, d.order_no LIMIT {LIST_LIMIT}", params)


# ---- money ----------------------------------------------------------------------------------

def months_of(flt: AnalyticsFilter) -> list[str]:
    """«2025-06» for every month the period touches."""
    months, day = [], flt.date_from.replace(day=1)
    while day <= flt.date_to:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def money(flt: AnalyticsFilter) -> Money:
    """Budgets won and prepayments per month of the period; the debts outstanding now."""
    q = _Sql(flt)
    won, params = q.entered((WON,))
    month = q.dialect.local_month("w.at")
    won_rows = fetch(f"WITH w AS ({won}) SELECT {month}, COUNT(*), SUM(d.budget) FROM w "
                     f"JOIN deal d ON d.id = w.deal_id GROUP BY {month}", params)
    where, deal_params = q.deals()
    paid_month = q.dialect.date_month("d.payment_date")
    paid_rows = fetch(f"SELECT {paid_month}, COUNT(*), SUM(d.prepayment) FROM deal d WHERE d.payment_date >= {q.p} "
                      f"AND d.payment_date <= {q.p} AND d.prepayment IS NOT NULL{where} GROUP BY {paid_month}",
                      [flt.date_from.isoformat(), flt.date_to.isoformat(), *deal_params])
    won_by = {m: (int(n), int(s or 0)) for m, n, s in won_rows}
    paid_by = {m: (int(n), int(s or 0)) for m, n, s in paid_rows}
    months = [MonthMoney(m, *won_by.get(m, (0, 0)), *paid_by.get(m, (0, 0))) for m in months_of(flt)]
    owing = f"FROM deal d WHERE d.debt > 0 AND d.stage <> '{LOST}'{where}"
    count, total = fetch(f"SELECT COUNT(*), SUM(d.debt) {owing}", deal_params)[0]
    debts = _deal_rows(f"SELECT {DEAL_COLUMNS}, NULL, d.debt {owing} ORDER BY d.debt DESC, d.order_no "
                       f"LIMIT {LIST_LIMIT}", deal_params)
    return Money(months, debts, int(count), int(total or 0))


# ---- people and sources ---------------------------------------------------------------------

def _task_filter(query, flt: AnalyticsFilter):
    """``query`` on Task narrowed to the tasks of the filtered deals (no filter: every task), by the
    tasks' copies of their deal's columns (``app.store.deal_copies``): the tasks' index answers alone."""
    if flt.responsible_id is not None:
        query = query.where((Task.deal_responsible == flt.responsible_id) | (Task.deal_manager == flt.responsible_id))
    if flt.kind:
        query = query.where(Task.deal_kind == flt.kind)
    if flt.source is not None:
        query = query.where(Task.deal_source == flt.source)
    return query


def people(flt: AnalyticsFilter) -> list[PersonRow]:
    """Per person (and group, for the tasks addressed to it): tasks done within the period, done
    after their due, and overdue now; the busiest first."""
    q = _Sql(flt)
    late = ((Task.all_day == False) & (Task.done_at > Task.due_at)  # noqa: E712
            | (Task.all_day == True) & (Task.done_at >= q.dialect.day_after(Task.due_at)))  # noqa: E712
    done = _task_filter(Task.select(Task.done_by, fn.COUNT(Task.id), fn.SUM(pw.Case(None, [(late, 1)], 0)))
                        .where(Task.done_at >= q.start, Task.done_at < q.end), flt).group_by(Task.done_by)
    overdue = _task_filter(Task.select(Task.assignee_user, Task.assignee_group, fn.COUNT(Task.id))
                           .where(overdue_condition()), flt).group_by(Task.assignee_user, Task.assignee_group)
    users = {u.id: u.full_name for u in User.select(User.id, User.full_name)}
    groups = {g.id: f"{g.name} (группа)" for g in Group.select(Group.id, Group.name)}
    rows: dict[str, list[int]] = {}
    for user_id, n, n_late in done.tuples():
        rows.setdefault(users.get(user_id, "—"), [0, 0, 0])[:2] = [int(n), int(n_late or 0)]
    for user_id, group_id, n in overdue.tuples():
        name = users.get(user_id) if user_id else groups.get(group_id, "—")
        rows.setdefault(name, [0, 0, 0])[2] += int(n)
    return sorted((PersonRow(name, *counts) for name, counts in rows.items()),
                  key=lambda r: (-r.done - r.overdue_now, r.name))


def sources(flt: AnalyticsFilter) -> list[SourceRow]:
    """Deals created within the period per source, and how many of them are won (and their budget)."""
    q = _Sql(flt)
    where, params = q.deals()
    rows = fetch(f"SELECT d.source, COUNT(*), SUM(CASE WHEN d.stage = '{WON}' THEN 1 ELSE 0 END), "
                 f"SUM(CASE WHEN d.stage = '{WON}' THEN d.budget ELSE 0 END) FROM deal d "
                 f"WHERE d.created_at >= {q.p} AND d.created_at < {q.p}{where} GROUP BY d.source",
                 [stamp(q.start), stamp(q.end), *params])
    return sorted((SourceRow(s or "", int(n), int(w or 0), int(b or 0)) for s, n, w, b in rows),
                  key=lambda r: (-r.leads, r.source))


# ---- lists behind the bars ------------------------------------------------------------------

def entered_deals(flt: AnalyticsFilter, stages: str | tuple[str, ...], start: datetime | None = None,
                  end: datetime | None = None, from_stage: str | None = None) -> list[DealRow]:
    """The deals that entered ``stages`` (a code or several) within the period (and within
    [start, end) when given; only the moves from ``from_stage`` when given), by order number."""
    codes = _stage_codes(stages)
    _check_moment(start, "analytics.date_from")
    _check_moment(end, "analytics.date_to")
    if from_stage is not None:
        _stage_code(from_stage)
    q = _Sql(flt)
    moves, params = q.moves(codes, start, end)
    if from_stage is not None:
        moves += f" AND h.from_stage = {q.p}"
        params.append(from_stage)
    return _deal_rows(f"SELECT {DEAL_COLUMNS} FROM deal d WHERE d.id IN (SELECT h.deal_id {moves}) "
                      f"ORDER BY d.order_no LIMIT {LIST_LIMIT}", params)


def week_bounds(week: date) -> tuple[datetime, datetime]:
    """A shop-local week (its Monday) as naive UTC [start, end)."""
    _check_day(week, "analytics.week")
    start = clock.from_local(datetime.combine(week, time()))
    return start, clock.from_local(datetime.combine(week + timedelta(days=7), time()))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A shop-local month («2025-06») as naive UTC [start, end)."""
    try:
        first = date.fromisoformat(month + "-01") if isinstance(month, str) and len(month) == 7 else None
    except ValueError:
        first = None
    if first is None:
        _refuse("analytics.month", "месяц в виде ГГГГ-ММ, например 2025-06")
    following = (first + timedelta(days=32)).replace(day=1)
    return (clock.from_local(datetime.combine(first, time())),
            clock.from_local(datetime.combine(following, time())))


def source_deals(flt: AnalyticsFilter, source: str) -> list[DealRow]:
    """The deals created within the period with ``source`` ("" — none), by order number."""
    source = validation.checked_text(source, "source", multiline=False)
    q = _Sql(flt)
    where, params = q.deals()
    return _deal_rows(f"SELECT {DEAL_COLUMNS} FROM deal d WHERE d.created_at >= {q.p} AND d.created_at < {q.p} "
                      f"AND d.source = {q.p}{where} ORDER BY d.order_no LIMIT {LIST_LIMIT}",
                      [stamp(q.start), stamp(q.end), source, *params])


# ---- the whole report -----------------------------------------------------------------------



@dataclass
class Report:
    """Every figure of the screen and the printed report; a section the reader may not see is None."""

    flt: AnalyticsFilter
    made_at: datetime
    funnel: list[FunnelRow] | None = None
    lost: list[LostRow] | None = None
    stage_times: list[StageTime] | None = None
    over_now: list[DealRow] | None = None
    throughput: list[WeekRow] | None = None
    lead_time: LeadTime | None = None
    money: Money | None = None
    people: list[PersonRow] | None = None
    sources: list[SourceRow] | None = None
    sections: list[str] = field(default_factory=list)


def visible_parts(actor: User | None) -> dict[str, bool]:
    """Which parts of the analytics ``actor`` may see: sales, money, workshop."""
    return {"sales": permissions.allowed(actor, permissions.ANALYTICS_SALES),
            "money": permissions.allowed(actor, permissions.ANALYTICS_MONEY),
            "workshop": permissions.allowed(actor, permissions.ANALYTICS_WORKSHOP)}


# the report's figures in two groups of about equal cost on PostgreSQL (a year on 100,000 orders:
# ≈ 0.5 s each), computed at once on a connection each (``_concurrently``): two, as the shop's server
# may well have two cores (three groups measured no faster on this 2-core machine)
_GROUPS: tuple[tuple[str, ...], ...] = (("funnel", "lost", "sources", "people", "money"),
                                         ("stage_times", "over_now", "throughput", "lead_time"))


def _figure_jobs(parts: dict[str, bool], flt: AnalyticsFilter) -> dict:
    """{Report field: the function computing it} for what the reader may see."""
    jobs: dict = {}
    if parts["sales"]:
        jobs.update(funnel=lambda: funnel(flt), lost=lambda: lost(flt), people=lambda: people(flt),
                    sources=lambda: sources(flt))
    if parts["workshop"]:
        stages = OPEN_STAGES if parts["sales"] else WORKSHOP_PART
        jobs.update(stage_times=lambda: stage_times(flt, stages), over_now=lambda: over_now(flt, stages),
                    throughput=lambda: throughput(flt), lead_time=lambda: lead_time(flt))
    if parts["money"]:
        jobs["money"] = lambda: money(flt)
    return jobs


def _run(jobs: dict, names) -> dict:
    return {name: jobs[name]() for name in names if name in jobs}


def _concurrent_possible() -> bool:
    """PostgreSQL, no transaction open on this thread (another connection would not see what it wrote)."""
    from app.store.db import database, is_postgres

    return is_postgres() and not database.in_transaction()


def _in_snapshot(snapshot: str, jobs: dict, names) -> dict | None:
    """``names`` computed on this (worker) thread's own connection, in the transaction snapshot
    ``snapshot`` exported by the report's first connection: None when the connection or the snapshot
    could not be had (the caller computes them itself then); a figure's own error is raised. The
    connection is closed after."""
    from app.store.db import database

    db = database.obj
    try:
        db.connect(reuse_if_open=True)
    except pw.DatabaseError:
        return None
    try:
        with db.atomic(isolation_level="REPEATABLE READ"):  # read only: its commit writes nothing
            try:
                db.execute_sql("SET TRANSACTION SNAPSHOT %s", [snapshot])
            except pw.DatabaseError:
                return None
            return _run(jobs, names)
    finally:
        db.close()


def _concurrently(jobs: dict) -> dict:
    """Every job's result, the groups of ``_GROUPS`` computed at once: the first on this thread's
    connection in a REPEATABLE READ transaction whose snapshot the others import on connections of
    their own, so that every figure sees the same moment of the database, as one query would."""
    from concurrent.futures import ThreadPoolExecutor, wait

    from app.store.db import database

    groups = [[name for name in group if name in jobs] for group in _GROUPS]
    groups = [group for group in groups if group]
    if len(groups) < 2:
        return _run(jobs, list(jobs))
    db = database.obj
    with db.atomic(isolation_level="REPEATABLE READ"):
        snapshot = db.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
        # leaving the pool waits for every worker (each closes its connection), also after an error here
        with ThreadPoolExecutor(max_workers=len(groups) - 1, thread_name_prefix="analytics") as pool:
            futures = [(group, pool.submit(_in_snapshot, snapshot, jobs, group)) for group in groups[1:]]
            results = _run(jobs, groups[0])
            wait([future for _, future in futures])
            for group, future in futures:
                found = future.result()  # a worker's error raised as it would be here
                results.update(found if found is not None else _run(jobs, group))
    return results


def build_report(actor: User | None, flt: AnalyticsFilter) -> Report:
    """Every figure ``actor`` may see for ``flt`` (None: the system, which sees everything); a
    reader without the sales part sees the time of the workshop stages only. On PostgreSQL the
    figures are computed on two connections at once, in one snapshot (``_concurrently``)."""
    parts = visible_parts(actor)
    if not any(parts.values()):
        permissions.require(actor, permissions.ANALYTICS_WORKSHOP)
    report = Report(flt, clock.now(), sections=[name for name, seen in parts.items() if seen])
    jobs = _figure_jobs(parts, flt)
    results = _concurrently(jobs) if _concurrent_possible() and len(jobs) > 1 else _run(jobs, list(jobs))
    for name, value in results.items():
        setattr(report, name, value)
    return report


def source_names() -> list[str]:
    """Every source the deals have ("" — none given), alphabetically."""
    return [row[0] or "" for row in fetch("SELECT DISTINCT d.source FROM deal d ORDER BY d.source", [])]
