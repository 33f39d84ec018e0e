"""Small pictures of attached images, read scaled (fast for big photos) and kept in memory."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

from app import files

_cache: dict[tuple[str, int], QPixmap | None] = {}


def thumbnail(stored_name: str, side: int) -> QPixmap | None:
    """The attached picture ``stored_name`` scaled to fit ``side``×``side`` (None if unreadable)."""
    key = (stored_name, side)
    if key not in _cache:
        _cache[key] = _read(stored_name, side)
    return _cache[key]


def _read(stored_name: str, side: int) -> QPixmap | None:
    try:
        path = files.path_of(stored_name)
    except ValueError:
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > side or size.height() > side):
        reader.setScaledSize(size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)
