"""Russian as the program writes it: one plural rule for counts, names declined by pymorphy3."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app.domain.russian import GENITIVE, PARTS, ROWS, count_text, decline, parts_text


@pytest.mark.parametrize("count,text", [(1, "1 строка"), (2, "2 строки"), (5, "5 строк"), (11, "11 строк"),
                                        (21, "21 строка"), (112, "112 строк"), (0, "0 строк")])
def test_one_plural_rule_for_every_count(count, text):
    assert count_text(count, ROWS) == text


def test_parts_say_what_is_counted():
    assert count_text(2, PARTS) == "2 детали" and count_text(5, PARTS) == "5 деталей"
    assert parts_text(6, 21) == "6 строк, 21 деталь"


@pytest.mark.parametrize("name,declined", [
    ("Татьяна Смирнова", "Татьяны Смирновой"), ("Екатерина Лебедева", "Екатерины Лебедевой"),
    ("Иванова (Румянцева) София Леонидовна", "Ивановой (Румянцевой) Софии Леонидовны"),
    ("Сергей Волков", "Сергея Волкова"), ("Начальник производства Михаил", "Начальника производства Михаила"),
    ("Zhang Wei", "Zhang Wei"), ("Ыыхрщ", "Ыыхрщ")])  # unknown to the dictionary: as written
def test_people_in_the_genitive(name, declined):
    assert decline(name, GENITIVE) == declined


def test_groups_in_the_genitive():
    assert [decline(group, GENITIVE, person=False).lower() for group in ("Конструктор", "Магазины", "Дизайнер")] \
        == ["конструктора", "магазинов", "дизайнера"]


def test_the_dictionary_is_not_loaded_at_start_up():
    code = "import sys, main, app.services.tasks, app.domain.russian; print('pymorphy3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_timeline_names_who_set_a_task_for_whom_in_the_genitive(staff):
    from app.services import people, tasks
    from app.store.models import TimelineEntry
    from tests.domain.helpers import new_deal

    deal = new_deal(staff["manager"])
    designer = people.create_user("katya", "Екатерина Лебедева", "designer")
    tasks.add_task(deal.id, designer, text="Проверить размеры", group=people.group_named("Конструктор"))
    tasks.add_task(deal.id, None, text="Позвонить", user=people.create_user("tanya", "Татьяна Смирнова", "manager"))
    texts = [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal.id,
                                                          TimelineEntry.kind == TimelineEntry.TASK_CREATED)]
    assert any(text.startswith("Задача от Екатерины Лебедевой для конструктора до ") for text in texts)
    assert any(text.startswith("Автозадача для Татьяны Смирновой до ") for text in texts)
