"""The Qt binding keeps Python's reference counts right (PySide6 6.12.0 under Python 3.11 did not:
every void call dropped a reference to None until the program died with «none_dealloc»)."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683): its "
                    "count never changes, so a lost reference can neither hurt nor be seen")
def test_void_calls_do_not_eat_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    pixmap = QPixmap(8, 8)
    before = sys.getrefcount(None)
    painter = QPainter(pixmap)
    for _ in range(2000):
        label.setText("x")
        painter.setBrush(QColor("red"))
    painter.end()
    assert sys.getrefcount(None) > before - 500
