"""«Настройки → Бирки…»: the shop's label paper — A4 label sheets (labels in a row, rows, label
size, margins and gaps of the sheet maker's template) or a roll label printer (its label size) —
with one label drawn as it prints (the PDF of a sample label, rendered), the A4 sheet to scale with its
labels, and how many go on a page.
Saved through app.services.label_settings; «Печать бирок…» and ``print-labels`` use it."""
from __future__ import annotations

import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.label_sheet import A4_MM, KINDS, LabelSettings, parse
from app.domain.russian import plural
from app.domain.specs import format_decimal
from app.services import label_settings
from ui.papers.settings_form import CHOICE, NUMBER, Field, SettingsForm

FIELDS = [
    Field("kind", CHOICE, choices=KINDS),
    Field("columns", NUMBER, limits=(1, 10)),
    Field("rows", NUMBER, limits=(1, 40)),
    Field("width", hint="мм, например 70"),
    Field("height", hint="мм, например 37"),
    Field("left", hint="мм от левого края листа до первой бирки"),
    Field("top", hint="мм от верхнего края листа до первой бирки"),
    Field("gap_x", hint="мм между столбцами бирок, 0 — вплотную"),
    Field("gap_y", hint="мм между рядами бирок, 0 — вплотную"),
    Field("roll_width", hint="мм, например 58"),
    Field("roll_height", hint="мм, например 40"),
]
A4_FIELDS = ("columns", "rows", "width", "height", "left", "top", "gap_x", "gap_y")
ROLL_FIELDS = ("roll_width", "roll_height")
PREVIEW_DPI = 150
LABEL_WORDS = ("бирка", "бирки", "бирок")


def render_label(settings: LabelSettings, dpi: int = PREVIEW_DPI) -> QImage:
    """One sample label of the settings' kind and size, drawn by the labels' own PDF code."""
    import pypdfium2

    from app.documents.part_labels import SAMPLE, build_labels  # reportlab: on use

    width, height = settings.label_size()
    single = replace(settings, kind="roll", roll_width=width, roll_height=height)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "label.pdf"
        build_labels([SAMPLE], path, settings=single)
        document = pypdfium2.PdfDocument(str(path))
        try:
            bitmap = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            document.close()
    return QImage(bitmap.tobytes(), bitmap.width, bitmap.height, bitmap.width * 3,
                  QImage.Format.Format_RGB888).copy()


def page_text(settings: LabelSettings) -> str:
    """«На листе A4: 24 бирки (3 × 8) по 70 × 37 мм» or «Рулон: по одной бирке 58 × 40 мм на странице»."""
    w, h = (format_decimal(Decimal(str(v))) for v in settings.label_size())
    if settings.kind == "roll":
        return f"Рулон: по одной бирке {w} × {h} мм на странице."
    count = settings.columns * settings.rows
    return f"На листе A4: {count} {plural(count, LABEL_WORDS)} ({settings.columns} × {settings.rows}) по {w} × {h} мм."


class LabelPicture(QWidget):
    """The rendered label, scaled down to the room it has (never up), centred on grey like a preview."""

    def __init__(self) -> None:
        super().__init__(objectName="labelPreview")
        self.image = QImage()
        self.message = ""
        self.setMinimumSize(260, 180)

    def show_image(self, image: QImage) -> None:
        self.image, self.message = image, ""
        self.update()

    def show_message(self, text: str) -> None:
        self.image, self.message = QImage(), text
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#9e9e9e"))
        room = self.rect().adjusted(12, 12, -12, -12)
        if self.image.isNull():
            painter.drawText(room, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        size = self.image.size()
        if size.width() > room.width() or size.height() > room.height():
            size = size.scaled(room.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(room.center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)


class SheetScheme(QWidget):
    """The A4 sheet to scale with its labels where the settings put them (margins and gaps visible)."""

    def __init__(self) -> None:
        super().__init__(objectName="labelSheetScheme")
        self.settings: LabelSettings | None = None
        self.setMinimumSize(110, 150)

    def show_settings(self, settings: LabelSettings | None) -> None:
        self.settings = settings
        self.setVisible(settings is not None and settings.kind == "a4")
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.settings is None:
            return
        page_w, page_h = A4_MM
        scale = min((self.width() - 4) / page_w, (self.height() - 4) / page_h)
        left, top = (self.width() - page_w * scale) / 2, (self.height() - page_h * scale) / 2
        painter = QPainter(self)
        painter.fillRect(QRectF(left, top, page_w * scale, page_h * scale), QColor("white"))
        painter.setPen(QColor("#616161"))
        painter.drawRect(QRectF(left, top, page_w * scale, page_h * scale))
        width, height = self.settings.label_size()
        painter.setPen(QColor("#1565c0"))
        for x, y in self.settings.slots():
            painter.drawRect(QRectF(left + x * scale, top + (page_h - y - height) * scale, width * scale,
                                    height * scale))


class LabelSettingsDialog(SettingsForm):
    """The fields with their problems while typing; the preview of a label beside them."""

    def __init__(self, window) -> None:
        self.picture = LabelPicture()
        self.scheme = SheetScheme()
        self.summary = QLabel(objectName="labelPageSummary", wordWrap=True)
        stored = label_settings.label_settings().as_dict()
        shown = {key: format_decimal(Decimal(str(value))) if isinstance(value, float) else value
                 for key, value in stored.items()}
        super().__init__(window, "Бирки — формат печати", "labels.", FIELDS, shown,
                         check=label_settings.check_label_settings,
                         save=lambda values: label_settings.save_label_settings(window.user, values),
                         note="Бирки печатаются по одной на каждую деталь. Размер бирок, поля и зазоры листа — "
                              "из шаблона производителя листов (поля — от края листа A4). Размеры другого формата "
                              "тоже сохраняются: можно переключиться без потерь.")
        self.setObjectName("labelSettingsDialog")
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Бирка, как она печатается</b>"))
        side.addWidget(self.picture, 1)
        row = QHBoxLayout()
        row.addWidget(self.scheme)
        row.addWidget(self.summary, 1)
        side.addLayout(row)
        self.layout().itemAt(0).layout().addLayout(side, 2)
        self.resize(900, 600)
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        if not hasattr(self, "picture"):
            return  # the form's first refresh, before the preview exists
        values = self.values()
        for key in A4_FIELDS + ROLL_FIELDS:
            self.editors[key].setEnabled((key in ROLL_FIELDS) == (values["kind"] == "roll"))
        settings, problems = parse(values)
        if problems:
            self.picture.show_message("Исправьте размеры — бирка появится здесь")
            self.scheme.show_settings(None)
            self.summary.setText("")
            return
        self.picture.show_image(render_label(settings))
        self.scheme.show_settings(settings)
        self.summary.setText(page_text(settings))
