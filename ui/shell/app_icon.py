"""The program's icon (a child's bed, resources/icons/workshop-crm.svg) for windows and the tray."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_FILE = Path(__file__).resolve().parents[2] / "resources" / "icons" / "workshop-crm.svg"


@cache
def app_icon() -> QIcon:
    """The program's icon, drawn from the SVG at every size asked for."""
    return QIcon(str(ICON_FILE))


def icon_pixmap(size: int) -> QPixmap:
    """The icon drawn at ``size``×``size`` pixels (for painting badges over it)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    QSvgRenderer(str(ICON_FILE)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap
