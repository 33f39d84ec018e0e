"""The board's words: plurals, totals, card dates, task states, the stale mark (no database)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain import board_text
from app.domain.board_text import OpenTask, TaskState

NOW = datetime(2025, 6, 2, 9, 0)  # 12:00 in St Petersburg


@pytest.mark.parametrize("count, text", [
    (0, "0 сделок"), (1, "1 сделка"), (2, "2 сделки"), (3, "3 сделки"), (4, "4 сделки"), (5, "5 сделок"),
    (11, "11 сделок"), (12, "12 сделок"), (14, "14 сделок"), (17, "17 сделок"), (21, "21 сделка"),
    (22, "22 сделки"), (101, "101 сделка"), (111, "111 сделок"), (405, "405 сделок")])
def test_deals_plural(count, text):
    assert board_text.deals_count(count) == text


def test_column_totals_text():
    assert board_text.column_totals(17, 47_547_000) == "17 сделок: 475\u202f470 руб"
    assert board_text.column_totals(1, 0) == "1 сделка: 0 руб"


def test_card_date_today_yesterday_older_in_shop_zone():
    # 21:25 UTC on 1 June is 00:25 on 2 June in St Petersburg: «today» for the shop
    assert board_text.card_date(datetime(2025, 6, 1, 21, 25), NOW) == "Сегодня 00:25"
    assert board_text.card_date(datetime(2025, 6, 1, 10, 4), NOW) == "Вчера 13:04"
    assert board_text.card_date(datetime(2025, 5, 31, 10, 4), NOW) == "31.05.2025"
    assert board_text.card_date(datetime(2017, 5, 31, 9, 0), NOW) == "31.05.2017"


def test_task_state_none_planned_overdue():
    assert board_text.task_state([], NOW) == TaskState("Нет задач", TaskState.NONE)
    later = OpenTask(NOW + timedelta(hours=3), False)
    tomorrow = OpenTask(NOW + timedelta(days=1), False)
    assert board_text.task_state([tomorrow, later], NOW) == TaskState("Сегодня 15:00", TaskState.PLANNED)
    assert board_text.task_state([tomorrow], NOW).text == "Завтра 12:00"
    three_days = OpenTask(NOW - timedelta(days=3, hours=2), False)
    state = board_text.task_state([later, three_days], NOW)
    assert state.overdue and state.text == "3 дн"
    assert board_text.task_state([OpenTask(NOW - timedelta(hours=5), False)], NOW).text == "5 ч"
    assert board_text.task_state([OpenTask(NOW - timedelta(minutes=20), False)], NOW).text == "20 мин"


def test_all_day_task_is_overdue_only_when_its_local_day_has_passed():
    today_midnight = datetime(2025, 6, 1, 21, 0)  # 00:00 of 2 June in St Petersburg, as UTC
    today = OpenTask(today_midnight, True)
    assert not board_text.is_overdue(today, NOW)
    assert board_text.task_state([today], NOW) == TaskState("Сегодня", TaskState.PLANNED)
    late_evening = datetime(2025, 6, 2, 20, 59)  # 23:59 local, still the same day
    assert not board_text.is_overdue(today, late_evening)
    two_days_ago = OpenTask(today_midnight - timedelta(days=2), True)
    assert board_text.task_state([two_days_ago], NOW) == TaskState("2 дн", TaskState.OVERDUE)


def test_stale_mark_after_the_stage_threshold():
    entered = NOW - timedelta(days=5)
    assert board_text.stale_days(entered, 7, NOW) is None
    assert board_text.stale_days(entered, 3, NOW) == 5
    assert board_text.stale_days(entered, 0, NOW) is None  # closed stages never rot
    assert board_text.stale_text(5) == "5 дн на этапе"
