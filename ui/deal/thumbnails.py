"""Small pictures of attached images, kept in memory. A picture is decoded once, at the largest
size the card shows; layout only needs its size, read from the file's header without decoding."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

from app.store import files

LARGEST = 120  # the timeline's thumbnails; the files tab's icons are scaled from these
_pixmaps: dict[str, QPixmap | None] = {}
_sizes: dict[tuple[str, int], QSize | None] = {}


def _reader(stored_name: str) -> QImageReader | None:
    try:
        path = files.path_of(stored_name)
    except ValueError:
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    return reader


def _fit(size: QSize, side: int) -> QSize:
    if size.width() <= side and size.height() <= side:
        return size
    return size.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio)


def thumbnail_size(stored_name: str, side: int) -> QSize | None:
    """The size ``thumbnail`` will have (None if the file is not a readable picture)."""
    key = (stored_name, side)
    if key not in _sizes:
        if stored_name in _pixmaps:
            pixmap = _pixmaps[stored_name]
            _sizes[key] = None if pixmap is None else _fit(pixmap.size(), side)
        else:
            reader = _reader(stored_name)
            size = reader.size() if reader is not None else QSize()
            _sizes[key] = _fit(size, side) if size.isValid() and not size.isEmpty() else None
    return _sizes[key]


def thumbnail(stored_name: str, side: int) -> QPixmap | None:
    """The attached picture ``stored_name`` scaled to fit ``side``×``side`` (None if unreadable)."""
    if stored_name not in _pixmaps:
        _pixmaps[stored_name] = _read(stored_name)
    pixmap = _pixmaps[stored_name]
    if pixmap is None or side >= LARGEST:
        return pixmap
    return pixmap.scaled(_fit(pixmap.size(), side), Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


def _read(stored_name: str) -> QPixmap | None:
    reader = _reader(stored_name)
    if reader is None:
        return None
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(_fit(size, LARGEST))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)


def forget() -> None:
    """Drop every cached picture (e.g. in benchmarks measuring a cold start)."""
    _pixmaps.clear()
    _sizes.clear()
