"""``--demo`` on the first start of a day: a notice window is shown while the template is built,
and later starts copy the template without it."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.store.models import Deal
from ui.shell import demo_start


def test_a_notice_is_shown_while_the_template_is_built_then_never_again(qapp, demo_builds, monkeypatch):
    shown: list[str] = []

    class Notice(QLabel):
        def show(self) -> None:
            shown.append(self.text())
            super().show()

    monkeypatch.setattr(demo_start, "QLabel", Notice)
    demo_start.open_demo_showing_progress()
    assert len(shown) == 1 and "Готовлю демонстрационную базу" in shown[0]
    assert [deal.name for deal in Deal.select()] == ["Демо 1"]
    demo_start.open_demo_showing_progress()
    assert len(shown) == 1 and len(demo_builds) == 1
